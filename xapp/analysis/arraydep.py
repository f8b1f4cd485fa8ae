"""Does a store and another access of the same array touch one element in two iterations of a loop?

Both accesses are taken in two different iterations of the tested loop `L` (unknowns renamed
`i#s` and `i#o`), within one iteration of every enclosing loop (shared unknowns) and any
iterations of the loops inside `L` that enclose them. Each subscript dimension gives an equality
of polynomials; loop bounds (including triangular ones, `j = i + 1`) give inequalities;
parameters and other loop-invariant symbols (`n`, `k = LEN/2`) are unknowns shared by both sides.
`islsets.feasible` (ISL) then decides "s earlier than o" and "o earlier than s" separately.

Loads that do not change in the tested loop (`dims[1]`, `p->width`, `n = atoi(argv[1])`) are
parameters, and small index functions of the file are inlined (`index_terms.py`). A subscript that
is a polynomial in the sizes (`i*N + j`, `ll*nz*hs + k*hs + s`) is split by the range test
(`rangetest.py`) into equations linear in the loop variables, where the loop bounds prove that each
lower digit stays below its modulus. Where they do not say (`a[i*n + j]` with `j < m`, m unrelated
to n), the subscript is delinearised as compilers do, and the verdict rests on the column staying
inside its row, which is listed among the assumptions; where the bounds of the column's loops name
the row length and still do not prove it (`j <= n`), nothing is assumed.
"""
from __future__ import annotations

from .guards import Guards
from .index_terms import TermReader
from .index_values import bounded_range, value_alternatives
from .nest import Access, Loop, RegionAnalysis, _step
from .islsets import Constraint, feasible
from .polyforms import Poly, add, level_step, loop_bounds, mul, substitute, symbols
from .rangetest import MAX_SYSTEMS, RangeFacts, digits, divide
from .strides import Strides, counter

__all__ = ["LevelSpace", "pair_dependence"]


class LevelSpace:
    """What every pair test at one loop level shares."""

    def __init__(self, loop: Loop, a: RegionAnalysis):
        self.loop, self.a = loop, a
        self.outer = (loop.parent.chain() if loop.parent else [])
        self.outer_vars = {l.var for l in self.outer if l.var}
        self.written = {u.name for u in a.scalars if u.write and loop in u.loops}
        self.assumptions: list[str] = []
        self.why = ""
        self._bounds: dict[int, object] = {}
        self.terms = TermReader(loop, a, self.written)    # reads `written` as _inductions completes it
        self.bounded: dict[tuple, bool] = {}              # range-test bounds already decided (Domain.bounded)
        self.inductions = self._inductions()
        self.dropped: dict[str, str] = {}                 # (renamed) loop variable missing a bound -> why
        self.guards = Guards(loop, a, self.terms, self.written)   # `if (j < R) a[j] = ...`: j < R there
        self.strides = Strides(a, self.terms, self.written)

    def stride(self, l: Loop) -> Poly | None:
        """start + S*v~n for a loop inside the level stepped by a symbol S (strides.py), else None."""
        if l is self.loop or l.var is None:
            return None
        b = self.bounds(l)
        return self.strides.value(l, b.start if b is not None else None)

    def _inductions(self) -> dict[str, tuple[Loop, Poly]]:
        """Secondary induction variables stepped only in a for header at or inside this level
        (`o` in `for (q = k; q < k + m; ++q, o++)`): o = o@start + c * (q - start)."""
        steps = [(name, l, n) for name, l, n in self.a.header_steps
                 if self.loop in l.chain() and name != l.var]
        self.written |= {name for name, _, _ in steps}
        counts: dict[str, int] = {}
        for name, _, _ in steps:
            counts[name] = counts.get(name, 0) + 1
        out = {}
        for name, l, n in steps:
            value = self._induction(name, l, n)
            if counts[name] == 1 and not self._written_in_body(name) and value is not None:
                out[name] = (l, value)
        return out

    def _written_in_body(self, name: str) -> bool:
        return any(u.write and u.name == name and self.loop in u.loops for u in self.a.scalars)

    def _induction(self, name: str, l: Loop, n) -> Poly | None:
        """name@start + c * (iteration of l) for a variable stepped by c in l's header, when l counts by one."""
        b = self.bounds(l)
        c = _step(n, name)
        if b is None or b.start is None or abs(b.step) != 1 or not c:
            return None
        iteration = add({(l.var,): b.step}, mul(b.start, {(): -b.step}) or {})
        return add({(f"{name}@start",): 1}, mul(iteration, {(): c}) or {})

    def bounds(self, l: Loop):
        key = id(l)
        if key not in self._bounds:
            step = level_step(l.node.child("inc"), l.var, _step) if l.var else None
            self._bounds[key] = loop_bounds(l.node, l.var, step, self.a.defs, self.a.loop_vars, self.terms)
        return self._bounds[key]

    def explain(self, kind: str, base: str, s: Access, o: Access) -> str:
        var = self.loop.var or "the loop"
        if kind == "flow":
            return (f"flow dependence on {base}: written at line {s.line} and read at line {o.line} "
                    f"in a later iteration of {var}")
        if kind == "anti":
            return (f"anti dependence on {base}: read at line {o.line} and overwritten at line {s.line} "
                    f"in a later iteration of {var}")
        if kind == "output":
            return f"output dependence on {base}: iterations of {var} write the same element (line {s.line})"
        return (f"could not prove that iterations of {var} touch distinct elements of {base} "
                f"(line {s.line}: {self.why})")


