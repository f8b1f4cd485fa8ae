"""Static control parts: a loop region as ISL statements, iteration domains and access relations.

Each assignment (or initialised declaration, or call) in the region's loop nest is a statement
`S<k>`; its domain is the set of iterations of the loops around it, bounded by their headers
(parametric bounds, bounds that move with outer loops, `min`/`max` bounds, strided steps) and by
the affine `if` conditions above it. Its accesses map each iteration to the array elements it
reads and writes; a scalar written in the region is a zero-dimensional array; `a[i*N + j]` with
an unknown row length N is delinearised to `a[i][j]`. Sizes the source does not fix are ISL
parameters. An `if` whose condition is not affine (it reads memory) keeps the statement's whole
domain and makes its writes may-writes, as Polly does for non-affine subregions.

What cannot be modelled (a while loop, an indirect subscript `a[b[i]]`, a loop variable written in
the body, a pointer walk) makes the region not a SCoP; `not_affine` says why, and the region keeps
the hand-written analysis (deps.py, launch.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import islpy as isl

from ..frontend.ir import Node
from .affine import reads_memory
from .mathfuncs import MATH_FUNCTIONS
from .nest import Access, Loop, RegionAnalysis
from .polyforms import Poly, poly
from .reductions import reduction_op, same_tree

__all__ = ["Statement", "Scop", "NotAffine", "extract_scop", "MAX_STATEMENTS"]

MAX_STATEMENTS = 40          # beyond this a region is left to the hand-written analysis (ISL time grows fast)
_STATEMENT_KINDS = frozenset({"binop", "assign_op", "unop", "call", "var"})
_STOPS = {"while": "a while loop", "do": "a do-while loop", "break": "a break", "continue": "a continue",
          "return": "a return", "goto": "a goto", "switch": "a switch"}
_CMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "!="}
_MINMAX = re.compile(r"^(f?)(min|max)(f|l)?$|^std::(min|max)$")
_ISL_WORDS = frozenset({"min", "max", "and", "or", "not", "exists", "floor", "ceil", "mod", "true", "false",
                        "infty", "NaN", "implies"})


class NotAffine(Exception):
    """Why a region (or one of its expressions) is outside the polyhedral model."""


@dataclass(eq=False)
class Statement:
    name: str
    node: Node
    loops: tuple[Loop, ...]              # enclosing loops of the region, outermost first
    line: int
    domain: isl.Set
    reads: list[tuple[str, isl.Map]] = field(default_factory=list)
    writes: list[tuple[str, isl.Map]] = field(default_factory=list)
    conditional: bool = False            # under a non-affine condition: its writes may happen
    reduction: str | None = None         # the array (or scalar) it reduces into, if it is a reduction update
    memory: list[Access] = field(default_factory=list)   # its array accesses, as nest.py found them


@dataclass(eq=False)
class Scop:
    ctx: isl.Context
    statements: list[Statement]
    schedule: isl.UnionMap               # the order as written (2d+1 form)
    params: tuple[str, ...]
    arrays: dict[str, int]               # array -> dimensions after delinearisation

    def domain(self) -> isl.UnionSet:
        out = isl.UnionSet.empty(self.statements[0].domain.get_space().params())
        for s in self.statements:
            out = out.union(isl.UnionSet.from_set(s.domain))
        return out

    def accesses(self, which: str, must: bool | None = None) -> isl.UnionMap:
        """Union of the statements' read or write relations; must=True only unconditional writes."""
        out = isl.UnionMap.empty(self.statements[0].domain.get_space().params())
        for s in self.statements:
            if must is not None and s.conditional == must:
                continue
            for _, m in getattr(s, which):
                out = out.union(isl.UnionMap.from_map(m))
        return out

    def by_name(self) -> dict[str, Statement]:
        return {s.name: s for s in self.statements}


def _ident(name: str) -> str:
    """An ISL-safe identifier for a C name (ISL reserves min, max, and, ...)."""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return f"p_{clean}" if clean in _ISL_WORDS or not clean[:1].isalpha() else clean


