"""Calls that touch one row or element per iteration: `memset` / `memcpy` / `memmove` of row `i`,
and a same-file function that writes a global only at an index it is given (`log(i, v)` storing
`g[i]`) called with the loop's own variable.

`memset(rows[r], 0, sizeof(float) * N)` in a loop over `r` writes row `r` of `rows` and nothing
else when the byte count is known and fits in one row, so iterations of `r` touch distinct rows.
The call is accepted as harmless for that loop level only when its rows are indexed by exactly the
level's variable, no other access or call in the loop touches the row's array, the source rows are
not written in the loop, and no overlap between pointer operands has to be assumed.
"""
from __future__ import annotations

from .nest import Loop, RegionAnalysis
from .calls import arg_positions, library_pure
from ..frontend.ir import Node, walk

__all__ = ["ROW_CALLS", "row_call_is_independent", "indexed_call_is_independent"]

ROW_CALLS = frozenset({"memset", "memcpy", "memmove"})
_POINTER_ARGS = {"memset": 1, "memcpy": 2, "memmove": 2}    # how many leading arguments are pointers


def _row(arg: Node) -> tuple[str, Node, int] | None:
    """(array, row subscript, row bytes) for `a[i]` or `&a[i][0]` naming a whole row, else None."""
    if arg.kind == "unop" and arg.op == "&" and arg.children:
        inner = arg.children[0]
        if inner.kind != "subscript" or len(inner.children) != 2 or inner.children[1].value != 0:
            return None
        arg = inner.children[0]
    if arg.kind != "subscript" or arg.ty != "array" or len(arg.children) != 2:
        return None
    base, index = arg.children
    return (base.op, index, arg.size) if base.kind == "ref" and arg.size > 0 else None


def _rows(call: Node, var: str) -> list[str] | None:
    """The arrays whose row `var` the call reads or writes (destination first), or None."""
    count = _POINTER_ARGS.get(call.op)
    if count is None or len(call.children) < count + 1:
        return None
    size = call.children[-1].value
    rows = [_row(a) for a in call.children[:count]]
    if size is None or size < 0 or not all(r is not None and _is_var(r[1], var) and size <= r[2] for r in rows):
        return None
    return [r[0] for r in rows]


def _touched_by_calls(body: list[Node], skip: Node) -> set[str]:
    return {n.op for c in body for call in walk(c) if call.kind == "call" and call is not skip
            for arg in call.children for n in walk(arg) if n.kind == "ref"}


def row_call_is_independent(call: Node, loop: Loop, body: list[Node], a: RegionAnalysis) -> bool:
    """True when the call only touches row `loop.var` of its arrays, which no other iteration touches."""
    rows = _rows(call, loop.var) if loop.var else None
    if not rows:
        return False
    dest, sources = rows[0], rows[1:]
    inside = {id(n) for n in walk(call)}      # the row operands are themselves subscripts
    mine = [acc for acc in a.accesses if loop in acc.loops and id(acc.node) not in inside]
    touched = {acc.base for acc in mine} | _touched_by_calls(body, call)
    stored = {acc.base for acc in mine if acc.store}
    if dest in touched or dest in sources or stored & set(sources):
        return False
    return _no_overlap_needed(rows, mine, a)


def _no_overlap_needed(rows: list[str], mine, a: RegionAnalysis) -> bool:
    """The row operands are arrays or restrict pointers, or the only memory the loop touches."""
    ctx = a.context
    types = ctx.types if ctx is not None else {}
    restrict = ctx.restrict if ctx is not None else set()
    if all(types.get(r) == "array" or r in restrict for r in rows):
        return True
    return len(set(rows)) == 1 and not mine


def indexed_call_is_independent(call: Node, loop: Loop, body: list[Node], a: RegionAnalysis) -> bool:
    """A same-file function whose only side effect is g[p] = ..., given the level's variable as p,
    with no other access to g in the loop and no other call but pure ones and itself."""
    effect = _indexed_effect(call, a)
    if effect is None or not loop.var:
        return False
    args = dict(arg_positions(call))
    if not all(_is_var(args.get(pos), loop.var) for pos in effect.indexed.values()):
        return False
    if any(acc.base in effect.indexed and loop in acc.loops for acc in a.accesses):
        return False
    others = {n.op for c in body for n in walk(c) if n.kind == "call" and n is not call}
    defined = a.context.unit.effects if a.context is not None and a.context.unit is not None else ()
    return all(name == call.op or library_pure(name, defined) for name in others)


def _indexed_effect(call: Node, a: RegionAnalysis):
    """The call's effect when indexed global writes are its only side effect."""
    unit = a.context.unit if a.context is not None else None
    effect = unit.effects.get(call.op) if unit is not None else None
    if effect is None or effect.impure or effect.writes_params:
        return None
    return effect if effect.indexed else None


def _is_var(arg: Node | None, var: str) -> bool:
    return arg is not None and arg.kind == "ref" and arg.op == var
