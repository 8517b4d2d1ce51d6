import { afterAll, describe, expect, it } from 'vitest';
import { CategorizationF1, type CategoryPayload, MetricValueError } from '../../src/metrics/index.js';
import { CAT5_ANNOTATIONS, category, VectorCounter } from './helpers/fixtures.js';

const counter = new VectorCounter('B (categorization F1)');
afterAll(() => counter.report());

/** Each item evaluated separately, then aggregated, as upstream's tests do. */
function perItem(metric: CategorizationF1, anns: CategoryPayload[], predsPerItem: CategoryPayload[][]) {
  return metric.aggregateScore(anns.map((a, i) => metric.call([a], predsPerItem[i]!)));
}

describe('B: CategorizationF1 (macro F1 at aggregation)', () => {
  it('predictions copying label and taxonomy -> 1', () => {
    expect(
      perItem(
        new CategorizationF1(),
        CAT5_ANNOTATIONS,
        CAT5_ANNOTATIONS.map((a) => [{ ...a }]),
      ).value,
    ).toBe(1);
    counter.hit();
  });

  it('every prediction "sth_else" in the same taxonomy -> 0', () => {
    const preds = CAT5_ANNOTATIONS.map((a) => [{ ...a, label: 'sth_else' }]);
    expect(perItem(new CategorizationF1(), CAT5_ANNOTATIONS, preds).value).toBe(0);
    counter.hit();
  });

  it('gt a,b,b,c,c vs pred b,b,b,c,c without taxonomy -> sklearn macro F1 0.6', () => {
    const gt = ['a', 'b', 'b', 'c', 'c'].map((l, i) => category(l, `id_${i}`));
    const pred = ['b', 'b', 'b', 'c', 'c'].map((l, i) => [category(l, `id_${i}`)]);
    expect(perItem(new CategorizationF1(), gt, pred).value).toBeCloseTo(0.6, 12);
    counter.hit();
  });

  it('a second prediction in a taxonomy absent from the annotations is dropped -> 1', () => {
    const preds = CAT5_ANNOTATIONS.map((a) => [{ ...a }, { ...a, taxonomy_name: 'some_random_taxonomy' }]);
    expect(perItem(new CategorizationF1(), CAT5_ANNOTATIONS, preds).value).toBe(1);
    counter.hit();
  });

  it('annotations in a taxonomy without predictions are dropped -> 1', () => {
    const metric = new CategorizationF1();
    const results = CAT5_ANNOTATIONS.map((a) =>
      metric.call([a, { ...a, label: `${a.label} other`, taxonomy_name: 'some_other_tax' }], [{ ...a }]),
    );
    expect(metric.aggregateScore(results).value).toBe(1);
    counter.hit();
  });
});

describe('CategorizationF1 averages and errors as sklearn 1.2 f1_score', () => {
  const gt = ['a', 'b', 'b', 'c', 'c'];
  const pred = ['b', 'b', 'b', 'c', 'c'];
  const results = (m: CategorizationF1) =>
    gt.map((l, i) => m.call([category(l, `id_${i}`)], [category(pred[i]!, `id_${i}`)]));
  // Expected numbers printed by sklearn 1.2.1 for these lists.
  it.each([
    ['micro', 0.8],
    ['macro', 0.6],
    ['weighted', 0.72],
  ] as const)('%s -> %d', (average, expected) => {
    const m = new CategorizationF1({ f1Method: average });
    expect(m.aggregateScore(results(m)).value).toBeCloseTo(expected, 12);
  });
  it('samples and binary (string labels) raise ValueError', () => {
    for (const f1Method of ['samples', 'binary'] as const) {
      const m = new CategorizationF1({ f1Method });
      expect(() => m.aggregateScore(results(m))).toThrow(MetricValueError);
    }
  });
  it("an item's .value is macro F1 whatever f1Method says (quirk 16)", () => {
    const m = new CategorizationF1({ f1Method: 'micro' });
    const r = m.call([category('a', 'x'), category('b', 'x')], [category('a', 'x'), category('c', 'x')]);
    // pairs (a,a), (b,c): per-class F1 a=1, b=0, c=0 -> macro 1/3 (micro would be 1/2)
    expect(r.value).toBeCloseTo(1 / 3, 12);
  });
  it('an aggregate over nothing is NaN', () => {
    expect(new CategorizationF1().aggregateScore([]).value).toBeNaN();
  });
  it('an unknown f1Method is refused at construction', () => {
    expect(() => new CategorizationF1({ f1Method: 'average' as never })).toThrow(
      /f1Method: invalid "average"/,
    );
  });
});
