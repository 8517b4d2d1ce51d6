/**
 * The metrics `nu metrics` computes, by the names of the Validate eval functions they mirror (`bbox_iou`,
 * `poly_map`, `cat_f1`, `cuboid_iou_3d`...) or by class name (`PolygonIOU`), each built from the command line's
 * options. Unset options keep the class defaults, which are the eval functions' (fact sheet §3.12).
 */
import {
  CategorizationF1,
  CuboidIOU,
  CuboidPrecision,
  CuboidRecall,
  type F1Method,
  type FilterInput,
  type Metric,
  PolygonAveragePrecision,
  PolygonIOU,
  PolygonMAP,
  PolygonPrecision,
  PolygonRecall,
  type QuirksMode,
  SegmentationFWAVACC,
  SegmentationIOU,
  SegmentationMAP,
  SegmentationPrecision,
  SegmentationRecall,
} from '../metrics/index.js';
import type { MaskLoader } from '../metrics/types.js';
import { UsageError } from './errors.js';
import { METRIC_NAMES, type MetricName } from './metric-names.js';

export interface MetricChoiceOptions {
  iouThreshold?: number;
  confidenceThreshold?: number;
  enforceLabelMatch?: boolean;
  label?: string;
  f1Method?: F1Method;
  quirks?: QuirksMode;
  annotationFilters?: FilterInput;
  predictionFilters?: FilterInput;
  onWarning?: (message: string) => void;
  /** Reads `mask_url` (segmentation metrics). */
  loader?: MaskLoader;
}

type AnyMetric = Metric<unknown, unknown>;

