"""What a same-file function touches through a pointer parameter, as constant offsets, at its calls.

`void srand_r(uint64_t *s, uint64_t seed) { *s = 0; next(s); *s += seed; next(s); }` touches `s[0]`
only (with what `next` touches through its own parameter); `put3(float *p) { p[0] = a; p[1] = b;
p[2] = c; }` touches p[0..2], and so does `for (b = 0; b < 3; b++) p[2 - b] = ...` (an index that is
a function of one counted loop's variable with constant bounds, never assigned in its body). A call in a loop -- `srand_r(&state[x], x)`, `put3(out + 3 * i)` --
then touches `state[x]`, or `out[3i]`..`out[3i + 2]`: those accesses are added to the loop's own
(as reads and writes), so the dependence test judges the call like any statement of the loop, and
the call is no longer a "call dependence".

Only calls whose callee has no other effect (no global written, no I/O, no hidden state) are taken,
and only when every pointer argument the callee writes through has a known span: a parameter that
is assigned, copied, compared, returned, offset by a non-constant or given to an unknown function
has none.
"""
from __future__ import annotations

from .calls import UnitFacts, arg_positions, library_pure
from .helpers import completed, pointed_array, _branch_of, _loops_of
from .nest import Access, RegionAnalysis
from .counted import counted_values
from ..frontend.ir import Function, Node, UnitIR, all_nodes

__all__ = ["Spans", "summarise_span_calls"]

_MAX_OFFSETS = 64


def _constant(node: Node) -> int | None:
    if node.kind == "int" or node.value is not None:
        return node.value
    return None


class Spans:
    """Per (function, parameter position): the constant offsets touched through it, or None."""

    def __init__(self, unit: UnitIR):
        self.unit_size = 0                        # element bytes of the parameter being followed
        self.functions = {fn.name: fn for fn in unit.callable()}
        self.defined = set(self.functions)
        self.memo: dict[tuple[str, int], frozenset[int] | None] = {}

    def offsets(self, name: str, pos: int) -> frozenset[int] | None:
        key = (name, pos)
        if key not in self.memo:
            self.memo[key] = None                 # recursion: unknown while being computed
            fn = self.functions.get(name)
            self.memo[key] = self._compute(fn, pos) if fn is not None and pos < len(fn.params) else None
        return self.memo[key]

    def unit(self, name: str, pos: int) -> int:
        """Bytes of the element the function reaches through parameter `pos` (0: unknown): what the
        parameter points at, or for a `void *` the one element size it is always read and written as."""
        fn = self.functions.get(name)
        if fn is None or pos >= len(fn.params):
            return 0
        return fn.params[pos].pointee or _void_unit(fn.params[pos].op, all_nodes(fn.body))

    def _compute(self, fn: Function, pos: int) -> frozenset[int] | None:
        param = fn.params[pos].op
        nodes = all_nodes(fn.body)
        self.unit_size = self.unit(fn.name, pos)
        if not self.unit_size:
            return None                           # `void *` used as elements of several sizes: no unit
        if any(n.kind == "var" and n.op == param for n in nodes):
            return None                           # shadowed by a local of the same name
        parents = {id(c): n for n in nodes for c in n.children}
        out: set[int] = set()
        for use in (n for n in nodes if n.kind == "ref" and n.op == param):
            found = self._use(use, parents)
            if found is None:
                return None
            out |= found
            if len(out) > _MAX_OFFSETS:
                return None
        return frozenset(out)

    def _use(self, use: Node, parents: dict[int, Node]) -> set[int] | None:
        """The offsets one use of the parameter touches; None when it lets the pointer escape."""
        up = parents.get(id(use))
        shift = 0
        if up is not None and up.kind == "binop" and up.op in ("+", "-") and up.children and up.children[0] is use:
            whole = completed(up)
            c = _constant(whole.children[1]) if len(whole.children) == 2 else None
            if c is None:
                return None
            shift, use, up = (c if up.op == "+" else -c), up, parents.get(id(up))
        if up is None:
            return None
        if up.kind == "unop" and up.op == "*":
            return {shift} if up.size == self.unit_size else None     # a cast changes the unit
        if up.kind == "member" and up.children and up.children[0] is use:
            return {shift}                        # p->field: the element p points at
        if up.kind == "subscript" and len(up.children) == 2 and up.children[0] is use:
            c = _constant(up.children[1])
            outer = parents.get(id(up))
            if c is None:
                # `p[2 - b]` in `for (b = 0; b < 3; b++)`: the values the index takes
                found = counted_values(up.children[1], parents)
                plain = outer is None or not (outer.kind == "unop" and outer.op == "&")
                return {shift + v for v in found} if found is not None and plain and up.size == self.unit_size else None
            if outer is not None and outer.kind == "unop" and outer.op == "&":
                return self._passed(outer, parents, shift + c)
            return {shift + c} if up.size == self.unit_size else None
        if up.kind == "call":
            return self._passed(use, parents, shift)
        return None

    def _passed(self, arg: Node, parents: dict[int, Node], shift: int) -> set[int] | None:
        """An address given to a call: what the callee touches through that parameter, shifted."""
        call = parents.get(id(arg))
        if call is None or call.kind != "call":
            return None
        if call.op not in self.defined:
            return set() if library_pure(call.op, self.defined) else None
        pos = next((p for p, a in arg_positions(call) if a is arg), None)
        callee = self.functions[call.op]
        if pos is None or pos >= len(callee.params) or callee.params[pos].pointee != self.unit_size:
            return None
        unit, inner = self.unit_size, self.offsets(call.op, pos)
        self.unit_size = unit                     # (the callee's computation set its own)
        return None if inner is None else {shift + c for c in inner}


