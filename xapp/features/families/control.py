"""Control features: branches (and whether they diverge on data), exits and calls."""
from __future__ import annotations

from ...analysis.affine import reads_memory
from ...analysis.nest import RegionAnalysis
from ...analysis.deps import IO_FUNCTIONS
from ...frontend.ir import LOOP_KINDS, Node
from .compute import MATH_FUNCTIONS

FEATURES = {
    "branches": "if statements, conditional operators and switch cases",
    "data_dependent_branches": "branches whose condition reads memory (directly or through a loaded scalar)",
    "early_exits": "break, return and goto that leave a loop of the region",
    "calls": "calls that are not recognised math or OpenCL built-in functions",
    "io_calls": "I/O calls (printf, fopen, fread, std::cout << ...) inside the region",
    "alloc_calls": "memory allocation and release (malloc, calloc, realloc, free, new, delete)",
    "recursion": "1 if the region calls its own function, directly or through functions of the file",
}

ALLOC_FUNCTIONS = frozenset({"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign",
                             "alloca", "operator new", "operator delete"})
OPENCL_BUILTINS_PREFIX = ("get_", "barrier", "mem_fence", "read_mem_fence", "write_mem_fence", "atom", "vload",
                          "vstore", "convert_", "as_", "work_group_", "async_work_group", "wait_group_events",
                          "prefetch", "select", "isnan", "isinf", "isfinite", "any", "all", "shuffle")


def _condition(n):
    if n.kind in ("if", "switch"):
        return n.child("cond")
    if n.kind == "cond":
        return n.children[0] if n.children else None
    return None


def _early_exits(a: RegionAnalysis) -> int:
    count = 0
    for loop in a.loops:
        # Each exit is counted once, by its innermost loop: nested loops are not entered here.
        stack = [(c, False) for c in loop.node.children if c.role in ("body", "")]
        while stack:
            n, in_switch = stack.pop()
            if n.kind in ("return", "goto") or (n.kind == "break" and not in_switch):
                count += 1
            if n.kind not in LOOP_KINDS:
                stack.extend((c, in_switch or n.kind == "switch") for c in n.children)
    return count


def _is_builtin(name: str) -> bool:
    return name.startswith(OPENCL_BUILTINS_PREFIX)


def _data_dependent(n: Node, a: RegionAnalysis) -> bool:
    """An if, ?: or switch whose condition reads memory."""
    cond = _condition(n)
    return cond is not None and reads_memory(cond, a.defs)


def _call_counts(name: str, a: RegionAnalysis) -> tuple[int, int, int]:
    """(I/O, allocation, other) counts of one call: math functions and OpenCL built-ins are not calls."""
    io = 1 if name in IO_FUNCTIONS else 0
    alloc = 1 if name in ALLOC_FUNCTIONS else 0
    calls = 1 if name not in MATH_FUNCTIONS and not (a.opencl and _is_builtin(name)) else 0
    return io, alloc, calls


def compute(a: RegionAnalysis) -> dict[str, float]:
    branches = data_dep = calls = io = alloc = 0
    for n in a.nodes:
        k = n.kind
        if k in ("if", "cond", "case"):
            branches += 1
        if k in ("if", "cond", "switch") and _data_dependent(n, a):
            data_dep += 1
        if k == "call":
            n_io, n_alloc, n_calls = _call_counts(n.op, a)
            io, alloc, calls = io + n_io, alloc + n_alloc, calls + n_calls
        elif k == "new" or k == "delete":
            alloc += 1
    return {
        "branches": float(branches),
        "data_dependent_branches": float(data_dep),
        "early_exits": float(_early_exits(a)),
        "calls": float(calls),
        "io_calls": float(io),
        "alloc_calls": float(alloc),
        "recursion": 1.0 if a.recursion else 0.0,
    }