class _Names:
    """The region's symbols: loop variables (per statement, positional), parameters, written scalars."""

    def __init__(self, a: RegionAnalysis, written: set[str]):
        self.a = a
        self.written = written
        self.params: set[str] = set()

    def symbol(self, name: str, iters: dict[str, str]) -> str:
        if name in iters:
            return iters[name]
        if name in self.a.loop_vars or name in self.written:
            raise NotAffine(f"`{name}` changes inside the region")
        ident = "P_" + _ident(name)
        self.params.add(ident)
        return ident


class _Expr:
    """IR expression -> ISL affine text over a statement's iterators and the parameters."""

    def __init__(self, names: _Names, iters: dict[str, str]):
        self.names, self.iters = names, iters

    def text(self, n: Node, depth: int = 0) -> str:
        if n.value is not None and n.kind != "ref" or n.kind == "int":
            if n.value is None:
                raise NotAffine("an integer constant of unknown value")
            return str(n.value)
        if n.kind == "ref":
            return self._ref(n, depth)
        handler = _EXPR_KINDS.get(n.kind)
        if handler is None:
            raise NotAffine(_why(n))
        return handler(self, n, depth)

    def _ref(self, n: Node, depth: int) -> str:
        if n.value is not None:
            return str(n.value)
        a = self.names.a
        if n.op not in self.iters and n.op not in a.loop_vars and n.op in a.defs and depth < 8:
            return self.text(a.defs[n.op], depth + 1)
        known = a.context.params if a.context is not None else {}
        if n.op in known and n.op not in self.iters and n.op not in self.names.written:
            return str(known[n.op])          # a parameter every call site gives the same constant
        return self.names.symbol(n.op, self.iters)

    def _unop(self, n: Node, depth: int) -> str:
        if n.op in ("-", "+") and len(n.children) == 1:
            return f"{n.op}({self.text(n.children[0], depth)})"
        raise NotAffine(_why(n))

    def _binop(self, n: Node, depth: int) -> str:
        if len(n.children) != 2:
            raise NotAffine(_why(n))
        x, y = n.children
        if n.op in ("+", "-"):
            return f"({self.text(x, depth)}) {n.op} ({self.text(y, depth)})"
        if n.op == "*":
            c = _constant(x) if _constant(x) is not None else _constant(y)
            if c is None:
                raise NotAffine("a product of two variables")
            other = y if _constant(x) is not None else x
            return f"{c}*({self.text(other, depth)})"
        if n.op in ("/", "%", ">>") and _constant(y) and _constant(y) > 0:
            d = _constant(y) if n.op != ">>" else 1 << _constant(y)
            inner = self.text(x, depth)
            # C truncates toward zero; for the non-negative indices of counted loops that is floor
            return f"floor(({inner})/{d})" if n.op != "%" else f"(({inner}) mod {d})"
        raise NotAffine(_why(n))

    def _call(self, n: Node, depth: int) -> str:
        m = _MINMAX.match(n.op)
        if m and len(n.children) == 2:
            fn = m.group(2) or m.group(4)
            return f"{fn}({self.text(n.children[0], depth)}, {self.text(n.children[1], depth)})"
        raise NotAffine(_why(n))

    def _cond(self, n: Node, depth: int) -> str:
        """`a < b ? a : b` (the expansion of a MIN macro) and its mirror images."""
        if len(n.children) == 3:
            c, yes, no = n.children
            if c.kind == "binop" and c.op in ("<", "<=", ">", ">=") and len(c.children) == 2:
                p, q = c.children
                picks_p = same_tree(yes, p) and same_tree(no, q)
                if picks_p or (same_tree(yes, q) and same_tree(no, p)):
                    smaller = (c.op in ("<", "<=")) == picks_p
                    return f"{'min' if smaller else 'max'}({self.text(p, depth)}, {self.text(q, depth)})"
        raise NotAffine(_why(n))


