"""Loop bounds computed exactly where the source's int arithmetic overflows.

clang folds `i < N * N` in the source's int type, so with -D N=65536 the bound wraps to 0
and the loop looks empty. A size that large is what a user sweeping N means, so the bound
is refolded with Python integers from its operands, and a warning names the expression:
the compiled program itself would overflow there.
"""
from __future__ import annotations

import operator

from ..frontend.ir import Node, UnitIR, all_nodes

__all__ = ["refold_loop_bounds"]

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "<<": operator.lshift}
_SYMBOL = {"+": "+", "-": "-", "*": "*", "<<": "<<"}


def _exact(node: Node) -> tuple[int | None, str]:
    """(exact value, text) of an integer constant expression, as far as its operands are known."""
    if node.kind == "binop" and node.op in _OPS and len(node.children) == 2:
        (a, ta), (b, tb) = _exact(node.children[0]), _exact(node.children[1])
        if a is not None and b is not None and not (node.op == "<<" and not 0 <= b < 128):
            return _OPS[node.op](a, b), f"{ta} {_SYMBOL[node.op]} {tb}"
    text = node.op if node.kind == "ref" and node.op else (str(node.value) if node.value is not None else "?")
    return node.value, text


def _refold(node: Node, line: int, warnings: list[str]) -> None:
    for n in all_nodes(node):
        if n.kind != "binop" or n.op not in _OPS or n.ty != "int":
            continue
        exact, text = _exact(n)
        if exact is not None and exact != n.value and not INT_MIN <= exact <= INT_MAX:
            warnings.append(f"line {line}: {text} = {exact} overflows int in the source; sized exactly here")
            n.value = exact


def refold_loop_bounds(unit: UnitIR) -> dict[int, list[str]]:
    """Fix overflowed constant bounds in every for header; line of the loop -> warnings."""
    out: dict[int, list[str]] = {}
    for fn in unit.functions:
        for n in all_nodes(fn.body):
            if n.kind != "for":
                continue
            found: list[str] = []
            for part in n.children:
                if part.role in ("init", "cond"):
                    _refold(part, n.line, found)
            if found:
                out[n.line] = found
    return out
