import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearSumAssignment } from '../../src/metrics/linear-sum-assignment.js';

interface Case {
  kind: string;
  shape: [number, number];
  cost: number[];
  rows: number[];
  cols: number[];
}
const vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL('./vectors/scipy-lsa.json', import.meta.url)), 'utf8'),
) as {
  scipy: string;
  cases: Case[];
};

describe('linearSumAssignment reproduces scipy.optimize.linear_sum_assignment', () => {
  it(`returns scipy ${vectors.scipy}'s exact pairs on ${vectors.cases.length} tie-heavy matrices`, () => {
    let agreed = 0;
    for (const c of vectors.cases) {
      const got = linearSumAssignment(c.cost, c.shape[0], c.shape[1]);
      expect({ kind: c.kind, cost: c.cost, ...got }).toEqual({
        kind: c.kind,
        cost: c.cost,
        rows: c.rows,
        cols: c.cols,
      });
      agreed++;
    }
    console.log(`scipy tie-break vectors agreed: ${agreed}/${vectors.cases.length}`);
  });

  it('picks the identity on a constant matrix and the scipy choice on the segmentation tie', () => {
    expect(linearSumAssignment([0, 0, 0, 0, 0, 0, 0, 0, 0], 3, 3)).toEqual({
      rows: [0, 1, 2],
      cols: [0, 1, 2],
    });
    expect(linearSumAssignment([-0, -0, -0.5, -0.5], 2, 2)).toEqual({ rows: [0, 1], cols: [0, 1] });
  });

  it('finds a minimum: never worse than any permutation (brute force on small matrices)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 16, maxLength: 16 }),
        (r, c, pool) => {
          const cost = pool.slice(0, r * c);
          const { rows, cols } = linearSumAssignment(cost, r, c);
          expect(rows.length).toBe(Math.min(r, c));
          const total = rows.reduce((s, row, k) => s + cost[row * c + cols[k]!]!, 0);
          const best = bruteForce(cost, r, c);
          expect(total).toBe(best);
        },
      ),
    );
  });

  it('rejects NaN and a wrong-sized matrix', () => {
    expect(() => linearSumAssignment([Number.NaN], 1, 1)).toThrow(/invalid numeric entries/);
    expect(() => linearSumAssignment([1, 2, 3], 2, 2)).toThrow(/expected 4 entries/);
  });
});

function bruteForce(cost: number[], r: number, c: number): number {
  const transpose = r > c;
  const n = Math.min(r, c);
  const m = Math.max(r, c);
  const at = (i: number, j: number) => (transpose ? cost[j * c + i]! : cost[i * c + j]!);
  let best = Number.POSITIVE_INFINITY;
  const used = new Array<boolean>(m).fill(false);
  const rec = (i: number, acc: number) => {
    if (i === n) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = true;
      rec(i + 1, acc + at(i, j));
      used[j] = false;
    }
  };
  rec(0, 0);
  return best;
}