_EXPR_KINDS = {"unop": _Expr._unop, "binop": _Expr._binop, "call": _Expr._call, "cond": _Expr._cond}


def _constant(n: Node) -> int | None:
    return n.value if n.kind != "ref" or n.value is not None else None


def _why(n: Node) -> str:
    if reads_memory(n):
        return f"line {n.line}: an index or bound reads memory (indirect)" if n.line else \
            "an index or bound reads memory (indirect)"
    return f"`{n.op or n.kind}` in an index or bound is not affine"


def _condition(expr: _Expr, n: Node) -> str:
    """An affine condition (comparisons joined by && and ||) as ISL constraint text."""
    if n.kind == "binop" and n.op in ("&&", "||") and len(n.children) == 2:
        word = "and" if n.op == "&&" else "or"
        return f"(({_condition(expr, n.children[0])}) {word} ({_condition(expr, n.children[1])}))"
    if n.kind == "unop" and n.op == "!" and n.children:
        return f"(not ({_condition(expr, n.children[0])}))"
    if n.kind == "binop" and n.op in _CMP and len(n.children) == 2:
        return f"({expr.text(n.children[0])}) {_CMP[n.op]} ({expr.text(n.children[1])})"
    raise NotAffine(f"line {n.line}: condition `{n.op or n.kind}` is not affine")


# ---- statements ---------------------------------------------------------------------------------
@dataclass
class _Site:
    node: Node
    loops: tuple[Loop, ...]
    conds: tuple[tuple[Node, bool], ...]
    betas: tuple[int, ...]               # program-order positions: one per loop level, plus the statement's


def _sites(a: RegionAnalysis) -> list[_Site]:
    """Statements in program order with their loops and enclosing conditions."""
    loop_of = {id(l.node): l for l in a.loops}
    out, counter = [], [0]
    stack = [(a.region.root, (), (), ())]
    while stack:
        n, loops, conds, betas = stack.pop()
        counter[0] += 1
        here = betas + (counter[0],)
        if n.kind in _STOPS:
            raise NotAffine(f"line {n.line}: {_STOPS[n.kind]}")
        if n.kind == "for":
            loop = loop_of.get(id(n))
            if loop is None or loop.var is None:
                raise NotAffine(f"line {n.line}: a for loop without a counted header")
            body = n.child("body")
            if body is not None:
                stack.append((body, loops + (loop,), conds, here))
        elif n.kind == "compound" or n.kind == "decl":
            stack.extend((c, loops, conds, betas) for c in reversed(n.children))
        elif n.kind == "if":
            cond = n.child("cond")
            for role, value in (("else", False), ("then", True)):
                branch = n.child(role)
                if branch is not None:
                    stack.append((branch, loops, conds + ((cond, value),), betas))
        elif n.kind in _STATEMENT_KINDS and not (n.kind == "var" and not n.children):
            out.append(_Site(n, loops, conds, here))
        elif n.kind not in ("null", "var"):
            out.append(_Site(n, loops, conds, here))   # an expression statement of another kind
    return out


def _loop_constraints(loop: Loop, expr: _Expr, it: str) -> list[str]:
    node = loop.node
    init, cond, inc = node.child("init"), node.child("cond"), node.child("inc")
    step = _step(inc, loop.var)
    start = _start(init)
    if start is None or cond is None or step is None:
        raise NotAffine(f"line {node.line}: loop header of `{loop.var}` is not counted")
    lo = expr.text(start)
    out = [f"{it} >= {lo}" if step > 0 else f"{it} <= {lo}", _bound(cond, loop.var, expr, step)]
    if abs(step) != 1:
        out.append(f"exists (e{it}: {it} = {lo} + {step}*e{it})")
    return out


def _start(init: Node | None) -> Node | None:
    if init is not None and init.kind == "decl" and init.children and init.children[0].children:
        return init.children[0].children[0]
    if init is not None and init.kind == "binop" and init.op == "=" and len(init.children) == 2:
        return init.children[1]
    return None


