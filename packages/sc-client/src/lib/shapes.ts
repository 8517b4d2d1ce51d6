/**
 * Coordinates (sc-api.md §4.4): SC <= 1.1 speaks normalized 0..1 relative to the media's width and height, SC >= 1.2
 * and Geti speak pixels. Files on disk hold pixels, rounded to whole numbers as the Python client writes them
 * (`N_DIGITS_TO_ROUND_TO = 0`), so a backup does not depend on the server it came from.
 */
import type { Shape } from './types.js';

export type Convention = 'normalized' | 'pixels';

/** Pixels -> the server's convention. Rectangles keep the Python client's float arithmetic: width = x2/W - x1/W. */
export function toServer(shape: Shape, width: number, height: number, convention: Convention): Shape {
  if (convention === 'pixels') return shape;
  if (shape.type === 'POLYGON') {
    return { type: 'POLYGON', points: shape.points.map((p) => ({ x: p.x / width, y: p.y / height })) };
  }
  const x = shape.x / width;
  const y = shape.y / height;
  const w = (shape.x + shape.width) / width - x;
  const h = (shape.y + shape.height) / height - y;
  if (shape.type === 'ROTATED_RECTANGLE') {
    // x, y are the centre; width/height scale with the axes (the Python converter does the same).
    return { ...shape, x, y, width: shape.width / width, height: shape.height / height };
  }
  return { type: shape.type, x, y, width: w, height: h };
}

/** The server's convention -> whole pixels. */
export function toPixels(shape: Shape, width: number, height: number, convention: Convention): Shape {
  const r = (v: number) => Math.round(v) + 0;
  if (convention === 'pixels') {
    if (shape.type === 'POLYGON')
      return { type: 'POLYGON', points: shape.points.map((p) => ({ x: r(p.x), y: r(p.y) })) };
    return { ...shape, x: r(shape.x), y: r(shape.y), width: r(shape.width), height: r(shape.height) };
  }
  if (shape.type === 'POLYGON') {
    return { type: 'POLYGON', points: shape.points.map((p) => ({ x: r(p.x * width), y: r(p.y * height) })) };
  }
  const x1 = shape.x * width;
  const y1 = shape.y * height;
  return {
    ...shape,
    x: r(x1),
    y: r(y1),
    width: r((shape.x + shape.width) * width) - r(x1),
    height: r((shape.y + shape.height) * height) - r(y1),
  };
}
