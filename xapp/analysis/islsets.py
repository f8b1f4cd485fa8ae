"""Integer-set emptiness for dependence problems, decided by ISL (exact for integer points).

A problem is a list of linear constraints over named integer unknowns: `(coefficients, constant)`
meaning  sum(c * x) + constant >= 0 , or == 0 for equalities. `feasible` answers False only when
no integer point satisfies them all (a proof of independence). ISL decides integer emptiness
exactly (where the Fourier-Motzkin elimination with GCD tightening it replaces was a rational
relaxation); its work is bounded, and a problem it gives up on counts as feasible ("maybe").
Each thread has its own ISL context (a context is not shared between threads).
"""
from __future__ import annotations

import threading

import islpy as isl

__all__ = ["Constraint", "feasible", "MAX_OPERATIONS"]

Constraint = tuple[dict[str, int], int]
MAX_OPERATIONS = 200_000
_local = threading.local()


def _context() -> isl.Context:
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        ctx = _local.ctx = isl.Context()
        ctx.set_max_operations(MAX_OPERATIONS)
    return ctx


def _val(ctx: isl.Context, v: int) -> isl.Val:
    return isl.Val.int_from_si(ctx, v) if abs(v) < 1 << 62 else isl.Val.read_from_str(ctx, str(v))


def _row(space: isl.Space, index: dict[str, int], c: Constraint, equality: bool) -> isl.Constraint:
    coeffs, const = c
    row = (isl.Constraint.equality_alloc if equality else isl.Constraint.inequality_alloc)(
        isl.LocalSpace.from_space(space))
    row = row.set_constant_val(_val(space.get_ctx(), const))
    for name, v in coeffs.items():
        if v:
            row = row.set_coefficient_val(isl.dim_type.set, index[name], _val(space.get_ctx(), v))
    return row


def feasible(inequalities: list[Constraint], equalities: list[Constraint] = ()) -> bool:
    """False only if the constraints have no integer solution."""
    ctx = _context()
    names = sorted({k for c, _ in list(inequalities) + list(equalities) for k in c})
    index = {n: i for i, n in enumerate(names)}
    space = isl.Space.set_alloc(ctx, 0, len(names))
    bset = isl.BasicSet.universe(space)
    try:
        for c in inequalities:
            bset = bset.add_constraint(_row(space, index, c, False))
        for c in equalities:
            bset = bset.add_constraint(_row(space, index, c, True))
        return not bset.is_empty()
    except isl.Error:
        return True              # out of budget (or too large a coefficient): not proven independent
    finally:
        ctx.reset_operations()
