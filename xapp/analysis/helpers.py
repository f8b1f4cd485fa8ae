"""Same-file helper functions summarised at their call sites.

A helper without loops (`void set(float *a, int i, float v) { a[i] = v; }`) called in a loop writes
through its pointer parameters at subscripts that are functions of its arguments. Its accesses are
added to the calling loop's accesses with the parameters replaced by the arguments of the call
(`set(out, i + 1, x)` stores out[i + 1]), so the dependence test judges them like the loop's own; the
call itself is then no longer a "call dependence". A helper with loops, calls other than pure ones,
writes to globals or to scalars through pointers, or an argument that is not an array with an offset,
stays a call as before.
"""
from __future__ import annotations

from dataclasses import replace

from .calls import arg_positions, library_pure
from .nest import Access, Loop, RegionAnalysis, _Walker
from ..frontend.ir import LOOP_KINDS, Function, Node, UnitIR, all_nodes, walk
from .regions import Region

_LITERAL_OPERAND = frozenset({"+", "-", "*", "/", "%", "<<", ">>"})   # lower.py keeps their literal
__all__ = ["summarise_calls", "pointed_array", "completed", "argument_nodes", "replace_refs"]


def pointed_array(arg: Node | None) -> tuple[str, Node] | None:
    """(array, offset) an argument points at: `a`, `a + k`, `a - k`, `a + k + m`, `&a[k]`; None otherwise."""
    if arg is None:
        return None
    if arg.kind == "ref":
        return arg.op, Node("int", value=0)
    arg = completed(arg)
    if arg.kind == "binop" and arg.op in ("+", "-") and len(arg.children) == 2:
        offset = arg.children[1]
        if arg.op == "-":
            offset = Node("unop", op="-", ty="int", children=[offset])
        left = arg.children[0]
        if left.kind == "ref":
            return left.op, offset
        inner = pointed_array(left) if left.kind == "binop" and left.ty == "ptr" else None
        if inner is not None:      # `d + 4*site + dir`: (d + 4*site) + dir
            return inner[0], Node("binop", op="+", ty="int", children=[inner[1], offset])
    if arg.kind == "unop" and arg.op == "&" and arg.children and arg.children[0].kind == "subscript":
        sub = arg.children[0]
        if len(sub.children) == 2 and sub.children[0].kind == "ref":
            return sub.children[0].op, sub.children[1]
    return None


def completed(node: Node) -> Node:
    """`i + 1`, `y * 680` whose literal the front end kept on the node (not as a child) as a two-operand tree."""
    if node.kind != "binop" or node.op not in _LITERAL_OPERAND or len(node.children) != 1 or not node.args:
        return node
    pos, value = node.args[0]
    if value is None:
        return node
    literal = Node("int", value=value)
    kids = [literal, node.children[0]] if pos == 0 else [node.children[0], literal]
    return Node("binop", op=node.op, ty=node.ty, line=node.line, children=kids)


def _summary(fn: Function, globals_: dict[str, str], defined: set[str]) -> tuple[list[Access], bool] | None:
    """(the helper's accesses, whether it branches), or None when it cannot be summarised."""
    nodes = all_nodes(fn.body)
    last = fn.body.children[-1] if fn.body.children else None
    if any(n.kind in LOOP_KINDS or n.kind == "goto" or (n.kind == "return" and n is not last) for n in nodes):
        return None
    if any(n.kind == "call" and not library_pure(n.op, defined) for n in nodes):
        return None
    params = {p.op for p in fn.params}
    local = {n.op for n in nodes if n.kind == "var"}
    w = _Walker(Region("", fn.name, "loop", fn.line, fn.end_line, fn.body, fn))
    w.run()
    for acc in w.accesses:
        if acc.base not in params and (acc.store or acc.base not in globals_) or acc.kind == "arrow":
            return None
    if any(u.write and u.name not in local for u in w.scalars):
        return None                       # writes a global scalar, or a parameter it indexes with
    branchy = any(n.kind in ("if", "switch", "cond") or (n.kind == "binop" and n.op in ("&&", "||"))
                  for n in nodes)
    return w.accesses, branchy


