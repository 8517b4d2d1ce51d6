import { afterAll, describe, expect, it } from 'vitest';
import { applyFilters } from '../../src/metrics/filters.js';
import {
  type BoxPayload,
  dnfToWire,
  FieldFilter,
  type FilterInput,
  FilterKeyError,
  MetadataFilter,
  PolygonIOU,
  prettyFormatFilters,
  type SegmentationPayload,
  SegmentFieldFilter,
  SegmentMetadataFilter,
} from '../../src/metrics/index.js';
import { BOX5_ANNOTATIONS, BOX5_PREDICTIONS, VectorCounter } from './helpers/fixtures.js';

const counter = new VectorCounter('C (filters)');
afterAll(() => counter.report());

const label = (i: number) => BOX5_ANNOTATIONS[i]!.label;
const kept = (items: BoxPayload[], filters: FilterInput) =>
  applyFilters(items, filters).map((b) => (b.metadata as { index: number }).index);

/** Each vector is checked on annotations and predictions, with filter objects and with their JSON wire form. */
function check(filters: FilterInput, expected: number[]) {
  const wire = JSON.parse(JSON.stringify(filters)) as FilterInput;
  for (const items of [BOX5_ANNOTATIONS, BOX5_PREDICTIONS]) {
    expect(kept(items, filters)).toEqual(expected);
    expect(kept(items, wire)).toEqual(expected);
  }
  counter.hit();
}

describe('C: metric filters on BOX5', () => {
  const idx = (op: '==' | '=' | '>' | '<' | '>=' | '<=' | '!=' | 'in' | 'not in', v: unknown) =>
    new MetadataFilter('index', op, v);
  const x = (op: '==' | '=' | '>' | '<' | '>=' | '<=' | '!=' | 'in' | 'not in', v: unknown) =>
    new FieldFilter('x', op, v);
  const rows: Array<[string, FilterInput, number[]]> = [
    ['label == label_0', [new FieldFilter('label', '==', label(0))], [0]],
    ['index == 0', [idx('==', 0)], [0]],
    ['[[index > 0, index < 4]]', [[idx('>', 0), idx('<', 4)]], [1, 2, 3]],
    ['[[index == 0], [index == 2]]', [[idx('==', 0)], [idx('==', 2)]], [0, 2]],
    ['[[index == -1], [index == 2]]', [[idx('==', -1)], [idx('==', 2)]], [2]],
    [
      '[[index==0, label==label_0], [index==2, label==label_2]]',
      [
        [idx('==', 0), new FieldFilter('label', '==', label(0))],
        [idx('==', 2), new FieldFilter('label', '==', label(2))],
      ],
      [0, 2],
    ],
    ['[[index==i] for i in 0..4]', [0, 1, 2, 3, 4].map((i) => [idx('==', i)]), [0, 1, 2, 3, 4]],
    ['missing field, allow_missing', [[new FieldFilter('i_dont_exist', '==', 1, true)]], []],
    ['index > 0', [idx('>', 0)], [1, 2, 3, 4]],
    ['x > 50', [x('>', 50)], [1, 2, 3, 4]],
    ['index >= 1', [idx('>=', 1)], [1, 2, 3, 4]],
    ['x >= 60', [x('>=', 60)], [1, 2, 3, 4]],
    ['index < 1', [idx('<', 1)], [0]],
    ['x < 60', [x('<', 60)], [0]],
    ['index <= 1', [idx('<=', 1)], [0, 1]],
    ['x <= 60', [x('<=', 60)], [0, 1]],
    ['index == 0', [idx('==', 0)], [0]],
    ['index = 0', [idx('=', 0)], [0]],
    ['x == 50', [x('==', 50)], [0]],
    ['x = 50', [x('=', 50)], [0]],
    ['index != 0', [idx('!=', 0)], [1, 2, 3, 4]],
    ['x != 50', [x('!=', 50)], [1, 2, 3, 4]],
    ['index in [0, 2]', [idx('in', [0, 2])], [0, 2]],
    ['x in [50, 70]', [x('in', [50, 70])], [0, 2]],
    ['index not in [0, 1]', [idx('not in', [0, 1])], [2, 3, 4]],
    ['x not in [50, 60]', [x('not in', [50, 60])], [2, 3, 4]],
    ['label in "no_match" (letters of the string)', [new FieldFilter('label', 'in', 'no_match')], []],
  ];
  for (const [name, filters, expected] of rows) it(name, () => check(filters, expected));

  it('a missing field raises (AttributeError); a missing metadata key raises (KeyError)', () => {
    expect(() => kept(BOX5_ANNOTATIONS, [[new FieldFilter('i_dont_exist', '==', 1)]])).toThrow(
      FilterKeyError,
    );
    expect(() => kept(BOX5_ANNOTATIONS, [[new MetadataFilter('i_dont_exist', '==', 1)]])).toThrow(
      expect.objectContaining({ pythonName: 'KeyError' }),
    );
    counter.hit();
    counter.hit();
  });

  it('filtering everything out names the filters in EverythingFilteredError', () => {
    const metric = new PolygonIOU({ annotationFilters: [new FieldFilter('label', 'in', 'no_match')] });
    expect(() => metric.call(BOX5_ANNOTATIONS, BOX5_PREDICTIONS)).toThrow(
      /Annotations: All items filtered out by:\n FieldFilter\("label", "in", "no_match"\)/,
    );
  });
});

