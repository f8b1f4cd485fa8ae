"""The estimate of one extracted region: its stored workload and plans, the user's hints, a target."""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Mapping

from ..analysis.workload import Workload
from ..targets import Target
from .model import Estimate
from .plans import price_plans

__all__ = ["workload_from_dict", "with_hints", "region_estimate"]

_FIELDS = frozenset(f.name for f in fields(Workload))


def workload_from_dict(doc: Mapping | None) -> Workload | None:
    """A Workload from its JSON form (as RegionFeatures and the feature cache keep it)."""
    if not doc or set(doc) != _FIELDS:
        return None
    return Workload(**{**doc, "warnings": tuple(doc["warnings"])})


def with_hints(w: Workload, hints: Mapping[str, float]) -> Workload:
    """`transfer=BYTES` replaces the bytes xapp derived for the host link; 0 means the data
    already lives on the device."""
    if "transfer" not in hints:
        return w
    return replace(w, transfer_in_bytes=max(float(hints["transfer"]), 0.0), transfer_out_bytes=0.0)


def region_estimate(doc: Mapping | None, hints: Mapping[str, float], target: Target,
                    plans: Mapping | None = None) -> Estimate | None:
    """The estimate of the better plan (as written, or reordered: analysis/portplan.py)."""
    written = workload_from_dict(doc)
    base = written if written is not None else workload_from_dict((plans or {}).get("base_workload"))
    return price_plans(written, base, plans, target, lambda w: with_hints(w, hints))
