import { describe, expect, it } from 'vitest';
import {
  CategorizationF1,
  CuboidIOU,
  EverythingFilteredError,
  PolygonAveragePrecision,
  PolygonIOU,
  PolygonMAP,
  PolygonPrecision,
  PolygonRecall,
  SegmentationIOU,
} from '../../src/metrics/index.js';
import { box, category, maskPair } from './helpers/fixtures.js';

// Each quirk: the faithful number (what the Python client gives) next to the corrected one.
describe("quirk 1: box (x, y) is the centre upstream, the top-left corner with quirks: 'fixed'", () => {
  const ann = [box('a', 0, 0, 10, 10)];
  const pred = [box('a', 8, 0, 4, 10, { confidence: 1 })];
  it('faithful: disjoint rectangles, IoU 0', () => {
    expect(new PolygonIOU().call(ann, pred).value).toBe(0);
  });
  it('fixed: [0,10]x[0,10] and [8,12]x[0,10] overlap by 20 of 120', () => {
    expect(new PolygonIOU({ quirks: 'fixed' }).call(ann, pred).value).toBeCloseTo(1 / 6, 12);
  });
});

describe('quirks 2 and 12: AP arguments swapped and the confidence sort that never matters', () => {
  const anns = [box('a', 0, 0, 10, 10), box('a', 50, 50, 10, 10)];
  // input order: a false positive first, then two true positives
  const preds = [
    box('a', 200, 200, 10, 10, { confidence: 0.5 }),
    box('a', 0, 0, 10, 10, { confidence: 0.9 }),
    box('a', 50, 50, 10, 10, { confidence: 0.3 }),
  ];
  it('faithful: (TP / #predictions) x (TP / #annotations) = 2/3 whatever the order', () => {
    expect(new PolygonAveragePrecision({ label: 'a' }).call(anns, preds).value).toBeCloseTo(2 / 3, 12);
    const reordered = [preds[2]!, preds[0]!, preds[1]!];
    expect(new PolygonAveragePrecision({ label: 'a' }).call(anns, reordered).value).toBeCloseTo(2 / 3, 12);
  });
  it('fixed: sorted T(.9) F(.5) T(.3) -> all-point AP 0.5 x 1 + 0.5 x 2/3 = 5/6', () => {
    expect(new PolygonAveragePrecision({ label: 'a', quirks: 'fixed' }).call(anns, preds).value).toBeCloseTo(
      5 / 6,
      12,
    );
  });
  it('fixed: a 0 confidence no longer disables the sort (it ranks last)', () => {
    const withZero = [preds[0]!, { ...preds[2]!, confidence: 0 }, preds[1]!];
    expect(
      new PolygonAveragePrecision({ label: 'a', quirks: 'fixed' }).call(anns, withZero).value,
    ).toBeCloseTo(5 / 6, 12);
    expect(new PolygonAveragePrecision({ label: 'a' }).call(anns, withZero).value).toBeCloseTo(2 / 3, 12);
  });
  it('fixed: recall counts only the label’s annotations', () => {
    const withOther = [...anns, box('b', 0, 0, 4, 4)];
    expect(new PolygonAveragePrecision({ label: 'a' }).call(withOther, preds).value).toBeCloseTo(4 / 9, 12);
    expect(
      new PolygonAveragePrecision({ label: 'a', quirks: 'fixed' }).call(withOther, preds).value,
    ).toBeCloseTo(5 / 6, 12);
  });
});

describe('quirk 11: PolygonMAP ignores its iouThreshold upstream', () => {
  const ann = [box('a', 0, 0, 10, 10)];
  const pred = [box('a', 1, 0, 10, 10, { confidence: 0.9 })]; // IoU 90/110
  it('faithful: matched at the default 0.5 -> 1', () => {
    expect(new PolygonMAP({ iouThreshold: 0.95 }).call(ann, pred).value).toBe(1);
  });
  it('fixed: 0.95 is honoured -> 0', () => {
    expect(new PolygonMAP({ iouThreshold: 0.95, quirks: 'fixed' }).call(ann, pred).value).toBe(0);
    expect(new PolygonMAP({ iouThreshold: 0.8, quirks: 'fixed' }).call(ann, pred).value).toBe(1);
  });
});