interface MetricEntry {
  className: string;
  summary: string;
  /** Options that do not apply (refused rather than silently ignored). */
  refuses: ReadonlyArray<keyof MetricChoiceOptions>;
  build(o: MetricChoiceOptions): AnyMetric;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const common = (o: MetricChoiceOptions) =>
  defined({
    quirks: o.quirks,
    annotationFilters: o.annotationFilters,
    predictionFilters: o.predictionFilters,
  });

const polygon = (Cls: typeof PolygonIOU | typeof PolygonPrecision | typeof PolygonRecall, summary: string) =>
  ({
    className: Cls.name,
    summary,
    refuses: ['label', 'f1Method'],
    build: (o) =>
      new Cls({
        ...common(o),
        ...defined({
          iouThreshold: o.iouThreshold,
          confidenceThreshold: o.confidenceThreshold,
          enforceLabelMatch: o.enforceLabelMatch,
          onWarning: o.onWarning,
        }),
      }) as AnyMetric,
  }) satisfies MetricEntry;

const cuboid = (Cls: typeof CuboidPrecision | typeof CuboidRecall, summary: string) =>
  ({
    className: Cls.name,
    summary,
    refuses: ['label', 'f1Method'],
    build: (o) =>
      new Cls({
        ...common(o),
        ...defined({
          iouThreshold: o.iouThreshold,
          confidenceThreshold: o.confidenceThreshold,
          enforceLabelMatch: o.enforceLabelMatch,
        }),
      }) as AnyMetric,
  }) satisfies MetricEntry;

const cuboidIou = (iou2d: boolean): MetricEntry => ({
  className: 'CuboidIOU',
  summary: `mean ${iou2d ? "bird's-eye-view" : '3D'} IoU of cuboids, each annotation with its best prediction`,
  refuses: ['label', 'f1Method'],
  build: (o) =>
    new CuboidIOU({
      ...common(o),
      iou2d,
      ...defined({
        iouThreshold: o.iouThreshold,
        confidenceThreshold: o.confidenceThreshold,
        enforceLabelMatch: o.enforceLabelMatch,
      }),
    }) as AnyMetric,
});

const polygonIou = polygon(
  PolygonIOU,
  'mean IoU of matched boxes and polygons (Hungarian matching per item)',
);
const polygonPrecision = polygon(PolygonPrecision, 'true positives / predictions (boxes and polygons)');
const polygonRecall = polygon(PolygonRecall, 'true positives / annotations (boxes and polygons)');
const polygonMap: MetricEntry = {
  className: 'PolygonMAP',
  summary: 'mean average precision over every label (boxes and polygons)',
  refuses: ['label', 'f1Method', 'confidenceThreshold', 'enforceLabelMatch'],
  build: (o) =>
    new PolygonMAP({
      ...common(o),
      ...defined({ iouThreshold: o.iouThreshold, onWarning: o.onWarning }),
    }) as AnyMetric,
};
const polygonAp: MetricEntry = {
  className: 'PolygonAveragePrecision',
  summary: 'average precision of one label (--label)',
  refuses: ['f1Method', 'confidenceThreshold', 'enforceLabelMatch'],
  build: (o) => {
    if (!o.label) throw new UsageError('--label: required by the average precision of one label');
    return new PolygonAveragePrecision({
      ...common(o),
      label: o.label,
      ...defined({ iouThreshold: o.iouThreshold, onWarning: o.onWarning }),
    }) as AnyMetric;
  },
};
const categorizationF1: MetricEntry = {
  className: 'CategorizationF1',
  summary: "F1 of category predictions (sklearn's f1_score, --f1-method)",
  refuses: ['label', 'iouThreshold', 'enforceLabelMatch'],
  build: (o) =>
    new CategorizationF1({
      ...common(o),
      ...defined({ confidenceThreshold: o.confidenceThreshold, f1Method: o.f1Method }),
    }) as AnyMetric,
};

const segmentation = (
  Cls:
    | typeof SegmentationIOU
    | typeof SegmentationPrecision
    | typeof SegmentationRecall
    | typeof SegmentationFWAVACC,
  summary: string,
): MetricEntry => ({
  className: Cls.name,
  summary,
  refuses: ['label', 'f1Method', 'confidenceThreshold', 'enforceLabelMatch'],
  build: (o) =>
    new Cls({ ...common(o), ...defined({ iouThreshold: o.iouThreshold, loader: o.loader }) }) as AnyMetric,
});

const segmentationMap: MetricEntry = {
  className: 'SegmentationMAP',
  summary: 'mean average precision of segmentation masks over the COCO thresholds 0.5:0.05:0.95',
  refuses: ['label', 'f1Method', 'confidenceThreshold', 'enforceLabelMatch', 'iouThreshold'],
  build: (o) => new SegmentationMAP({ ...common(o), ...defined({ loader: o.loader }) }) as AnyMetric,
};

/** Every name `nu metrics` takes, eval-function names first. */
export const METRICS: Readonly<Record<MetricName, MetricEntry>> = {
  bbox_iou: polygonIou,
  bbox_precision: polygonPrecision,
  bbox_recall: polygonRecall,
  bbox_map: polygonMap,
  bbox_ap: polygonAp,
  poly_iou: polygonIou,
  poly_precision: polygonPrecision,
  poly_recall: polygonRecall,
  poly_map: polygonMap,
  poly_ap: polygonAp,
  cat_f1: categorizationF1,
  cuboid_iou_2d: cuboidIou(true),
  cuboid_iou_3d: cuboidIou(false),
  cuboid_precision: cuboid(CuboidPrecision, 'true positives / predictions (cuboids)'),
  cuboid_recall: cuboid(CuboidRecall, 'true positives / annotations (cuboids)'),
  seg_iou: segmentation(SegmentationIOU, 'mean class IoU of segmentation masks'),
  seg_precision: segmentation(SegmentationPrecision, 'pixel precision of segmentation masks'),
  seg_recall: segmentation(SegmentationRecall, 'pixel recall of segmentation masks'),
  seg_fwavacc: segmentation(SegmentationFWAVACC, 'frequency-weighted IoU of segmentation masks'),
  seg_map: segmentationMap,
};

const OPTION_FLAGS: Readonly<Record<keyof MetricChoiceOptions, string>> = {
  iouThreshold: '--iou-threshold',
  confidenceThreshold: '--confidence-threshold',
  enforceLabelMatch: '--enforce-label-match',
  label: '--label',
  f1Method: '--f1-method',
  quirks: '--quirks',
  annotationFilters: '--annotation-filters',
  predictionFilters: '--prediction-filters',
  onWarning: '',
  loader: '',
};

/** The metric for `name` (eval-function or class name, any case), built with `options`. */
export function chooseMetric(
  name: string,
  options: MetricChoiceOptions,
): { name: string; className: string; metric: AnyMetric } {
  const key = name.toLowerCase();
  const found =
    Object.entries(METRICS).find(([n]) => n === key) ??
    Object.entries(METRICS).find(([, e]) => e.className.toLowerCase() === key);
  if (!found)
    throw new UsageError(
      `unknown metric "${name}" (one of: ${METRIC_NAMES.join(', ')}, or a class name such as PolygonIOU)`,
    );
  const [canonical, entry] = found;
  for (const option of entry.refuses)
    if (options[option] !== undefined)
      throw new UsageError(`${OPTION_FLAGS[option]}: does not apply to ${canonical} (${entry.className})`);
  return { name: canonical, className: entry.className, metric: entry.build(options) };
}
