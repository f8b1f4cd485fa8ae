"""Terms of a subscript that are not plain arithmetic, read for the dependence test of one loop level.

* A **loop-invariant load** is a parameter, not an indirect subscript: `u[i*x_points + j]` with
  `const int x_points = atoi(argv[1])` before the loop, `dst[h*prop->width + w]`, `a[i*dims[1] + j]`.
  A value is invariant in the tested loop L when it is a scalar L never writes, or a load whose
  address uses neither L's nor its inner loops' variables nor anything L writes, from an array (or
  pointer) L never stores to. Such a value becomes an opaque symbol, the same on both sides of a
  dependence pair (both iterations read the same value). `idx[i]` stays an indirect subscript.
  That no other pointer L writes through reaches the loaded memory is the alias assumption
  deps.py already states for every pair of distinct arrays of the loop.
* A **small index function** of the same file, `inline int ind(int i, int j, int n) { return i*n + j; }`,
  whose body is one `return` of an integer expression of its parameters and globals (no loads, no
  calls but pure ones), is inlined at the call: `v[ind(i, j, n)]` is `v[i*n + j]`.
* An **index recovered by `/` and `%`** of a loop variable (`k = index % M; j = (index - k) / M % N;
  i = (index - M*j - k) / (N*M)`) is read in the digits of the variable (`index_digits.py`).
* An **invariant operation** that is no polynomial (`Nmats / 2`, `w % 4`) is an opaque symbol too; for
  a division by a positive constant, `|X - c*(X/c)| < c` ties the symbol to its numerator.
"""
from __future__ import annotations

from .affine import reads_memory, value_range
from .calls import library_pure
from .helpers import argument_nodes, completed
from .nest import Loop, RegionAnalysis, struct_variable
from .index_digits import Digits
from .polyforms import Poly, poly
from ..frontend.ir import Node, UnitIR, walk

__all__ = ["IndexFunction", "index_functions", "TermReader"]

IndexFunction = tuple[tuple[str, ...], Node]      # (parameter names, the returned expression)
# index_functions maps every function the file defines to its IndexFunction, or None when it is not one
_LOADS = ("subscript", "member", "unop")
_MAX_INLINING = 4


def _returned(fn) -> Node | None:
    body = fn.body.children if fn.body is not None else []
    if len(body) != 1 or body[0].kind != "return" or len(body[0].children) != 1:
        return None
    return body[0].children[0]


def index_functions(unit: UnitIR | None) -> dict[str, IndexFunction | None]:
    """Every function of the file -> (parameters, expression) when it is one `return` of an integer
    expression of scalar parameters, else None (a defined name is never taken for a library one)."""
    if unit is None:
        return {}
    defined = {fn.name for fn in unit.functions}
    out: dict[str, IndexFunction | None] = dict.fromkeys(defined)
    names = [fn.name for fn in unit.functions]
    for fn in unit.functions:
        expr = _returned(fn) if names.count(fn.name) == 1 else None     # overloads: which one is called?
        if expr is None or expr.ty not in ("int", "") or any(p.ty in ("ptr", "array", "struct") for p in fn.params):
            continue
        if reads_memory(expr) or any(n.kind == "call" and (n.op in defined or not library_pure(n.op, defined))
                                     for n in walk(expr)):
            continue
        out[fn.name] = (tuple(p.op for p in fn.params), expr)
    return out


def _replace(tree: Node, values: dict[str, Node]) -> Node:
    if tree.kind == "ref" and tree.op in values:
        return values[tree.op]
    tree = completed(tree)
    if not any(n.kind == "ref" and n.op in values for n in walk(tree)):
        return tree
    return Node(tree.kind, op=tree.op, ty=tree.ty, size=tree.size, line=tree.line, value=tree.value,
                role=tree.role, args=tree.args, children=[_replace(c, values) for c in tree.children])


def _is_load(n: Node) -> bool:
    """A subscript, a dereference, or a field reached through one (`p->w`, `pts[i].w`)."""
    return n.kind == "subscript" or (n.kind == "unop" and n.op == "*") or (
        n.kind == "member" and bool(n.children) and (n.children[0].ty == "ptr" or _is_load(n.children[0])))


def _root(n: Node) -> str | None:
    """The array or pointer a load reads from: `p` in `p->a.b`, `dims` in `dims[1]`."""
    while n.kind in _LOADS and n.children:
        n = n.children[0]
    return n.op if n.kind == "ref" else None


