"""The values an index takes over one counted loop with constant bounds (a callee's `p[2 - b]`).

`for (b = 0; b < 3; b++) pix[2 - b] = ...` touches pix[0..2]: the index is a polynomial in one loop
variable, the loop starts at a constant, runs while `b < C` or `b <= C`, steps by one and never
assigns `b` in its body. Anything else (two variables, a bound that is not a constant, a step of
the variable in the body, more than `MAX_VALUES` values) has no known set of values.
"""
from __future__ import annotations

from ..frontend.ir import Node, walk
from .polyforms import poly

__all__ = ["counted_values", "MAX_VALUES"]

MAX_VALUES = 64
_STEPS_UP = frozenset({"++", "post++"})
_WRITES = frozenset({"=", "+=", "-=", "*=", "/=", "++", "--", "post++", "post--", "&"})   # (&b: a callee may set it)


def counted_values(index: Node, parents: dict[int, Node]) -> set[int] | None:
    """The values `index` takes, when it is a polynomial of the variable of one counted loop around it."""
    names = {n.op for n in walk(index) if n.kind == "ref"}
    if len(names) != 1:
        return None
    var = names.pop()
    span = _range(var, _enclosing_for(index, var, parents))
    p = poly(index, {}, frozenset({var}))
    if span is None or p is None or any(set(m) - {var} for m in p):
        return None
    return {sum(c * v ** len(m) for m, c in p.items()) for v in span}


def _enclosing_for(node: Node, var: str, parents: dict[int, Node]) -> Node | None:
    up = parents.get(id(node))
    while up is not None:
        if up.kind == "for" and _loop_var(up) == var:
            return up
        up = parents.get(id(up))
    return None


def _loop_var(loop: Node) -> str | None:
    init = loop.child("init")
    if init is None:
        return None
    if init.kind == "decl" and len(init.children) == 1:
        return init.children[0].op
    if init.kind == "binop" and init.op == "=" and init.children and init.children[0].kind == "ref":
        return init.children[0].op
    return None


def _range(var: str, loop: Node | None) -> range | None:
    if loop is None:
        return None
    init, cond, inc, body = (loop.child(r) for r in ("init", "cond", "inc", "body"))
    start = _start(init)
    if start is None or cond is None or inc is None or body is None:
        return None
    if not (inc.kind == "unop" and inc.op in _STEPS_UP and inc.children and inc.children[0].op == var):
        return None
    if cond.kind != "binop" or cond.op not in ("<", "<=") or len(cond.children) != 2 \
            or cond.children[0].kind != "ref" or cond.children[0].op != var or cond.children[1].value is None:
        return None
    end = cond.children[1].value + (1 if cond.op == "<=" else 0)
    if end - start > MAX_VALUES or _assigned(var, body):
        return None
    return range(start, end)


def _start(init: Node | None) -> int | None:
    if init is None:
        return None
    value = init.children[0].children[0] if init.kind == "decl" and init.children and init.children[0].children \
        else init.children[1] if init.kind == "binop" and len(init.children) == 2 else None
    return value.value if value is not None else None


def _assigned(var: str, body: Node) -> bool:
    return any(n.kind in ("binop", "assign_op", "unop") and n.op in _WRITES and n.children
               and n.children[0].kind == "ref" and n.children[0].op == var for n in walk(body))
