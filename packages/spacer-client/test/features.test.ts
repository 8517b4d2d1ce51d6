/** Feature files: numpy-written fixtures (test/fixtures/make_features.py), and npz files this package writes. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FeatureFileError,
  featuresAt,
  readImageFeatures,
  writeImageFeatures,
} from '../src/results/image-features.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

describe('readImageFeatures', () => {
  it('reads an npz written by numpy as spacer stores it (uint16 positions, float64 features, bit-exact)', () => {
    const expected = JSON.parse(
      readFileSync(new URL('./fixtures/features-numpy.expected.json', import.meta.url), 'utf8'),
    );
    const features = readImageFeatures(fixture('features-numpy.npz'));
    expect(features.validRowcol).toBe(true);
    expect(features.npoints).toBe(4);
    expect(features.featureDim).toBe(5);
    expect(features.points.map((p) => [p.row, p.col])).toEqual(expected.rowcols);
    features.points.forEach((p, i) => {
      expect(Array.from(p.data)).toEqual(expected.feat[i].map(Number));
    });
    expect(Object.is(features.points[1]?.data[1], -0)).toBe(true);
    // Duplicate positions are kept as separate points; lookup gives the last, as spacer's position dict does.
    expect(featuresAt(features, 65535, 1)).toBe(features.points[2]?.data);
    expect(featuresAt(features, 100, 200)).toBe(features.points[3]?.data);
  });

  it('reads legacy npz (valid_rowcol false) and legacy JSON without positions', () => {
    for (const name of ['features-numpy-legacy.npz', 'features-legacy.json']) {
      const features = readImageFeatures(fixture(name));
      expect(features.validRowcol).toBe(false);
      expect(features.points.every((p) => p.row === null && p.col === null)).toBe(true);
      expect(() => featuresAt(features, 0, 0)).toThrow('Method not supported for legacy features');
    }
    expect(Array.from(readImageFeatures(fixture('features-legacy.json')).data)).toEqual([
      0.25, 0.5, 0.75, 1, 1.25, 1.5,
    ]);
  });

  it('refuses what is neither', () => {
    expect(() => readImageFeatures(new TextEncoder().encode('{"a": 1}'))).toThrow(FeatureFileError);
    expect(() => readImageFeatures(new TextEncoder().encode('[]'))).toThrow('Empty features file.');
    expect(() => readImageFeatures(new Uint8Array([0x50, 0x4b, 3, 4, 0]))).toThrow(FeatureFileError);
  });
});

describe('writeImageFeatures', () => {
  it('round-trips through the reader', () => {
    const vectors = [
      [0.1, 0.2, 0.3],
      [1e300, -0, 5e-324],
    ];
    const bytes = writeImageFeatures({
      rowcols: [
        [3, 4],
        [65535, 0],
      ],
      vectors,
    });
    const features = readImageFeatures(bytes);
    expect(features.points.map((p) => [p.row, p.col, Array.from(p.data)])).toEqual([
      [3, 4, vectors[0]],
      [65535, 0, vectors[1]],
    ]);
  });

  it('refuses positions that do not fit uint16, as numpy would wrap them', () => {
    expect(() => writeImageFeatures({ rowcols: [[65536, 0]], vectors: [[1]] })).toThrow(
      'does not fit uint16',
    );
  });

  // numpy itself reads what this package writes (skipped where Debian's python3-numpy is not installed).
  it.skipIf(!existsSync('/usr/lib/python3/dist-packages/numpy'))(
    'is read by numpy.load like spacer reads it',
    () => {
      const bytes = writeImageFeatures({
        rowcols: [
          [1, 2],
          [3, 4],
        ],
        vectors: [
          [0.5, 1.5],
          [2.5, 3.5],
        ],
      });
      const script =
        'import sys, io, numpy as np; d = np.load(io.BytesIO(sys.stdin.buffer.read()));' +
        'print(d["meta"].dtype, d["meta"].tolist(), d["rows"].dtype, d["rows"].tolist(), d["cols"].tolist(), d["feat"].dtype, d["feat"].tolist())';
      const out = execFileSync('/usr/bin/python3', ['-c', script], { input: bytes }).toString().trim();
      expect(out).toBe('int64 [1, 2, 2] uint16 [1, 3] [2, 4] float64 [[0.5, 1.5], [2.5, 3.5]]');
    },
  );
});