def _step(inc: Node | None, var: str) -> int | None:
    from .nest import _step as nest_step     # the one reader of for-header steps
    return nest_step(inc, var)


def _bound(cond: Node, var: str, expr: _Expr, step: int) -> str:
    if cond.kind == "binop" and cond.op in ("&&",) and len(cond.children) == 2:
        return f"({_bound(cond.children[0], var, expr, step)}) and ({_bound(cond.children[1], var, expr, step)})"
    if cond.kind != "binop" or cond.op not in ("<", "<=", ">", ">=", "!=") or len(cond.children) != 2:
        raise NotAffine(f"line {cond.line}: loop condition of `{var}` is not a comparison")
    left, right = cond.children
    op = cond.op if cond.op != "!=" else ("<" if step > 0 else ">")   # `i != N` counting towards N
    if op != cond.op and not (left.kind == "ref" and left.op == var):
        op = {"<": ">", ">": "<"}[op]
    return f"({expr.text(left)}) {op} ({expr.text(right)})"


def _domain(site: _Site, names: _Names, name: str) -> tuple[str, dict[str, str], list[bool]]:
    iters = {}
    parts: list[str] = []
    for depth, loop in enumerate(site.loops):
        iters[loop.var] = f"i{depth}"
        parts += _loop_constraints(loop, _Expr(names, iters), f"i{depth}")
    conditional = False
    expr = _Expr(names, iters)
    for cond, value in site.conds:
        try:
            text = _condition(expr, cond)
        except NotAffine:
            if not reads_memory(cond, names.a.defs):
                raise
            conditional = True          # data-dependent: the statement may run in each iteration
            continue
        parts.append(text if value else f"not {text}")
    dims = ", ".join(iters.values())
    body = " and ".join(f"({p})" for p in parts) or "true"
    return (f"{name}[{dims}] : {body}", iters, [conditional])


# ---- accesses -----------------------------------------------------------------------------------
def _delinearise(p: Poly, iters: dict[str, str]) -> list[Poly] | None:
    """`i*N + j` (N not a loop variable) -> [i, j]: one dimension per distinct parameter factor,
    the largest factors outermost. None when a term has two loop variables."""
    groups: dict[tuple, Poly] = {}
    for mono, c in p.items():
        its = [s for s in mono if s in iters]
        if len(its) > 1:
            return None
        key = tuple(s for s in mono if s not in iters)
        rest = tuple(its)
        if len(key) > 2:
            return None
        groups.setdefault(key, {})[rest] = c
    if all(len(k) == 0 for k in groups):
        return [p]
    # a constant times parameters (i*N + N) belongs to the term of the same parameter
    keys = sorted(groups, key=len, reverse=True)
    return [groups[k] for k in keys]


def _poly_text(p: Poly, names: _Names, iters: dict[str, str]) -> str:
    terms = []
    for mono, c in p.items():
        if len(mono) > 1:
            raise NotAffine("a subscript with a product of variables")
        terms.append(f"{c}" if not mono else f"{c}*{names.symbol(mono[0], iters)}")
    return " + ".join(terms) or "0"


def _subscripts(acc: Access, names: _Names, iters: dict[str, str]) -> list[str]:
    a = names.a
    if acc.kind != "subscript" or not acc.base:
        raise NotAffine(f"line {acc.line}: `{acc.base or '?'}` is reached through a pointer "
                        f"({'*p' if acc.kind == 'deref' else 'p->f'}), not a subscript")
    out: list[str] = []
    for ix in acc.indices:
        p = poly(ix, a.defs, a.loop_vars)
        if p is None:
            raise NotAffine(f"line {acc.line}: subscript {acc.base}[...] is "
                            f"{'indirect' if reads_memory(ix, a.defs) else 'not affine'}")
        parts = _delinearise(p, iters) if len(acc.indices) == 1 else [p]
        if parts is None:
            raise NotAffine(f"line {acc.line}: subscript of {acc.base} multiplies loop variables")
        # a dimension's part divided by its factor: i*N -> i (the factor is the row length)
        out += [_poly_text(_strip_factor(q, iters), names, iters) for q in parts]
    return out