def _is_loop_symbol(sym: str, space: LevelSpace) -> bool:
    return "#" in sym or sym in space.outer_vars


def _renaming(acc: Access, space: LevelSpace, tag: str) -> tuple[dict[str, str], list[Loop]]:
    """Loop variables of L and of the loops inside L that enclose `acc` get a per-side name."""
    loops = list(acc.loops)
    inner = loops[loops.index(space.loop):]
    names = {l.var: f"{l.var}#{tag}" for l in inner if l.var}
    names.update({counter(l.var): f"{counter(l.var)}#{tag}" for l in inner if space.stride(l) is not None})
    for name, (l, _) in space.inductions.items():
        if l is not space.loop:      # its start value differs between iterations of the level
            names[f"{name}@start"] = f"{name}@start#{tag}"
    return names, inner


def _rename(p: Poly, names: dict[str, str]) -> Poly:
    return {tuple(sorted(names.get(s, s) for s in m)): c for m, c in p.items()}


def _linear(p: Poly, space: LevelSpace) -> Constraint | None:
    """A polynomial as a linear constraint: products of parameters become one unknown each."""
    coeffs: dict[str, int] = {}
    const = 0
    for m, c in p.items():
        if not m:
            const += c
        elif len(m) == 1 or not any(_is_loop_symbol(s, space) for s in m):
            key = "*".join(m)
            coeffs[key] = coeffs.get(key, 0) + c
        else:
            return None
    return coeffs, const


def _diff(a: Poly, b: Poly) -> Poly:
    out = dict(a)
    for m, c in b.items():
        out[m] = out.get(m, 0) - c
    return {m: c for m, c in out.items() if c}


