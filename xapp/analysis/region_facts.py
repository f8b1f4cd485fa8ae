"""Everything known about one region before feature families read it: its analysis (xapp.analysis.nest)
completed with the dependence verdict of each loop and the loop variable a GPU thread would take."""
from __future__ import annotations

from .nest import FunctionContext, RegionAnalysis, analyse, function_context
from .deps import loop_verdicts
from . import idioms
from .helpers import summarise_calls
from .index_terms import index_functions
from .paramspan import summarise_span_calls
from .isl_verdicts import pointer_bases, refine_verdicts
from .polyhedral import Polyhedral, polyhedral_model
from .schedule import IslBudgetExceeded, guarded
from .nest import single_definitions
from .calls import UnitFacts
from .calls import unit_facts as _unit_facts
from ..frontend.ir import UnitIR, all_nodes
from .regions import Region

__all__ = ["region_facts", "function_context", "unit_facts"]


def unit_facts(unit: UnitIR, sizes: dict[str, int] | None = None) -> UnitFacts:
    """Call effects and call-site constants of the whole file, computed once (`sizes`: the user's)."""
    return _unit_facts(unit, lambda fn: single_definitions(all_nodes(fn.body)), sizes)


def _thread_vars(a: RegionAnalysis) -> tuple[str, ...]:
    """The loop variable a GPU thread would take: the innermost parallel loop that is not a
    reduction (or, in OpenCL, get_global_id(0)/get_local_id(0)); without one, the innermost loop."""
    if a.is_kernel:
        return ("gid0", "lid0")
    counted = [l for l in a.loops if l.var]
    parallel = [l for l in counted if a.verdicts[id(l)].parallel]
    # A reduction level (k in a matrix product) stays serial inside each thread.
    pool = [l for l in parallel if not a.verdicts[id(l)].reductions] or parallel or counted
    if not pool:
        return ()
    return (max(pool, key=lambda l: l.depth).var,)


def region_facts(region: Region, unit: UnitIR, context: FunctionContext | None = None,
                 alias_assumption: bool = True) -> RegionAnalysis:
    a = analyse(region, unit, context)
    summarise_calls(a, unit)  # same-file helpers' accesses, in the caller's terms
    a.index_functions = index_functions(unit)   # `v[ind(i, j, n)]` is read as `v[i*n + j]`
    summarise_span_calls(a, unit)   # calls writing through pointers at constant offsets: those elements
    idioms.apply(a)          # index scalars, induction variables and inner gotos, before the dependence test
    a.verdicts = loop_verdicts(a, alias_assumption)
    a.polyhedral = polyhedral_model(a)
    if isinstance(a.polyhedral, Polyhedral):
        a.polyhedral = _overlapping(a, a.polyhedral, alias_assumption)
    if isinstance(a.polyhedral, Polyhedral):
        _refine(a, a.polyhedral, alias_assumption)
    a.thread_vars = _thread_vars(a)
    return a


def _overlapping(a: RegionAnalysis, p: Polyhedral, alias_assumption: bool) -> Polyhedral | str:
    """The SCoP takes distinct names for distinct arrays: with the alias assumption off, a region that
    writes through one of several pointers has no polyhedral model."""
    pointers = pointer_bases(a, p.scop)
    written = {b for s in p.scop.statements for b, _ in s.writes}
    if alias_assumption or len(pointers) < 2 or not written & set(pointers):
        return p
    return f"not modelled: {', '.join(pointers)} may overlap (pointers; the alias assumption is off)"


def _refine(a: RegionAnalysis, p: Polyhedral, alias_assumption: bool) -> None:
    """ISL's second look at loops the hand-written tests call serial (isl_verdicts.py)."""
    try:
        guarded(p.ctx, refine_verdicts, a, p.scop, p.deps, alias_assumption)
    except IslBudgetExceeded as exc:
        a.polyhedral = f"ISL gave up: {exc}"
