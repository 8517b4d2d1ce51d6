/**
 * COCO RLE masks -> polygons. Decoding the RLE (uncompressed `counts` lists, and the compressed string form of
 * pycocotools' `rleToString`) is the COCO format itself; tracing the outline is done by d3-contour (marching
 * squares), in place of Datumaro's OpenCV `findContours`. Polygons come back in pixel coordinates.
 */
import { contours } from 'd3-contour';

export interface Rle {
  size: [number, number]; // [height, width]
  counts: number[] | string;
}

/** pycocotools `rleFrString`: the LEB128-like compressed counts string. */
export function decodeCounts(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = 1;
    while (more) {
      const c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2] as number;
    counts.push(x);
  }
  return counts;
}

/** The mask, row-major (COCO RLE runs are column-major: transposed here). */
export function decodeRle(rle: Rle): Uint8Array {
  const [h, w] = rle.size;
  const counts = typeof rle.counts === 'string' ? decodeCounts(rle.counts) : rle.counts;
  const mask = new Uint8Array(h * w);
  let pos = 0;
  let value = 0;
  for (const run of counts) {
    for (let i = 0; i < run && pos < h * w; i++, pos++) {
      if (value) {
        const col = Math.floor(pos / h);
        const row = pos % h;
        mask[row * w + col] = 1;
      }
    }
    value ^= 1;
  }
  return mask;
}

/** The outer rings of the mask's regions, as flat pixel point lists (holes dropped, as polygons in SC have none). */
export function maskToPolygons(
  mask: Uint8Array,
  width: number,
  height: number,
): { x: number; y: number }[][] {
  const [multi] = contours().size([width, height]).thresholds([0.5])(Array.from(mask));
  const polygons: { x: number; y: number }[][] = [];
  for (const polygon of multi?.coordinates ?? []) {
    const outer = polygon[0];
    if (!outer || outer.length < 4) continue;
    // d3 closes rings (last = first); SC polygons are open.
    polygons.push(outer.slice(0, -1).map(([x, y]) => ({ x: x as number, y: y as number })));
  }
  return polygons;
}
