import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BoxPayload,
  intersectionArea,
  PolygonIOU,
  polygonShape,
  rectangleShape,
  shapeIou,
  toShape,
} from '../../src/metrics/index.js';
import { iouAssignments } from '../../src/metrics/polygon-matching.js';

const arbBox = (ref = 'img') =>
  fc
    .record({
      x: fc.integer({ min: 0, max: 40 }),
      y: fc.integer({ min: 0, max: 40 }),
      width: fc.integer({ min: 1, max: 20 }),
      height: fc.integer({ min: 1, max: 20 }),
      label: fc.constantFrom('car', 'bus'),
    })
    .map(
      ({ label, ...geometry }): BoxPayload => ({
        type: 'box',
        label,
        reference_id: ref,
        geometry,
        confidence: 0.5,
      }),
    );

const quiet = { onWarning: () => {} };

describe('PolygonIOU of a box set with itself', () => {
  it('is 1 with weight = the number of boxes (both quirks modes, with and without label matching)', () => {
    fc.assert(
      fc.property(
        fc.array(arbBox(), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('faithful' as const, 'fixed' as const),
        fc.boolean(),
        (boxes, quirks, enforceLabelMatch) => {
          const r = new PolygonIOU({ quirks, enforceLabelMatch, ...quiet }).call(boxes, boxes);
          expect(r.value).toBeCloseTo(1, 9);
          expect(r.weight).toBe(boxes.length);
        },
      ),
    );
  });
});

/** Greedy baseline: each prediction in turn takes its best still-free annotation. */
function greedyTotal(anns: BoxPayload[], preds: BoxPayload[]): number {
  const annShapes = anns.map((a) => toShape(a, 'faithful'));
  const taken = new Set<number>();
  let total = 0;
  for (const p of preds) {
    const ps = toShape(p, 'faithful');
    let best = -1;
    let bestIou = -1;
    annShapes.forEach((s, j) => {
      if (taken.has(j)) return;
      const v = shapeIou(s, ps);
      if (v > bestIou) {
        bestIou = v;
        best = j;
      }
    });
    if (best >= 0) {
      taken.add(best);
      total += bestIou;
    }
  }
  return total;
}

describe('Hungarian matching', () => {
  it('never gives a lower total IoU than greedy matching', () => {
    fc.assert(
      fc.property(
        fc.array(arbBox(), { maxLength: 9 }),
        fc.array(arbBox(), { maxLength: 9 }),
        (anns, preds) => {
          const hungarian = iouAssignments(anns, preds, 0, 'faithful', () => {}).reduce((a, b) => a + b, 0);
          expect(hungarian).toBeGreaterThanOrEqual(greedyTotal(anns, preds) - 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('geometry', () => {
  it('the axis-aligned rectangle fast path equals polygon-clipping', () => {
    const coord = fc.integer({ min: -20, max: 20 });
    fc.assert(
      fc.property(coord, coord, coord, coord, coord, coord, coord, coord, (a, b, c, d, e, f, g, h) => {
        fc.pre(a !== c && b !== d && e !== g && f !== h);
        const r1 = rectangleShape(a, b, c, d);
        const r2 = rectangleShape(e, f, g, h);
        const p1 = polygonShape(r1.ring);
        const p2 = polygonShape(r2.ring);
        expect(intersectionArea(r1, r2)).toBeCloseTo(intersectionArea(p1, p2), 9);
      }),
    );
  });
});