describe('threshold 0 matches disjoint shapes upstream', () => {
  const ann = [box('a', 0, 0, 10, 10)];
  const far = [box('a', 50, 50, 4, 10, { confidence: 1 })];
  it('faithful: a zero-IoU pair is a true positive', () => {
    expect(new PolygonPrecision({ iouThreshold: 0 }).call(ann, far)).toEqual({ value: 1, weight: 1 });
    expect(new PolygonRecall({ iouThreshold: 0 }).call(ann, far).value).toBeCloseTo(1, 12);
  });
  it('fixed: it is not', () => {
    expect(new PolygonPrecision({ iouThreshold: 0, quirks: 'fixed' }).call(ann, far)).toEqual({
      value: 0,
      weight: 1,
    });
    expect(new PolygonRecall({ iouThreshold: 0, quirks: 'fixed' }).call(ann, far).value).toBe(0);
  });
});

describe('empty inputs: EverythingFilteredError / ValueError upstream, weight-0 results when fixed', () => {
  const ann = [box('a', 0, 0, 10, 10)];
  it('faithful raises', () => {
    expect(() => new PolygonIOU().call([], [])).toThrow(EverythingFilteredError);
    expect(() => new PolygonPrecision().call(ann, [])).toThrow(EverythingFilteredError);
    expect(() => new PolygonAveragePrecision({ label: 'zzz' }).call(ann, ann)).toThrow(
      'need at least one array to concatenate',
    );
    expect(() => new CategorizationF1().call([], [])).toThrow(EverythingFilteredError);
  });
  it('fixed returns a result: nothing on either side weighs 0, a missed annotation still counts', async () => {
    const fixed = { quirks: 'fixed' } as const;
    expect(new PolygonIOU(fixed).call([], [])).toEqual({ value: 0, weight: 0 });
    expect(new PolygonIOU(fixed).call(ann, [])).toEqual({ value: 0, weight: 1 });
    expect(new PolygonPrecision(fixed).call(ann, [])).toEqual({ value: 0, weight: 0 });
    expect(new PolygonAveragePrecision({ label: 'zzz', ...fixed }).call(ann, ann)).toEqual({
      value: 0,
      weight: 0,
    });
    expect(new PolygonMAP(fixed).call([], [])).toEqual({ value: 0, weight: 0 });
    expect(new CuboidIOU(fixed).call([], [])).toEqual({ value: 0, weight: 0 });
    const cat = new CategorizationF1(fixed).call([], []);
    expect([cat.annotations, cat.predictions]).toEqual([[], []]);
    const { loader } = maskPair([1], [1]);
    expect(await new SegmentationIOU({ loader, ...fixed }).call([], [])).toEqual({ value: 0, weight: 0 });
  });
  it('fixed aggregate ignores the weight-0 items', () => {
    const m = new PolygonIOU({ quirks: 'fixed' });
    const results = [m.call(ann, ann), m.call([], [])];
    expect(m.aggregateScore(results)).toEqual({ value: 1, weight: 1 });
  });
});

describe('quirk 16: CategorizationF1 item values and empty aggregates', () => {
  const two = [category('a', 'x'), category('b', 'x')];
  const twoPred = [category('a', 'x'), category('c', 'x')];
  it("faithful: an item's value is macro F1 even with f1Method micro; nothing aggregates to NaN", () => {
    expect(new CategorizationF1({ f1Method: 'micro' }).call(two, twoPred).value).toBeCloseTo(1 / 3, 12);
    expect(new CategorizationF1().aggregateScore([]).value).toBeNaN();
  });
  it('fixed: the item value follows f1Method; nothing aggregates to weight 0', () => {
    expect(new CategorizationF1({ f1Method: 'micro', quirks: 'fixed' }).call(two, twoPred).value).toBe(0.5);
    expect(new CategorizationF1({ quirks: 'fixed' }).aggregateScore([])).toEqual({ value: 0, weight: 0 });
  });
});

describe('options are checked as upstream asserts them', () => {
  it('thresholds outside [0, 1] and unknown quirks modes are refused', () => {
    expect(() => new PolygonIOU({ iouThreshold: 1.5 })).toThrow(/iouThreshold: must be between 0 and 1/);
    expect(() => new PolygonPrecision({ confidenceThreshold: -1 })).toThrow(/confidenceThreshold/);
    expect(() => new PolygonIOU({ quirks: 'strict' as never })).toThrow(/quirks/);
  });
  it('quirk 14: a prediction without confidence cannot pass a confidence threshold', () => {
    const ann = [box('a', 0, 0, 10, 10)];
    expect(() => new PolygonIOU({ confidenceThreshold: 0.5 }).call(ann, [box('a', 0, 0, 10, 10)])).toThrow(
      /predictions\[0\]\.confidence: expected a number/,
    );
  });
  it('a payload of unknown type without mask_url is named', () => {
    expect(() => new PolygonIOU().call([{ type: 'circle' } as never], [])).toThrow(/annotations\[0\]\.type/);
  });
});