def _void_unit(param: str, nodes: list[Node]) -> int:
    """`((uint64_t *)out)[k]` (the cast folded away): the size of the elements every subscript or
    dereference of the parameter moves, when they all agree and the parameter is used no other way."""
    refs = {id(n) for n in nodes if n.kind == "ref" and n.op == param}
    sizes = {n.size for n in nodes if n.kind in ("subscript", "unop") and (n.kind == "subscript" or n.op == "*")
             and n.children and id(n.children[0]) in refs}
    uses = sum(1 for n in nodes if n.kind in ("subscript", "unop") and (n.kind == "subscript" or n.op == "*")
               and n.children and id(n.children[0]) in refs)
    return sizes.pop() if len(sizes) == 1 and uses == len(refs) and 0 not in sizes else 0


def _clean(name: str, facts: UnitFacts) -> bool:
    effect = facts.effects.get(name)
    return effect is not None and not effect.impure and not effect.indexed and bool(effect.writes_params)


def _element_sizes(a: RegionAnalysis) -> dict[str, int]:
    """Bytes of the element each pointer or array variable of the caller reaches (declared once)."""
    fn = a.region.owner
    decls = [*fn.params, *(n for n in all_nodes(fn.body) if n.kind == "var")]
    seen: dict[str, int] = {}
    for n in decls:
        seen[n.op] = n.pointee if n.op not in seen else 0
    return seen


def _touches(call: Node, spans: Spans, facts: UnitFacts, sizes: dict[str, int]) -> list | None:
    """(array, offset, the callee's offsets) for every pointer argument the callee writes through,
    when the argument's array has elements of the size the callee's parameter points at."""
    args = dict(arg_positions(call))
    params = spans.functions[call.op].params
    out = []
    for pos in sorted(facts.effects[call.op].writes_params):
        offsets = spans.offsets(call.op, pos)
        target = pointed_array(args.get(pos))
        unit = spans.unit(call.op, pos)
        if offsets is None or target is None or pos >= len(params) or not unit or sizes.get(target[0]) != unit:
            return None
        out.append((target[0], target[1], offsets))
    return out


def summarise_span_calls(a: RegionAnalysis, unit: UnitIR | None) -> None:
    """Add the element accesses of same-file calls that write through pointers at known spans."""
    facts = a.context.unit if a.context is not None else None
    if unit is None or facts is None:
        return
    calls = [n for n in a.nodes if n.kind == "call" and id(n) not in a.summarised and _clean(n.op, facts)]
    if not calls:
        return
    spans, where, sizes = Spans(unit), _loops_of(a), _element_sizes(a)
    order = {id(n): i + 1 for i, n in enumerate(a.nodes)}
    for call in calls:
        touched = _touches(call, spans, facts, sizes)
        loop = where.get(id(call))
        if touched is None or loop is None:
            continue
        chain = tuple(reversed(loop.chain()))
        branch = _branch_of(call, a, chain)
        for base, offset, offsets in touched:
            for c in sorted(offsets):
                index = Node("binop", op="+", ty="int", children=[offset, Node("int", value=c)])
                a.accesses.append(Access(call, base, [index], True, True, 0, "subscript", chain, None,
                                         call.line, order.get(id(call), 0), branch))
        a.summarised.add(id(call))
