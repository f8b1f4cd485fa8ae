"""Arrays that each iteration fills with inner loops before it reads them: private to the iteration.

`for (s = 0; s < 4; s++) st[s] = q[i + s];  v = st[0] + st[3];` inside a loop over `i` stores
elements 0..3 of `st` in every iteration of `i`, unconditionally, before any of them is read: no
iteration reads what another one wrote (miniWeather's `stencil`, `vals`, `d3_vals`). deps.py proves
this already for stores and reads at the same fixed subscripts (`t[0] = ...; ... t[0]`); this module
adds stores inside inner loops with constant bounds.

Subscripts must be affine in the variables of loops inside the tested one, each with constant
bounds, so the elements can be listed (at most _MAX_ELEMENTS per access). A store covers a read
when, in the loops the two share, it comes first and -- if it sits in further loops of its own --
those loops have finished before the read and run all their iterations: constant non-empty ranges,
no `break`, `continue`, `goto` or `return` inside. A store under a branch covers nothing.
"""
from __future__ import annotations

from itertools import product

from .nest import Access, Loop, RegionAnalysis, _step
from .polyforms import loop_bounds, poly
from ..frontend.ir import walk

__all__ = ["Covers"]

_MAX_ELEMENTS = 4096
_MAX_WORK = 200_000      # elements enumerated per array and loop; past it a read is not covered (stays shared)
_EXITS = frozenset({"break", "continue", "goto", "return"})


def _constant(p: dict | None) -> int | None:
    if p is None or any(m for m in p):
        return None
    return p.get((), 0)


def _values(loop: Loop, a: RegionAnalysis) -> range | None:
    """The values the variable of a counted loop with constant bounds takes."""
    inc = loop.node.child("inc")
    step = _step(inc, loop.var) if loop.var and inc is not None else None
    b = loop_bounds(loop.node, loop.var, step, a.defs, a.loop_vars) if step else None
    start, bound = (_constant(b.start), _constant(b.bound)) if b is not None else (None, None)
    if start is None or bound is None:
        return None
    end = {"<": bound, "<=": bound + 1, ">": bound, ">=": bound - 1}.get(b.op)
    return range(start, end, b.step) if end is not None else None


def _common(x: tuple, y: tuple) -> int:
    n = 0
    while n < min(len(x), len(y)) and x[n] is y[n]:
        n += 1
    return n


class Covers:
    """The stores of one array in the iteration of `loop`, and which later reads they cover."""

    def __init__(self, loop: Loop, a: RegionAnalysis):
        self.loop, self.a = loop, a
        self.stores: list[Access] = []
        self._orders: dict[int, int] | None = None
        self._ranges: dict[int, range | None] = {}
        # the elements a store wrote, per store, loops shared with the read and the values of those
        # its subscripts name: read points that agree on them ask once. What bounds a file like
        # wsm5-omp (2,760 reads, each naming a different value) is _MAX_WORK, not this cache
        self._stored_at: dict[tuple, set] = {}
        self._work = 0

    @property
    def covers(self) -> bool:
        return bool(self.stores)

    def _range(self, l: Loop) -> range | None:
        if id(l) not in self._ranges:
            self._ranges[id(l)] = _values(l, self.a)
        return self._ranges[id(l)]

    def _end(self, inner: Loop) -> int:
        """The last program position inside an inner loop."""
        if self._orders is None:
            self._orders = {id(n): i + 1 for i, n in enumerate(self.a.nodes)}
        return max(self._orders.get(id(n), 0) for n in walk(inner.node))

    def _subscripts(self, acc: Access) -> list[dict] | None:
        """The subscripts as affine forms in the variables of loops inside the tested one."""
        if self.loop not in acc.loops:
            return None
        inner = {l.var for l in acc.loops[acc.loops.index(self.loop) + 1:] if l.var}
        polys = [poly(ix, self.a.defs, self.a.loop_vars) for ix in acc.indices]
        if not polys or any(p is None or any(len(m) > 1 or (m and m[0] not in inner) for m in p) for p in polys):
            return None
        return polys

    def add(self, acc: Access) -> bool:
        """A store that nothing in the iteration can skip: kept to cover later reads."""
        if self._subscripts(acc) is None or self.loop in acc.conditional_in:
            return False
        self.stores.append(acc)
        return True

    def covered(self, read: Access) -> bool:
        """Every element the read may touch was stored before it in the same iteration."""
        polys = self._subscripts(read)
        if polys is None:
            return False
        # a store covers reads of later statements, never the reads of its own right-hand side
        usable = [s for s in self.stores
                  if s.order < read.order and s.assign is not read.assign and self._reaches(s, read)]
        if not usable:
            return False
        below = read.loops[read.loops.index(self.loop) + 1:]
        loops = {l.var: l for l in below if l.var}
        used = {m[0] for p in polys for m in p if m}
        for s in usable:       # the loops a store shares with the read fix its subscripts' values
            shared = {l.var for l in s.loops[:_common(s.loops, read.loops)] if l.var}
            used |= {m[0] for p in self._subscripts(s) for m in p if m and m[0] in shared}
        names = sorted(used)
        if any(v not in loops for v in names):
            return False
        ranges = [self._range(loops[v]) for v in names]
        if any(r is None for r in ranges) or _size(ranges) > _MAX_ELEMENTS:
            return False
        for values in product(*ranges):
            env = dict(zip(names, values))
            if not any(_element(polys, env) in self._stored(s, read, env) for s in usable):
                return False
        return True

    def _reaches(self, store: Access, read: Access) -> bool:
        """The store's own inner loops (those the read is not in) run in full and end before the read."""
        rest = store.loops[_common(store.loops, read.loops):]
        if not rest:
            return True
        return (read.order > self._end(rest[0]) and not any(n.kind in _EXITS for n in walk(rest[0].node))
                and all(self._range(l) for l in rest))

    def _stored(self, store: Access, read: Access, env: dict) -> set:
        """The elements the store wrote before the read, the shared loops' variables at `env`."""
        common = _common(store.loops, read.loops)
        polys = self._subscripts(store)
        shared = {l.var for l in store.loops[:common] if l.var}
        named = {m[0] for p in polys for m in p if m}
        key = (id(store), common, tuple(sorted((v, env.get(v)) for v in shared & named)))
        if key not in self._stored_at:
            self._stored_at[key] = self._elements(store.loops[common:], polys, shared, env)
        return self._stored_at[key]

    def _elements(self, below: tuple[Loop, ...], polys: list[dict], shared: set, env: dict) -> set:
        rest = [l for l in below if l.var]
        names = [l.var for l in rest]
        ranges = [self._range(l) for l in rest]
        if any(r is None for r in ranges) or _size(ranges) > _MAX_ELEMENTS:
            return set()
        self._work += _size(ranges)
        if self._work > _MAX_WORK:   # wsm5-omp: 2,760 reads x 2,760 stores, 35 s, before the bound
            return set()
        fixed = {v: env[v] for v in shared if v in env}
        if any(m and m[0] in shared and m[0] not in fixed for p in polys for m in p):
            return set()
        return {_element(polys, {**fixed, **dict(zip(names, values))}) for values in product(*ranges)}


def _element(polys: list[dict], env: dict) -> tuple:
    return tuple(sum(c * (env[m[0]] if m else 1) for m, c in p.items()) for p in polys)


def _size(ranges: list) -> int:
    total = 1
    for r in ranges:
        total *= len(r)
    return total
