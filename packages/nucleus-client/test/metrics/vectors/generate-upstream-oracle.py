"""Run the upstream Python metrics (scaleapi/nucleus-python-client, nucleus/metrics) on random and quirk inputs.

Usage (python3-numpy, python3-scipy, python3-shapely, python3-sklearn; upstream checkout on PYTHONPATH):
    PYTHONPATH=/path/to/nucleus-python-client /usr/bin/python3 generate-upstream-oracle.py > upstream-oracle.json
    npx biome format --write upstream-oracle.json
Each case holds the wire payloads given to the metric and upstream's (value, weight) or the exception it raised.
"""
import json
import logging
import math
import random
import sys
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

from nucleus.annotation import (  # noqa: E402
    AnnotationList,
    BoxAnnotation,
    CuboidAnnotation,
    Point,
    Point3D,
    PolygonAnnotation,
)
from nucleus.metrics import (  # noqa: E402
    CuboidIOU,
    CuboidPrecision,
    CuboidRecall,
    PolygonAveragePrecision,
    PolygonIOU,
    PolygonMAP,
    PolygonPrecision,
    PolygonRecall,
)
from nucleus.prediction import (  # noqa: E402
    BoxPrediction,
    CuboidPrediction,
    PolygonPrediction,
    PredictionList,
)

rng = random.Random(1130)
cases = []


def to_objects(payloads, is_pred):
    boxes, polys, cuboids = [], [], []
    for p in payloads:
        g = p["geometry"]
        extra = {"confidence": p.get("confidence")} if is_pred else {}
        if p["type"] == "box":
            cls = BoxPrediction if is_pred else BoxAnnotation
            boxes.append(cls(label=p["label"], x=g["x"], y=g["y"], width=g["width"], height=g["height"],
                             reference_id=p["reference_id"], **extra))
        elif p["type"] == "polygon":
            cls = PolygonPrediction if is_pred else PolygonAnnotation
            polys.append(cls(label=p["label"], vertices=[Point(v["x"], v["y"]) for v in g["vertices"]],
                             reference_id=p["reference_id"], **extra))
        else:
            cls = CuboidPrediction if is_pred else CuboidAnnotation
            cuboids.append(cls(label=p["label"], position=Point3D(**g["position"]),
                               dimensions=Point3D(**g["dimensions"]), yaw=g["yaw"],
                               reference_id=p["reference_id"], **extra))
    if is_pred:
        return PredictionList(box_predictions=boxes, polygon_predictions=polys, cuboid_predictions=cuboids)
    return AnnotationList(box_annotations=boxes, polygon_annotations=polys, cuboid_annotations=cuboids)


CLASSES = {
    "PolygonIOU": PolygonIOU, "PolygonPrecision": PolygonPrecision, "PolygonRecall": PolygonRecall,
    "PolygonAveragePrecision": PolygonAveragePrecision, "PolygonMAP": PolygonMAP,
    "CuboidIOU": CuboidIOU, "CuboidPrecision": CuboidPrecision, "CuboidRecall": CuboidRecall,
}


def run(name, metric, kwargs, anns, preds):
    case = {"name": name, "metric": metric, "options": kwargs, "annotations": anns, "predictions": preds}
    try:
        r = CLASSES[metric](**kwargs)(to_objects(anns, False), to_objects(preds, True))
        case["value"] = None if math.isnan(r.value) else float(r.value)
        case["weight"] = float(r.weight)
    except Exception as e:  # upstream's own exception is the expected outcome
        case["error"] = type(e).__name__
        case["message"] = str(e).splitlines()[0] if str(e) else ""
    cases.append(case)


def box(label, x, y, w, h, ref="img", conf=None):
    p = {"type": "box", "label": label, "reference_id": ref, "geometry": {"x": x, "y": y, "width": w, "height": h}}
    if conf is not None:
        p["confidence"] = conf
    return p


def tri(label, pts, ref="img", conf=None):
    p = {"type": "polygon", "label": label, "reference_id": ref,
         "geometry": {"vertices": [{"x": x, "y": y} for x, y in pts]}}
    if conf is not None:
        p["confidence"] = conf
    return p


def cuboid(label, pos, dims, yaw, ref="pc", conf=None):
    p = {"type": "cuboid", "label": label, "reference_id": ref,
         "geometry": {"position": dict(zip("xyz", pos)), "dimensions": dict(zip("xyz", dims)), "yaw": yaw}}
    if conf is not None:
        p["confidence"] = conf
    return p


# Quirk cases (nucleus-api.md section 11 and vectors H).
a1 = [box("a", 0, 0, 10, 10)]
p1 = [box("a", 8, 0, 4, 10, conf=1.0)]
run("H1 centre convention", "PolygonIOU", {}, a1, p1)
run("H2 threshold 0", "PolygonPrecision", {"iou_threshold": 0}, a1, p1)
run("H2 threshold 0.5", "PolygonPrecision", {}, a1, p1)
run("H3 empty predictions", "PolygonIOU", {}, a1, [])
run("quirk 11 MAP ignores threshold", "PolygonMAP", {"iou_threshold": 0.95},
    [box("a", 0, 0, 10, 10)], [box("a", 1, 0, 10, 10, conf=0.9)])
run("quirk 13 AP label absent", "PolygonAveragePrecision", {"label": "zzz"}, a1, p1)
run("quirk 14 confidence drops all", "PolygonPrecision", {"confidence_threshold": 0.5},
    a1, [box("a", 0, 0, 10, 10, conf=0.1)])
run("quirk 14 confidence drops all IoU", "PolygonIOU", {"confidence_threshold": 0.5},
    a1, [box("a", 0, 0, 10, 10, conf=0.1)])
