"""The range test for subscripts that are polynomials in the sizes: `ll*nz*hs + k*hs + s`.

After the idea of the Range Test (W. Blume and R. Eigenmann, "The Range Test: a dependence test for
symbolic, non-linear expressions", Supercomputing 1994; Polaris): two accesses touch one element
when the difference D of their subscripts is zero. D is a sum over loop variables of a coefficient
polynomial in the parameters times the variable, plus a parameter polynomial. When a parameter
polynomial M > 0 divides part of D, D = M*H + L, and every point of the iteration space keeps
-M < L < M, then D = 0 forces L = 0 and H = 0 (L is a multiple of M smaller than M): the subscript
splits like the digits of a mixed-radix number. `i*N + j` with 0 <= j < N splits into i and j;
`(i + sizex*j)*Nmats + mat` with 0 <= mat < Nmats into mat (the lowest digit, tested on mat, the
permuted order) and i + sizex*j. Peeling repeats until every equation is linear in the loop
variables; those go to ISL with the loop bounds as before. The bound -M < L < M is itself decided by
ISL over the loop bounds (a product of parameters is one unknown there: a relaxation, so a proof
holds for the real values), so M > 0 needs no separate proof: a loop `for (s = 0; s < hs; s++)`
that runs has hs >= 1, and where no iteration exists there is no dependence either. Where the lower
digits of the two accesses can add up past the modulus but stay below twice it (`(n-1-i)*n + n-1-j`
against `i*n + j`), L is -M, 0 or M: three alternative systems, each split further. Where the bounds
of L's loops do not name M at all (`a[i*n + j]` with `j < m`), L staying below M is assumed, as
compilers delinearise, and the caller lists the assumption; where they name it (`j <= n`), nothing
is assumed.
A bound that fails (`a[i*N + j]` with j up to N) leaves the equation unsplit: no proof.
"""
from __future__ import annotations

from math import gcd
from typing import Callable

from .polyforms import Poly

__all__ = ["digits", "divide", "Split", "RangeFacts", "MAX_SYSTEMS"]

_MAX_CANDIDATES = 12
MAX_SYSTEMS = 27        # alternatives (carries) one subscript pair may split into
_MAX_DEPTH = 10         # digits peeled one under another (vol2col: seven, from the column up to the channel)


def _order(m: tuple) -> tuple:
    return (len(m), m)


def _minus(m: tuple, part: tuple) -> tuple | None:
    rest = list(m)
    for s in part:
        if s not in rest:
            return None
        rest.remove(s)
    return tuple(rest)


def _add_term(p: Poly, m: tuple, c: int) -> None:
    p[m] = p.get(m, 0) + c
    if not p[m]:
        del p[m]


