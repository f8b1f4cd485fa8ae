"""Integer expressions as polynomials over symbols, for dependence testing.

A polynomial maps a monomial (a sorted tuple of symbol names; () for the constant) to an integer
coefficient: `i*N + j + 1` is {("N", "i"): 1, ("j",): 1, (): 1}. Unlike `affine.affine` (whose
forms the stride features read and which must not change), products of symbols stay exact, so
`i*N + j` and `i*N + j + 1` can be compared term by term and delinearised. Scalars with a single
definition are expanded, so `k = i + Nr*j; a[k]` is a polynomial in i and j.

A caller may pass `hook`, asked about every leaf `poly` cannot read itself (a load, a call, a
scalar whose definition is not a polynomial): it answers a polynomial (an opaque loop-invariant
symbol, an inlined index function) or None. Without it those leaves make the whole expression None.
"""
from __future__ import annotations

from ..frontend.ir import Node

__all__ = ["Poly", "poly", "linear", "Bounds", "loop_bounds", "symbols", "level_step", "substitute", "add", "mul"]

Poly = dict
_MAX_EXPANSION = 8
_MAX_DEGREE = 8     # ll*(nz+2*hs)*(nx+2*hs), (n*C + c)*HxW with C = G*K; vol2col: ch*kt*kh*kw*Dc*Hc*Wc
_WORK_ITEM = frozenset({"get_global_id", "get_local_id", "get_group_id", "get_local_size", "get_global_size",
                        "get_num_groups", "get_global_offset"})


def _const(value: int) -> Poly:
    return {(): value} if value else {}


def _add(a: Poly, b: Poly, sign: int = 1) -> Poly:
    out = dict(a)
    for m, c in b.items():
        out[m] = out.get(m, 0) + sign * c
    return {m: c for m, c in out.items() if c}


def _mul(a: Poly, b: Poly) -> Poly | None:
    out: Poly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = tuple(sorted(ma + mb))
            if len(m) > _MAX_DEGREE:
                return None
            out[m] = out.get(m, 0) + ca * cb
    return {m: c for m, c in out.items() if c}


def _constant_of(p: Poly) -> int | None:
    if not p:
        return 0
    return p[()] if set(p) == {()} else None


def _divide(a: Poly, b: Poly, op: str) -> Poly | None:
    ca, cb = _constant_of(a), _constant_of(b)
    if ca is None or not cb:
        return None
    q = abs(ca) // abs(cb) * (1 if (ca >= 0) == (cb > 0) else -1)   # C truncates toward zero
    return _const(q if op == "/" else ca - q * cb)


_NOT_LEAF = object()   # _leaf's answer for operators (None already means "not a polynomial")


def _leaf(node: Node, defs: dict[str, Node], loop_vars: frozenset[str], depth: int, hook=None):
    """The polynomial of a constant, variable, struct field or work-item id; _NOT_LEAF for other nodes."""
    found = _plain_leaf(node, defs, loop_vars, depth, hook)
    if found is None and hook is not None and node.kind in _HOOKED:
        return hook(node)
    return found


_HOOKED = frozenset({"ref", "subscript", "member", "call", "unop"})


def _loaded(base: Node) -> bool:
    """Whether a member's base is read from memory (`pts[i].w`, `(*p).w`): then the field is a load."""
    while base.kind == "member" and base.children:
        base = base.children[0]
    return base.kind == "subscript" or (base.kind == "unop" and base.op == "*") or base.ty == "ptr"


def _plain_leaf(node: Node, defs: dict[str, Node], loop_vars: frozenset[str], depth: int, hook):
    k = node.kind
    if k == "int":
        return None if node.value is None else _const(node.value)
    if node.value is not None:     # a folded constant (a ref's value is checked here too)
        return _const(node.value)
    if k == "ref":
        name = node.op
        if name not in loop_vars and name in defs and depth < _MAX_EXPANSION:
            return poly(defs[name], defs, loop_vars, depth + 1, hook)
        return {(name,): 1}
    if k == "member" and node.children and node.children[0].ty != "ptr" and not _loaded(node.children[0]):
        # a field of a struct variable (`p.n`), not of a loaded element; a hook tells whether the
        # variable changes in the loop (`int2 p = f(i)`) and names its fields apart (`a.n`, `b.n`)
        return None if hook is not None else {("." + node.op,): 1}
    if k == "call" and node.op in _WORK_ITEM and node.children and node.children[0].value is not None:
        return {(f"{node.op}({node.children[0].value})",): 1}   # one value per work-item: invariant
    if k in ("subscript", "call", "member") or (k == "unop" and node.op == "*"):
        return None           # a load or a call: only the hook can read it
    return _NOT_LEAF