def _text(n: Node) -> str:
    """A name for a loaded value: equal texts are the same load (both are invariant)."""
    n = completed(n)
    kids = [_text(c) for c in n.children]
    if n.kind == "int":
        return str(n.value)
    if n.kind == "ref":
        return n.op
    if n.kind == "subscript" and len(kids) == 2:
        return f"{kids[0]}[{kids[1]}]"
    if n.kind == "member" and kids:
        return f"{kids[0]}{'->' if n.children[0].ty == 'ptr' else '.'}{n.op}"
    if n.kind == "binop" and len(kids) == 2:
        return f"({kids[0]}{n.op}{kids[1]})"
    if n.kind == "binop":      # an operand the front end did not keep: equal texts would not be equal values
        return f"{n.op}@{id(n)}"
    if n.value is not None:
        return str(n.value)
    return f"{n.kind}:{n.op}({','.join(kids)})"


class TermReader:
    """The polyforms hook for the subscripts of one loop level `loop` of region `a`."""

    def __init__(self, loop: Loop, a: RegionAnalysis, written: set[str]):
        self.a, self.written = a, written
        self.varying = {l.var for l in a.loops if l.var and loop in l.chain()}
        self.stored = {acc.base for acc in a.accesses if acc.store and loop in acc.loops}
        self.functions: dict[str, IndexFunction | None] = a.index_functions
        self.depth = 0
        self.divisions: dict[str, tuple[Poly, int]] = {}    # symbol of `X / c` -> (X, c)
        self.digits = Digits(self.varying)
        self._loaded_defs: dict[str, Node] | None = None     # a.defs without bounded scalars (varies)

    def poly(self, node: Node) -> Poly | None:
        return poly(node, self._defs(), self.a.loop_vars, hook=self)

    def _defs(self) -> dict[str, Node]:
        """a.defs without the scalars that hold a truth value or a mask (affine.value_range): such a
        scalar stays a symbol, which the pair test bounds where the loop changes it (s8n's
        `_x = tx > x; t = _x*4 + _y*2 + _z` picks one of 8 slots of the iteration's row)."""
        if self._loaded_defs is None:
            self._loaded_defs = {k: v for k, v in self.a.defs.items()
                                 if value_range(v) is None and not self._called_once_before(k, v)}
        return self._loaded_defs

    def _called_once_before(self, name: str, value: Node) -> bool:
        """A scalar the loop never writes whose one definition calls a function (`const int size =
        atoi(argv[2]);`): one value for every iteration, read as its own symbol (a size the pair test
        shares between both sides) instead of a call it cannot read (colorwheel's main)."""
        return name not in self.written and any(n.kind == "call" for n in walk(value))

    def __call__(self, node: Node) -> Poly | None:
        if node.kind == "ref":
            return None if node.op in self.written or node.op in self.varying else {(node.op,): 1}
        root = struct_variable(node) if node.kind == "member" else None
        if root is not None:        # a field of a struct variable (`q.s0`), not of a loaded element
            return None if root.op in self.written | self.varying else {(_text(node),): 1}
        if node.kind == "call":
            return self._inlined(node)
        if node.kind == "binop":
            return self._operation(node)
        return {(_text(node),): 1} if _is_load(node) and self.invariant(node) else None

    def _operation(self, node: Node) -> Poly | None:
        """`n / 2`, `w % 4`, `n >> 1` of values the loop does not change: an opaque symbol. For a
        division by a positive constant c its numerator X is kept: |X - c*(X/c)| < c (C truncates)."""
        if not self.invariant(node):
            return self.digits.read(node, self) if node.op in ("/", "%") else None
        name = _text(node)
        node = completed(node)
        if node.op == "/" and len(node.children) == 2 and node.children[1].kind == "int" and (node.children[1].value or 0) > 0:
            numerator = self.poly(node.children[0])
            if numerator is not None:
                self.divisions[name] = (numerator, node.children[1].value)
        return {(name,): 1}

    def invariant(self, node: Node) -> bool:
        """Is the value of `node` the same in every iteration of the level's loop?"""
        for n in walk(node):
            if n.kind == "ref" and (n.op in self.written or n.op in self.varying):
                return False
            if _is_load(n) and _root(n) in self.stored | {None}:
                return False
            if n.kind == "call" and not library_pure(n.op, self.functions):
                return False
        return True

    def varies(self, node: Node) -> bool:
        """Does `node` load from memory that may change between iterations (`idx[i]`)?"""
        defs = self._defs()      # a truth value or mask of loaded data is bounded, not an index loaded
        return any(_is_load(n) and not self.invariant(n) for n in walk(node)) or any(
            n.kind == "ref" and n.op in self.written and n.op in defs and reads_memory(defs[n.op], defs)
            for n in walk(node))

    def _inlined(self, call: Node) -> Poly | None:
        found = self.functions.get(call.op)
        if found is None or self.depth >= _MAX_INLINING:
            return {(_text(call),): 1} if self.invariant(call) and library_pure(call.op, self.functions) else None
        params, expr = found
        args = argument_nodes(call)
        if len(args) != len(params):
            return None
        self.depth += 1
        try:
            return self.poly(_replace(expr, {p: args[i] for i, p in enumerate(params)}))
        finally:
            self.depth -= 1
