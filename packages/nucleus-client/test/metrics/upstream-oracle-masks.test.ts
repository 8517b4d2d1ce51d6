import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as metrics from '../../src/metrics/index.js';
import { CategorizationF1, type F1Method, type SegmentationMaskMetric } from '../../src/metrics/index.js';
import { category, memoryLoader } from './helpers/fixtures.js';

interface MaskCase {
  metric: string;
  options: { iou_threshold?: number; iou_thresholds?: number[] | 'coco' };
  gt: number[][];
  pred: number[][];
  segments: Array<{ label: string; index: number }>;
  value: number | null;
  weight: number;
}
interface CategorizationCase {
  f1_method: F1Method;
  items: Array<{ truth: string; predicted: string }>;
  value: number;
  item_values: number[];
}
const oracle = JSON.parse(
  readFileSync(fileURLToPath(new URL('./vectors/upstream-oracle-masks.json', import.meta.url)), 'utf8'),
) as { upstream: string; masks: MaskCase[]; categorization: CategorizationCase[] };

const close = (a: number, b: number | null) =>
  b === null ? Number.isNaN(a) : Math.abs(a - b) <= Math.max(1e-7, 1e-9 * Math.abs(b));

describe(`upstream mask metrics (${oracle.upstream}) on random 2-D masks`, () => {
  oracle.masks.forEach((c, k) => {
    it(`#${k} ${c.metric}(${JSON.stringify(c.options)}) ${c.gt.length}x${c.gt[0]!.length}, ${c.segments.map((s) => s.label).join('/')} -> ${c.value}`, async () => {
      const height = c.gt.length;
      const width = c.gt[0]!.length;
      const loader = memoryLoader({
        gt: { width, height, data: c.gt.flat() },
        pred: { width, height, data: c.pred.flat() },
      });
      const Ctor = (metrics as unknown as Record<string, new (o: unknown) => SegmentationMaskMetric>)[
        c.metric
      ]!;
      const metric = new Ctor({
        loader,
        ...(c.options.iou_threshold === undefined ? {} : { iouThreshold: c.options.iou_threshold }),
        ...(c.options.iou_thresholds === undefined ? {} : { iouThresholds: c.options.iou_thresholds }),
      });
      const r = await metric.call(
        [{ mask_url: 'gt', annotations: c.segments, reference_id: 'item' }],
        [{ mask_url: 'pred', annotations: c.segments, reference_id: 'item' }],
      );
      expect(close(r.value, c.value), `value ${r.value} vs ${c.value}`).toBe(true);
      expect(r.weight).toBe(c.weight);
    });
  });
});

describe('upstream CategorizationF1 (sklearn f1_score) on random single-label items', () => {
  oracle.categorization.forEach((c, k) => {
    it(`#${k} ${c.f1_method} over ${c.items.length} items -> ${c.value}`, () => {
      const metric = new CategorizationF1({ f1Method: c.f1_method });
      const results = c.items.map((it, i) =>
        metric.call([category(it.truth, `r${i}`)], [category(it.predicted, `r${i}`)]),
      );
      expect(close(metric.aggregateScore(results).value, c.value)).toBe(true);
      expect(results.map((r) => r.value)).toEqual(c.item_values);
    });
  });
});