def _binary(op: str, a: Poly, b: Poly) -> Poly | None:
    if op in ("+", "-"):
        return _add(a, b, 1 if op == "+" else -1)
    if op == "*":
        return _mul(a, b)
    if op in ("/", "%"):
        return _divide(a, b, op)
    if op == "<<":
        cb = _constant_of(b)
        return _mul(a, _const(1 << cb)) if cb is not None and 0 <= cb < 31 else None
    if op == ">>":
        ca, cb = _constant_of(a), _constant_of(b)
        return _const(ca >> cb) if ca is not None and cb is not None and 0 <= cb < 63 else None
    return None


def poly(node: Node, defs: dict[str, Node], loop_vars: frozenset[str], depth: int = 0, hook=None) -> Poly | None:
    """The polynomial of an integer expression, or None (memory reads, calls, unsupported operators)."""
    leaf = _leaf(node, defs, loop_vars, depth, hook)
    if leaf is not _NOT_LEAF:
        return leaf
    node = _one_division(node)
    kids = node.children
    if node.kind == "unop" and len(kids) == 1 and node.op in ("-", "+"):
        inner = poly(kids[0], defs, loop_vars, depth, hook)
        return None if inner is None else (inner if node.op == "+" else _add({}, inner, -1))
    if node.kind != "binop" or len(kids) != 2:
        return None
    a = poly(kids[0], defs, loop_vars, depth, hook)
    b = poly(kids[1], defs, loop_vars, depth, hook) if a is not None else None
    found = None if a is None or b is None else _binary(node.op, a, b)
    if found is None and hook is not None and node.op in _OPAQUE_OPS:
        return hook(node)                # `n / 2`, `k % w`: only the hook can tell if it is invariant
    return found


def _one_division(node: Node) -> Node:
    """`a / b / c` as `a / (b*c)`: C's truncation gives the same for any nonzero b and c, and one
    divisor lets the digits of a flat index be read once (`index / S / N`, then `index / N % S`)."""
    if node.kind != "binop" or node.op != "/" or len(node.children) != 2:
        return node
    inner, c = node.children
    if inner.kind != "binop" or inner.op != "/" or len(inner.children) != 2:
        return node
    a, b = inner.children
    product = Node("binop", op="*", ty=node.ty, line=node.line, children=[b, c])
    return Node("binop", op="/", ty=node.ty, line=node.line, children=[a, product])


_OPAQUE_OPS = frozenset({"/", "%", ">>", "<<", "&", "|", "^"})


def symbols(p: Poly) -> set[str]:
    return {s for m in p for s in m}


def linear(p: Poly) -> tuple[dict[str, int], int] | None:
    """(coefficients, constant) if every monomial has degree <= 1, else None."""
    coeffs, const = {}, 0
    for m, c in p.items():
        if not m:
            const = c
        elif len(m) == 1:
            coeffs[m[0]] = c
        else:
            return None
    return coeffs, const


class Bounds:
    """A counted loop `for (v = start; v OP bound; v += step)`: start and bound as polynomials.
    `scaled` (c, X) stands for a bound `v < X / c` that is no polynomial: c*v < X holds then (C's
    division truncates toward zero, so trunc(X/c) <= X/c for X >= 0 and ceil(X/c) - 1 < X/c below)."""

    __slots__ = ("var", "start", "bound", "op", "step", "scaled")

    def __init__(self, var: str, start: Poly | None, bound: Poly | None, op: str, step: int,
                 scaled: tuple[int, Poly] | None = None):
        self.var, self.start, self.bound, self.op, self.step = var, start, bound, op, step
        self.scaled = scaled


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "!=": "!="}


def _start(init: Node | None, defs: dict[str, Node], loop_vars: frozenset[str], hook=None) -> Poly | None:
    """The initial value of a `for` header's `int v = X` or `v = X`."""
    if init is not None and init.kind == "decl" and init.children and init.children[0].children:
        return poly(init.children[0].children[0], defs, loop_vars, hook=hook)
    if init is not None and init.kind == "binop" and init.op == "=" and len(init.children) == 2:
        return poly(init.children[1], defs, loop_vars, hook=hook)
    return None


