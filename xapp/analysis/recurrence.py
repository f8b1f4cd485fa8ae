"""Recurrences: an innermost loop whose iteration reads what the iteration before it stored.

seidel-2d's `A[i][j] = (... + A[i][j-1] + ...) / 9.0`, durbin's `sum[i+1][k] = sum[i][k] + ...`:
each iteration waits for the value the previous one computed, so the loop runs no faster than the
latency of the operations between the carried load and the store (six adds and a division in
seidel-2d, about 6 ns on a current core, where its throughput alone would allow about 1 ns). A
reduction (`s += ...`) is not one of these: workload._chains counts it.

For each innermost loop with a flow dependence on a name that the dependence test reports
(deps.LevelVerdict.dependences), each unconditional store to that name in the loop is followed back
to the loads of the same name in its own right-hand side that read an element an earlier iteration
stored (same subscripts but the one that moves with the loop, offset backwards by d iterations);
the operations on the path from such a load up to the store are the chain, shared by d interleaved
iterations. A scalar updated from its own previous value (`y = a * y + x[i]`) is a chain of d = 1.
A recurrence through another statement (a temporary between the load and the store) or under a
branch is not followed: it is not charged (the model then stays at the loop's throughput).
"""
from __future__ import annotations

import math

from .affine import affine
from .nest import Access, Loop, RegionAnalysis
from .mathfuncs import SQRT
from ..frontend.ir import FLOAT_TYPES, Node, all_nodes, parents

__all__ = ["Recurrence", "recurrences", "OP_KINDS"]

# The operation kinds a chain is made of, in the order a Recurrence counts them.
OP_KINDS = ("add", "mul", "div", "sqrt", "call", "int")
_BY_OP = {"+": "add", "-": "add", "+=": "add", "-=": "add", "*": "mul", "*=": "mul", "/": "div", "/=": "div"}
_INT_MUL = frozenset({"*", "*="})     # an integer multiply: 3 cycles, charged as the multiply latency
_INT_OPS = frozenset({"+", "-", "+=", "-=", "&", "|", "^", "<<", ">>", "&=", "|=", "^=", "<<=", ">>="})

# (iterations / d, floating-point adds, multiplies, divisions, square roots, other calls, integer
# adds and bit operations, loop index): the loop index groups the paths of one loop (the longest
# of them sets its pace).
Recurrence = tuple


def _op_kind(n: Node) -> str | None:
    if n.kind in ("binop", "assign_op") and n.ty in FLOAT_TYPES:
        return _BY_OP.get(n.op)
    if n.kind in ("binop", "assign_op") and n.ty == "int":
        return "mul" if n.op in _INT_MUL else "int" if n.op in _INT_OPS else None
    if n.kind == "call":
        return "sqrt" if n.op in SQRT else "call"
    return None


def _path_ops(load: Node, assign: Node) -> list[int]:
    """Counts (OP_KINDS order) of the operations from `load` up to `assign`."""
    up, counts = parents(assign), [0] * len(OP_KINDS)
    n = up.get(id(load))
    while n is not None:
        kind = _op_kind(n)
        if kind:
            counts[OP_KINDS.index(kind)] += 1
        n = up.get(id(n))
    return counts


def _backward_distance(store: Access, load: Access, loop: Loop, a: RegionAnalysis) -> int | None:
    """d > 0 when `load` reads the element `store` wrote d iterations of `loop` earlier; else None."""
    if len(store.indices) != len(load.indices) or not store.indices:
        return None
    distance = None
    for s_ix, l_ix in zip(store.indices, load.indices):
        sf, lf = affine(s_ix, a.defs, a.loop_vars), affine(l_ix, a.defs, a.loop_vars)
        if sf is None or lf is None:
            return None
        if {k: v for k, v in sf.items() if k != ""} != {k: v for k, v in lf.items() if k != ""}:
            return None
        step = sf.get(loop.var, 0)
        gap = sf.get("", 0) - lf.get("", 0)
        if not isinstance(step, int) or not isinstance(gap, int):
            return None
        if step == 0:
            if gap:
                return None            # another row: never the element an earlier iteration stored
            continue
        if gap % step or distance is not None:
            return None
        distance = gap // step * _direction(loop)
    return distance if distance and distance > 0 else None


def _direction(loop: Loop) -> int:
    inc = loop.node.child("inc")
    text = {n.op for n in all_nodes(inc)} if inc is not None else set()
    return -1 if text & {"--", "post--", "-="} else 1


def _array_paths(loop: Loop, names: set[str], a: RegionAnalysis) -> list[tuple[float, list[int]]]:
    """(1 / d, op counts) for each carried path through an array element of `loop`."""
    mine = [acc for acc in a.accesses if acc.loops and acc.loops[-1] is loop and acc.base in names
            and acc.kind == "subscript" and acc.assign is not None]
    out = []
    for store in (acc for acc in mine if acc.store and loop not in acc.conditional_in):
        for load in (acc for acc in mine if acc.load and acc.assign is store.assign and acc is not store):
            d = _backward_distance(store, load, loop, a)
            if d:
                out.append((1.0 / d, _path_ops(load.node, store.assign)))
    return out


def _scalar_paths(loop: Loop, names: set[str], a: RegionAnalysis) -> list[tuple[float, list[int]]]:
    """(1, op counts) for each scalar the loop updates from its own value of the iteration before:
    `y = a * y + x[i]`, `s = s * 1103515245u + 12345u` (an unconditional assignment reading the
    scalar in its right-hand side, with no write to it earlier in the iteration)."""
    mine = [u for u in a.scalars if u.loops and u.loops[-1] is loop and u.name in names]
    out = []
    for w in (u for u in mine if u.write and loop not in u.conditional_in):
        if any(u.write and u.name == w.name and u.order < w.order for u in mine):
            continue
        node = w.node
        if node.kind == "assign_op":                   # y *= a: the operation itself
            out.append((1.0, _path_ops(node.children[0], node) if node.children else [0] * len(OP_KINDS)))
        elif node.kind == "binop" and node.op == "=" and len(node.children) == 2:
            out += [(1.0, _path_ops(n, node)) for n in all_nodes(node.children[1])
                    if n.kind == "ref" and n.op == w.name]
    return out


def recurrences(a: RegionAnalysis, trips: dict) -> tuple[Recurrence, ...]:
    """The carried paths of the region's innermost loops (see the module docstring)."""
    out = []
    for index, loop in enumerate(a.loops):
        v = a.verdicts.get(id(loop))
        if loop.children or v is None or loop.var is None:
            continue
        # arrays: a flow dependence the test proved; scalars: one it could not rule out, confirmed
        # by the assignment's shape (_scalar_paths)
        arrays = {d.name for d in v.dependences if d.kind == "flow"}
        scalars = {d.name for d in v.dependences if d.kind in ("flow", "unknown")}
        if not scalars:
            continue
        iterations = math.prod(trips[id(l)] for l in loop.chain())
        for share, ops in _array_paths(loop, arrays, a) + _scalar_paths(loop, scalars, a):
            if any(ops):
                out.append((iterations * share, *ops, index))
    return tuple(out)
