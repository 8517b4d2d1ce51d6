/** The metric names `nu metrics` takes: the Validate eval functions' (kept apart so `--help` loads no metric code). */
export const METRIC_NAMES = [
  'bbox_iou',
  'bbox_precision',
  'bbox_recall',
  'bbox_map',
  'bbox_ap',
  'poly_iou',
  'poly_precision',
  'poly_recall',
  'poly_map',
  'poly_ap',
  'cat_f1',
  'cuboid_iou_2d',
  'cuboid_iou_3d',
  'cuboid_precision',
  'cuboid_recall',
  'seg_iou',
  'seg_precision',
  'seg_recall',
  'seg_fwavacc',
  'seg_map',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];