def replace_refs(tree: Node, values: dict[str, Node]) -> Node:
    """A copy of `tree` with each reference to a name of `values` replaced by its tree."""
    if tree.kind == "ref" and tree.op in values:
        return values[tree.op]
    if not any(n.kind == "ref" and n.op in values for n in walk(tree)):
        return tree
    return Node(tree.kind, op=tree.op, ty=tree.ty, size=tree.size, line=tree.line, value=tree.value,
                role=tree.role, children=[replace_refs(c, values) for c in tree.children])


def argument_nodes(call: Node) -> dict[int, Node]:
    """A call's arguments by position as trees, literals the front end kept on the call included."""
    args = {pos: completed(arg) for pos, arg in arg_positions(call)}
    for pos, value in call.args or ():
        if value is not None:
            args.setdefault(pos, Node("int", value=value, ty="int"))
    return args


def _bind(call: Node, fn: Function, accesses: list[Access]) -> list[tuple[Access, str, Node, list[Node]]] | None:
    """For each helper access: (access, caller's array, offset, indices in the caller's terms)."""
    args = argument_nodes(call)
    scalars = {p.op: args[i] for i, p in enumerate(fn.params) if p.ty not in ("ptr", "array") and i in args}
    unbound = {p.op for p in fn.params} - scalars.keys()
    out = []
    for acc in accesses:
        if any(n.kind == "ref" and n.op in unbound for ix in acc.indices for n in walk(ix)):
            return None              # an index from an argument the call does not spell out
        pos = next((i for i, p in enumerate(fn.params) if p.op == acc.base), None)
        target = pointed_array(args.get(pos)) if pos is not None else (acc.base, Node("int", value=0))
        if target is None:
            return None
        out.append((acc, target[0], target[1], [replace_refs(ix, scalars) for ix in acc.indices]))
    return out


def _loops_of(a: RegionAnalysis) -> dict[int, Loop]:
    """id(node) -> the innermost loop of the region around it."""
    out: dict[int, Loop] = {}
    for loop in sorted(a.loops, key=lambda l: l.depth):
        body = [c for c in loop.node.children if c.role == "body" or loop.node.kind != "for"]
        for c in body:
            for n in walk(c):
                out[id(n)] = loop
    return out


def summarise_calls(a: RegionAnalysis, unit: UnitIR | None) -> None:
    """Add the accesses of summarisable same-file helpers called in the region; mark those calls."""
    if unit is None:
        return
    defined = {fn.name: fn for fn in unit.callable() if fn.name != a.region.function}
    calls = [n for n in a.nodes if n.kind == "call" and n.op in defined]
    if not calls:
        return
    where = _loops_of(a)
    order = {id(n): i + 1 for i, n in enumerate(a.nodes)}
    summaries: dict[str, list[Access] | None] = {}
    for call in calls:
        fn = defined[call.op]
        if fn.name not in summaries:
            summaries[fn.name] = _summary(fn, unit.globals, {f.name for f in unit.callable()})
        summary = summaries[fn.name]
        bound = _bind(call, fn, summary[0]) if summary is not None else None
        loop = where.get(id(call))
        if bound is None or loop is None:
            continue
        chain = tuple(reversed(loop.chain()))
        branch = chain if summary[1] else _branch_of(call, a, chain)
        for acc, base, offset, indices in bound:
            first = Node("binop", op="+", ty="int", children=[offset, indices[0]]) if indices else offset
            a.accesses.append(replace(acc, base=base, indices=[first, *indices[1:]] if indices else [first],
                                      loops=chain, line=call.line, order=order.get(id(call), 0),
                                      conditional_in=branch))
        a.summarised.add(id(call))


def _branch_of(call: Node, a: RegionAnalysis, chain: tuple) -> tuple:
    """The loops inside which the call sits under a branch (as its argument reads record it)."""
    inside = {id(n) for n in walk(call)}
    for u in a.scalars:
        if id(u.node) in inside:
            return u.conditional_in
    for acc in a.accesses:
        if id(acc.node) in inside:
            return acc.conditional_in
    return chain        # nothing to tell by: taken as conditional, the safe side
