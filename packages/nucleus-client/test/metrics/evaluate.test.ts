import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BoxPayload,
  CategorizationF1,
  evaluate,
  type ItemPair,
  MetricValueError,
  PolygonMAP,
  PolygonPrecision,
  SegmentationIOU,
} from '../../src/metrics/index.js';
import { category, maskPair } from './helpers/fixtures.js';

const boxAt = (ref: string, x: number, label = 'car', confidence?: number): BoxPayload => ({
  type: 'box',
  label,
  reference_id: ref,
  geometry: { x, y: 0, width: 10, height: 10 },
  ...(confidence === undefined ? {} : { confidence }),
});

describe('evaluate(metric, pairs)', () => {
  it('streams an async iterable and equals aggregateScore over every per-item result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            anns: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
            preds: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        async (items) => {
          const pairs = items.map((it, i) => ({
            annotations: it.anns.map((x) => boxAt(`r${i}`, x)),
            predictions: it.preds.map((x) => boxAt(`r${i}`, x, 'car', 0.5)),
          }));
          const metric = new PolygonMAP();
          async function* stream() {
            for (const p of pairs) yield p;
          }
          const streamed = await evaluate(metric, stream());
          const batch = metric.aggregateScore(pairs.map((p) => metric.call(p.annotations, p.predictions)));
          expect(streamed.value).toBe(batch.value);
          expect(streamed.weight).toBe(batch.weight);
          expect(streamed.items).toBe(items.length);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('pulls one item at a time (nothing buffered ahead) and reports progress', async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    async function* stream(): AsyncGenerator<ItemPair> {
      for (let i = 0; i < 500; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield [[boxAt(`r${i}`, 0)], [boxAt(`r${i}`, i % 2 === 0 ? 0 : 100, 'car', 0.9)]];
      }
    }
    const r = await evaluate(new PolygonPrecision(), stream(), { onItem: () => consumed++ });
    expect(maxAhead).toBe(1);
    expect(r).toEqual({ value: 0.5, weight: 500, items: 500 });
  });

  it('CategorizationF1: the same F1 as aggregateScore, label pairing carried across items', async () => {
    const metric = new CategorizationF1({ f1Method: 'macro' });
    const gt = ['a', 'b', 'b', 'c', 'c'];
    const pred = ['b', 'b', 'b', 'c', 'c'];
    const pairs: ItemPair[] = gt.map((l, i) => [[category(l, `id${i}`)], [category(pred[i]!, `id${i}`)]]);
    expect((await evaluate(metric, pairs)).value).toBeCloseTo(0.6, 12);
    // Unequal label counts per item shift the pairing exactly as concatenating the lists does.
    const uneven: Array<[ReturnType<typeof category>[], ReturnType<typeof category>[]]> = [
      [[category('a', 'x')], [category('a', 'x'), category('b', 'x')]],
      [[category('c', 'y'), category('b', 'y')], [category('c', 'y')]],
    ];
    const batch = metric.aggregateScore(uneven.map(([a, p]) => metric.call(a, p)));
    expect((await evaluate(metric, uneven)).value).toBe(batch.value);
    await expect(
      evaluate(metric, [[[category('a', 'x')], [category('a', 'x'), category('b', 'x')]]]),
    ).rejects.toThrow(MetricValueError);
  });

  it('awaits mask metrics', async () => {
    const { annotations, predictions, loader } = maskPair([1, 1], [0, 1]);
    const r = await evaluate(new SegmentationIOU({ loader, iouThreshold: 0 }), [[annotations, predictions]]);
    expect(r).toEqual({ value: 0.25, weight: 2, items: 1 });
  });
});
