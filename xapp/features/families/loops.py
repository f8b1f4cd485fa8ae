"""Loop features: nest shape, iteration space and available parallelism."""
from __future__ import annotations

import math

from ...analysis.nest import Loop, RegionAnalysis

UNKNOWN_TRIP = -1.0

FEATURES = {
    "loop_depth": "deepest loop nesting of the region (a kernel's NDRange counts one level per dimension used)",
    "loop_count": "number of loops in the region (a kernel's NDRange is not counted)",
    "perfect_nest": "1 if each loop but the innermost holds exactly one statement, a loop",
    "trip_count_log2": f"log2 of the statically known total iteration count; {UNKNOWN_TRIP:g} when unknown "
                       "(a kernel's NDRange is never known statically)",
    "inner_trip_log2": f"log2 of iterations run per outer iteration (per work-item in a kernel); "
                       f"{UNKNOWN_TRIP:g} when unknown",
    "parallel_loops": "loop levels with no loop-carried dependence except recognised reductions "
                      "(a kernel's NDRange counts as one)",
    "outer_parallel": "1 if the outermost level can run its iterations in parallel (always 1 for a kernel)",
    "reductions": "recognised reductions such as s += a[i]*b[i] or c[i][j] += ... in a k loop",
    "loop_carried_dep": "1 if a dependence such as a[i] = a[i-1] + x forbids a parallel outer level",
    "ndrange_dims": "NDRange dimensions a kernel uses (get_global_id/get_local_id/get_group_id); 0 for loops",
    "is_kernel": "1 for an OpenCL kernel, 0 for a loop nest",
}


def _only_statement(loop: Loop):
    body = loop.node.child("body") or (loop.node.children[0] if loop.node.kind == "do" else None)
    while body is not None and body.kind == "compound" and len(body.children) == 1:
        body = body.children[0]
    return body


def _perfect(loops: list[Loop]) -> bool:
    for loop in loops:
        if not loop.children:
            continue
        if len(loop.children) != 1 or _only_statement(loop) is not loop.children[0].node:
            return False
    return True


def _total(loop: Loop) -> int | None:
    """Iterations of the loop's whole nest: trip x (sum of the inner nests, or 1)."""
    if loop.trip is None:
        return None
    if not loop.children:
        return loop.trip
    inner = [_total(c) for c in loop.children]
    if any(t is None for t in inner):
        return None
    return loop.trip * sum(inner)


def _log2(n: int | None) -> float:
    if n is None:
        return UNKNOWN_TRIP
    return math.log2(n) if n > 0 else 0.0


def compute(a: RegionAnalysis) -> dict[str, float]:
    top = [l for l in a.loops if l.parent is None]
    depth = max((l.depth for l in a.loops), default=0)
    parallel = sum(1 for l in a.loops if a.verdicts[id(l)].parallel)
    reductions = sum(a.verdicts[id(l)].reductions for l in a.loops)
    if a.is_kernel:
        return _kernel_loops(a, top, depth, parallel, reductions)
    return _host_loops(a, top[0], depth, parallel, reductions)


def _kernel_loops(a: RegionAnalysis, top: list[Loop], depth: int, parallel: int, reductions: int) -> dict[str, float]:
    """An OpenCL/CUDA kernel: the NDRange is the outer parallel level; its loops run inside one work-item."""
    inner_totals = [_total(l) for l in top]
    inner = None if any(t is None for t in inner_totals) else sum(inner_totals) or 1
    return {
        "loop_depth": float(a.ndrange_dims + depth),
        "loop_count": float(len(a.loops)),
        "perfect_nest": 1.0 if not a.loops else 0.0,
        "trip_count_log2": UNKNOWN_TRIP,
        "inner_trip_log2": _log2(inner),
        "parallel_loops": float(1 + parallel),
        "outer_parallel": 1.0,
        "reductions": float(reductions),
        "loop_carried_dep": 0.0,
        "ndrange_dims": float(a.ndrange_dims),
        "is_kernel": 1.0,
    }


def _host_loops(a: RegionAnalysis, outer: Loop, depth: int, parallel: int, reductions: int) -> dict[str, float]:
    """A host loop nest: its outermost loop is the candidate parallel level."""
    total = _total(outer)
    outer_verdict = a.verdicts[id(outer)]
    inner = None if total is None or not outer.trip else total // outer.trip
    return {
        "loop_depth": float(depth),
        "loop_count": float(len(a.loops)),
        "perfect_nest": 1.0 if _perfect(a.loops) else 0.0,
        "trip_count_log2": _log2(total),
        "inner_trip_log2": _log2(inner) if outer.trip != 0 else 0.0,
        "parallel_loops": float(parallel),
        "outer_parallel": 1.0 if outer_verdict.parallel else 0.0,
        "reductions": float(reductions),
        "loop_carried_dep": 0.0 if outer_verdict.parallel else 1.0,
        "ndrange_dims": 0.0,
        "is_kernel": 0.0,
    }
