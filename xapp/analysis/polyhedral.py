"""The polyhedral model of one loop region, built once: its SCoP and dependences under one bounded
ISL context, or the reason there is none (not affine, or ISL's operation budget ran out).

region_facts.py builds it after the hand-written verdicts (isl_verdicts.py refines them with it);
portplan.py schedules it into a port plan.
"""
from __future__ import annotations

from dataclasses import dataclass

import islpy as isl

from .dataflow import Dependences, dependences
from .nest import RegionAnalysis
from .schedule import MAX_OPERATIONS, IslBudgetExceeded, guarded, new_context
from .scop import NotAffine, Scop, extract_scop

__all__ = ["Polyhedral", "polyhedral_model"]


@dataclass(eq=False)
class Polyhedral:
    ctx: isl.Context
    scop: Scop
    deps: Dependences


def polyhedral_model(a: RegionAnalysis, max_operations: int = MAX_OPERATIONS) -> Polyhedral | str:
    """The region's SCoP and dependences, or why not (a sentence starting 'not affine:' or 'ISL gave up')."""
    if a.is_kernel or not a.loops:
        return "not affine: an OpenCL kernel" if a.is_kernel else "not affine: no loop"
    ctx = new_context(max_operations)
    try:
        scop = guarded(ctx, extract_scop, a, ctx)
        return Polyhedral(ctx, scop, guarded(ctx, dependences, scop))
    except NotAffine as exc:
        return f"not affine: {exc}"
    except IslBudgetExceeded as exc:
        return f"ISL gave up: {exc}"