def _strip_factor(p: Poly, iters: dict[str, str]) -> Poly:
    out: Poly = {}
    for mono, c in p.items():
        kept = tuple(s for s in mono if s in iters)
        out[kept] = out.get(kept, 0) + c
    return {m: c for m, c in out.items() if c}


# ---- the SCoP -----------------------------------------------------------------------------------
def _owner(a: RegionAnalysis, sites: list[_Site]) -> dict[int, int]:
    """id(node) -> index of the statement whose tree holds it."""
    owner = {}
    for k, site in enumerate(sites):
        stack = [site.node]
        while stack:
            n = stack.pop()
            owner[id(n)] = k
            stack.extend(n.children)
    return owner


def _written_scalars(a: RegionAnalysis) -> set[str]:
    return {u.name for u in a.scalars if u.write and u.name not in a.loop_vars}


def _check_loops(a: RegionAnalysis) -> None:
    for var, loop, _ in a.header_steps:
        if var != loop.var:
            raise NotAffine(f"line {loop.node.line}: `{var}` steps in the loop header beside `{loop.var}`")
    for u in a.scalars:
        if u.write and u.name in a.loop_vars and not _is_header(u, a):
            raise NotAffine(f"line {u.line}: loop variable `{u.name}` is written in the body")


def _is_header(u, a: RegionAnalysis) -> bool:
    return any(u.node is c or _inside(u.node, c) for l in a.loops for c in l.node.children if c.role != "body")


def _inside(node: Node, root: Node) -> bool:
    stack = [root]
    while stack:
        n = stack.pop()
        if n is node:
            return True
        stack.extend(n.children)
    return False


