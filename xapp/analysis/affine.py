"""Affine forms of index expressions: which way an access moves as a loop variable steps.

An affine form maps a symbol to its coefficient; the constant term sits under
"". A coefficient is an int, or SYMBOLIC when it is a non-constant factor such
as `n` in `i*n + j`. Scalars with a single definition are expanded through
`defs`, so `int gid = get_global_id(0); a[gid]` moves with `gid0`.
"""
from __future__ import annotations

from ..frontend.ir import Node

__all__ = ["SYMBOLIC", "Form", "affine", "coefficient", "reads_memory", "stride_class", "WORK_ITEM_FUNCS"]

SYMBOLIC = "sym"
Form = dict  # str -> int | "sym"
WORK_ITEM_FUNCS = {"get_global_id": "gid", "get_local_id": "lid", "get_group_id": "grp"}
_MAX_EXPANSION = 8


def reads_memory(node: Node, defs: dict[str, Node] | None = None, depth: int = 0) -> bool:
    """Does evaluating `node` load from memory (directly, or through a scalar defined by a load)?"""
    stack = [node]
    while stack:
        n = stack.pop()
        k = n.kind
        if k == "subscript" or (k == "unop" and n.op == "*") or (k == "member" and _is_arrow(n)):
            return True
        if k == "ref" and defs and depth < _MAX_EXPANSION and n.op in defs:
            if reads_memory(defs[n.op], defs, depth + 1):
                return True
        stack.extend(n.children)
    return False


_TRUTH = frozenset({"<", "<=", ">", ">=", "==", "!=", "&&", "||"})


def value_range(value: Node | None) -> tuple[int, int] | None:
    """(lo, hi) that `value` always lies in whatever it reads: a truth value (a comparison, `&&`,
    `||`, `!`: 0 or 1) or a mask `e & C` with a literal C >= 0 (0 to C); None for anything else."""
    if value is None:
        return None
    if value.kind == "binop" and value.op in _TRUTH or value.kind == "unop" and value.op == "!":
        return 0, 1
    if value.kind == "binop" and value.op == "&":
        masks = [c.value for c in value.children if c.kind == "int" and c.value is not None and c.value >= 0]
        return (0, masks[0]) if masks else None
    return None


def _is_arrow(member: Node) -> bool:
    return bool(member.children) and member.children[0].ty == "ptr"


def _add(a: Form, b: Form, sign: int = 1) -> Form:
    out = dict(a)
    for k, v in b.items():
        if k in out:
            if out[k] == SYMBOLIC or v == SYMBOLIC:
                out[k] = SYMBOLIC
            else:
                out[k] = out[k] + sign * v
        else:
            out[k] = v if v == SYMBOLIC else sign * v
    return {k: v for k, v in out.items() if v != 0}


def _constant(f: Form) -> int | None:
    if not f:
        return 0
    if set(f) == {""} and f[""] != SYMBOLIC:
        return f[""]
    return None


def _scale(f: Form, c) -> Form:
    if c == 0:
        return {}
    return {k: (SYMBOLIC if v == SYMBOLIC or c == SYMBOLIC else v * c) for k, v in f.items()}


def _constant_form(node: Node) -> Form | None:
    """An integer literal (None when its value is unknown) or a folded constant expression."""
    if node.kind == "int":
        return {"": node.value} if node.value else ({} if node.value == 0 else None)
    return {"": node.value} if node.value else {}


def _leaf(node: Node, defs: dict[str, Node], loop_vars: frozenset[str], depth: int):
    """The form of a constant, variable, struct field or work-item id; _NOT_LEAF for other nodes."""
    k = node.kind
    if k == "int" or (node.value is not None and k != "ref"):
        return _constant_form(node)
    if k == "ref":
        name = node.op
        if name not in loop_vars and name in defs and depth < _MAX_EXPANSION:
            return affine(defs[name], defs, loop_vars, depth + 1)
        return {name: 1}
    if k == "member" and not _is_arrow(node):
        return {"." + node.op: 1}
    if k == "call" and node.op in WORK_ITEM_FUNCS and node.children:
        dim = node.children[0].value
        return {f"{WORK_ITEM_FUNCS[node.op]}{dim if dim is not None else '?'}": 1}
    return _NOT_LEAF


def _unary(op: str, inner: Form | None) -> Form | None:
    if inner is None:
        return None
    if op == "-":
        return _scale(inner, -1)
    return inner if op == "+" else None


def _product(a: Form, b: Form) -> Form | None:
    ca, cb = _constant(a), _constant(b)
    if ca is not None:
        return _scale(b, ca)
    if cb is not None:
        return _scale(a, cb)
    # Product of two non-constants: symbolic in each symbol of each side.
    return {s: SYMBOLIC for s in {*a, *b} if s != ""} or None


def _binary(op: str, a: Form | None, b: Form | None) -> Form | None:
    if a is None or b is None:
        return None
    if op in ("+", "-"):
        return _add(a, b, 1 if op == "+" else -1)
    if op == "*":
        return _product(a, b)
    if op == "<<":
        cb = _constant(b)
        return _scale(a, 1 << cb) if cb is not None and 0 <= cb < 31 else None
    return None


_NOT_LEAF = object()   # _leaf's answer for operators (None already means "not affine")


def affine(node: Node, defs: dict[str, Node], loop_vars: frozenset[str], depth: int = 0) -> Form | None:
    """The affine form of an integer expression, or None if it is not affine (or reads memory)."""
    leaf = _leaf(node, defs, loop_vars, depth)
    if leaf is not _NOT_LEAF:
        return leaf
    kids = node.children
    if node.kind == "unop" and kids:
        return _unary(node.op, affine(kids[0], defs, loop_vars, depth))
    if node.kind == "binop" and len(kids) == 2:
        return _binary(node.op, affine(kids[0], defs, loop_vars, depth), affine(kids[1], defs, loop_vars, depth))
    return None


def coefficient(form: Form, symbols: tuple[str, ...]):
    """How far the form moves when every symbol in `symbols` steps by one (adjacent GPU threads)."""
    total = 0
    for s in symbols:
        c = form.get(s, 0)
        if c == SYMBOLIC:
            return SYMBOLIC
        total += c
    return total


def stride_class(indices: list[Node], thread_vars: tuple[str, ...], defs: dict[str, Node],
                 loop_vars: frozenset[str]) -> str:
    """'coalesced' (stride 0 or 1 in the thread variable), 'strided' or 'indirect'."""
    if any(reads_memory(ix, defs) for ix in indices):
        return "indirect"
    if not thread_vars or not indices:
        return "coalesced"
    for outer in indices[:-1]:
        f = affine(outer, defs, loop_vars)
        if f is None or coefficient(f, thread_vars) != 0:
            return "strided"   # the thread variable picks a row: consecutive threads are a row apart
    f = affine(indices[-1], defs, loop_vars)
    if f is None:
        return "strided"
    return "coalesced" if coefficient(f, thread_vars) in (0, 1, -1) else "strided"
