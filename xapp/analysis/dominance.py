"""Scalars written before every read of an iteration, though under a branch.

`if (c) { t = y[i]; for (...) t += ...; y[i] = t; }` writes `t` under a condition, yet every read of
`t` sits after a plain write of `t` in the same block: on a path that skips the write, the reads are
skipped too, so no iteration reads a value an earlier iteration left. A write dominates a read here
when it is a statement of its own directly in a `{ ... }` block (not a branch's lone statement, not
under a label) and the read comes later in that block, nested at any depth. A block that holds `case`
labels, or a loop body with a `goto`, can reach the read without passing the write: never trusted.
"""
from __future__ import annotations

from ..frontend.ir import Node, parents, walk

__all__ = ["Dominance", "reads_dominated"]


class Dominance:
    """Which plain writes under `root` reach which later uses in the same pass through their block."""

    def __init__(self, root: Node):
        self.trusted = not any(n.kind == "goto" for n in walk(root))
        self.parents = parents(root) if self.trusted else {}
        self._inside: dict[int, set[int]] = {}

    def block(self, write: Node) -> Node | None:
        """The `{ ... }` block that holds the write as a statement of its own, else None."""
        up = self.parents.get(id(write))
        if up is not None and up.kind == "decl":          # `int t = e;`: the declaration is the statement
            up = self.parents.get(id(up))
        if up is None or up.kind != "compound" or up.op:  # a label (lowered as a named compound) is no block
            return None
        if any(c.kind == "case" for c in up.children):
            return None
        return up

    def dominates(self, write: Node, write_order: int, use: Node, use_order: int) -> bool:
        """The write is a statement of a block that holds the later use (at any depth)."""
        block = self.block(write) if self.trusted and write_order < use_order else None
        if block is None:
            return False
        if id(block) not in self._inside:
            self._inside[id(block)] = {id(n) for n in walk(block)}
        return id(use) in self._inside[id(block)]


def reads_dominated(loop_node: Node, writes: list, reads: list, self_reading) -> bool:
    """Whether every read (ScalarUse) follows, in its own block, a plain write that does not read the
    scalar itself. `self_reading(node)`: whether an assignment reads the value it replaces."""
    d = Dominance(loop_node)
    plain = [w for w in writes if not self_reading(w.node)]
    return bool(reads) and d.trusted and all(
        any(d.dominates(w.node, w.order, r.node, r.order) for w in plain) for r in reads)
