"""Row pointers into an array of fixed-length rows, with strides the code does not state.

`auto *out_row = out + 3*i; out_row[0*ostride] = v0; out_row[1*ostride] = v1; out_row[2*ostride] = v2;`
(HeCBench cross, PyTorch's cross-product kernel) gives iteration i the row of 3 elements at 3*i and
writes inside it at multiples of a stride the caller passes. The pair test cannot separate
`out[3i + ostride]` from `out[3i']` (ostride = 3 makes them one element), so the loop stayed serial.
What makes it parallel is what the row pointer states: each iteration works in its own row. When
every access of an array in the loop goes through pointers declared in the body as `X + c*i + r`
(one c > 0, a constant; r the same and unchanged by the loop), and each subscript through them is a
constant inside the row (0 <= k < c) or a value the loop does not change, the iterations are taken
to touch disjoint rows, and the loop lists "accesses through P stay within its row of c elements"
among its assumptions. A constant outside the row (`p = out + i; p[1] = ...`), a subscript that
changes in the loop, or any direct access of X keeps the pair test's verdict.
"""
from __future__ import annotations

from ..frontend.ir import Node
from .nest import Access, Loop, RegionAnalysis
from .polyforms import poly, symbols

__all__ = ["row_assumption"]


def row_assumption(accs: list[Access], loop: Loop, a: RegionAnalysis, pointers: dict[str, Node],
                   changing: set[str]) -> str | None:
    """The assumption under which the accesses `accs` of one array (rebased from row pointers) touch
    disjoint rows in different iterations of `loop`, or None when they do not all qualify.
    `pointers`: pointers declared once in the body -> their initial value; `changing`: variables
    the loop changes (its loop variables and written scalars)."""
    raw = {id(acc.node): acc for acc in a.accesses if loop in acc.loops}
    originals = [raw.get(id(acc.node)) for acc in accs]
    if any(o is None or o.base not in pointers for o in originals):
        return None
    rows = {o.base: _row(pointers[o.base], loop, a, changing) for o in originals}
    shapes = {r for r in rows.values()}
    if None in shapes or len(shapes) != 1:
        return None
    length = next(iter(shapes))[0]
    inside = [_inside(o, length, a, changing) for o in originals]
    if None in inside or all(inside):
        return None        # (constants only: the pair test has judged them exactly)
    names = ", ".join(sorted({o.base for o in originals}))
    return f"accesses through {names} stay within its row of {length} elements"


def _row(init: Node, loop: Loop, a: RegionAnalysis, changing: set[str]) -> tuple[int, tuple] | None:
    """(c, r) for an initial value `X + e` with e = c*i + r, c > 0 a constant and r unchanged by the loop."""
    if init.kind != "binop" or init.op != "+" or len(init.children) != 2 or init.children[0].kind != "ref":
        return None
    e = poly(init.children[1], a.defs, a.loop_vars)
    if e is None or loop.var is None:
        return None
    c = e.get((loop.var,), 0)
    rest = {m: k for m, k in e.items() if m != (loop.var,)}
    if c <= 0 or symbols(rest) & changing:
        return None
    return c, (init.children[0].op, tuple(sorted(rest.items())))


def _inside(acc: Access, length: int, a: RegionAnalysis, changing: set[str]) -> bool | None:
    """True: a constant subscript inside the row; False: one the loop does not change (assumed
    inside); None: a constant outside it, or a subscript that changes or cannot be read."""
    if not acc.indices:
        return True                       # *p: the row's first element
    if len(acc.indices) != 1:
        return None
    p = poly(acc.indices[0], a.defs, a.loop_vars)
    if p is None or symbols(p) & changing:
        return None
    if not symbols(p):
        k = p.get((), 0)
        return True if 0 <= k < length else None
    return False
