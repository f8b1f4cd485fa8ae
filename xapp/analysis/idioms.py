"""Non-affine idioms rewritten into affine facts before the dependence test.

The dependence test (deps.py, arraydep.py) reads subscripts as polynomials of the loop variables.
Three common ways of writing a subscript hide that polynomial behind a scalar that changes in every
iteration, and one way of writing an if-else hides it behind a `goto`:

- an index scalar assigned in the same iteration before it is used (`k = i*cols + j; a[k] = ...`):
  the use is replaced by the assigned expression;
- an induction variable stepped by a loop-invariant amount exactly once per iteration on every path
  (`j = -1; for (i) { j++; a[j] = ...; }`, `k += 2`, and `k++` in the innermost of a rectangular
  nest): the use is replaced by its closed form in the loop variables (a conditional step stays a
  scan and is left alone);
- a forward `goto` to a label inside the loop body is control flow within one iteration: what
  follows it is conditional, but the loop is not left.

`apply(a)` rewrites the region's accesses in place (new index trees, never the IR) and records the
closed-form variables per loop (`a.inductions`), which deps.py treats as private with a known value
rather than as a carried scalar.
"""
from __future__ import annotations

from .affine import reads_memory
from .dominance import Dominance
from .helpers import replace_refs
from .nest import Access, Loop, RegionAnalysis, ScalarUse, _step
from ..frontend.ir import Node, walk
from .pointersteps import address_parts
from .polyforms import loop_bounds, poly

__all__ = ["apply", "jumps_within", "internal_gotos", "index_values"]

_MAX_CHAIN = 6           # index scalars defined from index scalars, at most this deep
_INCREMENTS = frozenset({"++", "post++", "--", "post--"})


# ---- goto -------------------------------------------------------------------------------------
def _labels(node: Node) -> dict[str, Node]:
    """Label statements under `node` by name (a label is lowered as a compound named after it)."""
    return {n.op: n for n in walk(node) if n.kind == "compound" and n.op}


def _goto_label(goto: Node) -> str:
    return next((c.op for c in goto.children if c.op), "")


def jumps_within(goto: Node, body: list[Node], order: dict[int, int] | None = None) -> bool:
    """A `goto` to a label inside `body` that comes after it: a branch within one iteration."""
    name = _goto_label(goto)
    if not name:
        return False
    for root in body:
        label = _labels(root).get(name)
        if label is not None:
            return order is None or order.get(id(label), 0) > order.get(id(goto), 0)
    return False


def internal_gotos(loop: Loop, a: RegionAnalysis) -> list[Node]:
    """The forward gotos of the loop's body whose label is in the body too."""
    body = [c for c in loop.node.children if c.role == "body" or loop.node.kind != "for"]
    gotos = [n for c in body for n in walk(c) if n.kind == "goto"]
    if not gotos:
        return []           # the common case: no program order needed
    order = _orders(a)
    return [n for n in gotos if jumps_within(n, body, order)]


def _orders(a: RegionAnalysis) -> dict[int, int]:
    """id(node) -> its position in program order (the walker's order is its index in a.nodes + 1)."""
    return {id(n): i + 1 for i, n in enumerate(a.nodes)}


def _mark_after_gotos(a: RegionAnalysis) -> None:
    """Everything after an internal goto in its loop runs only on some paths: conditional there."""
    order = _orders(a)
    for loop in a.loops:
        for goto in internal_gotos(loop, a):
            at = order.get(id(goto), 0)
            chain = tuple(reversed(loop.chain()))
            for acc in a.accesses:
                if loop in acc.loops and acc.order > at:
                    acc.conditional_in = tuple(dict.fromkeys(acc.conditional_in + chain))
            for u in a.scalars:
                if loop in u.loops and u.order > at:
                    u.conditional_in = tuple(dict.fromkeys(u.conditional_in + chain))


# ---- expression trees -------------------------------------------------------------------------
def _ref(name: str) -> Node:
    return Node("ref", op=name)


def _int(value: int) -> Node:
    return Node("int", value=value)


def _bin(op: str, x: Node, y: Node) -> Node:
    return Node("binop", op=op, ty="int", children=[x, y])


def _refs(tree: Node) -> set[str]:
    return {n.op for n in walk(tree) if n.kind == "ref"}


# ---- index scalars ----------------------------------------------------------------------------
def _plain_value(u: ScalarUse) -> Node | None:
    """The value of `k = expr` or `int k = expr`; None for updates in place."""
    n = u.node
    if n.kind == "var" and n.children:
        return n.children[0]
    if n.kind == "binop" and n.op == "=" and len(n.children) == 2:
        return n.children[1]
    return None


