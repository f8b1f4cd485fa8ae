"""The estimate of one extracted region: its stored workload and plans, the user's hints, a target."""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Mapping

from ..analysis.workload import Workload
from ..targets import Baseline, Target, get_baseline
from .model import Estimate, cpu_seconds
from .plans import price_plans

__all__ = ["workload_from_dict", "with_hints", "device_made", "region_estimate", "region_cpu_seconds", "is_resident"]

_FIELDS = frozenset(f.name for f in fields(Workload))


def workload_from_dict(doc: Mapping | None) -> Workload | None:
    """A Workload from its JSON form (as RegionFeatures and the feature cache keep it)."""
    if not doc or set(doc) != _FIELDS:
        return None
    return Workload(**{**doc, "warnings": tuple(doc["warnings"]),
                       "cpu_strided": tuple(tuple(p) for p in doc["cpu_strided"]),
                       "cpu_stream": tuple(tuple(p) for p in doc["cpu_stream"]),
                       "cpu_recurrences": tuple(tuple(p) for p in doc["cpu_recurrences"])})


def is_resident(hints: Mapping[str, float]) -> bool:
    """`--hint transfer=0`: the data already lives on the device."""
    return "transfer" in hints and float(hints["transfer"]) <= 0.0


def with_hints(w: Workload, hints: Mapping[str, float]) -> Workload:
    """`transfer=BYTES` replaces the bytes xapp derived for the host link; 0 means the data
    already lives on the device."""
    if "transfer" not in hints:
        return w
    return replace(w, transfer_in_bytes=max(float(hints["transfer"]), 0.0), transfer_out_bytes=0.0)


def region_estimate(doc: Mapping | None, hints: Mapping[str, float], target: Target,
                    plans: Mapping | None = None, baseline: Baseline | None = None) -> Estimate | None:
    """The estimate of the better plan (as written, or reordered: analysis/portplan.py) against
    `baseline`; None without a workload or without a kernel to launch."""
    whole = workload_from_dict(doc)
    written = whole if whole is not None and whole.kernels else None   # serial as written: nothing launches
    base = written if written is not None else workload_from_dict((plans or {}).get("base_workload")) or whole
    return price_plans(written, base, plans, target, lambda w: device_made(with_hints(w, hints)),
                       baseline or get_baseline(None, target))


def device_made(w: Workload) -> Workload:
    """A region that reads nothing from the host (an init loop) creates its arrays on the device: its
    port costs its kernel, and what it writes stays there for the regions after it (xapp.estimate.payoff
    charges the link once per program run), so no transfer is charged to it."""
    return replace(w, transfer_out_bytes=0.0) if w.transfer_in_bytes == 0 else w


def region_cpu_seconds(doc: Mapping | None, baseline: Baseline) -> float | None:
    """Seconds one run of the region takes on the baseline (offered as a GPU candidate or not)."""
    w = workload_from_dict(doc)
    return None if w is None else max(cpu_seconds(w, baseline.cpu))