def _bound(cond: Node | None, var: str, defs: dict[str, Node], loop_vars: frozenset[str],
           hook=None) -> tuple[Poly | None, str]:
    """The bound of `v OP X` (or `X OP v`, flipped to `v OP' X`) and its operator; op '' when not of that shape."""
    if cond is None or cond.kind != "binop" or len(cond.children) != 2 or cond.op not in _FLIP:
        return None, ""
    left, right = cond.children
    if left.kind == "ref" and left.op == var:
        return poly(right, defs, loop_vars, hook=hook), cond.op
    if right.kind == "ref" and right.op == var:
        return poly(left, defs, loop_vars, hook=hook), _FLIP[cond.op]
    return None, ""


def _scaled_bound(cond: Node | None, var: str, defs: dict[str, Node], loop_vars: frozenset[str],
                  hook=None) -> tuple[int, Poly] | None:
    """(c, X) for a condition `v < X / c` with an integer division by a positive constant c."""
    if cond is None or cond.kind != "binop" or cond.op != "<" or len(cond.children) != 2:
        return None
    left, right = cond.children
    if left.kind != "ref" or left.op != var or right.kind != "binop" or right.op != "/" or right.ty != "int":
        return None
    kids = right.children
    divisor = kids[1].value if len(kids) == 2 and kids[1].kind == "int" else None
    if len(kids) == 1 and right.args and right.args[0][0] == 1:
        divisor = right.args[0][1]
    if not divisor or divisor < 1:
        return None
    x = poly(kids[0], defs, loop_vars, hook=hook)
    return (divisor, x) if x is not None else None


def loop_bounds(node: Node, var: str | None, step: int | None, defs: dict[str, Node],
                loop_vars: frozenset[str], hook=None) -> Bounds | None:
    """The bounds of a counted `for` loop, or None when its header is not of that shape."""
    if node.kind != "for" or var is None or not step:
        return None
    start = _start(node.child("init"), defs, loop_vars, hook)
    bound, op = _bound(node.child("cond"), var, defs, loop_vars, hook)
    if not op or (step > 0 and op in (">", ">=")) or (step < 0 and op in ("<", "<=")):
        return None   # a loop that runs zero times or forever: no usable bounds
    scaled = _scaled_bound(node.child("cond"), var, defs, loop_vars, hook) if bound is None and step > 0 else None
    return Bounds(var, start, bound, op, step, scaled)


_RISING = {"+=": 1, "<<=": 1, "*=": 1, "-=": -1, ">>=": -1, "/=": -1}


def level_step(inc: Node | None, var: str, step_of) -> int | None:
    """The step of `var` in a for header's increment, also inside a comma list (`++q, o++`).
    `step_of(node, var)` reads a constant step (analysis._step). A loop-invariant but unknown
    step (`i += get_local_size(0)`, `k >>= 1`) gives +1 or -1: its values are a subset, in the
    same order, of the unit-step loop's, so independence proven for that loop holds for it."""
    if inc is None:
        return None
    if inc.kind == "binop" and inc.op == "," and len(inc.children) == 2:
        return level_step(inc.children[0], var, step_of) or level_step(inc.children[1], var, step_of)
    step = step_of(inc, var)
    if step or inc.kind != "assign_op" or len(inc.children) != 2:
        return step
    target, amount = inc.children
    if target.kind != "ref" or target.op != var or any(n.kind == "ref" and n.op == var for n in _walk(amount)):
        return None
    return _RISING.get(inc.op)


def _walk(node: Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


add, mul = _add, _mul


def substitute(p: Poly, name: str, value: Poly) -> Poly | None:
    """p with the symbol `name` replaced by the polynomial `value` (None past the degree cap)."""
    out: Poly = {}
    for m, c in p.items():
        if name not in m:
            out = _add(out, {m: c})
            continue
        rest = list(m)
        term: Poly | None = {(): c}
        while name in rest:
            rest.remove(name)
            term = _mul(term, value) if term is not None else None
        if term is None:
            return None
        term = _mul(term, {tuple(rest): 1})
        if term is None:
            return None
        out = _add(out, term)
    return out
