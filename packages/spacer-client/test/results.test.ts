/** The helpers a UI uses on ValResults and ClassifyReturnMsg. */
import { describe, expect, it } from 'vitest';
import { SpacerMessageError } from '../src/errors.js';
import { examples } from '../src/messages/examples.js';
import { labelledScores, scoresAt } from '../src/results/classify-scores.js';
import {
  accuracy,
  accuracyAtThreshold,
  calcAcc,
  confusionMatrix,
  perClassCounts,
} from '../src/results/val-results-stats.js';

describe('ValResults helpers', () => {
  it('calc_acc as spacer: 0.5 for [1,2,3,11] vs [1,2,1,4]; errors for empty or unequal input', () => {
    expect(calcAcc([1, 2, 3, 11], [1, 2, 1, 4])).toBe(0.5);
    expect(() => calcAcc([], [])).toThrow(RangeError);
    expect(() => calcAcc([1], [1, 2])).toThrow(RangeError);
  });

  it('confusion matrix, accuracy and per-class counts of the example', () => {
    const v = examples.valResults(); // gt [0,1,0], est [0,1,1], classes [121, 1222]
    expect(accuracy(v)).toBeCloseTo(2 / 3);
    expect(confusionMatrix(v)).toEqual({
      classes: [121, 1222],
      counts: [
        [1, 1],
        [0, 1],
      ],
    });
    expect(perClassCounts(v)).toEqual([
      { label: 121, gt: 2, est: 1, correct: 1, recall: 0.5, precision: 1 },
      { label: 1222, gt: 1, est: 2, correct: 1, recall: 1, precision: 0.5 },
    ]);
    expect(accuracyAtThreshold(v, 0.75)).toEqual({ accuracy: 1, kept: 2 });
    expect(accuracyAtThreshold(v, 0.95)).toEqual({ accuracy: null, kept: 0 });
  });
});

describe('ClassifyReturnMsg helpers', () => {
  it('maps each score vector to the classes and picks the top label', () => {
    const points = labelledScores(examples.classifyReturnMsg());
    expect(points[0]).toEqual({
      row: 10,
      col: 20,
      scores: [
        { label: 100, score: 0.1 },
        { label: 12, score: 0.2 },
        { label: 44, score: 0.7 },
      ],
      top: { label: 44, score: 0.7 },
    });
    expect(points[1]?.top).toEqual({ label: 100, score: 0.9 });
  });

  it('refuses score vectors that do not match the classes, naming the point', () => {
    const msg = { ...examples.classifyReturnMsg(), classes: [1, 2] };
    expect(() => labelledScores(msg)).toThrow(SpacerMessageError);
    expect(() => labelledScores(msg)).toThrow('scores[0][2]: has 3 scores for 2 classes');
  });

  it('looks scores up by position, and refuses that for legacy features', () => {
    expect(scoresAt(examples.classifyReturnMsg(), 20, 40)).toEqual([0.9, 0.06, 0.04]);
    expect(() => scoresAt({ ...examples.classifyReturnMsg(), valid_rowcol: false }, 20, 40)).toThrow(
      'Method requires valid rows and columns',
    );
  });
});
