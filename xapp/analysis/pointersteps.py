"""Pointers stepped like induction variables: `float *p = out + r*m; for (c) { *p = x; p++; }`.

idioms.py finds the closed form of a variable stepped on every path of each iteration of a loop nest;
for a pointer that form is an address: `out + r*m + c` at the store. Written as the array it points
into and an offset, the access is `out[r*m + c]`, which the pair test (arraydep.py) can judge, where
the pointer itself, written in every iteration, would stop the proof ("the pointer p changes inside
the loop"). The rewritten access lives only in the dependence test (deps.py), like the other rebased
pointers there: the region's own accesses keep their pointer.
"""
from __future__ import annotations

from .helpers import completed
from ..frontend.ir import Node

__all__ = ["address_parts"]

_ADDRESSES = frozenset({"ptr", "array"})


def address_parts(value: Node, types: dict[str, str]) -> tuple[str, Node] | None:
    """(array, offset) of an address written as one array or pointer plus integer terms, else None."""
    terms: list[tuple[int, Node]] = []
    _flatten(value, 1, terms)
    roots = [k for k, (_, n) in enumerate(terms) if n.kind == "ref" and types.get(n.op) in _ADDRESSES]
    if len(roots) != 1 or terms[roots[0]][0] != 1:
        return None                      # `p - q`, `2*p`, no pointer: not one address
    root = terms.pop(roots[0])[1]
    offset: Node = Node("int", value=0)
    for sign, n in terms:
        offset = Node("binop", op="+" if sign > 0 else "-", ty="int", children=[offset, n])
    return root.op, offset


def _flatten(node: Node, sign: int, out: list[tuple[int, Node]]) -> None:
    node = completed(node)
    if node.kind == "binop" and node.op in ("+", "-") and len(node.children) == 2:
        _flatten(node.children[0], sign, out)
        _flatten(node.children[1], sign if node.op == "+" else -sign, out)
    else:
        out.append((sign, node))
