import { toShape } from './geometry.js';
import type { QuirksMode } from './quirks.js';
import type { BoxOrPolygon, MaskImage, Segment } from './types.js';

/**
 * `rasterize_polygons_to_segmentation_mask`: burn boxes and polygons into a mask of `width` x `height`, the i-th
 * shape with value i + 1 (0 is background), later shapes over earlier ones. A pixel belongs to a shape when its
 * centre is inside (rasterio's default, `all_touched=False`); rows are y, columns x. Segments keep labels and metadata.
 */
export function rasterizePolygonsToSegmentationMask(
  shapes: readonly BoxOrPolygon[],
  size: { width: number; height: number },
  quirks: QuirksMode = 'faithful',
): { mask: MaskImage & { data: Int32Array }; segments: Segment[] } {
  const { width, height } = size;
  const data = new Int32Array(width * height);
  const segments: Segment[] = shapes.map((s, i) => ({
    label: s.label,
    index: i + 1,
    metadata: s.metadata ?? {},
  }));
  shapes.forEach((s, i) => {
    const ring = toShape(s, quirks).ring;
    for (let row = 0; row < height; row++) {
      const cy = row + 0.5;
      // Even-odd scanline through pixel centres.
      const xs: number[] = [];
      for (let k = 0; k < ring.length; k++) {
        const [x1, y1] = ring[k]!;
        const [x2, y2] = ring[(k + 1) % ring.length]!;
        if ((y1 <= cy && y2 > cy) || (y2 <= cy && y1 > cy)) xs.push(x1 + ((cy - y1) / (y2 - y1)) * (x2 - x1));
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
        const to = Math.min(width - 1, Math.ceil(xs[k + 1]! - 0.5) - 1);
        for (let col = from; col <= to; col++) data[row * width + col] = i + 1;
      }
    }
  });
  return { mask: { width, height, data }, segments };
}
