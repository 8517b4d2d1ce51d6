/**
 * The Nucleus wire payloads the metrics read (nucleus-api.md §7.2, §7.3): what the API returns for ground truth
 * and model-run predictions, and what it accepts on upload. Predictions carry an optional `confidence`.
 */

/** User metadata of an annotation, a prediction or a segment. */
export type Metadata = Record<string, unknown>;

/** A 2D point in pixels. */
export interface Vertex {
  x: number;
  y: number;
}

/** A 3D point or size (cuboids). */
export interface Point3D {
  x: number;
  y: number;
  z: number;
}

interface Common {
  reference_id: string;
  annotation_id?: string;
  metadata?: Metadata | null;
  confidence?: number | null;
  [extra: string]: unknown;
}

/** A box: `x`, `y` as the API documents them (top-left; upstream's metrics read them as the centre, quirk 1). */
export interface BoxPayload extends Common {
  type: 'box';
  label: string;
  geometry: { x: number; y: number; width: number; height: number };
}

/** A polygon, by its vertices. */
export interface PolygonPayload extends Common {
  type: 'polygon';
  label: string;
  geometry: { vertices: Vertex[] };
}

/** A polyline, by its vertices. */
export interface LinePayload extends Common {
  type: 'line';
  label: string;
  geometry: { vertices: Vertex[] };
}

/** Named keypoints, with their skeleton. */
export interface KeypointsPayload extends Common {
  type: 'keypoints';
  label: string;
  geometry: {
    keypoints: Array<{ x?: number; y?: number; visible: boolean }>;
    names: string[];
    skeleton: unknown;
  };
}

/** A 3D cuboid: centre position, dimensions and yaw. */
export interface CuboidPayload extends Common {
  type: 'cuboid';
  label: string;
  geometry: { position: Point3D; dimensions: Point3D; yaw: number };
}

/** One category of a whole item (of a taxonomy). */
export interface CategoryPayload extends Common {
  type: 'category';
  label: string;
  taxonomy_name?: string | null;
  geometry?: Record<string, never>;
}

/** Several categories of a whole item (of a taxonomy). */
export interface MultiCategoryPayload extends Common {
  type: 'multicategory';
  labels: string[];
  taxonomy_name?: string | null;
}

/** One segment of a mask: the pixel value `index` stands for `label`. */
export interface Segment {
  label: string;
  index: number;
  metadata?: Metadata | null;
  [extra: string]: unknown;
}

/** A segmentation mask (a PNG at `mask_url`) and the segments its pixel values stand for. */
export interface SegmentationPayload extends Common {
  type?: 'mask' | 'segmentation';
  mask_url: string;
  annotations: Segment[];
}

/** One annotation or prediction as it travels on the wire. */
export type WirePayload =
  | BoxPayload
  | PolygonPayload
  | LinePayload
  | KeypointsPayload
  | CuboidPayload
  | CategoryPayload
  | MultiCategoryPayload
  | SegmentationPayload;

/** A box or polygon: the shapes the polygon metrics pool. */
export type BoxOrPolygon = BoxPayload | PolygonPayload;

/** A decoded mask: one value per pixel, row-major (`data[y * width + x]`), as a segmentation loader returns it. */
export interface MaskImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
  /** Interleaved channels per pixel (an RGB PNG repeating one value): the first channel is read. Default 1. */
  channels?: number;
}

/** What the segmentation metrics read masks through (upstream `SegmentationMaskLoader.fetch`). */
export interface MaskLoader {
  /** Read and decode the mask at `url`. */
  fetch(url: string): Promise<MaskImage> | MaskImage;
}
