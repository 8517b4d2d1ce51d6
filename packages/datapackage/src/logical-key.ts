/**
 * Logical keys: '/'-separated paths inside a package. Validation follows quilt3's `validate_key` (no empty, '.' or
 * '..' segment) and adds what keeps an install inside its folder on every OS: no NUL, no backslash-separated
 * traversal, no drive letters. Ordering follows quilt3's tree walk (segment by segment, code-point order).
 */

import { compareCodePoints } from '@mlclients/package-core/json';
import { blobKeyProblem } from '@mlclients/package-core/storage';
import { InvalidLogicalKeyError } from './errors.js';
import { STATE_DIR } from './state-dir.js';

/** Throws `InvalidLogicalKeyError` unless `key` is safe to write under an install folder. */
export function validateLogicalKey(key: string): string {
  if (typeof key !== 'string') throw new InvalidLogicalKeyError(String(key), 'it is not a string');
  if (key.endsWith('/') && !key.startsWith('/'))
    throw new InvalidLogicalKeyError(key, 'it names a directory, not a file');
  // The rules every store key follows (empty, NUL, absolute, '', '.' and '..' segments).
  const problem = blobKeyProblem(key);
  if (problem) throw new InvalidLogicalKeyError(key, problem);
  if (/^[A-Za-z]:/.test(key)) throw new InvalidLogicalKeyError(key, 'drive-letter paths are not allowed');
  // A backslash is a plain character on POSIX (quilt3 allows it) but a separator on Windows.
  if (key.includes('..') && key.split(/[/\\]/).includes('..')) {
    throw new InvalidLogicalKeyError(key, "'..' between backslashes is not allowed");
  }
  // An install folder keeps its state (draft, install record, staging) there: a package must not reach it.
  if (key.startsWith(STATE_DIR) && key.split('/')[0] === STATE_DIR) {
    throw new InvalidLogicalKeyError(key, `'${STATE_DIR}/' is reserved for datapkg's own state`);
  }
  return key;
}

/** Normalises a directory key: strips leading/trailing '/', and '', '.', './' mean the root (''). */
export function normalizeDirectoryKey(key: string): string {
  const trimmed = key.replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || trimmed === '.') return '';
  validateLogicalKey(trimmed);
  return trimmed;
}

/** quilt3's tree-walk order: compare segment by segment (so 'a/b' < 'a-c'), a parent before its children. */
export function compareTreeOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const order = compareCodePoints(left[i] as string, right[i] as string);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** 'a/b/c' -> ['a', 'a/b']: prefixes cut at each slash (no split and re-join; Manifest.set calls it per entry). */
export function parentDirectories(key: string): string[] {
  const parents: string[] = [];
  for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
    parents.push(key.slice(0, slash));
  }
  return parents;
}
