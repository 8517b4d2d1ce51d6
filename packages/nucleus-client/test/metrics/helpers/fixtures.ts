/** The upstream test fixtures (tests/metrics/helpers.py, tests/helpers.py) as Nucleus wire payloads. */
import type {
  BoxPayload,
  CategoryPayload,
  PolygonPayload,
  SegmentationPayload,
  WirePayload,
} from '../../../src/metrics/index.js';

export const REFS = ['airplane.jpeg', 'arctichare.jpeg', 'baboon.jpeg', 'barbara.jpeg', 'cat.jpeg'];

export const BOX5_ANNOTATIONS: BoxPayload[] = REFS.map((ref, i) => ({
  type: 'box',
  label: `[Pytest] Box Annotation $${i}`,
  geometry: { x: 50 + 10 * i, y: 60 + 10 * i, width: 70 + 10 * i, height: 80 + 10 * i },
  reference_id: ref,
  annotation_id: `[Pytest] Box Annotation Annotation Id${i}`,
  metadata: { field_1: 'string', index: i },
}));
export const BOX5_PREDICTIONS: BoxPayload[] = BOX5_ANNOTATIONS.map((a) => ({ ...a, confidence: 0.5 }));

export const TRI5_ANNOTATIONS: PolygonPayload[] = REFS.map((ref, i) => ({
  type: 'polygon',
  label: `[Pytest] Polygon Annotation $${i}`,
  geometry: {
    vertices: [0, 1, 2].map((j) => ({
      x: 50 + 10 * i + Math.cos((2 * Math.PI * j) / 3),
      y: 60 + 10 * i + Math.sin((2 * Math.PI * j) / 3),
    })),
  },
  reference_id: ref,
  annotation_id: `[Pytest] Polygon Annotation Annotation Id${i}`,
}));
export const TRI5_PREDICTIONS: PolygonPayload[] = TRI5_ANNOTATIONS.map((a) => ({ ...a, confidence: 0.5 }));

export function box(
  label: string,
  x: number,
  y: number,
  width: number,
  height: number,
  extra: Partial<BoxPayload> = {},
): BoxPayload {
  return { type: 'box', label, geometry: { x, y, width, height }, reference_id: 'image_1', ...extra };
}

export const PAIR_ANNOTATIONS: BoxPayload[] = [box('car', 0, 0, 10, 10), box('car', 5, 5, 3, 3)];
export const PAIR_PREDICTIONS: BoxPayload[] = [
  box('car', 0, 0, 10, 10, { confidence: 0.6 }),
  box('car', 5, 5, 10, 10, { confidence: 0.9 }),
  box('car', 5, 5, 10, 10, { confidence: 0.9 }),
];

export const CAT5_ANNOTATIONS: CategoryPayload[] = REFS.map((ref, i) => ({
  type: 'category',
  label: `[Pytest] Category Label $${i}`,
  reference_id: ref,
  taxonomy_name: '[Pytest] Category Taxonomy 1',
}));

export function category(label: string, reference_id: string, taxonomy_name?: string): CategoryPayload {
  return { type: 'category', label, reference_id, ...(taxonomy_name ? { taxonomy_name } : {}) };
}

/** Upstream's InMemoryLoader: URL to a 1-row (or given-shape) mask. */
export function memoryLoader(masks: Record<string, { width: number; height: number; data: number[] }>) {
  return {
    fetch(url: string) {
      const m = masks[url];
      if (!m) throw new Error(`no mask for ${url}`);
      return m;
    },
  };
}

/** A gt/pred pair of 1-D masks as upstream's segmentation tests build them. */
export function maskPair(
  gt: number[],
  pred: number[],
  segments?: Array<{ label: string; index: number }>,
  predSegments?: Array<{ label: string; index: number }>,
): { annotations: WirePayload[]; predictions: WirePayload[]; loader: ReturnType<typeof memoryLoader> } {
  const all =
    segments ??
    [...new Set([...gt, ...pred])].sort((a, b) => a - b).map((v) => ({ label: String(v), index: v }));
  const annotation: SegmentationPayload = { mask_url: 'gt', annotations: all, reference_id: 'item' };
  const prediction: SegmentationPayload = {
    mask_url: 'pred',
    annotations: predSegments ?? all,
    reference_id: 'item',
  };
  return {
    annotations: [annotation],
    predictions: [prediction],
    loader: memoryLoader({
      gt: { width: gt.length, height: 1, data: gt },
      pred: { width: pred.length, height: 1, data: pred },
    }),
  };
}

/** Count of upstream vectors each test file checked, printed at the end of the file. */
export class VectorCounter {
  count = 0;
  constructor(readonly section: string) {}
  hit(): void {
    this.count++;
  }
  report(): void {
    console.log(`nucleus-metric-vectors ${this.section}: ${this.count} vectors passed`);
  }
}
