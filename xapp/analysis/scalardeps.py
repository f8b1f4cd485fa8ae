"""Scalars a loop level writes: private, a reduction, an induction, or a carried dependence.

A scalar each iteration writes before it reads is private; one only updated with one associative
operator (`s += e`, `if (e > m) m = e`, and beside a guarded min/max the place it was found: an
arg-reduction) is a reduction; otherwise the first read before a write carries a value from one
iteration to the next. A struct variable written one field at a time (`cc.re = ...`) is private only
where every read is of a field written before it, or where the fields written span all its bytes.
"""
from __future__ import annotations

from .dominance import reads_dominated
from .nest import Loop, RegionAnalysis, struct_variable
from .reductions import guarded_op, reduction_op, same_tree
from .scopes import declared_within
from .verdict import Dependence, LevelVerdict, loop_body
from ..frontend.ir import Node, walk

__all__ = ["scalar_dependences"]


def _declared_inside(name: str, loop: Loop, a: RegionAnalysis) -> bool:
    """Declared in the loop's body, so private to an iteration (a static local is not)."""
    return declared_within(name, loop, a)


def _within(node: Node, writes) -> bool:
    return any(any(n is node for n in walk(w.node)) for w in writes)


def _reads_itself(assign: Node, name: str) -> bool:
    named = _ref_matcher(name)
    if assign.kind == "var":
        return any(named(n) for c in assign.children for n in walk(c))
    if assign.kind == "binop" and len(assign.children) == 2:
        return any(named(n) for n in walk(assign.children[1]))
    return True


def _inside_any(node: Node, roots: list[Node]) -> bool:
    return any(any(n is node for n in walk(r)) for r in roots)


def _guarded(loop: Loop) -> dict[int, tuple[str, Node]]:
    """`if (e > m) m = e;` (max) and its mirror images: id(assignment) -> (operator, condition).
    Beside the guarded update, the same block may record where the best was found (`if (d < best)
    { best = d; index = i; }`): each such plain assignment is `argmin` (or `argmax`) of its variable,
    so long as its value reads none of the block's variables."""
    out = {}
    for n in (x for c in loop_body(loop) for x in walk(c)):
        if n.kind != "if" or len(n.children) != 2:
            continue
        cond, then = n.children
        while then.kind == "compound" and len(then.children) == 1:
            then = then.children[0]
        if cond.kind != "binop" or len(cond.children) != 2:
            continue
        block = then.children if then.kind == "compound" else [then]
        if not all(s.kind == "binop" and s.op == "=" and len(s.children) == 2 for s in block):
            continue
        ops = [guarded_op(cond, s) for s in block]
        keys = [s for s, op in zip(block, ops) if op]
        if len(keys) != 1:
            continue
        op = ops[block.index(keys[0])]
        targets = [_variable_of(s.children[0]) for s in block]
        if len(block) > 1 and (None in targets or any(_reads_any(s.children[1], targets) for s in block if s is not keys[0])):
            continue
        out.update({id(s): (op if s is keys[0] else "arg" + op, cond) for s in block})
    return out


def _variable_of(target: Node) -> str | None:
    """The variable an assignment stores into: `v` or the struct variable of `v.f`."""
    root = target if target.kind == "ref" else struct_variable(target)
    return root.op if root is not None else None


def _reads_any(node: Node, names: list) -> bool:
    return any(n.kind == "ref" and n.op in names for n in walk(node))


def _scalar_uses(loop: Loop, a: RegionAnalysis) -> list:
    # a static local's initialiser runs once, not in every iteration
    return [u for u in a.scalars if loop in u.loops and not (u.node.kind == "var" and u.name in a.statics)]


def _inner_loop_vars(loop: Loop, a: RegionAnalysis) -> set[str]:
    return {l.var for l in a.loops if l is not loop and l.var and loop in l.chain()}


def scalar_dependences(loop: Loop, a: RegionAnalysis, v: LevelVerdict) -> None:
    """Record in v what each scalar the loop writes is (see the module docstring)."""
    uses = _scalar_uses(loop, a)
    guards = _guarded(loop)
    inner_vars = _inner_loop_vars(loop, a)
    closed = a.inductions.get(id(loop), set())
    for name in sorted({u.name for u in uses if u.write}):
        if name == loop.var or _declared_inside(name, loop, a):
            continue
        if name in closed:
            v.inductions.append(name)      # stepped once per iteration: its value is known in each one
            continue
        if name in inner_vars:
            v.privatized.append(name)
            continue
        mine = sorted((u for u in uses if u.name == name), key=lambda u: u.order)
        if not _reduction_or_scan(name, mine, guards, v):
            _ordered_scalar(name, mine, loop, v, a.context.sizes_of.get(name, 0) if a.context else 0)


