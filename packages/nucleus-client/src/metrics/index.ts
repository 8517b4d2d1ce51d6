/**
 * `@mlclients/nucleus-client/metrics`: client-side counterparts of Nucleus's Validate eval functions, named as in
 * the Python client's `nucleus.metrics`, computing the same numbers on the same wire payloads.
 */
export { computeAveragePrecision } from './average-precision.js';
export {
  EverythingFilteredError,
  FilterKeyError,
  MetricTypeError,
  MetricValueError,
  NucleusMetricError,
  PolygonAnnotationTypeError,
} from './errors.js';
export {
  type DNF,
  dnfToWire,
  FILTER_OPS,
  FILTER_TYPES,
  FieldFilter,
  Filter,
  type FilterInput,
  type FilterOp,
  type FilterType,
  filterFromWire,
  MetadataFilter,
  prettyFormatFilters,
  SegmentFieldFilter,
  SegmentMetadataFilter,
  toDNF,
  type WireFilter,
} from './filters.js';
export { type Assignment, linearSumAssignment } from './linear-sum-assignment.js';
export { Metric, type MetricOptions, type Payloads } from './metric.js';
export {
  PolygonAveragePrecision,
  type PolygonAveragePrecisionOptions,
  PolygonIOU,
  PolygonMAP,
  type PolygonMAPOptions,
  PolygonMetric,
  type PolygonMetricOptions,
  PolygonPrecision,
  PolygonRecall,
  type PolygonThresholdOptions,
} from './polygon-metrics.js';
export type { QuirksMode } from './quirks.js';
export { aggregateScalarResults, type ScalarResult } from './result.js';
export type * from './types.js';