describe('C: segment filters', () => {
  const mask = (metadata = false): SegmentationPayload => ({
    mask_url: 'https://fake-url.png',
    reference_id: 'test_id',
    annotations: [
      { label: 'grass', index: 1, ...(metadata ? { metadata: { meta_field: 1 } } : {}) },
      { label: 'sky', index: 2, ...(metadata ? { metadata: { meta_field: 2 } } : {}) },
    ],
  });
  it('SegmentFieldFilter("label", "==", "grass") keeps the grass segment', () => {
    const out = applyFilters([mask()], [new SegmentFieldFilter('label', '==', 'grass')], true);
    expect(out).toHaveLength(1);
    expect(out[0]!.annotations.map((s) => s.label)).toEqual(['grass']);
    counter.hit();
  });
  it('SegmentMetadataFilter("meta_field", "==", 1) keeps the grass segment', () => {
    const out = applyFilters([mask(true)], [new SegmentMetadataFilter('meta_field', '==', 1)], true);
    expect(out[0]!.annotations.map((s) => s.label)).toEqual(['grass']);
    counter.hit();
  });
});

describe('C: pretty-printer', () => {
  const rows: Array<[FilterInput, string]> = [
    [[new FieldFilter('label', '==', 'bus')], 'FieldFilter("label", "==", "bus")'],
    [
      [new FieldFilter('label', 'in', ['bus', 'car']), new MetadataFilter('n_points', '>=', 15)],
      'FieldFilter("label", "in", ["bus", "car"]) and MetadataFilter("n_points", ">=", 15)',
    ],
    [
      [
        [new SegmentFieldFilter('label', 'in', ['bus', 'car']), new MetadataFilter('n_points', '>=', 15)],
        [new FieldFilter('label', '==', 'bus')],
      ],
      '(SegmentFieldFilter("label", "in", ["bus", "car"]) and MetadataFilter("n_points", ">=", 15)) or FieldFilter("label", "==", "bus")',
    ],
    [
      [
        [new SegmentFieldFilter('label', 'in', ['bus', 'car']), new MetadataFilter('n_points', '>=', 15)],
        [new FieldFilter('label', 'in', ['bus', 'car']), new SegmentMetadataFilter('n_points', '>=', 15)],
      ],
      '(SegmentFieldFilter("label", "in", ["bus", "car"]) and MetadataFilter("n_points", ">=", 15)) or (FieldFilter("label", "in", ["bus", "car"]) and SegmentMetadataFilter("n_points", ">=", 15))',
    ],
  ];
  rows.forEach(([filters, expected], i) => {
    it(`example ${i + 1}`, () => {
      expect(prettyFormatFilters(filters)).toBe(expected);
      expect(prettyFormatFilters(JSON.parse(JSON.stringify(filters)))).toBe(expected);
      counter.hit();
    });
  });
});

describe('wire form', () => {
  it('is [key, op, value, allow_missing, type] nested as a DNF', () => {
    expect(dnfToWire([new MetadataFilter('index', '>', 0)])).toEqual([
      [['index', '>', 0, false, 'metadata']],
    ]);
    expect(JSON.stringify(new SegmentFieldFilter('label', '==', 'sky', true))).toBe(
      '["label","==","sky",true,"segment_field"]',
    );
  });
  it('rejects a malformed wire filter naming its position', () => {
    expect(() => applyFilters(BOX5_ANNOTATIONS, [[['x', '>>', 1, false, 'field']]] as never)).toThrow(
      /filters\[0\]\[0\]: filter op: '>>' is not a valid FilterOp/,
    );
  });
  it('quirk 17: empty metadata drops on ==, keeps on !=, raises on >', () => {
    const bare = [{ ...BOX5_ANNOTATIONS[0]!, metadata: {} }];
    expect(applyFilters(bare, [new MetadataFilter('k', '==', 1)])).toHaveLength(0);
    expect(applyFilters(bare, [new MetadataFilter('k', '!=', 1)])).toHaveLength(1);
    expect(() => applyFilters(bare, [new MetadataFilter('k', '>', 1)])).toThrow(
      expect.objectContaining({ pythonName: 'TypeError' }),
    );
  });
});
