/**
 * `@mlclients/nucleus-client/metrics`: client-side counterparts of Nucleus's Validate eval functions, named as in
 * the Python client's `nucleus.metrics`, computing the same numbers on the same wire payloads.
 *
 * ```ts
 * import { evaluate, PolygonMAP, PolygonIOU, MetadataFilter } from '@mlclients/nucleus-client/metrics';
 *
 * const iou = new PolygonIOU({ enforceLabelMatch: true, predictionFilters: [new MetadataFilter('tier', '==', 'gold')] });
 * iou.call(groundTruthOfOneItem, predictionsOfOneItem); // { value, weight }
 * await evaluate(new PolygonMAP(), pairs); // pairs: (async) iterable of { annotations, predictions }
 * ```
 *
 * By default the numbers are upstream's, quirks included (box x/y read as the centre, AP arguments swapped,
 * PolygonMAP ignoring its threshold, threshold 0 matching disjoint shapes, EverythingFilteredError on an empty
 * side); `quirks: 'fixed'` corrects them. Matching uses a port of scipy's linear_sum_assignment that breaks ties
 * as scipy does.
 */
export { computeAveragePrecision } from './average-precision.js';
export {
  CategorizationF1,
  type CategorizationF1Options,
  CategorizationResult,
  LabelPairing,
  toTaxonomyLabels,
} from './categorization-metrics.js';
export {
  CuboidIOU,
  type CuboidIOUOptions,
  type CuboidMetricOptions,
  CuboidPrecision,
  CuboidRecall,
  outerIou,
} from './cuboid-metrics.js';
export {
  EverythingFilteredError,
  FilterKeyError,
  MetricTypeError,
  MetricValueError,
  NucleusMetricError,
  PolygonAnnotationTypeError,
} from './errors.js';
export { type EvaluateOptions, type Evaluation, evaluate, type ItemPair } from './evaluate.js';
export { F1_METHODS, type F1Method, f1Score, LabelConfusion } from './f1-score.js';
export {
  type DNF,
  dnfToWire,
  FILTER_OPS,
  FILTER_TYPES,
  FieldFilter,
  Filter,
  type FilterInput,
  type FilterLike,
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
export {
  type Coordinate,
  intersectionArea,
  isValidRing,
  polygonShape,
  rectangleShape,
  type Shape,
  shapeIou,
  toShape,
} from './geometry.js';
export { type Assignment, linearSumAssignment } from './linear-sum-assignment.js';
export { Metric, type MetricOptions, type Payloads } from './metric.js';
export type { PayloadList } from './payload-list.js';
export type { WarningSink } from './polygon-matching.js';
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
export { rasterizePolygonsToSegmentationMask } from './rasterize.js';
export { aggregateScalarResults, type ScalarResult } from './result.js';
export {
  convertToInstanceSegConfusion,
  FALSE_POSITIVES,
  fastConfusionMatrix,
  maxIouMatchFromConfusion,
  nonMaxSuppressConfusion,
  type Square,
} from './segmentation-confusion.js';
export {
  type ClassConfusion,
  SegmentationFWAVACC,
  SegmentationIOU,
  SegmentationMAP,
  type SegmentationMAPOptions,
  SegmentationMaskMetric,
  type SegmentationMetricOptions,
  SegmentationPrecision,
  SegmentationRecall,
  setupIouThresholds,
} from './segmentation-metrics.js';
export type * from './types.js';
