"""OpenCL features: synchronisation, local memory and atomics."""
from __future__ import annotations

from ...analysis.nest import RegionAnalysis

FEATURES = {
    "barriers": "work-group barriers and memory fences",
    "local_mem_accesses": "accesses to __local memory",
    "atomics": "atomic operations (atomic_*, atom_*, C11 __atomic/__sync builtins)",
}

_BARRIERS = frozenset({"barrier", "work_group_barrier", "mem_fence", "read_mem_fence", "write_mem_fence",
                       "__syncthreads"})
_ATOMIC_PREFIXES = ("atomic_", "atom_", "__atomic_", "__sync_", "atomicAdd", "atomic_fetch")


def compute(a: RegionAnalysis) -> dict[str, float]:
    calls = [n.op for n in a.nodes if n.kind == "call"]
    return {
        "barriers": float(sum(1 for c in calls if c in _BARRIERS)),
        "local_mem_accesses": float(sum(1 for acc in a.accesses if a.spaces.get(acc.base) == "local")),
        "atomics": float(sum(1 for c in calls if c.startswith(_ATOMIC_PREFIXES))),
    }
