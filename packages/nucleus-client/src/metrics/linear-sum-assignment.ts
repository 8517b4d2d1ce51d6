import { MetricValueError } from './errors.js';

/** Row/column index pairs of an optimal assignment, sorted by row as scipy returns them. */
export interface Assignment {
  rows: number[];
  cols: number[];
}

/**
 * `scipy.optimize.linear_sum_assignment(cost)`: minimum-cost assignment of a rectangular matrix, by the shortest
 * augmenting path method (Crouse 2016) that scipy implements. Written to take the same decisions as scipy in the
 * same order, so that among equal-cost assignments it returns the one scipy returns (a constant matrix gives the
 * identity; ties prefer a free column, then the last column scanned). `cost` is row-major, `nRows` x `nCols`.
 */
export function linearSumAssignment(cost: ArrayLike<number>, nRows: number, nCols: number): Assignment {
  if (cost.length !== nRows * nCols) {
    throw new MetricValueError(
      `cost: expected ${nRows * nCols} entries for a ${nRows}x${nCols} matrix, got ${cost.length}`,
    );
  }
  if (nRows === 0 || nCols === 0) return { rows: [], cols: [] };
  // scipy solves a wide problem: a tall matrix is transposed first.
  const transpose = nCols < nRows;
  const nr = transpose ? nCols : nRows;
  const nc = transpose ? nRows : nCols;
  const c = new Float64Array(nr * nc);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = cost[i * nCols + j]!;
      if (Number.isNaN(v) || v === Number.NEGATIVE_INFINITY) {
        throw new MetricValueError('matrix contains invalid numeric entries');
      }
      if (transpose) c[j * nc + i] = v;
      else c[i * nc + j] = v;
    }
  }

  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const sr = new Uint8Array(nr);
  const sc = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // Shortest augmenting path from curRow.
    let minVal = 0;
    let numRemaining = nc;
    // Scanned in reverse column order: this is what makes a constant matrix give the identity.
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    sr.fill(0);
    sc.fill(0);
    shortest.fill(Number.POSITIVE_INFINITY);
    let i = curRow;
    let sink = -1;
    while (sink === -1) {
      let index = -1;
      let lowest = Number.POSITIVE_INFINITY;
      sr[i] = 1;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it]!;
        const r = minVal + c[i * nc + j]! - u[i]! - v[j]!;
        if (r < shortest[j]!) {
          path[j] = i;
          shortest[j] = r;
        }
        if (shortest[j]! < lowest || (shortest[j] === lowest && row4col[j] === -1)) {
          lowest = shortest[j]!;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Number.POSITIVE_INFINITY) throw new MetricValueError('cost matrix is infeasible');
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      sc[j] = 1;
      remaining[index] = remaining[--numRemaining]!;
    }

    // Dual update.
    u[curRow] = u[curRow]! + minVal;
    for (let r = 0; r < nr; r++) {
      if (sr[r] && r !== curRow) u[r] = u[r]! + (minVal - shortest[col4row[r]!]!);
    }
    for (let j = 0; j < nc; j++) {
      if (sc[j]) v[j] = v[j]! - (minVal - shortest[j]!);
    }
    // Augment along the path.
    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const previous = col4row[r]!;
      col4row[r] = j;
      j = previous;
      if (r === curRow) break;
    }
  }

  if (!transpose) return { rows: Array.from({ length: nr }, (_, k) => k), cols: Array.from(col4row) };
  // Transposed: report (original row, original column) pairs sorted by original row.
  const order = Array.from({ length: nr }, (_, k) => k).sort((a, b) => col4row[a]! - col4row[b]!);
  return { rows: order.map((k) => col4row[k]!), cols: order };
}
