"""A loop variable written in mixed-radix digits, so that `/` and `%` of it are polynomials.

Code that runs one flat loop over a multi-dimensional space recovers the indices with `/` and `%`
(`k = index % M; j = (index - k) / M % N; i = (index - M*j - k) / (N*M)`). Read in the digits of
`index`, the subscript `N*M*i + M*j + k` is a polynomial the range test (rangetest.py) splits; when
the equations force every digit equal on both sides of a pair, the two iterations are one
(arraydep.py adds that equality).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .helpers import completed
from .polyforms import Poly, add, mul, substitute, symbols
from .rangetest import divide
from ..frontend.ir import Node

if TYPE_CHECKING:
    from .index_terms import TermReader

__all__ = ["Digits"]


class Digits:
    """Loop variables written in mixed radix, so that `/` and `%` of them are polynomials.

    `v % m` and `v / m` (m loop-invariant) make v = m*q + r with 0 <= r <= m-1 and q >= 0, the digit
    symbols `v%m` and `v/m`; a quotient divided again is split the same way. A division `X / m` or
    `X % m` is read only when, with every split variable replaced by its digits, X is m*Q exactly
    (then X / m is Q and X % m is 0 whatever the signs) or m*Q + R with Q the quotient digit by m or
    0 and R the remainder digit by m (then X >= 0 and C's truncation is the floor):
    `(index - index % M) / M` is `index/M`. The digits hold when the split variable is never
    negative (the caller proves it from the loop bounds) and m > 0 (the caller states it)."""

    def __init__(self, varying: set[str]):
        self.varying = varying
        self.split: dict[str, tuple[Poly, str, str]] = {}    # variable or digit -> (m, quotient, remainder)
        self.root: dict[str, str] = {}                        # digit -> the loop variable it comes from
        self.top: dict[str, Poly] = {}                        # quotient digit -> K with digit <= K-1

    def read(self, node: Node, reader: "TermReader") -> Poly | None:
        node = completed(node)
        if len(node.children) != 2:
            return None
        x, m = reader.poly(node.children[0]), reader.poly(node.children[1])
        if x is None or m is None or not m or symbols(m) & (reader.written | self.varying | set(self.root)):
            return None                      # the divisor, read through single definitions, must not move
        if set(m) == {()} and m[()] < 1:
            return None                      # a constant divisor that is not positive: C's signs differ
        whole = self._digit_or_variable(x)
        for attempt in range(2):
            x = self.expand(x)
            if x is None:
                return None
            q, r = divide(x, m)
            if not r and q:                  # an exact division: X / m is Q whatever the signs
                return q if node.op == "/" else {}
            quotient, remainder = self._digit(q, m, 1), self._digit(r, m, 2)
            if quotient is not _NOT_DIGIT and remainder is not _NOT_DIGIT and (quotient or remainder):
                return quotient if node.op == "/" else remainder
            if remainder is not _NOT_DIGIT and remainder and self._nonnegative(q, m):
                # X = m*Q + R with Q >= 0 and 0 <= R <= m-1: X / m is Q and X % m is R
                # (glu's `index / N % S` after index was split by S*N: Q is (index/(S.N)), R the row)
                return q if node.op == "/" else remainder
            if whole and remainder is not _NOT_DIGIT and remainder:
                # X is a split variable itself (never negative, the caller proves it) and X = m*Q + R
                # with R a remainder digit by m: X / m is Q and X % m is R whatever Q's form
                # (`iter % W` after iter was split by H*W and its remainder by W: Q = H*q + q2)
                return q if node.op == "/" else remainder
            # split what moves and is not split yet (a loop variable or a quotient), then try again
            # (a remainder is split too: `(iter % (H*W)) / W` reads the row inside the plane)
            movers = self._movers(r) or self._movers(x)
            if not movers or attempt:
                return None
            for v in movers:
                self._split(v, m)
        return None

    def _movers(self, p: Poly) -> list[str]:
        """The loop variables and digits of p not split yet. Only the remainder of X by m needs
        splitting: `index / N` with index = S*N*q + r splits r, not q."""
        return [v for v in symbols(p) if (v in self.varying or v in self.root) and v not in self.split]

    def _nonnegative(self, p: Poly, m: Poly) -> bool:
        """Whether p is a sum of products of digits, loop variables split here (never negative where
        digits are read) and divisors (positive, stated) with positive coefficients."""
        known = set(self.root) | set(self.split) | symbols(m)
        known |= {x for d, _, _ in self.split.values() for x in symbols(d)}
        return bool(p) and all(c > 0 and set(mono) <= known for mono, c in p.items())

    def _digit_or_variable(self, x: Poly) -> bool:
        """Whether x is one loop variable of the level or one of its digits (both never negative
        where the digits are read)."""
        if len(x) != 1:
            return False
        (m, c), = x.items()
        return c == 1 and len(m) == 1 and (m[0] in self.varying or m[0] in self.root)

    def _remainder(self, d: str) -> bool:
        return any(d == r for _, _, r in self.split.values())

    def _split(self, v: str, m: Poly) -> None:
        text = _poly_text(m)
        q, r = f"{v}/{text}", f"{v}%{text}"
        self.split[v] = (m, q, r)
        root = self.root.get(v, v)
        self.root[q] = self.root[r] = root
        top = self._top(v)
        if top is not None:
            rows, rest = divide(top, m)
            if rows and not rest:
                # v <= M-1 with M = m*K: v / m <= K-1, a digit as bounded as a remainder by K
                # (the row of the plane index % (S*N) splits by N into: row < S, column < N)
                self.top[q] = rows

    def _top(self, v: str) -> Poly | None:
        """M where v is a remainder digit by M (or bounded like one), else None."""
        found = [m for m, _, r in self.split.values() if r == v]
        return found[0] if found else self.top.get(v)

    def expand(self, p: Poly) -> Poly | None:
        """p with every split variable replaced by its digits (recursively)."""
        for _ in range(8):
            found = [v for v in symbols(p) if v in self.split]
            if not found:
                return p
            m, q, r = self.split[found[0]]
            p = substitute(p, found[0], add(mul(m, {(q,): 1}) or {}, {(r,): 1}))
            if p is None:
                return None
        return None

    def _digit(self, p: Poly | None, modulus: Poly, kind: int):
        """p when it is 0 or the quotient (kind 1) or remainder (kind 2) digit of a split by
        `modulus`, else _NOT_DIGIT: `q % N` is not q, `(m*q + r) % N` is not r unless N is m."""
        if p == {}:
            return {}
        for split in self.split.values():
            # the digit itself, or its own digits when it was split further (q = N*q2 + r2)
            if split[0] == modulus and p == self.expand({(split[kind],): 1}):
                return {(split[kind],): 1}
        for d, k in self.top.items():
            if kind == 2 and k == modulus and p == self.expand({(d,): 1}):
                return {(d,): 1}
        return _NOT_DIGIT

    def leaves(self, v: str) -> list[str]:
        """The digits that together give v (those not split further)."""
        if v not in self.split:
            return [v]
        _, q, r = self.split[v]
        return self.leaves(q) + self.leaves(r)

    def facts(self) -> list[tuple[str, str, Poly | None]]:
        """(digit, its root variable, m for a remainder / None for a quotient) of every digit."""
        return [(d, self.root[d], m if d == r else self.top.get(d))
                for m, q, r in self.split.values() for d in (q, r)]


_NOT_DIGIT = object()


def _poly_text(p: Poly) -> str:
    """A divisor in a digit's name: `ow` for {("ow",): 1}, `oh.ow` for a product (no `*`, which the
    pair test reads as a product of sizes in a joined name)."""
    return "+".join(".".join(m if c == 1 else (str(c), *m)) if m else str(c) for m, c in sorted(p.items()))
