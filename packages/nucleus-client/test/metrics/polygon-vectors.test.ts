import { afterAll, describe, expect, it } from 'vitest';
import {
  EverythingFilteredError,
  type Metric,
  PolygonAveragePrecision,
  PolygonIOU,
  PolygonMAP,
  PolygonPrecision,
  PolygonRecall,
  type ScalarResult,
  type WirePayload,
} from '../../src/metrics/index.js';
import {
  BOX5_ANNOTATIONS,
  BOX5_PREDICTIONS,
  box,
  PAIR_ANNOTATIONS,
  PAIR_PREDICTIONS,
  TRI5_ANNOTATIONS,
  TRI5_PREDICTIONS,
  VectorCounter,
} from './helpers/fixtures.js';

// Upstream compares with pytest.approx: relative 1e-6.
function approx(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-6 * Math.abs(expected), 1e-12));
}

const counter = new VectorCounter('A (polygon/box metrics)');
afterAll(() => counter.report());

const configs: Array<[string, () => Metric<ScalarResult>]> = [
  ['PolygonIOU(enforceLabelMatch=true)', () => new PolygonIOU({ enforceLabelMatch: true })],
  ['PolygonIOU(enforceLabelMatch=false)', () => new PolygonIOU({ enforceLabelMatch: false })],
  ['PolygonPrecision(true)', () => new PolygonPrecision({ enforceLabelMatch: true })],
  ['PolygonPrecision(false)', () => new PolygonPrecision({ enforceLabelMatch: false })],
  ['PolygonRecall(true)', () => new PolygonRecall({ enforceLabelMatch: true })],
  ['PolygonRecall(false)', () => new PolygonRecall({ enforceLabelMatch: false })],
  ['PolygonMAP()', () => new PolygonMAP()],
];

const sets: Array<[string, WirePayload[], WirePayload[]]> = [
  ['BOX5', BOX5_ANNOTATIONS, BOX5_PREDICTIONS],
  ['TRI5', TRI5_ANNOTATIONS, TRI5_PREDICTIONS],
];

describe('A.1 perfect match: value 1, weight 5', () => {
  for (const [setName, anns, preds] of sets) {
    for (const [name, make] of configs) {
      it(`${setName} ${name}`, () => {
        const r = make().call(anns, preds) as ScalarResult;
        approx(r.value, 1);
        approx(r.weight, 5);
        counter.hit();
      });
    }
  }
});

describe('A.2 no matching reference ids: value 0, weight 5', () => {
  for (const [setName, anns, preds] of sets) {
    const bad = preds.map((p) => ({ ...p, reference_id: `${p.reference_id}_bad` }));
    for (const [name, make] of configs) {
      it(`${setName} ${name}`, () => {
        const r = make().call(anns, bad) as ScalarResult;
        approx(r.value, 0);
        approx(r.weight, 5);
        counter.hit();
      });
    }
  }
});

describe('A.3 PAIR', () => {
  const rows: Array<[string, () => Metric<ScalarResult>, number, number]> = [
    ['PolygonIOU(enforceLabelMatch=true)', () => new PolygonIOU({ enforceLabelMatch: true }), 109 / 300, 3],
    ['PolygonIOU(enforceLabelMatch=false)', () => new PolygonIOU({ enforceLabelMatch: false }), 109 / 300, 3],
    ['PolygonPrecision(true)', () => new PolygonPrecision({ enforceLabelMatch: true }), 1 / 3, 3],
    ['PolygonPrecision(false)', () => new PolygonPrecision({ enforceLabelMatch: false }), 1 / 3, 3],
    ['PolygonRecall(true)', () => new PolygonRecall({ enforceLabelMatch: true }), 0.5, 2],
    ['PolygonRecall(false)', () => new PolygonRecall({ enforceLabelMatch: false }), 0.5, 2],
    ['PolygonAveragePrecision(label="car")', () => new PolygonAveragePrecision({ label: 'car' }), 1 / 6, 1],
    ['PolygonMAP()', () => new PolygonMAP(), 1 / 6, 1],
  ];
  for (const [name, make, value, weight] of rows) {
    it(`${name} -> ${value}, weight ${weight}`, () => {
      const r = make().call(PAIR_ANNOTATIONS, PAIR_PREDICTIONS) as ScalarResult;
      approx(r.value, value);
      approx(r.weight, weight);
      counter.hit();
    });
  }
});

describe('H: behaviour read from the code (locks in the faithful quirks)', () => {
  const ann = [box('a', 0, 0, 10, 10)];
  const pred = [box('a', 8, 0, 4, 10, { confidence: 1 })];
  it('H1: boxes are centred on (x, y): disjoint here, IoU 0 weight 1', () => {
    expect(new PolygonIOU().call(ann, pred)).toEqual({ value: 0, weight: 1 });
  });
  it('H2: threshold 0 accepts a zero-overlap pair; 0.5 does not', () => {
    expect(new PolygonPrecision({ iouThreshold: 0 }).call(ann, pred)).toEqual({ value: 1, weight: 1 });
    expect(new PolygonPrecision().call(ann, pred)).toEqual({ value: 0, weight: 1 });
  });
  it('H3: an empty side raises EverythingFilteredError', () => {
    expect(() => new PolygonIOU().call(ann, [])).toThrow(EverythingFilteredError);
    expect(() => new PolygonRecall().call([], pred)).toThrow(/Annotations: All items filtered out by:/);
  });
  it('H8: with a 0 or missing confidence the predictions keep their input order (and the value is unchanged)', () => {
    const withZero = PAIR_PREDICTIONS.map((p, i) => (i === 0 ? { ...p, confidence: 0 } : p));
    const r = new PolygonAveragePrecision({ label: 'car' }).call(PAIR_ANNOTATIONS, withZero);
    approx(r.value, 1 / 6);
  });
});