def _loop_constraints(l: Loop, names: dict[str, str], space: LevelSpace, out: list, eqs: list) -> None:
    b = space.bounds(l)
    v = names.get(l.var, l.var)
    if l is not space.loop and l.var and (b is None or b.start is None or (b.bound is None and b.scaled is None)):
        # `for (i = offsets[k]; i < end; i++)`: i is free below or above; a dependence found through
        # it may be one no execution has (CSR rows, data-dependent ranges)
        space.dropped.setdefault(v, "is read from memory or is not a counted form")
    if b is None:
        return
    lv = ({v: 1}, 0)

    def lin(p):
        if p is None or any(s in space.written and s not in names for m in p for s in m):
            return None
        return _linear(_rename(p, names), space)

    if space.stride(l) is not None:
        n = names.get(counter(l.var), counter(l.var))
        out.append(({n: 1}, 0))
        space.dropped[n] = "is not linear"   # S*n below the bound is no linear constraint
    start, bound = lin(b.start), lin(b.bound)
    if (start is None and b.start is not None) or (bound is None and b.bound is not None):
        space.dropped[v] = "is not linear"   # a bound the linear test cannot hold: what it finds is no proof
    if start is None and abs(b.step) > 1:
        # an unknown start is still one value per execution of the loop: the stride keeps its parity
        shared = l is space.loop or l.var not in names
        start = ({f"{l.var}@start" if shared else f"{l.var}@start#{names[l.var][-1]}": 1}, 0)
    up = b.step > 0
    if start is not None:
        out.append(_sub(lv, start) if up else _sub(start, lv))
        if abs(b.step) > 1:
            q = f"{v}~q"
            eqs.append((_merge(_sub(lv, start)[0], {q: -b.step}), _sub(lv, start)[1]))
            out.append(({q: 1}, 0))
    if bound is not None:
        strict = b.op in ("<", ">", "!=")
        c = _sub(bound, lv) if up else _sub(lv, bound)
        out.append((c[0], c[1] - (1 if strict else 0)))
    scaled = lin(b.scaled[1]) if b.scaled is not None else None
    if scaled is not None:                     # v < X / c: c*v <= X - 1
        c = _sub(scaled, ({v: b.scaled[0]}, 0))
        out.append((c[0], c[1] - 1))


def _sub(x: Constraint, y: Constraint) -> Constraint:
    coeffs = dict(x[0])
    for k, c in y[0].items():
        coeffs[k] = coeffs.get(k, 0) - c
    return coeffs, x[1] - y[1]


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, c in b.items():
        out[k] = out.get(k, 0) + c
    return out


def _with_inductions(p: Poly | None, space: LevelSpace) -> Poly | None:
    """The polynomial with each secondary induction variable replaced by its value in the loop variable."""
    for name, (_, value) in space.inductions.items():
        p = substitute(p, name, value) if p is not None else None
    return p


def _with_strides(p: Poly | None, acc: Access, space: LevelSpace) -> Poly | None:
    """The polynomial with the variable of each loop around acc stepped by a symbol replaced by
    start + S*v~n (siblings may share a variable name: each access takes its own loops')."""
    for l in acc.loops:
        value = space.stride(l)
        if value is not None and p is not None:
            p = substitute(p, l.var, value)
    return p


def _changing_symbols(ps: Poly, po: Poly, ns: dict, no: dict, space: LevelSpace) -> list[str]:
    """Symbols of the two subscripts that are written inside the loop and are not renamed loop variables."""
    return [x for p in (ps, po) for m in p for x in m if x in space.written and x not in ns and x not in no]


def _equations(ps: Poly, po: Poly, space: LevelSpace, domain: "Domain") -> list[list[Poly]] | None:
    """Alternative systems of polynomials, each linear in the loop symbols, one of which is all zero
    when the two subscripts meet."""
    d = _diff(ps, po)
    if _linear(d, space) is not None and all(len(m) < 2 for m in d):
        return [[d]]
    domain.columns = (ps, po)
    split = digits(d, RangeFacts(lambda x: _is_loop_symbol(x, space), domain.bounded, domain.assumable))
    if split is None:
        return None
    space.assumptions += [f"linearised subscripts stay within their row of {_text(m)} elements" for m in split.assumed]
    return split.systems


def _text(p: Poly) -> str:
    """`(ilast - ifirst + 1)`: the highest degree first, signs as operators."""
    out = ""
    for m, c in sorted(p.items(), key=lambda t: (-len(t[0]), t[0])):
        body = "*".join(m) if abs(c) == 1 and m else "*".join((str(abs(c)), *m))
        out += (" - " if c < 0 else " + ") + body if out else ("-" if c < 0 else "") + body
    return out if len(p) == 1 else f"({out})"


