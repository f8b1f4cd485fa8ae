"""Reduction statements: one location read, combined with an associative operator, and written back.

`s += e`, `s = s + e`, `s = e * s`, `s = fmax(s, e)`, `s = s > e ? s : e`, `count++`: the location
(a scalar or an array element, matched structurally) appears once among the operands and the
other operands do not read it. Subtraction counts as addition of the negated operand, so
`s -= e` and `s = s - e` reduce with + but `s = e - s` does not.
"""
from __future__ import annotations

from typing import Callable

from ..frontend.ir import Node, walk
from .nest import struct_variable

__all__ = ["reduction_op", "guarded_op", "same_tree"]

_ASSIGN_OPS = {"+=": "+", "-=": "+", "*=": "*", "&=": "&", "|=": "|", "^=": "^"}
_FAMILY = {"+": ("+", "-"), "-": ("+", "-"), "*": ("*",), "&": ("&",), "|": ("|",), "^": ("^",)}
_NAMES = {"+": "+", "-": "+", "*": "*", "&": "&", "|": "|", "^": "^"}
_MINMAX = {f"{p}{m}{s}": m[-3:] for p in ("", "std::", "f") for m in ("max", "min") for s in ("", "f", "l")}
_STEPS = frozenset({"++", "--", "post++", "post--"})
_GREATER, _LESS = frozenset({">", ">="}), frozenset({"<", "<="})


def same_tree(a: Node, b: Node) -> bool:
    """Structural equality (same kinds, operators, values and children)."""
    if a.kind != b.kind or a.op != b.op or a.value != b.value or len(a.children) != len(b.children):
        return False
    return all(same_tree(x, y) for x, y in zip(a.children, b.children))


def _reads(node: Node, is_target: Callable[[Node], bool]) -> bool:
    return any(is_target(n) for n in walk(node))


def _leaves(node: Node, family: tuple[str, ...], positive: bool = True) -> list[tuple[Node, bool]]:
    if node.kind == "binop" and node.op in family and len(node.children) == 2:
        left, right = node.children
        return _leaves(left, family, positive) + _leaves(right, family, positive if node.op != "-" else not positive)
    return [(node, positive)]


def _chain_op(rhs: Node, is_target) -> str | None:
    leaves = _leaves(rhs, _FAMILY[rhs.op])
    hits = [(n, pos) for n, pos in leaves if is_target(n)]
    if len(hits) != 1 or not hits[0][1]:
        return None
    if any(_reads(n, is_target) for n, _ in leaves if n is not hits[0][0]):
        return None
    return _NAMES[rhs.op]


def _call_op(rhs: Node, is_target) -> str | None:
    if len(rhs.children) != 2:
        return None
    a, b = rhs.children
    if is_target(a) and not _reads(b, is_target) or is_target(b) and not _reads(a, is_target):
        return _MINMAX[rhs.op]
    return None


def _select_op(rhs: Node, is_target) -> str | None:
    """`t = t > e ? t : e` (max) and its mirror images."""
    if len(rhs.children) != 3:
        return None
    cond, yes, no = rhs.children
    if cond.kind != "binop" or len(cond.children) != 2 or cond.op not in _GREATER | _LESS:
        return None
    p, q = cond.children
    if not ((same_tree(yes, p) and same_tree(no, q)) or (same_tree(yes, q) and same_tree(no, p))):
        return None
    if not (is_target(p) and not _reads(q, is_target) or is_target(q) and not _reads(p, is_target)):
        return None
    picks_first = same_tree(yes, p)
    return "max" if (cond.op in _GREATER) == picks_first else "min"


def reduction_op(assign: Node, is_target: Callable[[Node], bool]) -> str | None:
    """The reduction operator of an assignment to the target, or None if it is not a reduction."""
    kids = assign.children
    if assign.kind in ("unop", "assign_op"):
        return _update_op(assign, is_target)
    if assign.kind != "binop" or assign.op != "=" or len(kids) != 2 or not is_target(kids[0]):
        return None
    rhs = kids[1]
    if rhs.kind == "binop" and rhs.op in _FAMILY:
        return _chain_op(rhs, is_target)
    if rhs.kind == "call" and rhs.op in _MINMAX:
        return _call_op(rhs, is_target)
    if rhs.kind == "cond":
        return _select_op(rhs, is_target)
    return None


def _update_op(assign: Node, is_target: Callable[[Node], bool]) -> str | None:
    """`x++` and `x op= e` where e does not read x."""
    kids = assign.children
    if not kids or not is_target(kids[0]):
        return None
    if assign.kind == "unop":
        return "+" if assign.op in _STEPS else None
    # `x += 1`: body literals are not built as nodes, so a literal operand leaves one child
    if len(kids) > 2 or (len(kids) == 2 and _reads(kids[1], is_target)):
        return None
    return _ASSIGN_OPS.get(assign.op)


def guarded_op(cond: Node, assign: Node) -> str | None:
    """`if (e > m) m = e;` is a max reduction of m, `if (e < m) m = e;` a min (either operand order)."""
    if cond.op not in _GREATER | _LESS or len(assign.children) != 2:
        return None
    target, value = assign.children
    if target.kind != "ref" and struct_variable(target) is None:     # `best.val`: a field, through `.` only
        return None
    p, q = cond.children
    is_target = lambda n: same_tree(n, target)   # noqa: E731
    if same_tree(q, target) and same_tree(p, value) and not _reads(value, is_target):
        new_is_left = True
    elif same_tree(p, target) and same_tree(q, value) and not _reads(value, is_target):
        new_is_left = False
    else:
        return None
    return "max" if (cond.op in _GREATER) == new_is_left else "min"
