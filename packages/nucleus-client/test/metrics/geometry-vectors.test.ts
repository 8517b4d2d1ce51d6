import { afterAll, describe, expect, it } from 'vitest';
import {
  intersectionArea,
  isValidRing,
  type PolygonPayload,
  polygonShape,
  rasterizePolygonsToSegmentationMask,
  rectangleShape,
  shapeIou,
} from '../../src/metrics/index.js';
import { VectorCounter } from './helpers/fixtures.js';

const counter = new VectorCounter('E (rasterisation and geometry)');
afterAll(() => counter.report());

const poly = (pts: Array<[number, number]>): PolygonPayload => ({
  type: 'polygon',
  label: 'item',
  reference_id: 'r',
  geometry: { vertices: pts.map(([x, y]) => ({ x, y })) },
  metadata: { source: 'test' },
});

describe('E: rasterisation', () => {
  it('two 50x50 squares in a 100x100 mask -> indices 1 and 2, pixel-centre rule, background 0', () => {
    const { mask, segments } = rasterizePolygonsToSegmentationMask(
      [
        poly([
          [0, 0],
          [50, 0],
          [50, 50],
          [0, 50],
          [0, 0],
        ]),
        poly([
          [50, 0],
          [100, 0],
          [100, 50],
          [50, 50],
          [50, 0],
        ]),
      ],
      { width: 100, height: 100 },
    );
    expect(segments.map((s) => [s.label, s.index, s.metadata])).toEqual([
      ['item', 1, { source: 'test' }],
      ['item', 2, { source: 'test' }],
    ]);
    let mismatches = 0;
    for (let row = 0; row < 100; row++) {
      for (let col = 0; col < 100; col++) {
        if (mask.data[row * 100 + col] !== (row < 50 ? (col < 50 ? 1 : 2) : 0)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    counter.hit();
  });
});

describe('E: geometry', () => {
  it('square (0,0)-(100,100) ∩ square (50,50)-(150,150): 2500, areas 10000', () => {
    const a = polygonShape([
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
    ]);
    const b = polygonShape([
      [50, 50],
      [150, 50],
      [150, 150],
      [50, 150],
    ]);
    expect(intersectionArea(a, b)).toBeCloseTo(2500, 9);
    expect([a.area, b.area]).toEqual([10000, 10000]);
    // The rectangle fast path agrees with the clipping library.
    expect(intersectionArea(rectangleShape(0, 0, 100, 100), rectangleShape(50, 50, 150, 150))).toBe(2500);
    counter.hit();
  });

  it('validity as shapely: a bow-tie and a flat ring are invalid, a closed triangle is valid', () => {
    expect(
      isValidRing([
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
      ]),
    ).toBe(false);
    expect(
      isValidRing([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toBe(false);
    expect(
      isValidRing([
        [0, 0],
        [2, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toBe(true);
  });

  it('IoU of a rotated square with itself is 1 and with a disjoint one 0', () => {
    const diamond = polygonShape([
      [0, 1],
      [1, 0],
      [2, 1],
      [1, 2],
    ]);
    expect(shapeIou(diamond, diamond)).toBeCloseTo(1, 12);
    expect(
      shapeIou(
        diamond,
        polygonShape([
          [5, 5],
          [6, 5],
          [6, 6],
        ]),
      ),
    ).toBe(0);
  });
});
