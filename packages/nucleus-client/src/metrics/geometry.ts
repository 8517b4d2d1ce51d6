import polygonClipping from 'polygon-clipping';
import { MetricValueError, PolygonAnnotationTypeError } from './errors.js';
import type { QuirksMode } from './quirks.js';
import type { BoxOrPolygon, Vertex } from './types.js';

/** A point as `[x, y]`. */
export type Coordinate = [number, number];

/** A simple polygon ring plus what the IoU needs: its area, bounds, whether it is an axis-aligned rectangle. */
export interface Shape {
  ring: Coordinate[];
  area: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Axis-aligned rectangle: intersections are computed from the bounds. */
  rect: boolean;
  valid: boolean;
}

function shoelace(ring: readonly Coordinate[]): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % n]!;
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function cross(o: Coordinate, a: Coordinate, b: Coordinate): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function onSegment(p: Coordinate, q: Coordinate, r: Coordinate): boolean {
  return (
    Math.min(p[0], r[0]) <= q[0] &&
    q[0] <= Math.max(p[0], r[0]) &&
    Math.min(p[1], r[1]) <= q[1] &&
    q[1] <= Math.max(p[1], r[1])
  );
}

function segmentsTouch(p1: Coordinate, p2: Coordinate, q1: Coordinate, q2: Coordinate): boolean {
  const d1 = cross(q1, q2, p1);
  const d2 = cross(q1, q2, p2);
  const d3 = cross(p1, p2, q1);
  const d4 = cross(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && onSegment(q1, p1, q2)) ||
    (d2 === 0 && onSegment(q1, p2, q2)) ||
    (d3 === 0 && onSegment(p1, q1, p2)) ||
    (d4 === 0 && onSegment(p1, q2, p2))
  );
}

/**
 * Validity as shapely's `is_valid` judges a hole-free polygon: at least three distinct points, a non-zero area,
 * and a ring that neither crosses nor touches itself (repeated consecutive points are tolerated).
 */
export function isValidRing(input: readonly Coordinate[]): boolean {
  const ring: Coordinate[] = [];
  for (const p of input) {
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  while (
    ring.length > 1 &&
    ring[0]![0] === ring[ring.length - 1]![0] &&
    ring[0]![1] === ring[ring.length - 1]![1]
  ) {
    ring.pop();
  }
  const n = ring.length;
  if (n < 3 || shoelace(ring) === 0) return false;
  for (let i = 0; i < n; i++) {
    const a1 = ring[i]!;
    const a2 = ring[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      // Adjacent edges share a vertex by construction; only non-adjacent ones may not meet.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsTouch(a1, a2, ring[j]!, ring[(j + 1) % n]!)) return false;
    }
  }
  return true;
}

function makeShape(ring: Coordinate[], rect: boolean): Shape {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const area = shoelace(ring);
  const valid = rect ? area > 0 : isValidRing(ring);
  return { ring, area, minX, minY, maxX, maxY, rect, valid };
}

/** A rectangle from its corners (any order of min/max, as a negative width gives). */
export function rectangleShape(x0: number, y0: number, x1: number, y1: number): Shape {
  return makeShape(
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ],
    true,
  );
}

/**
 * A polygon's {@link Shape} from its vertices (`{x, y}` or `[x, y]`; the ring is closed, as shapely closes it).
 *
 * @param where The field path named in errors.
 * @throws {@link MetricValueError} for fewer than 3 vertices.
 */
export function polygonShape(
  vertices: readonly Vertex[] | readonly Coordinate[],
  where = 'geometry.vertices',
): Shape {
  if (vertices.length < 3) {
    // shapely: "A linearring requires at least 4 coordinates." (3 vertices plus the closing one)
    throw new MetricValueError(`${where}: a polygon needs at least 3 vertices, got ${vertices.length}`);
  }
  const ring = vertices.map(
    (v): Coordinate => (Array.isArray(v) ? [v[0], v[1]] : [(v as Vertex).x, (v as Vertex).y]),
  );
  return makeShape(ring, false);
}

/**
 * `polygon_annotation_to_shape`. Boxes: upstream treats (x, y) as the centre (quirk 1); `'fixed'` reads them
 * as the top-left corner, as the API documents.
 */
export function toShape(p: BoxOrPolygon, quirks: QuirksMode): Shape {
  if (p.type === 'box') {
    const { x, y, width, height } = p.geometry;
    if (quirks === 'fixed') return rectangleShape(x, y, x + width, y + height);
    return rectangleShape(x - width / 2, y - height / 2, x + width / 2, y + height / 2);
  }
  if (p.type === 'polygon') return polygonShape(p.geometry.vertices);
  throw new PolygonAnnotationTypeError();
}

function multiPolygonArea(mp: Coordinate[][][]): number {
  let total = 0;
  for (const polygon of mp) {
    polygon.forEach((ring, k) => {
      total += k === 0 ? shoelace(ring) : -shoelace(ring);
    });
  }
  return total;
}

/** Area of the intersection of two shapes (polygon-clipping; bounds alone for two axis-aligned rectangles). */
export function intersectionArea(a: Shape, b: Shape): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (w <= 0 || h <= 0) return 0;
  if (a.rect && b.rect) return w * h;
  return multiPolygonArea(polygonClipping.intersection([a.ring], [b.ring]) as Coordinate[][][]);
}

/** Upstream `_iou`: area(A∩B) / max(area A + area B − ∩, eps). */
export function shapeIou(a: Shape, b: Shape): number {
  const inter = intersectionArea(a, b);
  return inter / Math.max(a.area + b.area - inter, 2.220446049250313e-16);
}
