"""Mean trip counts of loops whose bounds move with an enclosing loop (triangular nests).

`for (j = i + 1; j < N; j++)` inside `for (i = 0; i < N; i++)` has no single trip count, but
its mean over the outer iterations is exact for the nest's total work: N - mean(i) - 1. Each
bound is an affine form over enclosing loop variables, evaluated at their mean values.
Loops whose trip is statically known keep it; others stay unknown.
"""
from __future__ import annotations

from .affine import SYMBOLIC, affine
from .nest import Loop, RegionAnalysis, _step
from .reductions import same_tree

__all__ = ["mean_trips"]

_INCREASING = {"<": 0, "<=": 1, "!=": 0}
_DECREASING = {">": 0, ">=": 1, "!=": 0}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "!=": "!="}


def _picked(node, a: RegionAnalysis, means: dict[str, float]) -> float | None:
    """min/max bounds, as a call (`min(t + 16, N)`) or a MIN macro's `a < b ? a : b`, at the means."""
    kids = node.children
    if node.kind == "call" and node.op.lstrip("f").rstrip("fl").removeprefix("std::") in ("min", "max") \
            and len(kids) == 2:
        x, y = _value(kids[0], a, means), _value(kids[1], a, means)
        pick = min if "min" in node.op else max
        return None if x is None or y is None else pick(x, y)
    if node.kind == "cond" and len(kids) == 3 and kids[0].kind == "binop" and len(kids[0].children) == 2 \
            and kids[0].op in ("<", "<=", ">", ">="):
        p, q = kids[0].children
        if not (same_tree(kids[1], p) and same_tree(kids[2], q) or same_tree(kids[1], q) and same_tree(kids[2], p)):
            return None
        x, y = _value(p, a, means), _value(q, a, means)
        smaller = (kids[0].op in ("<", "<=")) == same_tree(kids[1], p)
        return None if x is None or y is None else (min if smaller else max)(x, y)
    return None


def _size(a: RegionAnalysis, symbol: str) -> int | None:
    sizes = a.context.sizes if a.context is not None else None
    return sizes.lookup(symbol) if sizes is not None else None


def _value(node, a: RegionAnalysis, means: dict[str, float]) -> float | None:
    """The bound's value with enclosing loop variables at their means and sizes at their values."""
    if node is not None and node.kind in ("call", "cond"):
        return _picked(node, a, means)
    form = affine(node, a.defs, a.loop_vars) if node is not None else None
    if form is None:
        fixed = a.context.sizes.value(node) if node is not None and a.context and a.context.sizes else None
        return None if fixed is None else float(fixed)
    total = 0.0
    for symbol, coeff in form.items():
        if coeff == SYMBOLIC:
            return None
        value = means.get(symbol) if symbol else 1.0
        if value is None:
            value = _size(a, symbol)
        if value is None:
            return None
        total += coeff * value
    return total


def _header(loop: Loop):
    """(start node, comparison, bound node, step) of `for (v = start; v OP bound; v++/--)`."""
    node = loop.node
    init, cond, inc = node.child("init"), node.child("cond"), node.child("inc")
    if node.kind != "for" or loop.var is None or init is None or cond is None or inc is None:
        return None
    start = _start_node(init)
    if start is None:
        return None
    compared = _compared(cond, loop.var)
    if compared is None:
        return None
    op, bound = compared
    step = _step(inc, loop.var)
    return (start, op, bound, step) if step else None


def _start_node(init):
    """X of `int v = X` or `v = X`, else None."""
    if init.kind == "decl" and init.children and init.children[0].children:
        return init.children[0].children[0]
    if init.kind == "binop" and init.op == "=" and len(init.children) == 2:
        return init.children[1]
    return None


def _compared(cond, var: str):
    """(OP, bound node) of `v OP bound`, or of `bound OP v` turned round; None otherwise."""
    if cond.kind != "binop" or len(cond.children) != 2 or cond.op not in _FLIP:
        return None
    left, right = cond.children
    op, bound = (cond.op, right) if left.kind == "ref" and left.op == var else (_FLIP[cond.op], left)
    if bound is left and not (right.kind == "ref" and right.op == var):
        return None
    return op, bound


def _mean_trip(loop: Loop, a: RegionAnalysis, means: dict[str, float]) -> tuple[float, float] | None:
    """(mean trip, mean value of the loop variable), or None."""
    header = _header(loop)
    if header is None:
        return None
    start_node, op, bound_node, step = header
    start, bound = _value(start_node, a, means), _value(bound_node, a, means)
    if start is None or bound is None:
        return None
    table = _INCREASING if step > 0 else _DECREASING
    if op not in table:
        return None
    span = (bound - start if step > 0 else start - bound) + table[op]
    trip = max(span, 0.0) if abs(step) == 1 else float(-(-max(span, 0.0) // abs(step)))   # whole steps
    return trip, start + step * (trip - 1) / 2 if trip else start


def mean_trips(a: RegionAnalysis) -> dict[int, float | None]:
    """id(loop) -> its trip (exact where known, the mean over enclosing iterations where the bounds
    are affine in enclosing loop variables), or None."""
    out: dict[int, float | None] = {}
    means: dict[str, float] = {}
    for loop in a.loops:                      # parents come before their children
        found = _mean_trip(loop, a, means)
        out[id(loop)] = float(loop.trip) if loop.trip is not None else (found[0] if found else None)
        if loop.var and found:
            means[loop.var] = found[1]
    return out
