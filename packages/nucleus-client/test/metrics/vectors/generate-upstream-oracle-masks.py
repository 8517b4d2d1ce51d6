"""Run the upstream Python mask and categorization metrics on random inputs.

Usage (upstream checkout on PYTHONPATH, python3-numpy/scipy/sklearn):
    PYTHONPATH=/path/to/nucleus-python-client /usr/bin/python3 generate-upstream-oracle-masks.py > upstream-oracle-masks.json
    npx biome format --write upstream-oracle-masks.json
Masks are 2-D (height x width) integer arrays served by upstream's InMemoryLoader; segments are random, with
repeated labels (instance segmentation) in a third of the cases. Categorization items carry one label each.
"""
import json
import logging
import math
import random
import sys
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

import numpy as np  # noqa: E402

from nucleus.annotation import (  # noqa: E402
    AnnotationList,
    CategoryAnnotation,
    Segment,
    SegmentationAnnotation,
)
from nucleus.metrics import CategorizationF1  # noqa: E402
from nucleus.metrics.segmentation_loader import InMemoryLoader  # noqa: E402
from nucleus.metrics.segmentation_metrics import (  # noqa: E402
    SegmentationFWAVACC,
    SegmentationIOU,
    SegmentationMAP,
    SegmentationPrecision,
    SegmentationRecall,
)
from nucleus.prediction import (  # noqa: E402
    CategoryPrediction,
    PredictionList,
    SegmentationPrediction,
)

rng = random.Random(2026)
CLASSES = {
    "SegmentationIOU": SegmentationIOU,
    "SegmentationPrecision": SegmentationPrecision,
    "SegmentationRecall": SegmentationRecall,
    "SegmentationFWAVACC": SegmentationFWAVACC,
    "SegmentationMAP": SegmentationMAP,
}
masks = []
for k in range(120):
    h, w = rng.randint(1, 4), rng.randint(2, 6)
    n = rng.randint(2, 5)
    gt = [[rng.randrange(n) for _ in range(w)] for _ in range(h)]
    # predictions mostly agree with the ground truth so matches and suppressions both happen
    pred = [[v if rng.random() < 0.6 else rng.randrange(n) for v in row] for row in gt]
    if k % 3 == 0:
        names = ["background"] + [rng.choice(["a", "b"]) for _ in range(n - 1)]
    else:
        names = ["background"] + [f"c{i}" for i in range(1, n)]
    segments = [{"label": names[i], "index": i} for i in range(n)]
    metric = list(CLASSES)[k % 5]
    options = {}
    if metric == "SegmentationMAP":
        options["iou_thresholds"] = rng.choice(["coco", [0.3, 0.6]])
    else:
        options["iou_threshold"] = rng.choice([0.0, 0.25, 0.5])
    m = CLASSES[metric](**options)
    m.loader = InMemoryLoader({"gt": np.array(gt), "pred": np.array(pred)})
    ann = SegmentationAnnotation("gt", [Segment(s["label"], s["index"]) for s in segments], reference_id="item")
    prd = SegmentationPrediction("pred", [Segment(s["label"], s["index"]) for s in segments], reference_id="item")
    r = m(AnnotationList(segmentation_annotations=[ann]), PredictionList(segmentation_predictions=[prd]))
    masks.append({
        "metric": metric, "options": options, "gt": gt, "pred": pred, "segments": segments,
        "value": None if math.isnan(r.value) else float(r.value), "weight": float(r.weight),
    })

categorization = []
for k in range(40):
    labels = ["x", "y", "z", "w"][: rng.randint(2, 4)]
    n = rng.randint(1, 12)
    items = []
    for i in range(n):
        t = rng.choice(labels)
        p = t if rng.random() < 0.6 else rng.choice(labels)
        items.append({"truth": t, "predicted": p})
    method = rng.choice(["micro", "macro", "weighted"])
    metric = CategorizationF1(f1_method=method)
    results = [
        metric(AnnotationList(category_annotations=[CategoryAnnotation(it["truth"], reference_id=f"r{i}")]),
               PredictionList(category_predictions=[CategoryPrediction(it["predicted"], reference_id=f"r{i}")]))
        for i, it in enumerate(items)
    ]
    agg = metric.aggregate_score(results)
    categorization.append({"f1_method": method, "items": items, "value": float(agg.value),
                           "item_values": [float(r.value) for r in results]})

json.dump({"upstream": "nucleus-python-client e672e4171b23 (v0.18.8)", "masks": masks,
           "categorization": categorization}, sys.stdout, separators=(",", ":"))
