"""Branch conditions as constraints of the dependence test.

`if (py == 0) pYmapp[px] = ...` (HeCBench ddbp) stores only in the first iteration of py, so no two
iterations of py write the same element; `if (j < RADIUS) temp[j] = ...` next to `temp[j + RADIUS]`
(stencil1d) keeps the two stores apart. An access under `if (c)` happens only in iterations where c
holds when the `if` is reached; when c compares integer expressions of loop variables and values
the loop does not change, it is a linear constraint on the access's iteration, added to the pair
test beside the loop bounds.

Read: the `then` branch of `a < b`, `<=`, `>`, `>=`, `==`, of `!(...)` and of `x && y` (both hold);
the `else` branch of the inequalities, of `!=` and of `x || y` (neither holds). A disjunction
(`then` of `||` or `!=`, `else` of `&&` or `==`) adds nothing. A condition is dropped when it reads
a scalar the loop writes (other than the loop variables of loops around the `if`), a variable of a
loop between the `if` and the access, memory, a call, or anything not an integer.
"""
from __future__ import annotations

from ..frontend.ir import LOOP_KINDS, Node, parents, walk
from .islsets import Constraint
from .nest import Access, Loop, RegionAnalysis
from .polyforms import Poly

__all__ = ["Guards"]

_FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_INTEGER_NODES = frozenset({"int", "ref", "binop", "unop"})
_INTEGER_OPS = frozenset({"+", "-", "*"})


class Guards:
    """The branch conditions around each access of one loop level, as linear constraints."""

    def __init__(self, loop: Loop, a: RegionAnalysis, reader, written: set[str]):
        self.loop, self.a, self.reader, self.written = loop, a, reader, written
        self.types = a.context.types if a.context is not None else {}
        self._parents: dict[int, Node] | None = None
        self._reassigned: set[str] = set()

    def constraints(self, acc: Access, names: dict[str, str]) -> tuple[list[Constraint], list[Constraint]]:
        """(inequalities, equalities) that hold in every iteration where `acc` runs, its loop
        variables renamed by `names` (the side of the pair)."""
        ineqs: list[Constraint] = []
        eqs: list[Constraint] = []
        for cond, holds, inner in self._conditions(acc):
            for op, left, right in _comparisons(cond, holds):
                found = self._constraint(op, left, right, names, inner)
                if found is not None:
                    (eqs if op == "==" else ineqs).append(found)
        return ineqs, eqs

    def _conditions(self, acc: Access):
        """(condition, whether it holds, variables of loops between it and the access) for each
        `if` around the access inside the level's loop."""
        if self._parents is None:
            self._parents = self._map()
        loop_vars = {id(l.node): l.var for l in acc.loops}
        inner: set[str] = set()
        child, up = acc.node, self._parents.get(id(acc.node))
        while up is not None and up is not self.loop.node:
            if up.kind in LOOP_KINDS:
                # a loop between the `if` and the access: its variable in the condition is another value
                inner.add(loop_vars.get(id(up)) or "")
            if up.kind == "if" and child.role in ("then", "else") and up.children:
                yield up.children[0], child.role == "then", frozenset(inner)
            child, up = up, self._parents.get(id(up))

    def _map(self) -> dict[int, Node]:
        """The parent map of the loop, empty when a `goto` could jump into a branch past its test;
        and the variables assigned outside loop headers (a loop variable changed in the body)."""
        if any(n.kind == "goto" for n in walk(self.loop.node)):
            return {}
        headers = {id(n) for l in self.a.loops if self.loop in l.chain()
                   for c in l.node.children if c.role not in ("body", "") for n in walk(c)}
        self._reassigned = {u.name for u in self.a.scalars
                            if u.write and self.loop in u.loops and id(u.node) not in headers}
        return parents(self.loop.node)

    def _constraint(self, op: str, left: Node, right: Node, names: dict[str, str],
                    inner: frozenset[str]) -> Constraint | None:
        if not (self._integral(left) and self._integral(right)):
            return None
        pl, pr = self.reader.poly(left), self.reader.poly(right)
        if pl is None or pr is None:
            return None
        diff = _linear(_minus(pl, pr), names, self.written, inner | self._reassigned)     # left - right
        if diff is None:
            return None
        coeffs, const = diff
        negated = ({k: -c for k, c in coeffs.items()}, -const)
        return {"==": diff, ">=": diff, ">": (coeffs, const - 1),
                "<=": negated, "<": (negated[0], negated[1] - 1)}[op]

    def _integral(self, node: Node) -> bool:
        """Only integers: variables of an integer type, integer literals and + - * of them."""
        for n in walk(node):
            if n.kind not in _INTEGER_NODES or n.kind == "ref" and self.types.get(n.op) != "int":
                return False
            if n.kind in ("binop", "unop") and (n.op not in _INTEGER_OPS or n.ty != "int"):
                return False
        return True


def _comparisons(cond: Node, holds: bool):
    """(operator, left, right) comparisons that all hold when `cond` evaluates to `holds`."""
    if cond.kind == "unop" and cond.op == "!" and len(cond.children) == 1:
        yield from _comparisons(cond.children[0], not holds)
        return
    if cond.kind != "binop" or len(cond.children) != 2:
        return
    if cond.op == ("&&" if holds else "||"):
        for c in cond.children:
            yield from _comparisons(c, holds)
        return
    op = cond.op if holds else _FLIP.get(cond.op)
    if op is not None and op != "!=":
        yield op, cond.children[0], cond.children[1]


def _minus(a: Poly, b: Poly) -> Poly:
    out = dict(a)
    for m, c in b.items():
        out[m] = out.get(m, 0) - c
    return {m: c for m, c in out.items() if c}


def _linear(p: Poly, names: dict[str, str], written: set[str], inner: frozenset[str]) -> Constraint | None:
    """An affine polynomial with the side's names; None when it is not affine or reads a symbol
    that changes (written in the loop and not a renamed loop variable, or a loop variable of a loop
    inside the `if`)."""
    coeffs: dict[str, int] = {}
    const = 0
    for m, c in p.items():
        if not m:
            const += c
            continue
        if len(m) != 1 or m[0] in inner or m[0] in written and m[0] not in names:
            return None
        key = names.get(m[0], m[0])
        coeffs[key] = coeffs.get(key, 0) + c
    return coeffs, const
