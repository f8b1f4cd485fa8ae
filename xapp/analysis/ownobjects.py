"""Memory inside an object that each iteration declares for itself.

`auto pi = p[i]; pi.vel[0] += pi.acc[0] * dt; p[i] = pi;` (HeCBench nbody) reads and writes the
arrays `vel` and `acc` inside `pi`, a struct declared in the loop's body: every iteration has its own
`pi`, so those accesses carry nothing from one iteration to the next. The access is named by its
field (`vel`), not by the object, so without this each field looked like a shared array.

An access is inside such an object when the path from it down to the variable passes only through
subscripts of arrays (not of pointers) and `.` members of structs (not `->`): `pi.vel[k]`,
`s.m[i][j]`, `box.pts[k].x`. A pointer anywhere on the path (`pi.ptr[k]`) leaves the object: not
private. The variable must be declared in the loop's body, every declaration of its name there being
neither `static` nor a C++ reference (`auto &pi = p[i]` names shared memory). A pointer member of
such a struct set once to such an array (`s.legs = legs; s.legs[k].x = ...`) reaches that array.
"""
from __future__ import annotations

from ..frontend.ir import Node, walk
from .nest import Access, Loop, RegionAnalysis
from .scopes import declared_within

__all__ = ["OwnObjects"]

_OBJECTS = frozenset({"struct", "array"})


class OwnObjects:
    """The objects (structs and arrays) each iteration of one loop declares for itself."""

    def __init__(self, loop: Loop, body: list[Node], a: RegionAnalysis):
        decls: dict[str, list[Node]] = {}
        for n in (x for c in body for x in walk(c) if x.kind == "var"):
            decls.setdefault(n.op, []).append(n)
        self.names = {name for name, nodes in decls.items()
                      if _declared_in(name, loop, a) and all(_plain_object(n) for n in nodes)}
        self.rows = _member_rows(body, self.names) if self.names else {}

    def holds(self, acc: Access) -> bool:
        """Whether the access reaches memory inside one of the iteration's own objects."""
        root = _object_root(acc.node, self.rows)
        return root is not None and root in self.names


def _declared_in(name: str, loop: Loop, a: RegionAnalysis) -> bool:
    return declared_within(name, loop, a)


def _plain_object(var: Node) -> bool:
    return var.ty in _OBJECTS and var.storage not in ("static", "reference")


def _member_rows(body: list[Node], names: set[str]) -> dict[tuple[str, str], str]:
    """(s, m) -> L for a pointer member of an own struct set once, `s.m = L`, to an own array L
    (HeCBench bonds: `cashFlows.legs = cashLegs`), where nothing else assigns s.m or s and no
    address of s is taken (through which a callee could move s.m)."""
    sources: dict[tuple[str, str], list[Node]] = {}
    spoiled: set = set()
    for n in (x for c in body for x in walk(c)):
        target = n.children[0] if n.children else None
        if n.kind == "unop" and n.op == "&" and target is not None:
            spoiled.add(_member_of(target)[0] or (target.op if target.kind == "ref" else ""))
        elif n.kind in ("binop", "assign_op", "unop") and n.op in _WRITES and target is not None:
            s, m = _member_of(target)
            if s and n.kind == "binop" and n.op == "=" and len(n.children) == 2:
                sources.setdefault((s, m), []).append(n.children[1])
            else:
                spoiled |= {(s, m), target.op if target.kind == "ref" else ""}
    return {key: rhs[0].op for key, rhs in sources.items()
            if len(rhs) == 1 and rhs[0].kind == "ref" and rhs[0].op in names and key[0] in names
            and key not in spoiled and key[0] not in spoiled}


_WRITES = frozenset({"=", "+=", "-=", "++", "--", "post++", "post--"})


def _member_of(target: Node) -> tuple[str, str]:
    """(s, m) for the target `s.m` (s a variable), else ('', '')."""
    if target.kind == "member" and len(target.children) == 1 and target.children[0].kind == "ref" \
            and target.children[0].ty == "struct":
        return target.children[0].op, target.op
    return "", ""


def _object_root(node: Node, rows: dict[tuple[str, str], str]) -> str | None:
    """The variable whose own storage the access touches, or None when a pointer is on the way
    (other than a member pointer set to an own array, `rows`)."""
    n = node
    while True:
        if n.kind == "ref":
            return n.op
        if not n.children:
            return None
        inner = n.children[0]
        if n.kind == "subscript" and len(n.children) == 2 and inner.ty == "ptr" and _member_of(inner) in rows:
            return rows[_member_of(inner)]
        if n.kind == "subscript" and len(n.children) == 2 and inner.ty == "array":
            n = inner
        elif n.kind == "member" and inner.ty == "struct":
            n = inner
        else:
            return None