def _subscripts(s: Access, o: Access, ns: dict, no: dict, space: LevelSpace,
                domain: "Domain") -> tuple[list[list[Constraint]], bool] | None:
    """Alternative systems of equalities of the subscripts and whether they are exact; None when a
    subscript is unusable."""
    systems: list[list[Constraint]] = [[]]
    exact = True
    changing = ""
    digits = space.terms.digits
    for ix_s, ix_o in zip(s.indices, o.indices):
        ps = _with_strides(_with_inductions(space.terms.poly(ix_s), space), s, space)
        po = _with_strides(_with_inductions(space.terms.poly(ix_o), space), o, space)
        ps, po = (digits.expand(p) if p is not None else None for p in (ps, po))
        if ps is None or po is None or not domain.digits_hold(ps, po):
            exact = False
            continue
        moving = _changing_symbols(ps, po, ns, no, space)
        if moving:
            # one unknown value per side; whatever the pair test finds is then no proven dependence
            domain.bind(moving, ns, no)
            changing = f"the subscript uses {moving[0]}, which changes inside the loop"
        found = _equations(_rename(ps, domain.names(ns)), _rename(po, domain.names(no)), space, domain)
        if found is None or len(systems) * len(found) > MAX_SYSTEMS:
            exact = False
            continue
        linear = [[_linear(d, space) for d in system] for system in found]
        exact = exact and all(None not in system for system in linear)
        systems = [a + [c for c in b if c is not None] for a in systems for b in linear]
    if not exact:
        space.why = "a subscript is not affine in the loop variables"
    if changing:
        space.why, exact = changing, False
    return systems, exact


def _untestable(s: Access, o: Access, space: LevelSpace) -> str | None:
    """Why the pair cannot be put to the integer test, or None when it can."""
    if s.base in space.written:
        return f"the pointer {s.base} changes inside the loop"
    if not s.base or len(s.indices) != len(o.indices) or s.kind == "arrow" and o.kind != "arrow":
        return "the accesses have different shapes" if s.base else "the stored location has no name"
    if any(space.terms.varies(ix) for ix in (*s.indices, *o.indices)):
        return "an indirect subscript (an index loaded from memory)"
    if space.loop.var is None:
        return "the loop has no induction variable"
    return None


def _orders(space: LevelSpace, ns: dict, no: dict) -> tuple[Constraint, Constraint]:
    """The constraints `s's iteration comes first` and `o's iteration comes first` of the level's loop."""
    var = space.loop.var
    vs, vo = ns.get(var, var + "#s"), no.get(var, var + "#o")
    step = space.bounds(space.loop).step if space.bounds(space.loop) is not None else 1
    s_first = ({vo: 1, vs: -1}, -1) if step > 0 else ({vs: 1, vo: -1}, -1)
    o_first = ({vs: 1, vo: -1}, -1) if step > 0 else ({vo: 1, vs: -1}, -1)
    return s_first, o_first


_MAX_DIVISIONS = 3      # quotients whose sign cases are told apart (2**3 cases)
_MAX_CASES = 32         # sign cases times the alternatives of changing scalars' values


def _negated(c: Constraint, plus: int) -> Constraint:
    """-c + plus >= 0."""
    return {k: -v for k, v in c[0].items()}, -c[1] + plus


def _shifted(c: Constraint, plus: int) -> Constraint:
    return dict(c[0]), c[1] + plus


