"""Inner loops stepped by a loop-invariant symbol: `for (i = first + N; i < last; i += N)`.

polyforms.level_step reads such a step as +1 or -1 (its values are a subset of the unit-step
loop's), which loses what keeps two iterations of an enclosing loop apart: thomas' columns
`tid + N*q` are distinct for tid < N only because i moves N at a time. Here i is `start + S*q` with
a fresh unknown q >= 0 (named `i~n`), which holds for every value i takes whatever S's sign. The
loop's upper bound would be `S*q < X`, a product the linear test cannot hold: a dependence found
through q is no proof, and the caller marks q as a loop symbol missing a bound.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .nest import Loop, RegionAnalysis
from .polyforms import Poly, add, mul, symbols

if TYPE_CHECKING:
    from .index_terms import TermReader

__all__ = ["Strides", "counter"]


def counter(var: str) -> str:
    """The name of the count of steps taken by the loop over var."""
    return f"{var}~n"


class Strides:
    """The inner loops of a level stepped by a symbol, with the value of their variable."""

    def __init__(self, a: RegionAnalysis, reader: "TermReader", written: set[str]):
        self.a, self.reader, self.written = a, reader, written
        self.values: dict[int, Poly | None] = {}          # id(loop) -> start + S * var~n, or None

    def value(self, l: Loop, start: Poly | None) -> Poly | None:
        """start + S*var~n when l steps its variable by a loop-invariant symbol S, else None."""
        if id(l) not in self.values:
            step = self._step(l)
            found = step is not None and start is not None
            self.values[id(l)] = (add(start, mul(step, {(counter(l.var),): 1}) or {}) or {}) if found else None
        return self.values[id(l)]

    def _step(self, l: Loop) -> Poly | None:
        inc = l.node.child("inc")
        if l.var is None or inc is None or inc.kind != "assign_op" or inc.op not in ("+=", "-=") \
                or len(inc.children) != 2:
            return None
        target, amount = inc.children
        if target.kind != "ref" or target.op != l.var or amount.value is not None or self._body_writes(l):
            return None                       # a constant step is level_step's; a body write moves v
        step = self.reader.poly(amount)
        if not step or symbols(step) & (self.written | self.a.loop_vars):
            return None
        return step if inc.op == "+=" else {m: -c for m, c in step.items()}

    def _body_writes(self, l: Loop) -> bool:
        return any(u.write and u.name == l.var and l in u.loops for u in self.a.scalars)
