"""What a port pays over one run of the program, and the size from which it pays at all.

Per run: a region whose function runs `calls` times per program run (xapp.analysis.callcount)
costs calls x its CPU seconds on the baseline. A GPU port costs calls x (kernel + launch + serial
part), and its data crosses the host link once per run, not once per call: consecutive calls and
consecutive ported regions keep their arrays on the device. A region that reads nothing from the
host (an init loop: it creates its arrays) costs its kernel only, its output staying on the device
for the regions after it; `--hint transfer=0` says every array already lives there. Time saved is
CPU - GPU per run, never below zero (a port that loses is not made).

Break-even: a region whose sizes are unknown carries its workload at sizes on a geometric grid
(xapp.features.size_curve); the size where the estimated speed-up crosses 1 is interpolated in
log space between the two grid points around it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..analysis.workload import Workload
from ..targets import Baseline, Target
from .model import Estimate, estimate
from .region import is_resident, with_hints, workload_from_dict

__all__ = ["RunCost", "run_cost", "BreakEven", "break_even"]


@dataclass(frozen=True)
class RunCost:
    calls: float                  # runs of the region per program run (1 when not known)
    calls_known: bool
    cpu_seconds: float            # per program run
    gpu_seconds: float            # per program run, data crossing the link once
    transfer_seconds: float       # per program run

    @property
    def time_saved(self) -> float:
        return max(0.0, self.cpu_seconds - self.gpu_seconds)

    def as_dict(self) -> dict:
        return {"calls_per_run": self.calls, "calls_known": self.calls_known,
                "cpu_seconds_per_run": round(self.cpu_seconds, 9), "gpu_seconds_per_run": round(self.gpu_seconds, 9),
                "transfer_seconds_per_run": round(self.transfer_seconds, 9)}


def run_cost(est: Estimate, w: Workload | None, calls: float | None, hints: Mapping[str, float]) -> RunCost:
    n = calls if calls else 1.0
    device_made = w is not None and w.transfer_in_bytes == 0
    transfer = 0.0 if is_resident(hints) or device_made else est.transfer_seconds
    per_call = est.gpu_seconds - est.transfer_seconds
    return RunCost(n, calls is not None, est.cpu_seconds * n, per_call * n + transfer, transfer)


@dataclass(frozen=True)
class BreakEven:
    names: tuple[str, ...]
    size: float | None            # where the estimate crosses 1x; None when it never does on the grid
    direction: str                # 'above', 'below' (pays only under it), 'always' or 'never'
    low: float
    high: float

    def sentence(self, target: str) -> str:
        who = " = ".join(self.names)
        if self.direction == "always":
            return f"pays off on {target} at every size tried ({who} from {self.low:,.0f} to {self.high:,.0f})"
        if self.direction == "never":
            return f"does not pay off on {target} for {who} up to {self.high:,.0f}"
        side = "above" if self.direction == "above" else "below"
        return f"pays off for {who} {side} ~{_round2(self.size)} on {target}"

    def as_dict(self, target: str) -> dict:
        return {"names": list(self.names), "size": self.size, "direction": self.direction,
                "approx": None if self.size is None else _round2(self.size),
                "grid": [self.low, self.high], "text": self.sentence(target)}


def _round2(v: float) -> str:
    digits = max(0, int(math.floor(math.log10(v))) - 1) if v >= 1 else 0
    return f"{round(v, -digits):,.0f}"


def break_even(curve: Sequence[Sequence], names: Sequence[str], hints: Mapping[str, float], target: Target,
               baseline: Baseline | None = None) -> BreakEven | None:
    """Where a port of a region with unknown sizes starts to pay on `target`; None without a curve."""
    points = []
    for size, doc in curve:
        w = workload_from_dict(doc)
        if w is None or not w.kernels:
            return None
        points.append((float(size), estimate(with_hints(w, hints), target, baseline).speedup))
    if not points:
        return None
    names = tuple(names)
    lo, hi = points[0][0], points[-1][0]
    for (a, sa), (b, sb) in zip(points, points[1:]):
        if (sa > 1) != (sb > 1) and sa > 0 and sb > 0:
            frac = (0.0 - math.log(sa)) / (math.log(sb) - math.log(sa))
            size = math.exp(math.log(a) + frac * (math.log(b) - math.log(a)))
            return BreakEven(names, size, "above" if sb > 1 else "below", lo, hi)
    return BreakEven(names, None, "always" if points[0][1] > 1 else "never", lo, hi)