class Domain:
    """The iteration space of one pair: loop bounds of both sides as linear constraints, and for each
    (renamed) loop variable the parameters its bounds name."""

    def __init__(self, space: LevelSpace, sides: list[tuple[dict, list[Loop]]]):
        self.space, self.sides = space, sides
        self.columns: tuple[Poly, Poly] = ({}, {})       # the two subscripts the range test splits now
        self.signature = tuple(tuple(id(l) for l in loops) for _, loops in sides)
        self.ineqs: list[Constraint] = []
        self.eqs: list[Constraint] = []
        self.ranges: dict[str, set[str]] = {}
        self.changing: set[str] = set()                  # scalars the loop changes, one unknown per side
        self.values: dict[str, list[list[Constraint]]] = {}   # v#s -> alternatives of what it holds
        self.free: set[str] = set()                      # v#s that may hold any integer
        for names, loops in sides:
            for l in loops:
                # digits of the side's loop variables in a bound are the side's own (`c = (iter/W)*4`)
                _loop_constraints(l, self.names(names), space, self.ineqs, self.eqs)
                b = space.bounds(l)
                if b is not None and l.var:
                    limits = (b.start, b.bound, b.scaled[1] if b.scaled else None)
                    named = set().union(*(symbols(_rename(p, names)) for p in limits if p is not None))
                    # through the bounds of enclosing loops too: j <= i with i < n names n
                    self.ranges[names.get(l.var, l.var)] = named.union(*(self.ranges.get(x, ()) for x in named))

    def names(self, names: dict[str, str]) -> dict[str, str]:
        """The side's renaming, with the digits of its renamed loop variables (index_digits.Digits)
        and the scalars the loop changes."""
        roots = self.space.terms.digits.root
        tag = names.get(self.space.loop.var or "", "")[-1:]
        changing = {v: f"{v}#{tag}" for v in self.changing} if tag else {}
        return {**names, **{d: f"{d}#{names[r][-1]}" for d, r in roots.items() if r in names}, **changing}

    def bind(self, moving: list[str], ns: dict[str, str], no: dict[str, str]) -> None:
        """Each changing scalar becomes v#s and v#o, bounded by what its writes assign where known."""
        for v in dict.fromkeys(moving):
            if v in self.changing:
                continue
            self.changing.add(v)
            found = value_alternatives(v, self.space)
            limits = bounded_range(v, self.space) if found is None else None
            for names in (ns, no):
                side = f"{v}#{names[self.space.loop.var][-1]}"
                if limits is not None:       # a truth value or a mask: lo <= v <= hi, whatever it read
                    self.values[side] = [[({side: 1}, -limits[0]), ({side: -1}, limits[1])]]
                    self.ranges[side] = set()
                    continue
                alternatives = self._alternatives(side, found, names) if found else None
                if alternatives is None:
                    self.free.add(side)
                    continue
                self.values[side] = alternatives
                self.ranges[side] = {k for alt in alternatives for c, _ in alt for k in c} - {side}

    def _alternatives(self, side: str, found, names: dict[str, str]) -> list[list[Constraint]] | None:
        """One list of constraints per write: side == E, E's inner loops as fresh copies in their bounds."""
        space, out = self.space, []
        for n, (value, around) in enumerate(found):
            fresh = {**names, **{l.var: f"{l.var}#{side}{n}" for l in around[1:] if l.var}}
            alt: list[Constraint] = []
            eqs: list[Constraint] = []
            for l in around[1:]:
                _loop_constraints(l, fresh, space, alt, eqs)
            for s in symbols(value) & space.written:
                limits = bounded_range(s, space)      # a truth value or a mask inside E: its own unknown
                if limits is not None and s not in fresh:
                    fresh[s] = f"{s}#{side}{n}"
                    alt += [({fresh[s]: 1}, -limits[0]), ({fresh[s]: -1}, limits[1])]
            equal = _linear(_diff({(side,): 1}, _rename(value, fresh)), space)
            if equal is None:
                return None
            out.append(alt + [c for e in eqs + [equal] for c in (e, _negated(e, 0))])
        return out

    def digits_hold(self, ps: Poly, po: Poly) -> bool:
        """Digits of a loop variable are what C's / and % give only where it is never negative;
        their divisors are taken to be positive (stated)."""
        digits = self.space.terms.digits
        used = {digits.root[x] for x in symbols(ps) | symbols(po) if x in digits.root}
        for root in used:
            for v in {names[root] for names, _ in self.sides if root in names} or {root}:
                if self.feasible([({v: -1}, -1)], []):
                    self.space.why = f"a subscript divides {root}, which may be negative"
                    return False
        for m, q, _ in digits.split.values():
            if digits.root[q] in used and set(m) != {()}:
                self.space.assumptions.append(f"the divisor {_text(m)} of the index arithmetic is positive")
        return True

    def _digit_facts(self) -> list[Constraint]:
        """Every digit is >= 0; a remainder by m is <= m - 1 (for each side's renaming)."""
        out: list[Constraint] = []
        for digit, root, m in self.space.terms.digits.facts():
            for names in {id(n): n for n, _ in self.sides if root in n}.values() or [{}]:
                d = self.names(names).get(digit, digit)
                out.append(({d: 1}, 0))
                top = _linear(_diff(m, {(d,): 1, (): 1}), self.space) if m is not None else None
                if top is not None:
                    out.append(top)
        return out + self._digit_sums()

    def _digit_sums(self) -> list[Constraint]:
        """v == m*q + r for each variable split by a constant m: the digits keep v's own bounds
        (j < 4 split by 2 gives j/2 <= 1)."""
        out: list[Constraint] = []
        digits = self.space.terms.digits
        for v, (m, q, r) in digits.split.items():
            if set(m) != {()}:
                continue                       # m*q is a product of unknowns: no linear fact
            root = digits.root.get(v, v)
            for names in {id(n): n for n, _ in self.sides if root in n}.values():
                ren = self.names(names)
                c = ({ren.get(v, v): 1, ren.get(q, q): -m[()], ren.get(r, r): -1}, 0)
                out += [c, _negated(c, 0)]
        return out

    def cases(self, named: set[str]) -> list[list[Constraint]]:
        """The loop bounds with each q = X / c among `named`, one case per sign of X (C's division
        truncates toward zero): X >= 0 and 0 <= X - c*q <= c-1, or X < 0 and -(c-1) <= X - c*q <= 0.
        A point exists when one case has one."""
        cases = [list(self.ineqs) + self._digit_facts()]
        divisions = [(q, d) for q, d in self.space.terms.divisions.items() if q in named]
        for quotient, (numerator, c) in divisions[:_MAX_DIVISIONS]:
            x = _linear(numerator, self.space)
            rest = _linear(_diff(numerator, {(quotient,): c}), self.space)
            if x is None or rest is None:
                continue
            up = [x, rest, _negated(rest, c - 1)]
            down = [_negated(x, -1), _shifted(rest, c - 1), _negated(rest, 0)]
            cases = [case + extra for case in cases for extra in (up, down)]
        for side, alternatives in self.values.items():
            if side in named and len(cases) * len(alternatives) <= _MAX_CASES:
                cases = [case + alt for case in cases for alt in alternatives]
        return cases

    def feasible(self, extra: list[Constraint], eqs: list[Constraint]) -> bool:
        named = {k for c, _ in (*self.ineqs, *extra, *eqs) for k in c}
        return any(feasible(case + extra, self.eqs + eqs) for case in self.cases(named))

    def assumable(self, low: Poly, modulus: Poly) -> bool:
        """Whether nothing in the bounds of low's loops names the modulus (a row length the
        column's loops never mention: that it stays inside its row is an assumption to state)."""
        if symbols(low) & self.free:
            return False                       # a value nothing bounds: no row to assume it in
        loops = [x for x in symbols(low) if _is_loop_symbol(x, self.space)]
        if not loops:      # equal columns (`out[i*n + gid]` against itself): each side must have one
            sides = [divide(p, modulus)[1] for p in self.columns]
            if not all(symbols(r) for r in sides):
                return False                   # `a[i*s]`: no column, the stride may be zero
            low = _diff(*sides)
            loops = [x for x in symbols(sides[0]) | symbols(sides[1]) if _is_loop_symbol(x, self.space)]
        named = symbols(low).union(*(self.ranges.get(x, ()) for x in loops), *map(self._digit_range, loops))
        return not named & symbols(modulus)

    def _digit_range(self, symbol: str) -> set[str]:
        """What bounds a digit (index_digits.Digits): its divisor, and its variable's own bounds."""
        base, _, tag = symbol.partition("#")
        digits = self.space.terms.digits
        if base not in digits.root:
            return set()
        tops = [m for d, _, m in digits.facts() if d == base and m is not None]
        root = f"{digits.root[base]}#{tag}" if tag else digits.root[base]
        return set().union(*map(symbols, tops), self.ranges.get(root, ()))

    def bounded(self, low: Poly, modulus: Poly) -> bool:
        """-modulus < low < modulus at every point of the space (ISL proves both sides empty).
        Pairs of one level over the same loops ask the same questions: answers are kept."""
        terms = self.space.terms
        key = (tuple(sorted(low.items())), tuple(sorted(modulus.items())), self.signature,
               len(terms.divisions), len(terms.digits.split), tuple(sorted(self.values)))
        if key not in self.space.bounded:
            self.space.bounded[key] = self._bounded(low, modulus)
        return self.space.bounded[key]

    def _bounded(self, low: Poly, modulus: Poly) -> bool:
        over = _linear(_diff(low, modulus), self.space)
        under = _linear(_diff(_diff({}, low), modulus), self.space)
        return (over is not None and under is not None and not self.feasible([over], [])
                and not self.feasible([under], []))


