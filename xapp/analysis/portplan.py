"""The port plans of one loop region: as written (launch.py) and as a GPU compiler would reorder it.

scop.py -> dataflow.py -> schedule.py -> plan.py, under one ISL context whose work is bounded.
A region that is not a SCoP, or on which ISL runs out of operations, keeps only the plan as
written and says why (`fallback`). The workload fields a plan changes (launches, kernels,
work-items, serial share, access pattern across the threads) are computed here, so the estimate
can price each plan from the region's one workload.
"""
from __future__ import annotations

import math

from .affine import stride_class
from .launch import Kernel, LaunchLevel, LaunchStructure
from .nest import RegionAnalysis
from .plan import Plan, map_schedule, plan_dict, plan_summary
from .schedule import MAX_OPERATIONS, IslBudgetExceeded, compute_schedule, guarded
from .polyhedral import Polyhedral, polyhedral_model
from .scop import Scop
from .triangular import mean_trips
from .workload import Workload, workload

__all__ = ["region_plans", "plan_launch_fields", "written_plan"]


def _written(launch: LaunchStructure) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each kernel as written: (its host loops, its parallel levels), by variable."""
    return tuple((tuple(l.var or "?" for l in k.around), tuple(l.var or "?" for l in k.parallel_levels))
                 for k in launch.kernels)


def _reordered(a: RegionAnalysis, launch: LaunchStructure, trips: dict,
               max_operations: int) -> tuple[Plan | None, Scop | None, str | None]:
    model = a.polyhedral if max_operations == MAX_OPERATIONS and a.polyhedral is not None \
        else polyhedral_model(a, max_operations)
    if not isinstance(model, Polyhedral):
        return None, None, model
    ctx, scop, deps = model.ctx, model.scop, model.deps
    try:
        schedule = guarded(ctx, compute_schedule, scop, deps)
        return guarded(ctx, map_schedule, schedule, scop, deps, a, trips, _written(launch)), scop, None
    except IslBudgetExceeded as exc:
        return None, None, f"ISL gave up: {exc}"


def _patterns(plan: Plan, scop: Scop, a: RegionAnalysis, trips: dict) -> dict[str, float]:
    """Bytes moved per access class when adjacent threads step along each kernel's innermost grid
    variable (statements run serially count as coalesced: the serial share prices them)."""
    out = dict.fromkeys(("coalesced", "strided", "indirect"), 0.0)
    for st in scop.statements:
        var = plan.thread_var.get(st.name)
        for acc in st.memory:
            count = math.prod(trips[id(l)] for l in acc.loops)
            moved = acc.size * (int(acc.load) + int(acc.store)) * count
            kind = stride_class(acc.indices, (var,), a.defs, a.loop_vars) if var else "coalesced"
            out[kind] += moved
    return out


def plan_launch_fields(plan: Plan, scop: Scop, a: RegionAnalysis, trips: dict) -> dict | None:
    """The Workload fields of a plan (None when a trip is unknown)."""
    if None in trips.values() or not plan.kernels:
        return None
    launches = [k.launches for k in plan.kernels]
    items = [k.work_items for k in plan.kernels]
    instances = [k.instances for k in plan.kernels + plan.serial]
    if None in launches or None in items or None in instances:
        return None
    serial = sum(k.instances for k in plan.serial)
    # One occupancy for all kernels: the work-items of each, weighted by the work it does (a
    # harmonic mean, so a narrow kernel that does most of the work decides, as it would on the GPU).
    work = [max(k.instances, 1.0) for k in plan.kernels]
    effective = sum(work) / sum(w / max(i, 1.0) for w, i in zip(work, items))
    pat = _patterns(plan, scop, a, trips)
    memory = sum(st_bytes for st_bytes in pat.values())
    return {"launches": max(round(sum(launches)), 1), "kernels": len(plan.kernels),
            "work_items": max(round(effective), 1), "serial_share": serial / sum(instances) if sum(instances) else 0.0,
            "combine_launches": 0,
            "gpu_coalesced_bytes": pat["coalesced"], "gpu_strided_bytes": pat["strided"],
            "gpu_indirect_bytes": pat["indirect"], "_bytes": memory}


def _base_workload(a: RegionAnalysis, features: dict) -> Workload | None:
    """The region's workload where, as written, it launches nothing (every loop carries a
    dependence): counted as if its outer loop were a kernel; a plan overrides the launch fields."""
    top = next(l for l in a.loops if l.parent is None)
    stand_in = LaunchStructure((), (Kernel(top.node.line, (LaunchLevel(top.node.line, top.var, top.trip),), ()),))
    return workload(a, stand_in, features)


def _levels(levels) -> list[dict]:
    return [{"var": l.var, "trip": l.trip} for l in levels]


def written_plan(launch: LaunchStructure) -> dict:
    """The launch structure as written (launch.py) in the form of a plan."""
    kernels = [{"grid": _levels(k.parallel_levels), "per_thread": _levels(k.serial_levels),
                "host_loops": _levels(k.around), "launches": k.launches, "work_items": k.work_items}
               for k in launch.kernels]
    return {"kernels": kernels, "host_loops": _levels(launch.outer), "transformations": [], "as_written": True}


def region_plans(a: RegionAnalysis, launch: LaunchStructure, features: dict | None = None,
                 written: Workload | None = None, max_operations: int = MAX_OPERATIONS) -> dict | None:
    """{"as_written": the launch structure as a plan; "reordered": the plan from ISL's schedule with
    its workload fields, or None; "fallback": why not;
    "base_workload" where the region as written has no workload to override}."""
    if a.is_kernel or not a.loops:
        return None
    trips = mean_trips(a)
    plan, scop, why = _reordered(a, launch, trips, max_operations)
    if plan is None:
        return {"as_written": written_plan(launch), "reordered": None, "fallback": why}
    doc = {**plan_dict(plan), "summary": plan_summary(plan)}
    fields = plan_launch_fields(plan, scop, a, trips)
    if fields is not None:
        fields.pop("_bytes")
    doc["workload"] = fields
    out = {"as_written": written_plan(launch), "reordered": doc, "fallback": None}
    if written is None and fields is not None and not launch.kernels:
        base = _base_workload(a, features or {})
        out["base_workload"] = base.as_dict() if base else None
    return out
