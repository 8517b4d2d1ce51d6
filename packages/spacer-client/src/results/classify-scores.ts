/**
 * Scores of a ClassifyReturnMsg mapped to labels: each point's posterior vector is ordered like `classes`.
 */
import { SpacerMessageError } from '../errors.js';
import type { LabelId } from '../messages/label-id.js';
import type { ClassifyReturnMsg } from '../messages/return-messages.js';

/** One class's score for a point. */
export interface LabelScore {
  label: LabelId;
  score: number;
}

/** One point's scores, each with its label, and the top one. */
export interface PointClassification {
  /** null for legacy features (`valid_rowcol: false`). */
  row: number | null;
  col: number | null;
  /** One per class, in the classifier's class order. */
  scores: LabelScore[];
  /** The highest score (the first one on ties, like numpy's argmax). */
  top: LabelScore;
}

/**
 * Each point's scores paired with the message's `classes`.
 *
 * @throws {@link SpacerMessageError} when a point has not one score per class.
 */
export function labelledScores(msg: ClassifyReturnMsg): PointClassification[] {
  return msg.scores.map(([row, col, scores], i) => {
    if (scores.length !== msg.classes.length) {
      throw new SpacerMessageError('ClassifyReturnMsg', [
        { path: `scores[${i}][2]`, message: `has ${scores.length} scores for ${msg.classes.length} classes` },
      ]);
    }
    const labelled = scores.map((score, c) => ({ label: msg.classes[c] as LabelId, score }));
    const top = labelled.reduce((best, s) => (s.score > best.score ? s : best), labelled[0] as LabelScore);
    return { row, col, scores: labelled, top };
  });
}

/** spacer's `ret[(row, col)]`: the scores at a position (the last point there); an error for legacy features. */
export function scoresAt(msg: ClassifyReturnMsg, row: number, col: number): number[] | undefined {
  if (!msg.valid_rowcol) throw new RangeError('Method requires valid rows and columns');
  return msg.scores.findLast(([r, c]) => r === row && c === col)?.[2];
}
