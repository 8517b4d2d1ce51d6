"""Generate scipy.optimize.linear_sum_assignment outputs on tie-heavy matrices.

Run with /usr/bin/python3 (python3-scipy) from this folder:
    /usr/bin/python3 generate-scipy-lsa.py > scipy-lsa.json
The TypeScript solver must return exactly these row/column pairs (same choice among equal-cost assignments).
"""
import json
import sys

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment

rng = np.random.default_rng(20261130)
cases = []


def add(kind, cost):
    rows, cols = linear_sum_assignment(cost)
    cases.append(
        {
            "kind": kind,
            "shape": list(cost.shape),
            "cost": [float(v) for v in cost.ravel()],
            "rows": [int(v) for v in rows],
            "cols": [int(v) for v in cols],
        }
    )


# Hand-picked: the tie examples the metrics depend on (as upstream negates IoU).
add("constant", np.zeros((3, 3)))
add("constant-wide", np.ones((2, 4)))
add("constant-tall", np.ones((4, 2)))
add("seg-tie", -np.array([[0.0, 0.0], [0.5, 0.5]]))
add("pair-vector", -np.array([[1.0, 2.25 / 106.75], [25 / 175, 0.09], [25 / 175, 0.09]]))
for _ in range(400):
    r, c = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    mode = int(rng.integers(0, 4))
    if mode == 0:  # few distinct values: many ties
        cost = -rng.integers(0, 3, size=(r, c)).astype(np.float64)
    elif mode == 1:  # IoU-like with zeros (thresholded) and repeats
        cost = -np.where(rng.random((r, c)) < 0.5, 0.0, np.round(rng.random((r, c)), 1))
    elif mode == 2:  # duplicated rows (identical predictions)
        base = -np.round(rng.random((1, c)), 2)
        cost = np.repeat(base, r, axis=0)
        cost[rng.random((r, c)) < 0.3] = 0.0
    else:  # generic floats
        cost = -rng.random((r, c))
    add(f"random-{mode}", cost)

json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, sys.stdout)
