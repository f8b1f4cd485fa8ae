"""Scalars that change inside the tested loop and appear in a subscript: one unknown value per side.

`probs[i*K + maxind]` with `maxind = K-1; for (k...) if (w[k] > m) maxind = k;` (mcpr), or
`ulisttot[natom + N*jju]` with `jju` loaded and stepped (testSNAP): the scalar holds some integer
at the access, a different one in each of the two iterations of a pair. Taken as a free unknown per
side (`maxind#s`, `maxind#o`), the pair test over-approximates the iterations that meet, so what it
proves independent is: the other digits (`natom < N`) separate the iterations whatever the scalar
holds. Where every write of a scalar that the tested loop's body declares is a plain `v = E`, E a
polynomial of the loop variables around that write and of values the loop does not change, the
value at any read of the same iteration is one of those E at some point of their loops: each E is one
alternative, with its loops' bounds (maxind is K-1 or a k below K-1, so 0 <= maxind <= K-1). A
dependence found this way is never claimed exact: it stays "could not prove".
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .idioms import _plain_value as plain_value     # `v = E` and `int v = E`: E
from .affine import value_range
from .nest import Loop
from .polyforms import Poly, symbols

if TYPE_CHECKING:
    from .arraydep import LevelSpace

__all__ = ["value_alternatives", "bounded_range"]

MAX_ALTERNATIVES = 4      # writes of one scalar read as alternatives (more: a free unknown)


def _local_to(name: str, space: "LevelSpace") -> bool:
    """Declared in the loop's body and used nowhere else in the region: its value at a read comes
    from a write of the same iteration."""
    a, loop = space.a, space.loop
    return loop in a.declared.get(name, ()) and all(loop in u.loops for u in a.scalars if u.name == name)


def value_alternatives(name: str, space: "LevelSpace") -> list[tuple[Poly, list[Loop]]] | None:
    """(E, the tested loop and the loops inside it around the write) for each write `name = E` in the
    loop; None when the value is not known that way (then it is a free unknown)."""
    if not _local_to(name, space):
        return None
    writes = [u for u in space.a.scalars if u.write and u.name == name and space.loop in u.loops]
    if not writes or len(writes) > MAX_ALTERNATIVES:
        return None
    out = []
    for w in writes:
        value = plain_value(w)
        p = space.terms.poly(value) if value is not None else None
        if p is None:
            return None
        around = list(w.loops[w.loops.index(space.loop):])
        own = {l.var for l in around if l.var}
        if any(s in space.written and s not in own and bounded_range(s, space) is None for s in symbols(p)):
            return None           # built from another changing scalar: no simple set of values
        out.append((p, around))
    return out


def bounded_range(name: str, space: "LevelSpace") -> tuple[int, int] | None:
    """(lo, hi) for a scalar the loop's body declares whose every write is a truth value (`_x = tx > x`:
    0 or 1) or a mask `e & C` (0 to C, C >= 0): it changes with data, but within those bounds (s8n's
    `temp_idx = _x*4 + _y*2 + _z` picks one of 8 slots of the iteration's row). None otherwise."""
    if not _local_to(name, space):
        return None
    writes = [u for u in space.a.scalars if u.write and u.name == name]
    ranges = [value_range(plain_value(w)) for w in writes]
    if not ranges or None in ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)