def _reduction_or_scan(name: str, mine: list, guards: dict, v: LevelVerdict) -> bool:
    """Records `name` as a reduction (or a scan's flow dependence) when every write to it updates it
    with one operator; False when it is not updated that way."""
    writes = [u for u in mine if u.write]
    reads = [u for u in mine if not u.write]
    ops = {reduction_op(w.node, _target_matcher(name, w)) or guards.get(id(w.node), (None,))[0] for w in writes}
    ops = _arg_reduction(ops, writes, guards)
    if None in ops or len(ops) != 1:
        return False
    conds = [guards[id(w.node)][1] for w in writes if id(w.node) in guards]
    # a field's update reads only that field (`d.x += e`); `d.x += d.y` reads another field
    stray = [u for u in reads if not _within(u.node, [w for w in writes if w.field == u.field])
             and not _inside_any(u.node, conds)]
    if not stray:
        v.reduction_vars.append((name, ops.pop()))
        return True
    v.add(Dependence(name, "flow", stray[0].line),
          f"flow dependence on {name}: it accumulates and is read at line {stray[0].line} "
          "inside the loop (a scan)")
    return True


def _ordered_scalar(name: str, mine: list, loop: Loop, v: LevelVerdict, size: int = 0) -> None:
    """A scalar that is not a reduction: private when each iteration writes it before reading it,
    else an output or flow dependence."""
    writes = [u for u in mine if u.write]
    reads = [u for u in mine if not u.write]
    first = mine[0]
    whole = _fields_covered(writes, reads, loop, size)
    if whole and first.write and loop not in first.conditional_in and not _reads_itself(first.node, name):
        v.privatized.append(name)     # written before it is read in every iteration
        return
    if whole and reads_dominated(loop.node, writes, reads, lambda n: _reads_itself(n, name)):
        v.privatized.append(name)     # each read follows a write in its own block: skipped with it
        return
    if not reads:
        w = writes[0]
        v.add(Dependence(name, "output", w.line),
              f"output dependence on {name}: written only under a condition (line {w.line}), so its "
              "last value depends on the iteration order")
        return
    r, w = reads[0], writes[0]
    if w.order < r.order:
        # written first, but not on every path (or from its own value): no proof either way
        v.add(Dependence(name, "unknown", r.line),
              f"could not prove that {name} is written before it is read in every iteration "
              f"(written at line {w.line} under a condition or from its own value, read at line {r.line})")
        return
    v.add(Dependence(name, "flow", r.line),
          f"flow dependence on {name}: read at line {r.line} before it is written (line {w.line}) "
          "in the same iteration, so it carries a value from one iteration to the next")


def _fields_covered(writes: list, reads: list, loop: Loop, size: int) -> bool:
    """Whether writes of single fields (`cc.real = x`) leave no read to a field they did not write:
    every read names a field an unconditional write before it stored (or all writes are whole)."""
    if not any(w.field for w in writes):
        return True
    whole = [w for w in writes if loop not in w.conditional_in]
    return all(any(w.order < r.order and _covers(w.field, r.field) for w in whole) or _all_fields(r, whole, size)
               for r in reads)


def _all_fields(read, writes: list, size: int) -> bool:
    """Whether the fields written whole before a read of the whole variable (`use(d)` after `d.x = ..;
    d.y = ..;`) span all its `size` bytes."""
    if read.field or not size:
        return False
    spans = {w.field: w.span for w in writes if w.order < read.order and w.field and "." not in w.field}
    return all(spans.values()) and sum(spans.values()) >= size


def _covers(written: str, read: str) -> bool:
    return not written or read == written or read.startswith(written + ".")


_ARG_OPS = {frozenset({"min", "argmin"}): "argmin", frozenset({"max", "argmax"}): "argmax",
            frozenset({"min", "argmin", "max", "argmax"}): "argminmax"}


def _arg_reduction(ops: set, writes: list, guards: dict) -> set:
    """The fields of one struct variable updated as a best value and where it was found (`best.val`
    and `best.idx`; minmax keeps both the least and the greatest): one arg-reduction of the variable,
    so long as each field is updated by one operator only."""
    if frozenset(ops) not in _ARG_OPS:
        return ops
    by_field: dict[str, set] = {}
    for w in writes:
        by_field.setdefault(w.field, set()).add(guards.get(id(w.node), (None,))[0])
    one_each = "" not in by_field and all(len(v) == 1 for v in by_field.values())
    return {_ARG_OPS[frozenset(ops)]} if one_each else {None}


def _target_matcher(name: str, write):
    """What a reduction's operand must be: the variable, or for a field's update (`d.x += e`) that
    very field (structurally)."""
    if not write.field:
        return _ref_matcher(name)
    target = write.node.children[0] if write.node.children else None
    return lambda n: target is not None and same_tree(n, target)


def _ref_matcher(name: str):
    """The variable `name` where it is read: a ref, or for `this->f` a method's bare field `f`."""
    if name.startswith("this->"):
        field = name[len("this->"):]
        return lambda n: n.kind == "member" and not n.children and n.op == field
    return lambda n: n.kind == "ref" and n.op == name
