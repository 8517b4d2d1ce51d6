/**
 * Feature files (`feature_loc`), as spacer's `ImageFeatures.load` reads them: since 0.2.7 a numpy
 * `savez_compressed` archive with `meta = [valid_rowcol, npoints, feature_dim]`, uint16 `rows`/`cols` and float64
 * `feat` of shape [npoints, dim]; before that, JSON (a bare list of feature lists, without positions, which reads as
 * `valid_rowcol: false`). `writeImageFeatures` writes the npz form as `ImageFeatures.store` does.
 */
import { unzipSync, zipSync } from 'fflate';
import { type NpyArray, readNpy, writeNpy } from './npy.js';

/** One point's feature vector and position. */
export interface PointFeatures {
  /** null for legacy features without positions. */
  row: number | null;
  col: number | null;
  /** The feature vector (a view into `ImageFeatures.data`). */
  data: Float64Array;
}

/** A feature file's contents: every point's vector (and position, unless legacy). */
export interface ImageFeatures {
  validRowcol: boolean;
  npoints: number;
  featureDim: number;
  /** All vectors, row-major [npoints x featureDim]. */
  data: Float64Array;
  points: PointFeatures[];
}

/** Bytes that are not a feature file spacer would read. */
export class FeatureFileError extends Error {
  override readonly name = 'FeatureFileError';
}

function toNumbers(array: NpyArray): number[] {
  return Array.from(array.data as ArrayLike<number | bigint>, (v) => Number(v));
}

function build(
  validRowcol: boolean,
  rows: number[] | null,
  cols: number[] | null,
  feat: Float64Array,
  npoints: number,
  featureDim: number,
): ImageFeatures {
  // ImageFeatures' asserts.
  if (npoints <= 0) throw new FeatureFileError('feature file has no points');
  if (feat.length !== npoints * featureDim) {
    throw new FeatureFileError(
      `feat holds ${feat.length} values, expected npoints x feature_dim = ${npoints} x ${featureDim}`,
    );
  }
  const points: PointFeatures[] = [];
  for (let i = 0; i < npoints; i++) {
    points.push({
      row: rows ? (rows[i] as number) : null,
      col: cols ? (cols[i] as number) : null,
      data: feat.subarray(i * featureDim, (i + 1) * featureDim),
    });
  }
  return { validRowcol, npoints, featureDim, data: feat, points };
}

function readNpz(bytes: Uint8Array): ImageFeatures {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new FeatureFileError(`not a readable npz archive: ${(error as Error).message}`, { cause: error });
  }
  const array = (name: string): NpyArray => {
    const file = files[`${name}.npy`];
    if (!file) throw new FeatureFileError(`npz archive has no '${name}' array`);
    return readNpy(file, name);
  };
  const meta = toNumbers(array('meta'));
  const feat = array('feat');
  const featData = feat.data instanceof Float64Array ? feat.data : Float64Array.from(toNumbers(feat));
  if (meta.length < 3) throw new FeatureFileError(`meta has ${meta.length} values, expected 3`);
  const [valid, npoints, featureDim] = meta as [number, number, number];
  if (!valid) {
    // Python re-reads legacy content through `deserialize(feat.tolist())`: no positions, dims from the array.
    const [n = 0, dim = 0] = feat.shape;
    return build(false, null, null, featData, n, dim);
  }
  const rows = toNumbers(array('rows'));
  const cols = toNumbers(array('cols'));
  if (rows.length !== npoints || cols.length !== npoints) {
    throw new FeatureFileError(
      `rows/cols hold ${rows.length}/${cols.length} values, meta says ${npoints} points`,
    );
  }
  return build(true, rows, cols, featData, npoints, featureDim);
}

function readLegacyJson(bytes: Uint8Array): ImageFeatures {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new FeatureFileError('neither an npz archive nor legacy JSON features', { cause: error });
  }
  if (!Array.isArray(value)) throw new FeatureFileError('Deserialize only supported for legacy format');
  if (value.length === 0) throw new FeatureFileError('Empty features file.');
  const dim = Array.isArray(value[0]) ? value[0].length : 0;
  const feat = new Float64Array(value.length * dim);
  value.forEach((vector, i) => {
    if (!Array.isArray(vector) || vector.length !== dim || vector.some((x) => typeof x !== 'number')) {
      throw new FeatureFileError(`legacy features: entry ${i} is not a vector of ${dim} numbers`);
    }
    feat.set(vector as number[], i * dim);
  });
  return build(false, null, null, feat, value.length, dim);
}

/** Reads a feature file: npz (zip magic `PK`), else legacy JSON. */
export function readImageFeatures(bytes: Uint8Array): ImageFeatures {
  return bytes[0] === 0x50 && bytes[1] === 0x4b ? readNpz(bytes) : readLegacyJson(bytes);
}

/** The feature vector at (row, col) (spacer's `features[(row, col)]`): the last one when a position repeats, as there. */
export function featuresAt(features: ImageFeatures, row: number, col: number): Float64Array | undefined {
  if (!features.validRowcol) throw new FeatureFileError('Method not supported for legacy features');
  return features.points.findLast((p) => p.row === row && p.col === col)?.data;
}

/**
 * An npz feature file as `ImageFeatures.store` writes it (`np.savez_compressed`): meta as int64
 * `[valid_rowcol, npoints, feature_dim]`, uint16 rows/cols (empty float64 arrays for legacy features), float64 feat.
 */
export function writeImageFeatures(input: {
  rowcols: readonly (readonly [number, number])[] | null;
  /** One vector per point, all of one length. */
  vectors: readonly ArrayLike<number>[];
}): Uint8Array {
  const npoints = input.vectors.length;
  if (npoints === 0) throw new FeatureFileError('cannot write a feature file without points');
  const dim = input.vectors[0]?.length ?? 0;
  const feat = new Float64Array(npoints * dim);
  input.vectors.forEach((v, i) => {
    if (v.length !== dim) throw new FeatureFileError(`vector ${i} has ${v.length} values, expected ${dim}`);
    feat.set(Array.from(v), i * dim);
  });
  const valid = input.rowcols !== null;
  if (input.rowcols && input.rowcols.length !== npoints) {
    throw new FeatureFileError(`${input.rowcols.length} rowcols for ${npoints} vectors`);
  }
  const uint16 = (values: number[]) => {
    for (const v of values) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffff)
        throw new FeatureFileError(`row/col ${v} does not fit uint16`);
    }
    return Uint16Array.from(values);
  };
  const rows = input.rowcols ? uint16(input.rowcols.map((rc) => rc[0])) : null;
  const cols = input.rowcols ? uint16(input.rowcols.map((rc) => rc[1])) : null;
  const level = { level: 6 as const };
  return zipSync({
    'meta.npy': [
      writeNpy({
        dtype: '<i8',
        shape: [3],
        data: BigInt64Array.from([BigInt(valid ? 1 : 0), BigInt(npoints), BigInt(dim)]),
      }),
      level,
    ],
    'rows.npy': [
      rows
        ? writeNpy({ dtype: '<u2', shape: [npoints], data: rows })
        : writeNpy({ dtype: '<f8', shape: [0], data: new Float64Array(0) }),
      level,
    ],
    'cols.npy': [
      cols
        ? writeNpy({ dtype: '<u2', shape: [npoints], data: cols })
        : writeNpy({ dtype: '<f8', shape: [0], data: new Float64Array(0) }),
      level,
    ],
    'feat.npy': [writeNpy({ dtype: '<f8', shape: [npoints, dim], data: feat }), level],
  });
}
