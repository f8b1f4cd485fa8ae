"""A region whose sizes are unknown, evaluated at sizes it could have.

Where a loop bound reads a size the program does not fix (a parameter no caller in the file
gives, a value read from input), the region has no single workload. It is then analysed again
from the same lowered IR with those sizes bound to each value of a geometric grid (no re-parse;
the dependence verdicts do not change with a size and are carried over), and the workloads at
those sizes are kept: the estimate reads them to find the break-even size on a target.
Every unknown size is bound to the same value (a rectangular problem of side n).
"""
from __future__ import annotations

from dataclasses import replace

from ..analysis.launch import launch_structure
from ..analysis.nest import FunctionContext, RegionAnalysis, analyse
from ..analysis.sizes import bound_refs, unknown_origin
from ..analysis.triangular import mean_trips
from ..analysis.workload import workload
from ..frontend.ir import UnitIR, walk
from ..analysis.regions import Region

__all__ = ["SIZE_GRID", "unknown_sizes", "size_curve"]

SIZE_GRID = tuple(2 ** k for k in range(2, 25, 2))  # 4 .. 16M, a factor of 4 apart
_MAX_UNKNOWN = 4                                   # more unknown sizes than this: no curve
# Each grid point re-walks the region: a region larger than this (generated code, operator chains
# thousands deep) gets no curve rather than a dozen slow walks.
MAX_CURVE_NODES = 2000


def _roots(name: str, context: FunctionContext, seen: set[str]) -> list[str]:
    """The unknown names a size depends on: `m` of `int m = n - 1` is unknown because `n` is."""
    env = context.sizes
    if name in seen or env is None:
        return []
    seen.add(name)
    if name in env.tainted or name not in env.defs:
        return [name]
    inner = [r for ref in bound_refs(env.defs[name]) if env.lookup(ref) is None
             for r in _roots(ref, context, seen)]
    return inner or [name]


def unknown_sizes(a: RegionAnalysis, unit: UnitIR | None = None) -> dict[str, str]:
    """Name -> where it comes from ('from the caller', 'read from input', ...), for every size a loop
    bound of the region reads and the program does not fix."""
    context = a.context
    if context is None or context.sizes is None or a.is_kernel:
        return {}
    trips = mean_trips(a)
    names: list[str] = []
    for loop in a.loops:
        if trips.get(id(loop)) is not None:
            continue
        for part in loop.node.children:
            if part.role in ("init", "cond"):
                refs = [r for r in bound_refs(part) if r not in a.loop_vars and context.sizes.lookup(r) is None
                        and not _reads_memory_name(part, r)]
                names += [root for r in refs for root in _roots(r, context, set())]
    fn = a.region.owner
    return {n: unknown_origin(n, fn, context.sizes, unit) for n in dict.fromkeys(names)}


def _reads_memory_name(part, name: str) -> bool:
    """A name used as an array or pointer in the header (`p[i]`, `s->n`): data, not a size."""
    return any(n.kind in ("subscript", "member") and n.children and n.children[0].kind == "ref"
               and n.children[0].op == name for n in walk(part))


def _at(region: Region, unit: UnitIR, context: FunctionContext, facts: RegionAnalysis, features: dict,
        bound: dict[str, int]):
    ctx = replace(context, sizes=context.sizes.bound(bound))
    a = analyse(region, unit, ctx)
    if len(a.loops) != len(facts.loops):
        return None
    a.verdicts = {id(new): facts.verdicts[id(old)] for new, old in zip(a.loops, facts.loops)}
    a.thread_vars = facts.thread_vars
    return workload(a, launch_structure(a), features)


def size_curve(region: Region, unit: UnitIR, context: FunctionContext, facts: RegionAnalysis,
               features: dict, unknown: dict[str, str]) -> list[list]:
    """[[size, workload dict], ...] over SIZE_GRID; [] when binding the unknown sizes does not
    make every trip count known (a while loop, a bound read from memory)."""
    if not unknown or len(unknown) > _MAX_UNKNOWN or context.sizes is None or len(facts.nodes) > MAX_CURVE_NODES:
        return []
    points = []
    for v in SIZE_GRID:
        w = _at(region, unit, context, facts, features, {n: v for n in unknown})
        if w is None or not w.kernels:
            return []
        points.append([v, {**w.as_dict(), "warnings": []}])
    return points
