import { MetricValueError } from './errors.js';
import { checkPayload } from './payload-schemas.js';
import type {
  BoxPayload,
  CategoryPayload,
  CuboidPayload,
  KeypointsPayload,
  LinePayload,
  MultiCategoryPayload,
  PolygonPayload,
  SegmentationPayload,
  WirePayload,
} from './types.js';

/**
 * Upstream's `AnnotationList` / `PredictionList`: payloads sorted into one list per type, in input order within a
 * type. Which list comes first matters (boxes are pooled before polygons), so metrics read these lists, never
 * the raw input.
 */
export interface PayloadList {
  box: BoxPayload[];
  line: LinePayload[];
  polygon: PolygonPayload[];
  keypoints: KeypointsPayload[];
  cuboid: CuboidPayload[];
  category: CategoryPayload[];
  multicategory: MultiCategoryPayload[];
  segmentation: SegmentationPayload[];
}

export const PAYLOAD_KINDS = [
  'box',
  'line',
  'polygon',
  'keypoints',
  'cuboid',
  'category',
  'multicategory',
  'segmentation',
] as const satisfies ReadonlyArray<keyof PayloadList>;

export function emptyPayloadList(): PayloadList {
  return {
    box: [],
    line: [],
    polygon: [],
    keypoints: [],
    cuboid: [],
    category: [],
    multicategory: [],
    segmentation: [],
  };
}

/** Sort wire payloads by type as upstream's parser does: known types by `type`, anything else is a mask. */
export function toPayloadList(
  payloads: Iterable<WirePayload>,
  side: 'annotations' | 'predictions',
): PayloadList {
  const list = emptyPayloadList();
  let i = 0;
  for (const p of payloads) {
    if (p === null || typeof p !== 'object') {
      throw new MetricValueError(
        `${side}[${i}]: expected an annotation object, got ${p === null ? 'null' : typeof p}`,
      );
    }
    switch (p.type) {
      case 'box':
      case 'line':
      case 'polygon':
      case 'keypoints':
      case 'cuboid':
      case 'category':
      case 'multicategory':
        checkPayload(p.type, p, `${side}[${i}]`);
        (list[p.type] as WirePayload[]).push(p);
        break;
      default:
        if (typeof (p as SegmentationPayload).mask_url !== 'string') {
          throw new MetricValueError(
            `${side}[${i}].type: expected box, line, polygon, keypoints, cuboid, category, multicategory or a mask with mask_url, got ${JSON.stringify(p.type)}`,
          );
        }
        checkPayload('segmentation', p, `${side}[${i}]`);
        list.segmentation.push(p as SegmentationPayload);
    }
    i++;
  }
  return list;
}

export function payloadCount(list: PayloadList): number {
  let n = 0;
  for (const k of PAYLOAD_KINDS) n += list[k].length;
  return n;
}