class _Scalars:
    """The region's scalar uses by name, in program order."""

    def __init__(self, a: RegionAnalysis):
        self.a = a
        self.by_name: dict[str, list[ScalarUse]] = {}
        for u in sorted(a.scalars, key=lambda u: u.order):
            self.by_name.setdefault(u.name, []).append(u)
        # asked for every subscript name of every access: one list per name (S3D.cpp's 5,579 asks)
        self._writes = {name: [u for u in uses if u.write] for name, uses in self.by_name.items()}

        self._dominance: Dominance | None = None
        self._symbolic: dict[str, Node] | None = None

    def writes(self, name: str) -> list[ScalarUse]:
        return self._writes.get(name, [])

    def called_as_symbols(self) -> dict[str, Node]:
        """a.defs without the scalars defined once by a call (`const int size = atoi(argv[2]);`):
        such a size is a symbol of an index expression, not a call that makes it unreadable."""
        if self._symbolic is None:
            self._symbolic = {k: v for k, v in self.a.defs.items() if not any(n.kind == "call" for n in walk(v))}
        return self._symbolic

    def reaches(self, w: ScalarUse, use: Node | None, at: int) -> bool:
        """A write under a branch still gives the use its value when the use is later in its block."""
        if use is None:
            return False
        if self._dominance is None:
            self._dominance = Dominance(self.a.region.root)
        return self._dominance.dominates(w.node, w.order, use, at)

    def written_between(self, name: str, start: int, end: int) -> bool:
        return any(start < u.order < end for u in self.writes(name))


def _index_value(name: str, at: int, loops: tuple[Loop, ...], s: _Scalars, depth: int = 0,
                 use: Node | None = None) -> Node | None:
    """The expression an index scalar holds at program position `at` (inside `loops`, the node `use`),
    when the same iteration assigned it from an integer expression of values that did not change since,
    unconditionally or earlier in the use's own block."""
    writes = [w for w in s.writes(name) if w.order < at and w.loops and loops[:len(w.loops)] == w.loops]
    if not writes or depth > _MAX_CHAIN:
        return None
    w = writes[-1]
    value = _plain_value(w)
    if value is None or name in _refs(value):
        return None
    if w.loops[-1] in w.conditional_in and not s.reaches(w, use, at):
        return None
    if s.written_between(name, w.order, at) or reads_memory(value, s.called_as_symbols()):
        return None
    if _rewritten_around(name, w, loops, s):
        return None
    if poly(value, s.called_as_symbols(), s.a.loop_vars) is None and not _integer_arithmetic(value):
        return None
    for other in _refs(value) - s.a.loop_vars:
        if s.written_between(other, w.order, at):
            return None
        inner = _index_value(other, w.order, w.loops, s, depth + 1, w.node) if s.writes(other) else None
        if inner is not None:
            value = replace_refs(value, {other: inner})
        elif _written_in(other, w.loops[-1], s):
            return None
    return value


_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "<<", ">>"})


def _integer_arithmetic(tree: Node) -> bool:
    """Names, integer literals and + - * / % << >> only: `r = idx / W; c = idx % W` substituted into a
    subscript leaves the proof to the subscript tests (index_digits), which know the division."""
    for n in walk(tree):
        if n.kind == "binop" and n.op not in _ARITHMETIC:
            return False
        if n.kind not in ("binop", "ref", "int") and not (n.kind == "unop" and n.op == "-"):
            return False
    return True


def _rewritten_around(name: str, w: ScalarUse, loops: tuple[Loop, ...], s: _Scalars) -> bool:
    """Whether a loop around the use but not around the write `w` writes the scalar (later in its
    body too): from its second iteration on the use reads that value, not w's
    (`jj = 0; for (a...) { u[i + jj] = ...; if (c) jj += 2; }`)."""
    inner = loops[len(w.loops):]
    return any(u is not w and any(l in u.loops for l in inner) for u in s.writes(name))


def _written_in(name: str, loop: Loop, s: _Scalars) -> bool:
    return any(loop in u.loops for u in s.writes(name))


# ---- induction variables ----------------------------------------------------------------------
def _increment(u: ScalarUse, name: str, invariant) -> Node | None:
    """The amount of `v++`, `v += c`, `v = v + c` (c loop-invariant) as a tree, else None."""
    n = u.node
    if n.kind == "unop" and n.op in _INCREMENTS:
        return _int(1 if "++" in n.op else -1)
    if n.kind == "assign_op" and n.op in ("+=", "-=") and len(n.children) == 1 and n.args:
        c = n.args[0][1]         # a literal amount is kept on the node, not built as a child
        return None if c is None else _int(c if n.op == "+=" else -c)
    if n.kind == "assign_op" and n.op in ("+=", "-=") and len(n.children) == 2 and invariant(n.children[1]):
        return n.children[1] if n.op == "+=" else Node("unop", op="-", ty="int", children=[n.children[1]])
    if n.kind == "binop" and n.op == "=" and len(n.children) == 2:
        c = _step(n, name)
        return _int(c) if c else None
    return None


