"""A small integer-set emptiness test for dependence problems (Fourier-Motzkin with integer tightening).

A problem is a list of linear constraints over named integer unknowns. Each constraint is
`(coefficients, constant)` meaning  sum(c * x) + constant >= 0 , or == 0 for equalities.
`feasible` answers False only when no integer point satisfies them all (a proof of
independence); True means "maybe" (rational elimination is a relaxation, and a problem that
grows past a cap is not decided). Equalities are solved first: an equality with a unit
coefficient is substituted away exactly, the GCD test rejects one whose constant the
coefficients' gcd does not divide; the rest become two inequalities.
"""
from __future__ import annotations

from math import gcd

__all__ = ["Constraint", "feasible"]

Constraint = tuple[dict[str, int], int]
_MAX_CONSTRAINTS = 400


def _gcd_all(values) -> int:
    g = 0
    for v in values:
        g = gcd(g, v)
    return g


def _tighten(c: Constraint) -> Constraint | None:
    """Divide by the coefficients' gcd, flooring the constant (exact for integers); None if trivially true."""
    coeffs, const = c
    coeffs = {k: v for k, v in coeffs.items() if v}
    if not coeffs:
        return None
    g = _gcd_all(abs(v) for v in coeffs.values())
    if g > 1:
        coeffs = {k: v // g for k, v in coeffs.items()}
        const = const // g
    return coeffs, const


def _substitute(c: Constraint, var: str, expr: Constraint) -> Constraint:
    """Replace `var` in c by expr (coefficients, constant)."""
    coeffs, const = c
    a = coeffs.get(var, 0)
    if not a:
        return c
    out = {k: v for k, v in coeffs.items() if k != var}
    for k, v in expr[0].items():
        out[k] = out.get(k, 0) + a * v
    return out, const + a * expr[1]


def _no_integer_solution(coeffs: dict[str, int], const: int) -> bool:
    """`sum(coeffs) + const == 0` has no integer solution: a false constant, or the GCD test."""
    if not coeffs:
        return const != 0
    return const % _gcd_all(abs(v) for v in coeffs.values()) != 0


def _solve_equalities(eqs: list[Constraint], ineqs: list[Constraint]) -> list[Constraint] | None:
    """Substitute equalities away; None if one is integer-infeasible."""
    eqs = list(eqs)
    while eqs:
        coeffs, const = eqs.pop()
        coeffs = {k: v for k, v in coeffs.items() if v}
        if _no_integer_solution(coeffs, const):
            return None
        if not coeffs:
            continue
        unit = next((k for k, v in coeffs.items() if abs(v) == 1), None)
        if unit is None:
            ineqs = ineqs + [(coeffs, const), ({k: -v for k, v in coeffs.items()}, -const)]
            continue
        sign = coeffs[unit]
        # unit = -(sign) * (rest + const)
        expr = ({k: -sign * v for k, v in coeffs.items() if k != unit}, -sign * const)
        eqs = [_substitute(e, unit, expr) for e in eqs]
        ineqs = [_substitute(i, unit, expr) for i in ineqs]
    return ineqs


def feasible(inequalities: list[Constraint], equalities: list[Constraint] = ()) -> bool:
    """False only if the constraints have no integer solution."""
    rows = _solve_equalities(list(equalities), list(inequalities))
    if rows is None:
        return False
    pending = _tightened(rows)
    if pending is None:
        return False
    while pending:
        var = _pick(pending)
        lower = [r for r in pending if r[0].get(var, 0) > 0]
        upper = [r for r in pending if r[0].get(var, 0) < 0]
        rest = [r for r in pending if not r[0].get(var, 0)]
        if len(rest) + len(lower) * len(upper) > _MAX_CONSTRAINTS:
            return True
        combined = _tightened([_combine(lo, up, var) for lo in lower for up in upper])
        if combined is None:
            return False
        pending = _dedupe(rest + combined)
    return True


def _tightened(rows: list[Constraint]) -> list[Constraint] | None:
    """Each row tightened; rows left without variables are dropped, or None when one of them is false."""
    out: list[Constraint] = []
    for r in rows:
        t = _tighten(r)
        if t is None:
            if r[1] < 0:
                return None
            continue
        out.append(t)
    return out


def _combine(lo: Constraint, up: Constraint, var: str) -> Constraint:
    """Fourier-Motzkin: the row a lower and an upper bound of `var` imply, with `var` eliminated."""
    a, b = lo[0][var], -up[0][var]
    coeffs = {}
    for k in set(lo[0]) | set(up[0]):
        if k != var:
            coeffs[k] = b * lo[0].get(k, 0) + a * up[0].get(k, 0)
    return coeffs, b * lo[1] + a * up[1]


def _pick(rows: list[Constraint]) -> str:
    """The unknown whose elimination creates the fewest new constraints."""
    counts: dict[str, list[int]] = {}
    for coeffs, _ in rows:
        for k, v in coeffs.items():
            pair = counts.setdefault(k, [0, 0])
            pair[0 if v > 0 else 1] += 1
    return min(sorted(counts), key=lambda k: counts[k][0] * counts[k][1] - counts[k][0] - counts[k][1])


def _dedupe(rows: list[Constraint]) -> list[Constraint]:
    """Keep, per coefficient vector, the tightest constant."""
    best: dict[tuple, int] = {}
    for coeffs, const in rows:
        key = tuple(sorted(coeffs.items()))
        if key not in best or const < best[key]:
            best[key] = const
    return [(dict(k), c) for k, c in best.items()]
