"""Branch conditions that hold where an access runs: constraints on that side of a dependence pair.

`if (j < RADIUS) temp[j] = ...` stores only where j < RADIUS; after `if (x >= W || y >= W) continue;`
(winograd) the rest of the body runs only where x < W and y < W. A pair test that adds these to
each side's iteration space tests only the iterations that do run the access. Read are `if` conditions
of the branch holding the access (a `then` branch gives the condition, an `else` branch its negation),
and `if (c) continue;` / `break;` / `return;` earlier in the same block (their negation), between the
access and the tested loop. A condition is a comparison of integer polynomials (`<`, `<=`, `>`, `>=`,
`==`) or a conjunction of them (`&&`; under a negation `||`); anything else (`!=`, a call, a load)
adds nothing, which only weakens the test. A condition is read only when nothing it names is written
from the `if` to the access (a value tested is the value used).
"""
from __future__ import annotations

from typing import Callable

from .polyforms import Poly, add, symbols
from ..frontend.ir import Node, walk

__all__ = ["Guard", "guards"]

Guard = tuple[Poly, bool]          # (p, exact): p >= 0, or p == 0 when exact
_JUMPS = frozenset({"continue", "break", "return"})
_FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!="}


def _comparison(op: str, a: Poly, b: Poly) -> list[Guard]:
    """a OP b as guards over the integers; `!=` gives none (it is two alternatives)."""
    if op == "<":
        return [(add(add(b, a, -1), {(): -1}), False)]
    if op == "<=":
        return [(add(b, a, -1), False)]
    if op == ">":
        return [(add(add(a, b, -1), {(): -1}), False)]
    if op == ">=":
        return [(add(a, b, -1), False)]
    if op == "==":
        return [(add(a, b, -1), True)]
    return []


def _condition(cond: Node | None, holds: bool, poly: Callable[[Node], Poly | None]) -> list[Guard]:
    """What `cond` (holds) or `!cond` (not holds) says, as guards; [] where it says nothing readable."""
    if cond is None:
        return []
    if cond.kind == "unop" and cond.op == "!" and len(cond.children) == 1:
        return _condition(cond.children[0], not holds, poly)
    if cond.kind != "binop" or len(cond.children) != 2:
        return []
    left, right = cond.children
    if cond.op in ("&&", "||"):
        if (cond.op == "&&") == holds:          # both parts hold: a && b, or !(a || b)
            return _condition(left, holds, poly) + _condition(right, holds, poly)
        return []
    op = cond.op if holds else _FLIP.get(cond.op, "")
    a, b = poly(left), poly(right)
    return _comparison(op, a, b) if a is not None and b is not None else []


def _jump_guard(stmt: Node) -> Node | None:
    """The condition of `if (c) continue;` (or `{ break; }`, `return ...;`) with no else, else None."""
    if stmt.kind != "if" or stmt.child("else") is not None:
        return None
    then = stmt.child("then")
    while then is not None and then.kind == "compound" and len(then.children) == 1:
        then = then.children[0]
    return stmt.child("cond") if then is not None and then.kind in _JUMPS else None


def _writes(nodes: list[Node]) -> set[str]:
    """Scalars assigned anywhere in `nodes`."""
    out = set()
    for n in (x for node in nodes for x in walk(node)):
        if n.kind in ("binop", "assign_op", "unop") and n.children and n.children[0].kind == "ref" and (
                n.kind == "assign_op" or n.op in ("=", "++", "--", "post++", "post--")):
            out.add(n.children[0].op)
        elif n.kind == "var":
            out.add(n.op)
    return out


def guards(node: Node, top: Node, parent_of: dict[int, Node],
           poly: Callable[[Node], Poly | None]) -> list[Guard]:
    """The guards of the code at `node` up to the loop `top` (its header excluded)."""
    out: list[Guard] = []
    child, up = node, parent_of.get(id(node))
    while up is not None and child is not top:
        if up.kind == "switch":
            return out                         # a `break` there leaves the switch, not the loop
        if up.kind == "if" and child.role in ("then", "else"):
            out += _stable(_condition(up.child("cond"), child.role == "then", poly), [child])
        elif up.kind == "compound":
            place = next(i for i, c in enumerate(up.children) if c is child)
            for i in range(place):
                cond = _jump_guard(up.children[i])
                if cond is not None and not any(c.kind == "case" for c in up.children[i + 1:place + 1]):
                    # (a case label between lets the switch enter past the jump)
                    out += _stable(_condition(cond, False, poly), up.children[i:place + 1])
        child, up = up, parent_of.get(id(up))
    return out


def _stable(found: list[Guard], code: list[Node]) -> list[Guard]:
    """The guards whose names `code` (from the condition to the access) never assigns."""
    written = _writes(code)
    return [g for g in found if not symbols(g[0]) & written]
