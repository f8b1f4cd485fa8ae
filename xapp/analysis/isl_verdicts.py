"""Per-loop verdicts from ISL's dependences, where the region is a SCoP.

The hand-written tests (deps.py, arraydep.py) decide first. ISL then looks again at a loop they
call serial for array dependences only: when no dependence through memory (flow, anti or output,
on any array, expandable ones included, as exact dataflow over the loop bounds, `min`/`max` and
strided steps that the hand-written tests do not model) is carried by the loop, the loop is
parallel. A tiled loop `for (t = 0; t < N; t += 16) for (i = t; i < min(t + 16, N); i++)` writes
disjoint rows for each t: the tests cannot see it, ISL can.

ISL never turns a parallel verdict serial and never overrides a reason that is not about arrays
(scalars, calls, control flow, I/O, aliasing with the alias assumption off), nor looks at a loop that
reaches an array through a pointer rebased onto another one (`p = f + 63`): a loop it upgrades
keeps the alias assumption of the SCoP (distinct names, distinct arrays), stated. Nor does it
override a reason about an array the SCoP delinearised (`a[i*n + j]` as `a[i][j]`): the SCoP takes
the column to stay inside its row unchecked, where the range test (rangetest.py) has judged the
subscript over the loop bounds (`j <= n` runs past the row).
"""
from __future__ import annotations

import islpy as isl

from .dataflow import Dependences
from .deps import points_into_other_arrays
from .verdict import LevelVerdict
from .nest import Loop, RegionAnalysis
from .scop import Scop

__all__ = ["refine_verdicts", "pointer_bases"]

_ARRAY_KINDS = frozenset({"flow", "anti", "output", "unbounded"})


def _carries(deps: isl.UnionMap, scop: Scop, loop: Loop) -> bool:
    """Whether a dependence between two instances inside `loop` crosses its iterations."""
    inside = [s for s in scop.statements if loop in s.loops]
    for s in inside:
        p = s.loops.index(loop)
        for t in inside:
            rel = deps.extract_map(isl.Space.map_from_domain_and_range(s.domain.get_space(), t.domain.get_space()))
            if rel.is_empty():
                continue
            same = rel
            for k in range(p):
                same = same.equate(isl.dim_type.in_, k, isl.dim_type.out, k)
            if not same.subtract(same.equate(isl.dim_type.in_, p, isl.dim_type.out, p)).is_empty():
                return True
    return False


def _array_reasons_only(v: LevelVerdict, scop: Scop, delinearised: set[str]) -> bool:
    return bool(v.dependences) and all(d.kind in _ARRAY_KINDS and scop.arrays.get(d.name, 0) > 0
                                       and d.name not in delinearised for d in v.dependences)


def _delinearised(a: RegionAnalysis, scop: Scop) -> set[str]:
    """Arrays the SCoP gives more dimensions than the source's subscripts have."""
    written: dict[str, int] = {}
    for acc in a.accesses:
        written[acc.base] = max(written.get(acc.base, 0), len(acc.indices))
    return {b for b, dims in scop.arrays.items() if dims > written.get(b, dims)}


def _confirm(v: LevelVerdict, deps: Dependences, scop: Scop, loop: Loop) -> None:
    """A dependence the pair test found without a loop bound (`unbounded`, not proven) becomes
    proven (`carried`) where ISL's dataflow over the exact bounds finds one carried on that array."""
    for k, d in enumerate(v.dependences):
        if d.kind == "unbounded" and _carries(deps.on({d.name}), scop, loop):
            d.kind = "carried"
            v.reasons[k] = (f"dependence on {d.name} carried by {loop.var or 'the loop'} (line {d.line}; "
                            f"ISL dataflow over the exact loop bounds)")


def pointer_bases(a: RegionAnalysis, scop: Scop) -> list[str]:
    """The SCoP's arrays that are pointers (they could overlap one another)."""
    types = a.context.types if a.context is not None else {}
    return sorted(b for b, dims in scop.arrays.items() if dims and types.get(b) == "ptr")


def refine_verdicts(a: RegionAnalysis, scop: Scop, deps: Dependences, alias_assumption: bool) -> list[Loop]:
    """Turn parallel the loops the hand-written tests called serial over array dependences that ISL
    shows are not carried; returns the loops changed."""
    changed = []
    pointers = pointer_bases(a, scop)
    if pointers and not alias_assumption:
        return changed
    delinearised = _delinearised(a, scop)
    for loop in a.loops:
        v = a.verdicts[id(loop)]
        if v.parallel or not _array_reasons_only(v, scop, delinearised) or points_into_other_arrays(loop, a):
            continue
        if _carries(deps.memory(), scop, loop):
            _confirm(v, deps, scop, loop)
            continue
        v.reasons.clear()
        v.dependences.clear()
        v.parallel, v.kind = True, ("reduction" if v.reduction_vars else "parallel")
        if len(pointers) > 1:
            v.assumptions.append(f"{', '.join(pointers)} do not overlap")
        v.assumptions.append("no dependence is carried (ISL dataflow over the exact loop bounds)")
        changed.append(loop)
    return changed
