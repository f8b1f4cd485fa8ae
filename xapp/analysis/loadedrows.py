"""A row pointer loaded from memory that the loop does not change, as one named base.

`path[t-1][iState] = maxState` (HeCBench hmm, `int **path`) stores through the pointer `path[t-1]`,
a load. The front end cannot name such a location (the base of the access is a load, not a
variable), so every pair with it was "could not prove". When the load reads an array the loop never
stores to, at a subscript the loop never changes, it yields the same pointer in every iteration: the
accesses through it are accesses of one array, named by the load's text (`path[t - 1]`), tested
against each other as any array's are. That this row overlaps no other array the loop writes is the
alias assumption every distinct base carries (stated, or serial with `--no-alias-assumption`).
"""
from __future__ import annotations

from dataclasses import replace

from ..frontend.ir import Node, walk
from .nest import Access, Loop, RegionAnalysis

__all__ = ["RowLoads"]

_MAX_TEXT = 80


class RowLoads:
    """Names for the loop-invariant row pointers one loop stores or loads through."""

    def __init__(self, loop: Loop, a: RegionAnalysis, written: set[str]):
        varying = {l.var for l in a.loops if l.var and loop in l.chain()}
        self.changing = written | varying
        self.stored = {acc.base for acc in a.accesses if acc.store and loop in acc.loops}

    def named(self, acc: Access) -> Access:
        """The access with its base named by its row load, or the access as it is."""
        if acc.base or acc.kind != "subscript" or not acc.indices:
            return acc
        row = _row(acc)
        text = _text(row) if row is not None and row.ty == "ptr" and row.kind == "subscript" else None
        if text is None or len(text) > _MAX_TEXT or not self._invariant(row):
            return acc
        return replace(acc, base=text)

    def _invariant(self, row: Node) -> bool:
        for n in walk(row):
            if n.kind == "ref" and n.op in self.changing:
                return False
        root = row
        while root.kind == "subscript" and root.children:
            root = root.children[0]
        return root.kind == "ref" and root.op not in self.stored


def _row(acc: Access) -> Node | None:
    """The pointer under the access's own subscripts: `path[t-1]` of `path[t-1][iState]`."""
    n = acc.node
    for _ in acc.indices:
        if n.kind != "subscript" or len(n.children) != 2:
            return None
        n = n.children[0]
    return n


def _text(n: Node) -> str | None:
    """`path[t - 1]`: the load written out, None for anything but names, integers, subscripts and
    integer arithmetic."""
    if n.kind == "ref":
        return n.op
    if n.kind == "int" and n.value is not None:
        return str(n.value)
    parts = [_text(c) for c in n.children]
    if None in parts:
        return None
    if n.kind == "subscript" and len(parts) == 2:
        return f"{parts[0]}[{parts[1]}]"
    if n.kind == "binop" and n.op in ("+", "-", "*") and len(parts) == 2:
        return f"{parts[0]} {n.op} {parts[1]}"
    return None