class _Builder:
    def __init__(self, a: RegionAnalysis, ctx: isl.Context):
        self.a, self.ctx = a, ctx
        unit = a.context.unit if a.context is not None else None
        self.defined = frozenset(unit.effects) if unit is not None else frozenset()   # functions of the file
        self.names = _Names(a, _written_scalars(a))
        self.arrays: dict[str, int] = {}
        self.texts: list[tuple[str, str, list[tuple[str, str, bool]]]] = []   # (domain, schedule, accesses)

    def build(self) -> Scop:
        a = self.a
        _check_loops(a)
        sites = _sites(a)
        if not sites:
            raise NotAffine("no statements")
        if len(sites) > MAX_STATEMENTS:
            raise NotAffine(f"{len(sites)} statements (more than {MAX_STATEMENTS})")
        owner = _owner(a, sites)
        per_site: list[list] = [[] for _ in sites]
        for acc in a.accesses:
            if id(acc.node) in owner:
                per_site[owner[id(acc.node)]].append(("array", acc))
        for use in a.scalars:
            if use.name in self.names.written and id(use.node) in owner:
                per_site[owner[id(use.node)]].append(("scalar", use))
        statements = [self._statement(k, site, per_site[k]) for k, site in enumerate(sites)]
        return self._scop(statements)

    def _statement(self, k: int, site: _Site, uses: list) -> dict:
        name = f"S{k}"
        _check_calls(site.node, self.defined)
        dom, iters, flags = _domain(site, self.names, name)
        acc_texts = []
        for kind, use in uses:
            if kind == "array":
                subs = _subscripts(use, self.names, iters)
                self._dims(use.base, len(subs))
                target = f"A_{_ident(use.base)}[{', '.join(subs)}]"
                if use.load:
                    acc_texts.append(("read", use.base, target))
                if use.store:
                    acc_texts.append(("write", use.base, target))
            else:
                self._dims(use.name, 0)
                acc_texts.append(("write" if use.write else "read", use.name, f"A_{_ident(use.name)}[]"))
        return {"name": name, "site": site, "domain": dom, "iters": iters, "conditional": flags[0],
                "accesses": acc_texts, "reduction": _reduction(site.node, uses),
                "memory": [u for k, u in uses if k == "array"]}

    def _dims(self, base: str, n: int) -> None:
        if self.arrays.setdefault(base, n) != n:
            raise NotAffine(f"`{base}` is accessed with {self.arrays[base]} and with {n} subscripts")

    def _scop(self, raw: list[dict]) -> Scop:
        params = ", ".join(sorted(self.names.params))
        prefix = f"[{params}] -> " if params else ""
        depth = max(len(r["site"].loops) for r in raw)
        statements, sched = [], isl.UnionMap.read_from_str(self.ctx, prefix + "{ }")
        for r in raw:
            dom = isl.Set.read_from_str(self.ctx, f"{prefix}{{ {r['domain']} }}")
            st = Statement(r["name"], r["site"].node, r["site"].loops, r["site"].node.line, dom,
                           conditional=r["conditional"], reduction=r["reduction"], memory=r["memory"])
            dims = ", ".join(r["iters"].values())
            for which, base, target in r["accesses"]:
                m = isl.Map.read_from_str(self.ctx, f"{prefix}{{ {r['name']}[{dims}] -> {target} }}")
                m = m.intersect_domain(dom)
                (st.reads if which == "read" else st.writes).append((base, m))
            statements.append(st)
            sched = sched.union(isl.UnionMap.from_map(self._order(r, prefix, depth)))
        return Scop(self.ctx, statements, sched, tuple(sorted(self.names.params)), dict(self.arrays))

    def _order(self, r: dict, prefix: str, depth: int) -> isl.Map:
        """The 2d+1 schedule: program-order positions interleaved with the iterators (a loop that
        counts down runs its iterator negated), padded to the deepest statement."""
        site, iters = r["site"], list(r["iters"].values())
        out = []
        for k, it in enumerate(iters):
            out += [str(site.betas[k]), it if (_step(site.loops[k].node.child("inc"), site.loops[k].var) or 1) > 0
                    else f"-{it}"]
        out.append(str(site.betas[len(iters)]))
        out += ["0"] * (2 * depth + 1 - len(out))
        return isl.Map.read_from_str(self.ctx, f"{prefix}{{ {r['name']}[{', '.join(iters)}] -> [{', '.join(out)}] }}")


def _check_calls(node: Node, defined: frozenset[str] = frozenset()) -> None:
    """A call other than a math function may read or write anything: outside the model (a function
    the file defines is its own, whatever library function shares its name)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.kind == "call" and (n.op in defined or n.op not in MATH_FUNCTIONS and not _MINMAX.match(n.op)):
            raise NotAffine(f"line {n.line}: a call to {n.op or 'a function pointer'}")
        stack.extend(n.children)


def _reduction(node: Node, uses: list) -> str | None:
    """The location a reduction statement (`s += e`, `C[i][j] += a*b`, `m = fmax(m, e)`) updates."""
    for kind, use in uses:
        if kind == "array" and use.store and use.load and use.assign is node:
            target = use.node
            # every access of the array in the statement is the updated element (not a[i] += a[i-1])
            alike = all(same_tree(u.node, target) for k, u in uses if k == "array" and u.base == use.base)
            if alike and reduction_op(node, lambda n: same_tree(n, target)):
                return use.base
        if kind == "scalar" and use.write and use.node is node:
            name = use.name
            if reduction_op(node, lambda n: n.kind == "ref" and n.op == name):
                return name
    return None


def extract_scop(a: RegionAnalysis, ctx: isl.Context) -> Scop:
    """The region as a SCoP; raises NotAffine with the reason when it is not one."""
    if a.is_kernel:
        raise NotAffine("an OpenCL kernel: its NDRange is the iteration space")
    return _Builder(a, ctx).build()
