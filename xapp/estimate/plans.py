"""Pricing the port plans of a region: the loop nest as written, and as a GPU compiler would reorder it.

The reordered plan (analysis/portplan.py) changes only what a port launches: kernels, launches,
work-items, the serial share and the access pattern across threads. Both plans are priced against
the same CPU baseline (the code as written); the estimate is the faster plan and names it, and
the other plan is kept with its price so a user sees why it lost.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from ..analysis.workload import Workload
from ..targets import Baseline, Target
from .model import Estimate, cpu_seconds, estimate

__all__ = ["price_plans"]


def _brief(e: Estimate, plan: str, summary: str | None) -> dict:
    return {"plan": plan, "summary": summary, "speedup": round(e.speedup, 6), "bound": e.bound,
            "gpu_seconds": round(e.gpu_seconds, 9), "launch_seconds": round(e.launch_seconds, 9),
            "kernel_seconds": round(e.kernel_seconds, 9), "occupancy": round(e.occupancy, 6)}


def price_plans(written: Workload | None, base: Workload | None, plans: Mapping | None, target: Target,
                adjust, baseline: Baseline) -> Estimate | None:
    """The better of the plans. `written`: the workload as written (None when it launches nothing);
    `base`: the region's workload for a reordered plan to override (the written one, or one computed
    for that purpose); `adjust`: applies the user's hints to a workload; `baseline`: the CPU."""
    reordered = (plans or {}).get("reordered") or {}
    fields = reordered.get("workload")
    est_written = estimate(adjust(written), target, baseline) if written is not None else None
    if not fields or base is None:
        return est_written
    cpu = max(cpu_seconds(base, baseline.cpu))
    est_plan = estimate(adjust(replace(base, **fields)), target, baseline, cpu=cpu)
    summary = reordered.get("summary")
    if reordered.get("as_written") and est_written is not None:
        return replace(est_written, plan_summary=summary)
    if est_written is None:
        return replace(est_plan, plan="reordered", plan_summary=summary,
                       rejected={"plan": "as written", "summary": None, "why": "as written it launches no kernel"})
    if est_plan.speedup > est_written.speedup:
        return replace(est_plan, plan="reordered", plan_summary=summary,
                       rejected=_brief(est_written, "as written", None))
    return replace(est_written, plan_summary=summary, rejected=_brief(est_plan, "reordered", summary))