def divide(p: Poly, m: Poly) -> tuple[Poly, Poly]:
    """(q, r) with p = m*q + r, integer coefficients; no term of r is divisible by m's leading term."""
    lead = max(m, key=_order)
    lc = m[lead]
    p, q, r = dict(p), {}, {}
    while p:
        t = max(p, key=_order)
        c = p[t]
        rest = _minus(t, lead)
        if rest is None or c % lc:
            r[t] = c
            del p[t]
            continue
        _add_term(q, rest, c // lc)
        for mm, cm in m.items():
            _add_term(p, tuple(sorted(rest + mm)), -(c // lc) * cm)
    return q, r


def _by_symbol(d: Poly, is_loop: Callable[[str], bool]) -> dict[str, Poly] | None:
    """Loop symbol ('' for none) -> its coefficient polynomial; None when a term has two loop symbols."""
    out: dict[str, Poly] = {}
    for m, c in d.items():
        loops = [s for s in m if is_loop(s)]
        if len(loops) > 1:
            return None
        key = loops[0] if loops else ""
        _add_term(out.setdefault(key, {}), _minus(m, (key,)) if key else m, c)
    return out


def _joined(groups: dict[str, Poly]) -> Poly:
    out: Poly = {}
    for key, coeff in groups.items():
        for m, c in coeff.items():
            _add_term(out, tuple(sorted(m + ((key,) if key else ()))), c)
    return out


def _is_constant(p: Poly) -> bool:
    return all(not m for m in p)


def _normal(p: Poly) -> Poly:
    """p with positive leading coefficient and no common integer factor."""
    g = 0
    for c in p.values():
        g = gcd(g, c)
    sign = 1 if p[max(p, key=_order)] > 0 else -1
    return {m: sign * c // g for m, c in p.items()}


def _submonomials(m: tuple) -> set[tuple]:
    out = {()}
    for s in m:
        out |= {tuple(sorted(x + (s,))) for x in out}
    return out - {()}


def _candidates(groups: dict[str, Poly]) -> list[Poly]:
    """Moduli worth trying: the loop coefficients, their integer-free forms and factors of monomial ones."""
    seen: dict[tuple, Poly] = {}
    for key, coeff in groups.items():
        if not key or _is_constant(coeff):
            continue
        polys = [_normal(coeff)]
        if len(coeff) > 1:         # which sign is the positive one is for the bounds to tell
            polys.append({m: -c for m, c in polys[0].items()})
        whole = {m: c * (1 if coeff[max(coeff, key=_order)] > 0 else -1) for m, c in coeff.items()}
        if whole != polys[0]:      # 3*w in 3*(y*w + x) + c: the row is 3*w long, not w
            polys.append(whole)
        if len(coeff) == 1:
            polys += [{m: 1} for m in _submonomials(next(iter(coeff)))]
        for p in polys:
            seen.setdefault(tuple(sorted(p.items())), p)
    return _ranked(seen)


def _ranked(seen: dict[tuple, Poly]) -> list[Poly]:
    ranked = sorted(seen.values(), key=lambda p: (max(len(m) for m in p), len(p), sorted(p.items())))
    return ranked[:_MAX_CANDIDATES]


def _size_factors(groups: dict[str, Poly]) -> list[Poly]:
    """Moduli for a difference whose sizes multiply outside any loop coefficient: the factors of the
    products of parameters in its constant part (`x - x*y` in `i - (y-1)*x - i'`: x and y)."""
    seen: dict[tuple, Poly] = {}
    for m in groups.get("", {}):
        if len(m) > 1:
            for f in _submonomials(m) - {m}:
                seen.setdefault(tuple(sorted({f: 1}.items())), {f: 1})
    return _ranked(seen)


def _peel(groups: dict[str, Poly], modulus: Poly) -> tuple[Poly, Poly] | None:
    """(H, L) with D = modulus*H + L. L may be a polynomial in the loop symbols (`oh*width + ow`
    below `b*pitch`): then no bound proves it below the modulus, only an assumption may (_carries)."""
    high: dict[str, Poly] = {}
    low: dict[str, Poly] = {}
    for key, coeff in groups.items():
        q, r = divide(coeff, modulus)
        if q:
            high[key] = q
        if r:
            low[key] = r
    if not any(high.values()):
        return None
    return _joined(high), _joined(low)


class Split:
    """Alternative systems of equations (each linear in the loop symbols; d == 0 exactly when one
    system holds) and the moduli whose lower digit was assumed, not proven, to stay below them."""

    def __init__(self, systems: list[list[Poly]], assumed: list[Poly]):
        self.systems, self.assumed = systems, assumed


def _carries(low: Poly, modulus: Poly, test: "RangeFacts") -> tuple[tuple[int, ...], bool] | None:
    """The multiples of the modulus the lower digit can be, and whether that rests on an assumption:
    0 when -M < L < M; -1, 0 or 1 when -2M < L < 2M (two subscripts whose digits add up, `(n-1-i)`
    against `i`, carry one); 0, assumed, when the bounds of L say nothing about M."""
    if test.bounded(low, modulus):
        return (0,), False
    if test.bounded(low, {m: 2 * c for m, c in modulus.items()}):
        return (-1, 0, 1), False
    if modulus == _normal(modulus) and test.assumable(low, modulus):
        return (0,), True            # of a sign pair only the one written with a positive lead is assumed
    return None


class RangeFacts:
    """What the iteration space tells: `bounded(L, M)` proves -M < L < M at every point;
    `assumable(L, M)` says whether L staying below M may be assumed (nothing known either way)."""

    def __init__(self, is_loop: Callable[[str], bool], bounded: Callable[[Poly, Poly], bool],
                 assumable: Callable[[Poly, Poly], bool] = lambda low, modulus: False):
        self.is_loop, self.bounded, self.assumable = is_loop, bounded, assumable


def digits(d: Poly, test: RangeFacts, depth: int = 0) -> Split | None:
    """d == 0 split into equations linear in the loop symbols; None if it cannot be split."""
    groups = _by_symbol(d, test.is_loop)
    if groups is None or depth > _MAX_DEPTH:
        return None
    if all(_is_constant(c) for key, c in groups.items() if key):
        # linear in the loop symbols; a product of sizes left in it is one free unknown to ISL, so
        # split it by a factor where the bounds prove the rest below that factor (never assumed)
        return _split_sizes(groups, test, depth) or Split([[d]], [])
    for modulus in _candidates(groups):
        found = _split_by(groups, modulus, test, depth)
        if found is not None and len(found.systems) <= MAX_SYSTEMS:
            return found
    return None


def _split_sizes(groups: dict[str, Poly], test: "RangeFacts", depth: int) -> Split | None:
    proving = RangeFacts(test.is_loop, test.bounded)
    for modulus in _size_factors(groups):
        found = _split_by(groups, modulus, proving, depth)
        if found is not None and len(found.systems) <= MAX_SYSTEMS:
            return found
    return None


def _split_by(groups: dict[str, Poly], modulus: Poly, test: RangeFacts, depth: int) -> Split | None:
    peeled = _peel(groups, modulus)
    carries = _carries(peeled[1], modulus, test) if peeled is not None else None
    if carries is None:
        return None
    out = Split([], [modulus] if carries[1] else [])
    for t in carries[0]:
        high = digits(_sum(peeled[0], {(): t}), test, depth + 1)
        low_d = _sum(peeled[1], {m: -t * c for m, c in modulus.items()})
        low = digits(low_d, test, depth + 1) if low_d else Split([[]], [])
        if high is None or low is None:
            return None
        out.systems += [x + y for x in high.systems for y in low.systems]
        out.assumed += high.assumed + low.assumed
    return out


def _sum(a: Poly, b: Poly) -> Poly:
    out = dict(a)
    for m, c in b.items():
        _add_term(out, m, c)
    return out
