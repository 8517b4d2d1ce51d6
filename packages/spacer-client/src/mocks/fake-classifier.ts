/**
 * The fake worker's stand-in classifier: a nearest-centroid model over the training features, deterministic, stored
 * as JSON (a real spacer classifier is a scikit-learn pickle, which only Python reads). Probabilities are a softmax of
 * negative distances, so the class nearest a point scores highest.
 */
import { dumpPythonJson, fromPlainJson, parseJson, toPlainJson } from '@mlclients/package-core/json';
import { type LabelId, labelKey } from '../messages/label-id.js';
import { PythonException } from './python-errors.js';

const MARKER = 'mlclients-fake-spacer-classifier';

/** What the fake worker stores as a trained classifier (in place of spacer's pickled scikit-learn model). */
export interface FakeClassifier {
  clfType: 'LR' | 'MLP';
  /** Sorted, as sklearn's `classes_`. */
  classes: LabelId[];
  centroids: number[][];
}

/** sklearn sorts classes: numbers numerically, strings by code point. */
export function compareLabels(a: LabelId, b: LabelId): number {
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
    return typeof a === 'string' ? 1 : -1;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function fitCentroids(
  clfType: 'LR' | 'MLP',
  samples: { label: LabelId; vector: ArrayLike<number> }[],
): FakeClassifier {
  const byClass = new Map<string, { label: LabelId; sum: number[]; n: number }>();
  for (const { label, vector } of samples) {
    const key = labelKey(label);
    let entry = byClass.get(key);
    if (!entry) {
      entry = { label, sum: new Array<number>(vector.length).fill(0), n: 0 };
      byClass.set(key, entry);
    }
    for (let i = 0; i < vector.length; i++) entry.sum[i] = (entry.sum[i] as number) + (vector[i] as number);
    entry.n++;
  }
  const sorted = [...byClass.values()].sort((a, b) => compareLabels(a.label, b.label));
  return {
    clfType,
    classes: sorted.map((e) => e.label),
    centroids: sorted.map((e) => e.sum.map((s) => s / e.n)),
  };
}

export function predictProba(clf: FakeClassifier, vector: ArrayLike<number>): number[] {
  const dim = clf.centroids[0]?.length ?? 0;
  if (vector.length !== dim) {
    throw new PythonException(
      'ValueError',
      `X has ${vector.length} features, but CalibratedClassifierCV is expecting ${dim} features as input.`,
    );
  }
  const distances = clf.centroids.map((c) =>
    Math.sqrt(c.reduce((s, v, i) => s + (v - (vector[i] as number)) ** 2, 0)),
  );
  const min = Math.min(...distances);
  const weights = distances.map((d) => Math.exp(-(d - min)));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** Index of the highest value, the first on ties (numpy's argmax). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

export function encodeClassifier(clf: FakeClassifier): Uint8Array {
  return new TextEncoder().encode(
    dumpPythonJson(
      fromPlainJson({ [MARKER]: 1, clf_type: clf.clfType, classes: clf.classes, centroids: clf.centroids }),
    ),
  );
}

export function decodeClassifier(bytes: Uint8Array): FakeClassifier {
  let value: Record<string, unknown> | undefined;
  try {
    value = toPlainJson(parseJson(new TextDecoder().decode(bytes))) as Record<string, unknown>;
  } catch {
    value = undefined;
  }
  if (value?.[MARKER] !== 1) {
    // What pickle says about bytes it cannot read.
    const first = bytes[0] === undefined ? "''" : `'\\x${bytes[0].toString(16).padStart(2, '0')}'`;
    throw new PythonException('_pickle.UnpicklingError', `invalid load key, ${first}.`);
  }
  return {
    clfType: value.clf_type as 'LR' | 'MLP',
    classes: value.classes as LabelId[],
    centroids: value.centroids as number[][],
  };
}
