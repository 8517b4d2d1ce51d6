/**
 * `compute_average_precision(recall, precision)`: py-faster-rcnn all-point interpolation. Sentinels (0, 1) on
 * recall and (0, 0) on precision, precision envelope from the right, Σ Δrecall × precision where recall changes.
 * NaN propagates through the envelope as `np.maximum` does.
 */
export function computeAveragePrecision(recall: readonly number[], precision: readonly number[]): number {
  const mrec = [0, ...recall, 1];
  const mpre = [0, ...precision, 0];
  for (let i = mpre.length - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1]!, mpre[i]!);
  let ap = 0;
  for (let i = 0; i < mrec.length - 1; i++) {
    // `!=` as numpy compares: NaN differs from everything.
    if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1]! - mrec[i]!) * mpre[i + 1]!;
  }
  return ap;
}
