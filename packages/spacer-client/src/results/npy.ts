/**
 * The NPY array format (numpy's `lib/format.py`, versions 1.0-3.0): magic `\x93NUMPY`, version, a little-endian header
 * length, a Python-literal header `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`, then the raw data.
 * Reads the numeric dtypes spacer's feature files use (and a few neighbours); writes version 1.0 with numpy's
 * 64-byte header alignment.
 */

export type NpyDtype = '<f8' | '<f4' | '<i8' | '<i4' | '<i2' | '|i1' | '<u8' | '<u4' | '<u2' | '|u1' | '|b1';

/** A numpy array: its dtype, shape and values. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Values in C (row-major) order; 64-bit integers as bigint. */
  data:
    | Float64Array
    | Float32Array
    | BigInt64Array
    | BigUint64Array
    | Int32Array
    | Int16Array
    | Int8Array
    | Uint32Array
    | Uint16Array
    | Uint8Array;
}

/** Bytes that are not an NPY array (or one of a dtype not read here). */
export class NpyFormatError extends Error {
  override readonly name = 'NpyFormatError';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

const ARRAY_TYPES = {
  '<f8': Float64Array,
  '<f4': Float32Array,
  '<i8': BigInt64Array,
  '<i4': Int32Array,
  '<i2': Int16Array,
  '|i1': Int8Array,
  '<u8': BigUint64Array,
  '<u4': Uint32Array,
  '<u2': Uint16Array,
  '|u1': Uint8Array,
  '|b1': Uint8Array,
} as const;

/** numpy writes `<u1`/`|u1`, `<b1`/`|b1` and `=` variants depending on version; read them all. */
function normalizeDtype(descr: string): NpyDtype {
  const byteOrder = descr[0];
  const kind = descr.slice(1);
  if (byteOrder === '>') throw new NpyFormatError(`big-endian arrays (${descr}) are not supported`);
  const single = kind === 'u1' || kind === 'i1' || kind === 'b1';
  const normalized = `${single ? '|' : '<'}${kind}`;
  if (!(normalized in ARRAY_TYPES)) throw new NpyFormatError(`unsupported dtype ${JSON.stringify(descr)}`);
  return normalized as NpyDtype;
}

/** Read an NPY array. @param name Named in errors. @throws {@link NpyFormatError} */
export function readNpy(bytes: Uint8Array, name = 'array'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyFormatError(`${name}: not an NPY file (bad magic)`);
  }
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (major < 1 || major > 3) throw new NpyFormatError(`${name}: NPY version ${major} is not supported`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  );
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyFormatError(`${name}: malformed NPY header ${JSON.stringify(header)}`);
  }
  const dtype = normalizeDtype(descr);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const Type = ARRAY_TYPES[dtype];
  const dataStart = headerStart + headerLength;
  const byteLength = count * Type.BYTES_PER_ELEMENT;
  if (bytes.length - dataStart < byteLength) {
    throw new NpyFormatError(
      `${name}: data is truncated (${bytes.length - dataStart} of ${byteLength} bytes)`,
    );
  }
  // Copy: typed arrays need aligned offsets, and the caller should not keep the zip buffer alive.
  const raw = bytes.slice(dataStart, dataStart + byteLength);
  let data = new Type(raw.buffer, 0, count) as NpyArray['data'];
  if (fortran === 'True' && shape.length > 1) data = toCOrder(data, shape);
  return { dtype, shape, data };
}

/** Column-major to row-major. */
function toCOrder(data: NpyArray['data'], shape: number[]): NpyArray['data'] {
  const out = new (data.constructor as new (n: number) => NpyArray['data'])(data.length);
  const strides: number[] = [];
  let stride = 1;
  for (const dim of shape) {
    strides.push(stride);
    stride *= dim;
  }
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let d = 0; d < shape.length; d++) f += (index[d] as number) * (strides[d] as number);
    (out as unknown as unknown[])[c] = (data as unknown as unknown[])[f];
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (shape[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}

/** An NPY 1.0 file, header padded to a multiple of 64 bytes like numpy >= 1.18 does. */
export function writeNpy(array: NpyArray): Uint8Array {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${array.dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64);
  header += '\n';
  const data = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}