def _iteration(loop: Loop, a: RegionAnalysis) -> tuple[Node, Node | None] | None:
    """(iteration number, trip count or None) of a counted loop whose step is exactly +1 or -1 (an
    unknown step `i += n3` does not say how many iterations ran)."""
    step = _exact_step(loop.node.child("inc"), loop.var) if loop.var else None
    b = loop_bounds(loop.node, loop.var, step, a.defs, a.loop_vars) if step in (1, -1) else None
    if b is None:
        return None
    init = loop.node.child("init")
    start = init.children[0].children[0] if init.kind == "decl" and init.children[0].children else \
        init.children[1] if init.kind == "binop" and len(init.children) == 2 else None
    cond = loop.node.child("cond")
    if start is None:
        return None
    var = _ref(loop.var)
    it = _bin("-", var, start) if b.step > 0 else _bin("-", start, var)
    trip = None
    if b.bound is not None and cond is not None:
        bound = cond.children[1] if cond.children[0].kind == "ref" and cond.children[0].op == loop.var \
            else cond.children[0]
        trip = _bin("-", bound, start) if b.step > 0 else _bin("-", start, bound)
        if b.op in ("<=", ">="):
            trip = _bin("+", trip, _int(1))
    return it, trip


def _exact_step(inc: Node | None, var: str) -> int | None:
    """The constant step of a for header (also inside `++q, o++`), never a stand-in for an unknown one."""
    if inc is not None and inc.kind == "binop" and inc.op == "," and len(inc.children) == 2:
        return _exact_step(inc.children[0], var) or _exact_step(inc.children[1], var)
    return _step(inc, var) if inc is not None else None


def _closed_form(name: str, s: _Scalars) -> tuple[list[ScalarUse], list[Node], list[Loop]] | None:
    """(the steps, their amounts, the loops they count) for a variable stepped on every path of each
    iteration of the innermost loop around it (several steps by constants, or one by an invariant),
    optionally reset by a plain assignment in an outer loop of the nest."""
    writes = s.writes(name)
    steps = [w for w in writes if _plain_value(w) is None]
    if not steps or not steps[0].loops or any(w.loops != steps[0].loops for w in steps):
        return None
    first = steps[0]
    innermost = first.loops[-1]
    if any(l in w.conditional_in for w in steps for l in w.loops):
        return None
    resets = [w for w in writes if w not in steps]
    if len(resets) > 1 or any(not _reset_fits(r, first) for r in resets):
        return None
    depth = len(resets[0].loops) if resets else 0
    counted = list(first.loops[depth:])
    # each counted loop must hold the steps' loop as its only path: nothing else is nested in it
    for outer, inner in zip(counted, counted[1:]):
        if outer.children != [inner]:
            return None
    if innermost.children:
        return None
    # the amount stays one value while the counted loops run (resize's `out_idx += out_image_size`,
    # the size computed in the outer body): nothing in the outermost counted loop writes it
    amounts = [_increment(w, name, lambda n: _invariant(n, counted[0], s)) for w in steps]
    if any(x is None for x in amounts) or (len(steps) > 1 and any(x.kind != "int" for x in amounts)):
        return None
    return steps, amounts, counted


def _reset_fits(reset: ScalarUse, step: ScalarUse) -> bool:
    """`k = e` before the stepping loops, in an enclosing loop of the step, unconditionally."""
    n = len(reset.loops)
    return (reset.order < step.order and step.loops[:n] == reset.loops and n < len(step.loops)
            and not (reset.loops and reset.loops[-1] in reset.conditional_in))


def _invariant(node: Node, outer: Loop, s: _Scalars) -> bool:
    names = _refs(node)
    return not reads_memory(node, s.a.defs) and not any(
        n in s.a.loop_vars or _written_in(n, outer, s) for n in names)


def _closed_value(name: str, found, at: int, a: RegionAnalysis, s: _Scalars, inside: Node | None = None) -> Node | None:
    """The value of the induction variable at program position `at`, in the loop variables. `inside`:
    the index tree being rewritten (`a[++j]` reads the stepped value, `a[j++]` the one before)."""
    steps, amounts, counted = found
    resets = [w for w in s.writes(name) if w not in steps]
    start = _plain_value(resets[0]) if resets else _ref(f"{name}@start")
    total = _iterations_before(counted, a, s)
    if start is None or total is None:
        return None
    per_iteration = amounts[0] if len(amounts) == 1 else _int(sum(x.value for x in amounts))
    value = _bin("+", start, _bin("*", total, per_iteration))
    for step, amount in zip(steps, amounts):
        if at > step.order or _pre_step_in(step, inside):
            value = _bin("+", value, amount)
    return value


