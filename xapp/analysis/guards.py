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
from .helpers import replace_refs
from .idioms import index_values
from .nest import Access, Loop, RegionAnalysis
from .polyforms import Poly

__all__ = ["Guards"]

_FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_INTEGER_NODES = frozenset({"int", "ref", "binop", "unop"})
_INTEGER_OPS = frozenset({"+", "-", "*"})
_JUMPS = frozenset({"continue", "break", "return"})
_LABELS = frozenset({"case", "default", "label"})
_CHANGING = frozenset({"=", "++", "--", "post++", "post--", "&"})


class Guards:
    """The branch conditions around each access of one loop level, as linear constraints."""

    def __init__(self, loop: Loop, a: RegionAnalysis, reader, written: set[str]):
        self.loop, self.a, self.reader, self.written = loop, a, reader, written
        self.types = a.context.types if a.context is not None else {}
        self._parents: dict[int, Node] | None = None
        self._reassigned: set[str] = set()
        self._loop_vars: set[str] = set()
        self._values = None       # idioms.index_values of the region, made on first use
        self._changes: dict[int, set[str]] = {}     # id(statement) -> _assigned([statement])

    def constraints(self, acc: Access, names: dict[str, str]) -> tuple[list[Constraint], list[Constraint]]:
        """(inequalities, equalities) that hold in every iteration where `acc` runs, its loop
        variables renamed by `names` (the side of the pair)."""
        ineqs: list[Constraint] = []
        eqs: list[Constraint] = []
        for cond, holds, inner, between in self._conditions(acc):
            # a scalar assigned from the test to the access holds another value there; a loop
            # variable assigned in the body is not the iteration's value anywhere
            blocked = inner | (self._reassigned & self._loop_vars) | (self._reassigned & self._assigned(between))
            cond = self._as_at(cond, acc, blocked)
            for op, left, right in _comparisons(cond, holds):
                found = self._constraint(op, left, right, names, blocked)
                if found is not None:
                    (eqs if op == "==" else ineqs).append(found)
        return ineqs, eqs

    def _assigned(self, code: list[Node]) -> set[str]:
        """_assigned(code), statement by statement once per region: every pair test of every access
        after a jump guard asks again (S3D.cpp: 8,611 pair tests, 1.5 s of walks before)."""
        if not self._reassigned:
            return set()
        out: set[str] = set()
        for c in code:
            if id(c) not in self._changes:
                self._changes[id(c)] = _assigned([c])
            out |= self._changes[id(c)]
        return out

    def _as_at(self, cond: Node, acc: Access, blocked: set[str]) -> Node:
        """`cond` with each scalar the loop assigns (`int x = 2*i + 1;` before the test) replaced by
        the value it holds at the access, as the subscripts are; only scalars nothing assigns from
        the test to the access, so that value is the one tested."""
        if self._values is None:
            self._values = index_values(self.a)
        found = {}
        for n in walk(cond):
            if n.kind == "ref" and n.op in self._reassigned - self._loop_vars - blocked and n.op not in found:
                found[n.op] = self._values(n.op, acc)
        found = {k: v for k, v in found.items() if v is not None}
        return replace_refs(cond, found) if found else cond

    def _conditions(self, acc: Access):
        """(condition, whether it holds, variables of loops between it and the access, the code
        from the test to the access) for each `if` around the access inside the level's loop, and
        each `if (c) continue;` before it in a block around it (c does not hold there)."""
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
                yield up.children[0], child.role == "then", frozenset(inner), [child]
            elif up.kind == "compound":
                for cond, between in _jumps_before(up, child):
                    yield cond, False, frozenset(inner), between
            child, up = up, self._parents.get(id(up))

    def _map(self) -> dict[int, Node]:
        """The parent map of the loop, empty when a `goto` could jump into a branch past its test;
        and the variables assigned outside loop headers (a loop variable changed in the body)."""
        if any(n.kind == "goto" for n in walk(self.loop.node)):
            return {}
        headers = {id(n) for l in self.a.loops if self.loop in l.chain()
                   for c in l.node.children if c.role not in ("body", "") for n in walk(c)}
        self._loop_vars = {l.var for l in self.a.loops if l.var}
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
        diff = _linear(_minus(pl, pr), names, self.written, inner)     # left - right
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


def _jumps_before(block: Node, child: Node) -> list[tuple[Node, list[Node]]]:
    """The conditions of `if (c) continue;` (`break;`, `return ...;`, or a branch ending in one) before
    `child` in `block`: past them c does not hold. None before a case label between (the switch
    enters there, past the test)."""
    place = next(i for i, c in enumerate(block.children) if c is child)
    out: list[Node] = []
    for i in range(place):
        cond = _jump_guard(block.children[i])
        if cond is not None and not any(n.kind in _LABELS for c in block.children[i + 1:place + 1]
                                        for n in walk(c)):
            out.append((cond, block.children[i + 1:place + 1]))
    return out


def _assigned(code: list[Node]) -> set[str]:
    """Scalars `code` may change: assigned, stepped, declared, or whose address or reference is
    given away (`&x`, `f(x)` with a reference parameter)."""
    out: set[str] = set()
    for n in (x for c in code for x in walk(c)):
        if n.kind == "var":
            out.add(n.op)
        elif n.kind in ("assign_op", "call") or n.kind in ("binop", "unop") and n.op in _CHANGING:
            out.update(c.op for c in n.children if c.kind == "ref")
    return out


def _jump_guard(stmt: Node) -> Node | None:
    """The condition of an `if` with no else whose branch always leaves the block: it ends in
    `continue`, `break` or `return` and holds no label to enter it by."""
    if stmt.kind != "if" or len(stmt.children) != 2 or stmt.children[1].role != "then":
        return None
    then = stmt.children[1]
    last = then.children[-1] if then.kind == "compound" and then.children else then
    if last.kind not in _JUMPS or any(n.kind in _LABELS for n in walk(then)):
        return None
    return stmt.children[0]


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
    if cond.op not in _FLIP:
        return          # `if (a + b)`, `if (x & 1)`, `||` of a branch taken: no comparison this test reads
    op = cond.op if holds else _FLIP[cond.op]
    if op != "!=":
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
