import { afterAll, describe, expect, it } from 'vitest';
import {
  convertToInstanceSegConfusion,
  FALSE_POSITIVES,
  fastConfusionMatrix,
  maxIouMatchFromConfusion,
  nonMaxSuppressConfusion,
  SegmentationFWAVACC,
  SegmentationIOU,
  SegmentationMAP,
  type SegmentationMaskMetric,
  type SegmentationMetricOptions,
  SegmentationPrecision,
  SegmentationRecall,
  SegmentFieldFilter,
  type Square,
  setupIouThresholds,
} from '../../src/metrics/index.js';
import { maskPair, memoryLoader, VectorCounter } from './helpers/fixtures.js';

const counter = new VectorCounter('D (segmentation)');
afterAll(() => counter.report());

const matrix = (s: Square) =>
  Array.from({ length: s.n }, (_, i) => Array.from(s.m.slice(i * s.n, (i + 1) * s.n)));
const fromRows = (rows: number[][]): Square => ({ n: rows.length, m: Float64Array.from(rows.flat()) });

type MetricCtor = new (o: SegmentationMetricOptions) => SegmentationMaskMetric;

async function run(
  Ctor: MetricCtor,
  gt: number[],
  pred: number[],
  iouThreshold = 0,
  segments?: Array<{ label: string; index: number }>,
) {
  const { annotations, predictions, loader } = maskPair(gt, pred, segments);
  return (await new Ctor({ loader, iouThreshold }).call(annotations, predictions)).value;
}

describe('D.1 semantic segmentation (exact, as upstream ==)', () => {
  const table: Array<[number[], number[], number, number, number]> = [
    [[1], [0], 0, 0, 0],
    [[1], [1], 1, 1, 1],
    [[1, 1], [0, 1], 0.25, 0.5, 0.5],
    [[1, 1, 1, 1], [0, 1, 1, 1], 0.375, 0.75, 0.5],
    [[0, 1, 2, 3], [0, 0, 0, 0], 0.0625, 0.25, 0.25],
  ];
  for (const [gt, pred, iou, recall, precision] of table) {
    it(`gt ${gt} pred ${pred}: IoU ${iou}, recall ${recall}, precision ${precision}`, async () => {
      expect(await run(SegmentationIOU, gt, pred)).toBe(iou);
      expect(await run(SegmentationRecall, gt, pred)).toBe(recall);
      expect(await run(SegmentationPrecision, gt, pred)).toBe(precision);
      counter.hit();
      counter.hit();
      counter.hit();
    });
  }

  const fw: Array<[number[], number[], number]> = [
    [[1], [0], 0],
    [[1], [1], 1],
    [[1, 1], [0, 1], 0.25],
    [[1, 1, 1, 1], [0, 1, 1, 1], 0.5625],
    [[0, 1, 1, 3], [0, 1, 1, 0], 0.75],
  ];
  for (const [gt, pred, expected] of fw) {
    it(`FWAVACC gt ${gt} pred ${pred} -> ${expected}`, async () => {
      expect(await run(SegmentationFWAVACC, gt, pred)).toBe(expected);
      counter.hit();
    });
  }

  const maps: Array<[number[], number[], number[] | 'coco', number]> = [
    [[1], [0], 'coco', 0],
    [[1], [1], 'coco', 1],
    [
      [0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2],
      [0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2],
      [0.5, 0.8],
      ((1 + 3 / 4 + 5 / 6) / 3 + (0 + 0 + 5 / 6) / 3) / 2,
    ],
  ];
  for (const [gt, pred, iouThresholds, expected] of maps) {
    it(`mAP gt ${gt} pred ${pred} thresholds ${iouThresholds} -> ${expected}`, async () => {
      const { annotations, predictions, loader } = maskPair(gt, pred);
      const r = await new SegmentationMAP({ loader, iouThresholds }).call(annotations, predictions);
      // upstream: assert_almost_equal, 7 decimals
      expect(Math.abs(r.value - expected)).toBeLessThan(1.5e-7);
      counter.hit();
    });
  }

  it('masked precision: prediction filter on segment index 1 -> 1.0', async () => {
    const segments = [
      { label: 'one', index: 1 },
      { label: 'two', index: 2 },
    ];
    const gt = Array.from({ length: 25 }, (_, k) => (k % 5 === 0 ? 2 : 1));
    const pred = Array.from({ length: 25 }, (_, k) => (k % 5 === 0 ? 0 : 1));
    const loader = memoryLoader({
      gt: { width: 5, height: 5, data: gt },
      pred: { width: 5, height: 5, data: pred },
    });
    const metric = new SegmentationPrecision({
      loader,
      annotationFilters: [],
      predictionFilters: [new SegmentFieldFilter('index', '==', 1)],
    });
    const r = await metric.call(
      [{ mask_url: 'gt', annotations: segments, reference_id: 'r' }],
      [{ mask_url: 'pred', annotations: segments, reference_id: 'r' }],
    );
    expect(r.value).toBe(1);
    counter.hit();
  });
});