def _linked(eqs: list[Constraint], ns: dict, no: dict, domain: Domain) -> list[Constraint]:
    """eqs, plus v#s == v#o for each loop variable written in digits whose digits eqs force equal
    on the two sides (the digits give the variable back)."""
    digits = domain.space.terms.digits
    out = list(eqs)
    for v in {r for r in digits.root.values() if r in ns and r in no}:
        ds, do = domain.names(ns), domain.names(no)
        pairs = [(ds[d], do[d]) for d in digits.leaves(v)]
        if all(not domain.feasible([({a: 1, b: -1}, -1)], out) and not domain.feasible([({b: 1, a: -1}, -1)], out)
               for a, b in pairs):
            out.append(({ns[v]: 1, no[v]: -1}, 0))
    return out


def pair_dependence(s: Access, o: Access, space: LevelSpace) -> str | None:
    """None when no two iterations of the level's loop touch one element through store `s` and `o`;
    else the dependence kind: flow, anti, output, unknown (could not prove independence) or unbounded
    (one found where the test went without a loop bound: not proven)."""
    if s.kind == "arrow" and o.kind == "arrow" and s.node.op != o.node.op \
            and s.node.storage == o.node.storage == "field":
        return None                                   # p->x and p->y are different fields (no union)
    why = _untestable(s, o, space)
    if why is not None:
        space.why = why
        return "unknown"
    ns, inner_s = _renaming(s, space, "s")
    no, inner_o = _renaming(o, space, "o")
    domain = Domain(space, [({}, space.outer), (ns, inner_s), (no, inner_o)])
    found = _subscripts(s, o, ns, no, space, domain)
    if found is None:
        return "unknown"
    systems, exact = found
    systems = [_linked(eqs, ns, no, domain) for eqs in systems]
    s_first, o_first = _orders(space, ns, no)
    ineqs, eqs = _guarded(s, o, ns, no, space, domain)
    forward = any(domain.feasible([s_first, *ineqs], system + eqs) for system in systems)
    backward = any(domain.feasible([o_first, *ineqs], system + eqs) for system in systems)
    if not forward and not backward:
        return None
    if not exact:
        return "unknown"
    named = {_loop_name(k) for eqs in systems for c, _ in eqs for k in c}
    loose = sorted((_loop_name(d), why) for d, why in space.dropped.items() if _loop_name(d) in named)
    if loose:
        space.why = f"a bound of the loop over {loose[0][0]} {loose[0][1]}; the test went without it"
        return "unbounded"                # ISL may still decide it (isl_verdicts.py)
    product = _product_unknown(systems)
    if product:
        # `(y-1)*x + i` against `i`: with y*x one free unknown ISL finds a solution that no value of
        # y and x gives; the dependence is not proven, and a proven kind would be an OpenMP finding
        space.why = f"the subscripts differ by a product of sizes ({product}) the test treats as one unknown"
        return "unknown"
    if o.store:
        return "output"
    return "flow" if forward else "anti"


def _loop_name(symbol: str) -> str:
    """`i` for its per-side names `i#s` and for the step count `i~n#s` of a loop stepped by a symbol."""
    return symbol.split("#")[0].removesuffix("~n")


def _guarded(s: Access, o: Access, ns: dict, no: dict, space: LevelSpace,
             domain: Domain) -> tuple[list[Constraint], list[Constraint]]:
    """The branch conditions under which each side runs (guards.py), in that side's names."""
    gs = space.guards.constraints(s, domain.names(ns))
    go = space.guards.constraints(o, domain.names(no))
    return gs[0] + go[0], gs[1] + go[1]


def _product_unknown(systems: list[list[Constraint]]) -> str | None:
    """A product of symbols (`y_points*x_points`) that the linear systems hold as one unknown, if any."""
    for system in systems:
        for coeffs, _ in system:
            product = next((k for k, c in coeffs.items() if c and "*" in k), None)
            if product:
                return product
    return None
