"""Shared by the estimate tests: the bench's serial C kernels, predicted or estimated at given sizes."""
from __future__ import annotations

from pathlib import Path

from xapp.estimate import region_estimate
from xapp.features import ParseOptions, extract_source
from xapp.predict import PredictOptions, Predictor
from xapp.targets import get_target

ROOT = Path(__file__).resolve().parents[2]
KERNELS = ROOT / "bench" / "data"


def regions(name: str, **defines):
    path = KERNELS / name
    options = ParseOptions(defines=tuple((k, str(v)) for k, v in defines.items()))
    return extract_source(path.read_text(), str(path), options).regions


def estimate(name: str, target: str = "h100", hints=None, **defines):
    (r,) = [r for r in regions(name, **defines) if r.workload]
    return region_estimate(r.workload, hints or {}, get_target(target))


def predict(predictor: Predictor, name: str, target: str = "h100", hints=(), **defines):
    path = KERNELS / name
    options = PredictOptions(ParseOptions(defines=tuple((k, str(v)) for k, v in defines.items())), hints,
                             target=get_target(target))
    return predictor.predict_source(path.read_text(), str(path), options).results
