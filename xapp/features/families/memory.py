"""Memory features: how much is loaded and stored, and whether a GPU can coalesce it."""
from __future__ import annotations

from ...analysis.affine import stride_class
from ...analysis.nest import Access, RegionAnalysis

FEATURES = {
    "mem_loads": "memory loads (array subscripts, pointer dereferences, p->field) in the region's code",
    "mem_stores": "memory stores in the region's code",
    "coalesced_frac": "share of accesses with stride 0 or 1 in the variable a GPU thread would take "
                      "(innermost parallel loop, or get_global_id(0))",
    "strided_frac": "share of accesses with a larger or symbolic stride in that variable",
    "indirect_frac": "share of accesses whose index depends on a loaded value, as in a[idx[i]]",
    "pointer_chasing": "pointer assignments that follow a loaded pointer, as in p = p->next",
    "bytes_per_iter": "bytes moved by the accesses of one pass over the region's code (from element types)",
    "distinct_arrays": "distinct arrays and pointers accessed",
    "reuse_ratio": "accesses per distinct array",
    "global_mem_accesses": "accesses to __global (or, outside OpenCL, any non-local) memory",
}


def _chasing_pointers(a: RegionAnalysis) -> set[str]:
    """Pointers assigned from a load inside the region: p = p->next, p = list[i]."""
    chased = set()
    for u in a.scalars:
        n = u.node
        if u.write and n.kind == "binop" and n.op == "=" and n.ty == "ptr" and len(n.children) == 2:
            rhs = n.children[1]
            if rhs.kind == "subscript" or rhs.kind == "member" or (rhs.kind == "unop" and rhs.op == "*"):
                chased.add(u.name)
    return chased


def _classify(acc: Access, a: RegionAnalysis, chased: set[str], assigned: set[str]) -> str:
    if acc.kind == "subscript":
        if acc.base in chased:
            return "indirect"
        return stride_class(acc.indices, a.thread_vars, a.defs, a.loop_vars)
    if acc.base in chased:
        return "indirect"
    if acc.indices:
        return stride_class(acc.indices, a.thread_vars, a.defs, a.loop_vars)
    return "strided" if acc.base in assigned else "coalesced"


def compute(a: RegionAnalysis) -> dict[str, float]:
    accs = a.accesses
    chased = _chasing_pointers(a)
    assigned = {u.name for u in a.scalars if u.write}
    classes = [_classify(acc, a, chased, assigned) for acc in accs]
    n = len(accs)
    loads = sum(1 for acc in accs if acc.load)
    stores = sum(1 for acc in accs if acc.store)
    bases = {acc.base for acc in accs}
    local = sum(1 for acc in accs if a.spaces.get(acc.base) == "local")
    return {
        "mem_loads": float(loads),
        "mem_stores": float(stores),
        "coalesced_frac": _share(classes, "coalesced"),
        "strided_frac": _share(classes, "strided"),
        "indirect_frac": _share(classes, "indirect"),
        "pointer_chasing": _pointer_chasing(a, chased),
        "bytes_per_iter": _bytes_per_iter(accs),
        "distinct_arrays": float(len(bases)),
        "reuse_ratio": n / len(bases) if bases else 0.0,
        "global_mem_accesses": float(n - local),
    }


def _share(classes: list[str], name: str) -> float:
    return classes.count(name) / len(classes) if classes else 0.0


def _pointer_chasing(a: RegionAnalysis, chased: set[str]) -> float:
    return float(sum(1 for u in a.scalars if u.write and u.name in chased and u.node.kind == "binop"))


def _bytes_per_iter(accs: list[Access]) -> float:
    return float(sum(acc.size * ((acc.load and 1 or 0) + (acc.store and 1 or 0)) for acc in accs))
