"""The data footprint of a loop region: bytes a GPU port would move to and from the device.

Not a model feature (the public training data are kernels, whose NDRange is never
known statically): it stands in for the `transfer` hint when the user gives none
and the loop bounds are known. Each array counts the elements its subscripts can
reach: the product of the trip counts of the loops whose variables appear in them
(A[i][k] in an N x N x N matrix product reaches N*N elements, not N^3).
"""
from __future__ import annotations

import math

from .affine import affine
from .nest import RegionAnalysis
from ..frontend.ir import all_nodes

__all__ = ["footprint_bytes"]


def _loop_vars_in(indices, a: RegionAnalysis) -> set[str] | None:
    found: set[str] = set()
    for ix in indices:
        form = affine(ix, a.defs, a.loop_vars)
        if form is None:
            names = {n.op for n in all_nodes(ix) if n.kind == "ref"}
            found |= names & a.loop_vars
        else:
            found |= set(form) & a.loop_vars
    return found


def footprint_bytes(a: RegionAnalysis) -> float | None:
    """Estimated bytes touched by the region, or None when a needed trip count is unknown."""
    if a.is_kernel or not a.accesses:
        return None
    trips = {l.var: l.trip for l in a.loops if l.var}
    per_array: dict[str, float] = {}
    for acc in a.accesses:
        if acc.kind != "subscript" or not acc.base:
            continue
        elements = 1.0
        for var in _loop_vars_in(acc.indices, a):
            trip = trips.get(var)
            if trip is None:
                return None
            elements *= max(trip, 1)
        per_array[acc.base] = max(per_array.get(acc.base, 0.0), elements * max(acc.size, 1))
    total = sum(per_array.values())
    return total if total > 0 and math.isfinite(total) else None
