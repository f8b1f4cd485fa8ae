"""A legal schedule of a SCoP from ISL's scheduler (Pluto-style, as in PPCG and Polly).

Validity: every dependence but the relaxed reduction self-dependences (dataflow.py); coincidence:
all of them, so a member marked coincident runs its iterations independently (a reduction's loop
stays serial in each work-item); proximity: the validity dependences, so producers and consumers
stay close. The context asks for coincident outer members (`schedule_outer_coincidence`) and
maximal coincidence, which gives the outer parallel band a GPU mapping wants. Schedule coefficients
and constant terms are bounded by 20, as Polly bounds them (its `polly-opt-max-coefficient` and
`polly-opt-max-constant-term` options, 20 by default): without the bounds ISL's search on loops with
large constant trip counts (HeCBench match-omp, four statements over 16,384 x 16,384 points) ran 74 s
inside one call that the operation budget does not interrupt; with them it takes 10 ms and gives the
same schedule.

ISL's work is bounded per region (`max_operations`); when it runs out the region keeps the plan as
written and says so.
"""
from __future__ import annotations

import islpy as isl

from .dataflow import Dependences
from .scop import Scop

__all__ = ["new_context", "compute_schedule", "IslBudgetExceeded", "MAX_OPERATIONS"]

MAX_OPERATIONS = 500_000       # ISL operations per region: every canonical kernel plans within 100,000, 50,000 is too few for 3
MAX_SCHEDULE_TERM = 20         # Polly's default bound on schedule coefficients and constant terms


class IslBudgetExceeded(Exception):
    """ISL ran out of its operation budget on this region, or a polyhedral step failed on it."""


def new_context(max_operations: int = MAX_OPERATIONS) -> isl.Context:
    ctx = isl.Context()
    ctx.set_schedule_outer_coincidence(1)
    ctx.set_schedule_maximize_coincidence(1)
    ctx.set_schedule_max_coefficient(MAX_SCHEDULE_TERM)
    ctx.set_schedule_max_constant_term(MAX_SCHEDULE_TERM)
    ctx.set_max_operations(max_operations)
    return ctx


def compute_schedule(scop: Scop, deps: Dependences) -> isl.Schedule:
    validity = deps.validity()
    coincidence = deps.all()
    sc = isl.ScheduleConstraints.on_domain(scop.domain())
    sc = sc.set_validity(validity).set_coincidence(coincidence).set_proximity(validity)
    return sc.compute_schedule()


def guarded(ctx: isl.Context, fn, *args):
    """fn(*args), turning an exhausted operation budget (or any ISL failure) into IslBudgetExceeded
    and resetting the counter so the next region starts afresh."""
    try:
        return fn(*args)
    except isl.Error as exc:
        # islpy does not say which: past the budget ISL's calls fail with whatever error they meet
        text = str(exc).splitlines()[0] if str(exc) else "ISL failed"
        raise IslBudgetExceeded(f"ISL stopped (its budget of {ctx.get_max_operations():,} operations "
                                f"ran out, or an ISL error): {text}") from None
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError) as exc:
        # a shape the mapping does not handle must not cost the file its other results: the region
        # keeps the hand-written analysis and the reason is stated
        raise IslBudgetExceeded(f"the polyhedral step failed ({type(exc).__name__}: {exc})") from None
    finally:
        ctx.reset_operations()
