"""The one list of feature families and the names they produce, in model-input order.

A new family is one new module (FEATURES: name -> meaning, compute(analysis) -> dict)
plus one entry in FAMILIES. Names are stable: trained models refer to them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .families import compute, control, loops, memory, opencl, size
from ..analysis.nest import RegionAnalysis
from .labels import FEATURE_LABELS

__all__ = ["FeatureSpec", "FAMILIES", "FEATURES", "FEATURE_NAMES", "FEATURE_LABELS", "compute_features",
           "STATIC_XAPP_FEATURES"]

FAMILIES = (("loops", loops), ("memory", memory), ("compute", compute), ("control", control),
            ("opencl", opencl), ("size", size))


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    family: str
    meaning: str
    label: str          # the human name tables and the HTML page show (labels.py)


FEATURES: tuple[FeatureSpec, ...] = tuple(
    FeatureSpec(name, family, meaning, FEATURE_LABELS[name])
    for family, module in FAMILIES for name, meaning in module.FEATURES.items()
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)

# How Static XAPP's ten features (Ardalani et al. 2019) follow from these names.
STATIC_XAPP_FEATURES = {
    "memory coalescing": "coalesced_frac",
    "branch divergence": "data_dependent_branches / max(branches, 1)",
    "kernel size": "statements",
    "available parallelism": "trip_count_log2, inner_trip_log2 and parallel_loops",
    "arithmetic intensity": "arith_intensity",
    "multiply intensity": "mul_ops / statements",
    "divide intensity": "div_ops / statements",
    "sin/cos intensity": "trig_calls / statements",
    "log/exp intensity": "exp_log_calls / statements",
    "sqrt intensity": "sqrt_calls / statements",
}


def compute_features(analysis: RegionAnalysis) -> dict[str, float]:
    out: dict[str, float] = {}
    for _, module in FAMILIES:
        out.update(module.compute(analysis))
    if tuple(out) != FEATURE_NAMES:
        missing = set(FEATURE_NAMES) - set(out)
        raise AssertionError(f"feature families disagree with the registry: {sorted(missing)}")
    return out
