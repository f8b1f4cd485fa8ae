"""Is a variable declared inside a loop (one object per iteration), when its name is declared twice?

A region often holds several kernels that declare the same local names (`Real_t B[3][8];` in two
loops of lulesh's time step). `RegionAnalysis.declared` keeps the loop chain of the last declaration
only, so the first kernel's `B` looked like a variable of the enclosing code, shared by its
iterations. Here every declaration counts: a name is the loop's own when one declaration sits in
the loop's body and every declaration outside it sits inside a loop that does not enclose the loop
(its scope ends with that loop's body, so it cannot be the object the loop's uses name). A
declaration at the top of the function or in a loop around this one may be in scope: then the last
declaration decides, as before.
"""
from __future__ import annotations

from .nest import Loop, RegionAnalysis

__all__ = ["declared_within"]


def declared_within(name: str, loop: Loop, a: RegionAnalysis) -> bool:
    """Whether `name` is declared in the loop's body (not static): private to each iteration."""
    if name in a.statics:
        return False
    last = a.declared.get(name)
    if last is not None and loop in last:
        return True
    chains = a.declarations.get(name, ())
    around = {id(l) for l in loop.chain()}
    return any(loop in c for c in chains) and all(
        loop in c or any(id(l) not in around for l in c) for c in chains)