describe('D.2 instance segmentation recall', () => {
  const bi = [
    { label: 'background', index: 0 },
    { label: 'instance', index: 1 },
    { label: 'instance', index: 2 },
  ];
  const c12 = [
    { label: 'background', index: 0 },
    { label: 'class1', index: 1 },
    { label: 'class1', index: 2 },
    { label: 'class2', index: 3 },
  ];
  const c1 = [
    { label: 'background', index: 0 },
    { label: 'class1', index: 1 },
    { label: 'class1', index: 2 },
  ];
  const rows: Array<[number[], number[], typeof bi, number, number]> = [
    [[1, 2], [0, 0], bi, 0, 0],
    [[1, 2], [2, 1], bi, 0, 1],
    [[0, 0, 1, 2], [0, 1, 2, 1], c12, 0, 0.75],
    [[0, 0, 0, 0], [0, 1, 2, 1], c12, 0, 0],
    [[0, 0, 0, 0, 1, 1, 1], [0, 1, 2, 1, 1, 1, 2], c1, 0, (0 / 4 + 2 / 3) / 2],
    [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [2, 0, 0, 0, 1, 1, 1, 1, 1, 1], c1, 0, (3 / 5 + 5 / 5) / 2],
    [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [2, 0, 0, 0, 1, 1, 1, 1, 1, 1], c1, 0.75, (0 / 5 + 5 / 5) / 2],
  ];
  for (const [gt, pred, segments, t, expected] of rows) {
    it(`gt ${gt} pred ${pred} t=${t} -> ${expected}`, async () => {
      expect(Math.abs((await run(SegmentationRecall, gt, pred, t, segments)) - expected)).toBeLessThan(
        1.5e-7,
      );
      counter.hit();
    });
  }
});

describe('coco thresholds', () => {
  it('are numpy.arange(0.5, 1.0, 0.05) to the last bit (thresholds decide ties at exact IoUs)', () => {
    expect(setupIouThresholds('coco')).toEqual([
      0.5, 0.55, 0.6000000000000001, 0.6500000000000001, 0.7000000000000002, 0.7500000000000002,
      0.8000000000000003, 0.8500000000000003, 0.9000000000000004, 0.9500000000000004,
    ]);
  });
});

describe('D.3 confusion helpers', () => {
  it('fast_confusion_matrix docstring example', () => {
    expect(matrix(fastConfusionMatrix([0, 1, 2, 3], [0, 1, 1, 1], 4))).toEqual([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 1, 0, 0],
    ]);
    counter.hit();
  });
  it('max_iou_match_from_confusion', () => {
    const one = maxIouMatchFromConfusion(fastConfusionMatrix([0], [0], 1));
    expect([one.rows, one.cols, one.iou.m[0]]).toEqual([[0], [0], 1]);
    const c = fastConfusionMatrix([0, 0, 0, 0, 1, 1, 1], [0, 1, 2, 1, 1, 1, 2], 3);
    const m = maxIouMatchFromConfusion(c);
    const pairs = m.rows.map((r, k) => [r, m.cols[k]!, m.iou.m[r * 3 + m.cols[k]!]]);
    expect(pairs.slice(0, 2)).toEqual([
      [0, 0, 1 / 4],
      [1, 1, 2 / 5],
    ]);
    counter.hit();
    counter.hit();
  });
  it('instance confusion chain', () => {
    const gt = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2];
    const pred = [2, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3];
    const c = fastConfusionMatrix(gt, pred, 4);
    expect(matrix(c)).toEqual([
      [3, 1, 1, 0],
      [0, 3, 2, 0],
      [0, 0, 0, 2],
      [0, 0, 0, 0],
    ]);
    const nms = nonMaxSuppressConfusion(c, 0);
    expect(matrix(nms)).toEqual([
      [3, 1, 1, 0, 0],
      [0, 3, 2, 0, 0],
      [0, 0, 0, 2, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    const fp = { label: FALSE_POSITIVES, index: 4 };
    const gtSegments = [
      { label: 'class0', index: 0 },
      { label: 'class1', index: 1 },
      { label: 'class2', index: 2 },
      { label: 'class1', index: 3 },
      fp,
    ];
    const predSegments = [
      { label: 'class0', index: 0 },
      { label: 'class1', index: 3 },
      { label: 'class1', index: 2 },
      { label: 'class2', index: 1 },
      fp,
    ];
    const converted = convertToInstanceSegConfusion(nms, gtSegments, predSegments);
    expect(matrix(converted.confusion)).toEqual([
      [3, 1, 1, 0],
      [0, 0, 3, 2],
      [0, 2, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(converted.labels).toEqual(['class0', 'class1', 'class2', FALSE_POSITIVES]);
    expect([...converted.nonTaxonomy]).toEqual([3]);
    counter.hit();
  });
  it('keeps every pixel through suppression (any confusion)', () => {
    const c = fromRows([
      [5, 2, 0],
      [1, 0, 4],
      [0, 3, 3],
    ]);
    const nms = nonMaxSuppressConfusion(c, 0.5);
    expect(nms.m.reduce((a, b) => a + b, 0)).toBe(18);
  });
});