run("quirk 15 invalid polygon dropped", "PolygonIOU", {},
    [box("a", 0, 0, 10, 10)], [tri("a", [(0, 0), (1, 1), (1, 0), (0, 1)], conf=0.5), box("a", 0, 0, 10, 10, conf=0.5)])
run("quirk 15 two vertices", "PolygonIOU", {}, a1, [tri("a", [(0, 0), (1, 1)], conf=0.5)])
run("quirk 15 negative width", "PolygonIOU", {}, a1, [box("a", 0, 0, -10, 10, conf=0.5)])
run("AP swapped arguments", "PolygonAveragePrecision", {"label": "a"},
    [box("a", 0, 0, 10, 10), box("a", 50, 50, 10, 10), box("b", 0, 0, 4, 4)],
    [box("a", 0, 0, 10, 10, conf=0.3), box("a", 100, 100, 10, 10, conf=0.9), box("a", 50, 50, 10, 10, conf=0.5)])
run("H5 identity IoU", "CuboidIOU", {}, [cuboid("car", (0, 0, 0), (2, 2, 2), 0)], [cuboid("car", (0, 0, 0), (2, 2, 2), 0)])
run("H5 identity precision", "CuboidPrecision", {}, [cuboid("car", (0, 0, 0), (2, 2, 2), 0)], [cuboid("car", (0, 0, 0), (2, 2, 2), 0)])
run("H5 identity recall", "CuboidRecall", {}, [cuboid("car", (0, 0, 0), (2, 2, 2), 0)], [cuboid("car", (0, 0, 0), (2, 2, 2), 0)])
run("H6 3D", "CuboidIOU", {}, [cuboid("car", (0, 0, 0), (2, 2, 2), 0)], [cuboid("car", (1, 0, 0), (2, 2, 2), 0)])
run("H6 2D", "CuboidIOU", {"iou_2d": True}, [cuboid("car", (0, 0, 0), (2, 2, 2), 0)], [cuboid("car", (1, 0, 0), (2, 2, 2), 0)])
run("H7 IoU", "CuboidIOU", {}, [cuboid("car", (0, 0, 0), (4, 2, 2), 0)], [cuboid("car", (3, 0, 0), (4, 2, 2), 0)])
run("H7 precision 0.1", "CuboidPrecision", {"iou_threshold": 0.1}, [cuboid("car", (0, 0, 0), (4, 2, 2), 0)], [cuboid("car", (3, 0, 0), (4, 2, 2), 0)])
run("H7 precision 0", "CuboidPrecision", {"iou_threshold": 0}, [cuboid("car", (0, 0, 0), (4, 2, 2), 0)], [cuboid("car", (3, 0, 0), (4, 2, 2), 0)])

# Random polygon/box items: small integer grids so IoU ties and zero overlaps are common.
for k in range(150):
    refs = ["r0", "r1", "r2"][: rng.randint(1, 3)]
    labels = ["a", "b"]

    def rand_shape(is_pred):
        ref = rng.choice(refs)
        label = rng.choice(labels)
        conf = rng.choice([0.2, 0.5, 0.5, 0.9]) if is_pred else None
        if rng.random() < 0.75:
            return box(label, rng.randint(0, 6) * 5, rng.randint(0, 6) * 5, rng.randint(2, 6) * 5, rng.randint(2, 6) * 5, ref, conf)
        cx, cy = rng.randint(0, 30), rng.randint(0, 30)
        pts = [(cx + rng.randint(-8, 8), cy + rng.randint(-8, 8)) for _ in range(3)]
        return tri(label, pts, ref, conf)

    anns = [rand_shape(False) for _ in range(rng.randint(1, 5))]
    preds = [rand_shape(True) for _ in range(rng.randint(1, 5))]
    metric = ["PolygonIOU", "PolygonPrecision", "PolygonRecall", "PolygonMAP", "PolygonAveragePrecision"][k % 5]
    kwargs = {}
    if metric in ("PolygonIOU", "PolygonPrecision", "PolygonRecall"):
        kwargs["enforce_label_match"] = rng.random() < 0.5
        kwargs["iou_threshold"] = rng.choice([0.0, 0.1, 0.5])
    if metric == "PolygonAveragePrecision":
        kwargs["label"] = rng.choice(labels)
    run(f"random polygons {k}", metric, kwargs, anns, preds)

# Random cuboids (rotated footprints, some far apart).
for k in range(60):
    def rand_cuboid(is_pred):
        return cuboid(rng.choice(["car", "ped"]),
                      (rng.uniform(-5, 5), rng.uniform(-5, 5), rng.uniform(-1, 1)),
                      (rng.uniform(1, 4), rng.uniform(1, 4), rng.uniform(1, 3)),
                      rng.uniform(-math.pi, math.pi), "pc", 0.5 if is_pred else None)

    anns = [rand_cuboid(False) for _ in range(rng.randint(1, 4))]
    preds = [rand_cuboid(True) for _ in range(rng.randint(1, 4))]
    metric = ["CuboidIOU", "CuboidPrecision", "CuboidRecall"][k % 3]
    kwargs = {"enforce_label_match": rng.random() < 0.5, "iou_threshold": rng.choice([0.0, 0.1])}
    if metric == "CuboidIOU":
        kwargs["iou_2d"] = rng.random() < 0.5
    run(f"random cuboids {k}", metric, kwargs, anns, preds)

json.dump({"upstream": "nucleus-python-client e672e4171b23 (v0.18.8)", "cases": cases}, sys.stdout, separators=(",", ":"))