def _pre_step_in(step: ScalarUse, tree: Node | None) -> bool:
    return tree is not None and step.node.op in ("++", "--") and any(n is step.node for n in walk(tree))


def _iterations_before(counted: list[Loop], a: RegionAnalysis, s: _Scalars) -> Node | None:
    """How many iterations of the innermost counted loop ran before the current one, over the whole
    nest: it_m + trip_m * (it_(m-1) + trip_(m-1) * (...)); None unless every inner trip is invariant."""
    total: Node | None = None
    scale: Node | None = None
    for depth, loop in enumerate(reversed(counted)):
        shape = _iteration(loop, a)
        if shape is None or (depth > 0 and scale is None):
            return None
        it, trip = shape
        total = it if total is None else _bin("+", total, _bin("*", it, scale))
        fixed = trip is not None and not (_refs(trip) & a.loop_vars) and \
            not any(_written_in(n, counted[0], s) for n in _refs(trip))
        scale = None if not fixed else trip if scale is None else _bin("*", trip, scale)
    return total


def _read_besides(name: str, steps: list[ScalarUse], s: _Scalars) -> bool:
    inside = {id(n) for step in steps for n in walk(step.node)}
    return any(not u.write and id(u.node) not in inside for u in s.by_name.get(name, ()))


def _dereferenced(steps: list[ScalarUse], a: RegionAnalysis) -> bool:
    """Whether an access goes through one of the steps (`*p++ = x`, `q[k]` of `(q += n)`)."""
    inside = {id(step.node) for step in steps}
    return any(id(n) in inside for acc in a.accesses for n in walk(acc.node))


def _inductions(a: RegionAnalysis, s: _Scalars) -> dict[str, tuple]:
    names = {u.name for u in a.scalars if u.write} - a.loop_vars - a.statics
    out = {}
    for name in sorted(names):
        found = _closed_form(name, s)
        # a variable only counted (`cnt++`, never read otherwise) stays a reduction; `*p++ = x` reads p
        if found is not None and (_read_besides(name, found[0], s) or _dereferenced(found[0], a)):
            out[name] = found
    return out


# ---- rewriting accesses -----------------------------------------------------------------------
def _rewrite_index(ix: Node, acc: Access, a: RegionAnalysis, s: _Scalars, closed: dict) -> Node:
    for name in sorted(_refs(ix) - a.loop_vars):
        if not s.writes(name):
            continue
        if name in closed:
            value = _closed_value(name, closed[name], acc.order, a, s, ix)
        else:
            value = _index_value(name, acc.order, acc.loops, s, use=acc.node)
        if value is not None:
            ix = replace_refs(ix, {name: value})
    return ix


def index_values(a: RegionAnalysis):
    """(name, access) -> the expression the index scalar `name` holds at the access, as the
    rewritten subscripts read it (None where it is not known): for the tests around the access."""
    s = _Scalars(a)
    return lambda name, acc: _index_value(name, acc.order, acc.loops, s, use=acc.node)


def _rewrite_accesses(a: RegionAnalysis, s: _Scalars, closed: dict) -> None:
    for acc in a.accesses:
        if acc.indices:
            acc.indices = [_rewrite_index(ix, acc, a, s, closed) for ix in acc.indices]


def _closed_loops(a: RegionAnalysis, closed: dict) -> dict[int, set[str]]:
    """id(loop) -> the induction variables with a closed form at that level."""
    out: dict[int, set[str]] = {}
    for name, (_, _, counted) in closed.items():
        for loop in counted:
            out.setdefault(id(loop), set()).add(name)
    return out


def apply(a: RegionAnalysis) -> None:
    """Rewrite the region's accesses with the idioms above; record closed forms in `a.inductions`."""
    _mark_after_gotos(a)
    s = _Scalars(a)
    closed = _inductions(a, s)
    # only variables whose closed form can actually be written are kept
    closed = {k: v for k, v in closed.items() if _closed_value(k, v, v[0][0].order + 1, a, s) is not None}
    _rewrite_accesses(a, s, closed)
    a.inductions = _closed_loops(a, closed)
    a.stepped = _stepped_pointers(a, s, closed)


def _stepped_pointers(a: RegionAnalysis, s: _Scalars, closed: dict) -> dict[int, tuple[str, Node]]:
    """id(access node) -> (array, offset) for each access through a pointer with a closed form
    (pointersteps.py): the address the pointer holds there, as an array and an offset."""
    types = a.context.types if a.context is not None else {}
    out = {}
    for acc in a.accesses:
        if acc.base in closed and types.get(acc.base) == "ptr":
            value = _closed_value(acc.base, closed[acc.base], acc.order, a, s, acc.node)
            parts = address_parts(value, types) if value is not None else None
            if parts is not None and parts[0] != acc.base:
                out[id(acc.node)] = parts
    return out
