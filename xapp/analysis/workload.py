"""The target-independent workload of a loop region: what a cost model needs, counted over
the whole execution (each operation times the trip counts of the loops around it).

- operations by kind: fp32 and fp64 arithmetic, transcendental calls, divisions, integer ops;
- bytes touched by every access, and the data footprint: each array reaches the elements
  its subscripts can (the product of the trips of the loop variables in them), so gemm's
  footprint is 3N^2 elements while it touches 4N^3;
- the bytes that must cross the host link: arrays read before they are written (copied in)
  and arrays written (live after the region, copied out); arrays declared inside stay;
- the access pattern across the work-item index (coalesced, strided, indirect) for the GPU,
  and across the innermost loop for the CPU (a strided walk costs a cache line per access).

A loop whose bounds move with an enclosing loop (j from i+1 to N) counts its mean trip over the
enclosing iterations (features.triangular). None when a trip count is unknown: the cost model
does not guess sizes.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .affine import affine, coefficient, reads_memory, stride_class
from .nest import Access, RegionAnalysis
from .mathfuncs import EXPLOG, SQRT, TRIG
from ..frontend.ir import FLOAT_TYPES, LOOP_KINDS, Node, all_nodes
from .launch import LaunchLevel, LaunchStructure
from .recurrence import recurrences
from .triangular import mean_trips

__all__ = ["Workload", "workload", "INT_MAX"]

INT_MAX = 2**31 - 1
_ARITH = frozenset({"+", "-", "*", "/", "+=", "-=", "*=", "/="})
_DIV = frozenset({"/", "/=", "%", "%="})
_INT_OPS = frozenset({"+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "+=", "-=", "*=", "/=", "%="})
# erf and gamma functions cost like exp/log (a polynomial or rational approximation with range reduction).
_TRANSCENDENTAL = TRIG | EXPLOG | SQRT | frozenset(
    f"{n}{s}" for n in ("erf", "erfc", "tgamma", "lgamma") for s in ("", "f", "l"))
_HEADER_ROLES = frozenset({"init", "cond", "inc"})


@dataclass(frozen=True)
class Workload:
    launches: int                 # kernel launches in all (each kernel: the product of its outer trips)
    kernels: int                  # distinct kernels
    work_items: int               # work-items of the largest kernel, per launch
    iterations: int               # innermost-body executions of the whole region
    fp32_ops: float
    fp64_ops: float
    transcendental: float         # calls to exp, log, sin, sqrt, ...
    transcendental_fp64: float
    divisions: float
    int_ops: float
    bytes_touched: float          # every load and store, element-sized
    footprint_bytes: float        # distinct data the region reaches
    transfer_in_bytes: float
    transfer_out_bytes: float
    gpu_coalesced_bytes: float    # across the work-item index (stride 0 or 1)
    gpu_strided_bytes: float
    gpu_indirect_bytes: float
    cpu_strided_accesses: float   # accesses strided along the innermost loop (a cache line each)
    cpu_vectorizable: bool        # innermost loop unit-stride, no reduction, no calls, no branches
    divergent_branches: float     # share of branches whose condition reads memory
    warnings: tuple[str, ...] = ()
    # Share of innermost-body executions in loops under no kernel level (serial loops between the
    # launches, durbin's recurrence): a port runs them serially, on the host or in one work-item.
    serial_share: float = 0.0
    combine_launches: int = 0     # second-pass launches that combine a cross-item reduction
    # The CPU's view, along each access's innermost loop: unit-stride walks (loads and stores) with
    # the bytes walked before the data is reused, accesses that stay put (a register or L1 line),
    # and strided walks with the lines one pass of the inner loop touches (reused by the next outer
    # iteration when they fit a cache level).
    cpu_stream: tuple = ()            # (bytes, working set between reuses; 0: a cold stream)
    cpu_invariant_bytes: float = 0.0
    cpu_strided: tuple = ()           # (accesses, bytes of lines one pass of the inner loop touches, stride bytes)
    # Innermost iterations of loops that carry a scalar reduction without vectorizing: each waits
    # for the previous add (a dependent chain at the add latency). A reduction into an array
    # element or through a pointer is promoted to a register when it is the loop's only store; with
    # another store in the loop (which may alias it) it stays in memory: each iteration then waits
    # for each store to reach the next load (gesummv's tmp[i] and y[i], bicg's q[i] beside s[j]:
    # two links per iteration).
    cpu_chain_iterations: float = 0.0
    cpu_memory_chain_links: float = 0.0   # store-to-load links: iterations x stores in the loop
    # Recurrences (analysis/recurrence.py): (iterations / d, adds, multiplies, divisions, square
    # roots, other calls, integer adds on the carried path, loop index); each iteration waits for
    # those latencies.
    cpu_recurrences: tuple = ()

    @property
    def transfer_bytes(self) -> float:
        return self.transfer_in_bytes + self.transfer_out_bytes

    def as_dict(self) -> dict:
        """JSON-ready (the feature cache stores it and must read back the same dict)."""
        return {**asdict(self), "warnings": list(self.warnings), "cpu_strided": [list(p) for p in self.cpu_strided],
                "cpu_stream": [list(p) for p in self.cpu_stream],
                "cpu_recurrences": [list(p) for p in self.cpu_recurrences]}


Trips = dict   # id(loop) -> trip (exact or mean), from features.triangular.mean_trips


def _count(chain, trips: Trips) -> float:
    return math.prod(trips[id(l)] for l in chain)


def _op_counts(a: RegionAnalysis, trips: Trips) -> dict[str, float]:
    """Arithmetic by kind, each node weighted by the trips of its enclosing loops."""
    by_node = {id(l.node): l for l in a.loops}
    out = dict.fromkeys(("fp32", "fp64", "tr", "tr64", "div", "int"), 0.0)
    stack: list[tuple[Node, int]] = [(a.region.root, 1)]
    while stack:
        n, mult = stack.pop()
        if n.role in _HEADER_ROLES:
            continue
        if n.kind in LOOP_KINDS and id(n) in by_node:
            mult *= trips[id(by_node[id(n)])]
        _classify(n, mult, out)
        stack.extend((c, mult) for c in n.children)
    return out


def _classify(n: Node, mult: int, out: dict[str, float]) -> None:
    if n.kind in ("binop", "assign_op") and n.op in _INT_OPS:
        if n.ty in FLOAT_TYPES and n.op in _ARITH:
            out["fp64" if n.ty == "f64" else "fp32"] += mult * n.lanes
        elif n.ty == "int":
            out["int"] += mult * n.lanes
        out["div"] += mult * (n.op in _DIV)
    elif n.kind == "call" and n.op in _TRANSCENDENTAL:
        out["tr"] += mult
        out["tr64"] += mult * (n.ty == "f64")


def _index_vars(acc: Access, a: RegionAnalysis) -> set[str]:
    found: set[str] = set()
    for ix in acc.indices:
        form = affine(ix, a.defs, a.loop_vars)
        names = set(form) if form is not None else {n.op for n in all_nodes(ix) if n.kind == "ref"}
        found |= names & a.loop_vars
    return found


def _footprints(a: RegionAnalysis, mean: Trips) -> dict[str, float]:
    """Array -> bytes its accesses reach; a pointer walk without subscripts counts what it touches.
    A triangular loop reaches about twice its mean trip (its longest run)."""
    trips = {l.var: l.trip if l.trip is not None else 2 * mean[id(l)] for l in a.loops if l.var}
    out: dict[str, float] = {}
    for acc in a.accesses:
        if not acc.base:
            continue
        if acc.kind == "subscript":
            elements = math.prod(max(trips.get(v) or 1, 1) for v in _index_vars(acc, a))
        else:
            elements = _count(acc.loops, mean)
        out[acc.base] = max(out.get(acc.base, 0.0), float(elements * max(acc.size, 1)))
    return out


def _read_first(a: RegionAnalysis) -> set[str]:
    """Arrays whose first access reads them. The walk meets an assignment's target before its
    right-hand side, so a store also counts as read first when its own statement loads the array
    (C[i][j] = beta * C[i][j] + ...)."""
    first: dict[str, Access] = {}
    loads_in: set[tuple[int, str]] = set()
    for acc in a.accesses:
        first.setdefault(acc.base, acc)
        if acc.load and acc.assign is not None:
            loads_in.add((id(acc.assign), acc.base))
    return {b for b, acc in first.items()
            if acc.load or (acc.assign is not None and (id(acc.assign), b) in loads_in)}


def _transfers(a: RegionAnalysis, footprints: dict[str, float]) -> tuple[float, float]:
    stored = {acc.base for acc in a.accesses if acc.store}
    read_first = _read_first(a)
    host = [b for b in footprints if b not in a.declared]
    copied_in = sum(footprints[b] for b in host if b in read_first)
    copied_out = sum(footprints[b] for b in host if b in stored)
    return copied_in, copied_out


def _patterns(a: RegionAnalysis, trips: Trips) -> dict[str, float]:
    out = dict.fromkeys(("coalesced", "strided", "indirect", "cpu_strided"), 0.0)
    for acc in a.accesses:
        count = _count(acc.loops, trips)
        moved = acc.size * (int(acc.load) + int(acc.store)) * count
        out[stride_class(acc.indices, a.thread_vars, a.defs, a.loop_vars)] += moved
        inner = acc.loops[-1].var if acc.loops else None
        if inner and stride_class(acc.indices, (inner,), a.defs, a.loop_vars) != "coalesced":
            out["cpu_strided"] += count
    return out


_LINE = 64


def _index_symbols(forms) -> set[str]:
    return {k for f in forms for k in f if k}


def _reuse_walk(acc: Access, a: RegionAnalysis, trips: Trips, symbols: set[str], unit: float) -> float:
    """Bytes this access walks before it comes back to the same data: the loops inside the innermost
    enclosing loop its subscripts ignore (A[i][k] inside j: the row, N elements); 0 for no reuse
    (a cold stream: the data comes from wherever the region's footprint lives)."""
    chain = list(acc.loops)
    for depth in range(len(chain) - 2, -1, -1):
        if chain[depth].var not in symbols:
            return unit * math.prod(trips[id(l)] for l in chain[depth + 1:] if l.var in symbols)
    return 0.0


def _cpu_access(acc: Access, a: RegionAnalysis, trips: Trips, out: dict, arrays: int) -> None:
    """Classify one access along its innermost loop for the CPU model (see Workload)."""
    count = _count(acc.loops, trips) * (int(acc.load) + int(acc.store))
    moved = acc.size * count
    inner = acc.loops[-1] if acc.loops else None
    forms = [affine(ix, a.defs, a.loop_vars) for ix in acc.indices]
    if inner is None or inner.var is None or acc.kind != "subscript" or any(f is None for f in forms) \
            or any(reads_memory(ix, a.defs) for ix in acc.indices):
        cls = "coalesced" if inner is None or inner.var is None else \
            stride_class(acc.indices, (inner.var,), a.defs, a.loop_vars)
        if cls == "coalesced":
            out["stream"].append((moved, 0.0))
        else:
            out["strided"].append((count, trips[id(inner)] * _LINE, 0))
        return
    steps = [coefficient(f, (inner.var,)) for f in forms]
    symbols = _index_symbols(forms)
    if all(c == 0 for c in steps):
        out["invariant"] += moved
    elif all(c == 0 for c in steps[:-1]) and steps[-1] in (1, -1):
        out["stream"].append((moved, _reuse_walk(acc, a, trips, symbols, acc.size) * arrays))
    else:
        out["strided"].append((count, trips[id(inner)] * _LINE, _row_bytes(acc, steps)))


def _row_bytes(acc: Access, steps: list) -> int:
    """Bytes between consecutive elements of a walk down a column (B[k][j] along k: one row of B,
    the size of the sub-array B[k]); 0 when not a plain column walk."""
    if len(steps) < 2 or steps[-1] != 0 or steps[-2] not in (1, -1) or acc.node.kind != "subscript":
        return 0
    row = acc.node.children[0] if acc.node.children else None
    return row.size if row is not None and row.kind == "subscript" and row.size else 0


def _merged(items) -> tuple:
    """Sum the amounts of equal keys: (amount, *key) tuples."""
    merged: dict[tuple, float] = {}
    for amount, *key in items:
        merged[tuple(key)] = merged.get(tuple(key), 0.0) + amount
    return tuple(sorted((amount, *key) for key, amount in merged.items()))


def _cpu_view(a: RegionAnalysis, trips: Trips) -> dict:
    out = {"stream": [], "invariant": 0.0, "strided": []}
    arrays = max(len({acc.base for acc in a.accesses if acc.base}), 1)
    for acc in a.accesses:
        _cpu_access(acc, a, trips, out, arrays)
    return {"stream": _merged(out["stream"]), "invariant": out["invariant"], "strided": _merged(out["strided"])}


def _in_memory(name: str, a: RegionAnalysis) -> bool:
    """A reduction variable the compiler keeps in memory: an array element, a pointee, a global."""
    types = a.context.types if a.context is not None else {}
    declared_here = a.context is not None and name in a.context.decl_lines
    return types.get(name) in ("ptr", "array") or not declared_here


def _chains(a: RegionAnalysis, trips: Trips, vectorizable: bool) -> tuple[float, float]:
    """(innermost iterations of loops reducing into registers, links of reductions kept in memory)."""
    if vectorizable:
        return 0.0, 0.0
    register = memory = 0.0
    for l in a.loops:
        v = a.verdicts.get(id(l))
        if l.children or v is None or not v.reductions:
            continue
        count = _count(l.chain(), trips)
        targets = {name for name, _ in v.reduction_vars if _in_memory(name, a)}
        others = {acc.base for acc in a.accesses if acc.store and acc.loops and acc.loops[-1] is l} - targets
        if targets and (len(targets) >= 2 or others):
            # another store may alias it: the sum stays in memory, and each load of it waits for
            # every store before it in the iteration
            memory += count * len(targets | others)
        else:                            # promoted to a register (store motion; gemm's C[i][j])
            register += count
    return register, memory


def _vectorizable(a: RegionAnalysis) -> bool:
    """Would a compiler vectorize the innermost loops? Unit stride, parallel, no reduction,
    no calls or branches (a conservative reading of what gcc/clang -O3 do without -ffast-math)."""
    inner = [l for l in a.loops if not l.children]
    for loop in inner:
        v = a.verdicts[id(loop)]
        if not v.parallel or v.reductions or loop.var is None:
            return False
    inner_ids = {id(l) for l in inner}
    for acc in a.accesses:
        if acc.loops and id(acc.loops[-1]) in inner_ids and \
                stride_class(acc.indices, (acc.loops[-1].var,), a.defs, a.loop_vars) != "coalesced":
            return False
    return not any(n.kind in ("call", "if", "cond", "switch") for n in a.nodes)


def _overflow_warnings(a: RegionAnalysis, launch: LaunchStructure) -> tuple[str, ...]:
    """Iteration spaces larger than a C int: computed exactly here, but the source's own int
    indices (i * N + j) would overflow."""
    out = []
    for k in launch.kernels:
        items = k.work_items
        if items is not None and items > INT_MAX:
            names = " * ".join(f"{l.var}<{l.trip}" for l in k.parallel_levels)
            out.append(f"work-items {names} = {items} exceed INT_MAX; an int index over them overflows")
    return tuple(out)


def _divergence(a: RegionAnalysis, features: dict[str, float]) -> float:
    branches = features.get("branches", 0.0)
    return features.get("data_dependent_branches", 0.0) / branches if branches else 0.0


def _reduces(k, a: RegionAnalysis) -> bool:
    """Whether the kernel's work-items reduce into one value (its top level is a reduction)."""
    top = k.parallel_levels[0]
    return any(a.verdicts[id(l)].reductions for l in a.loops if (l.node.line, l.var) == (top.line, top.var))


def _combine_launches(a: RegionAnalysis, launch: LaunchStructure, trips: Trips) -> int:
    """A reduction across work-items combines their partial results in a second launch (a kernel
    cannot wait for all of its own work-items): one more launch per launch of such a kernel."""
    by_level = {(l.node.line, l.var): trips[id(l)] for l in a.loops}
    return round(sum(math.prod(by_level[(l.line, l.var)] for l in k.around)
                     for k in launch.kernels if _reduces(k, a)))


def _launch_counts(a: RegionAnalysis, launch: LaunchStructure, trips: Trips) -> tuple[int, int]:
    """(launches of all kernels, work-items of the largest), with mean trips for triangular levels;
    (0, 0) for a region with no kernel (serial: only its CPU time means something)."""
    if not launch.kernels:
        return 0, 0
    by_level = {(l.node.line, l.var): trips[id(l)] for l in a.loops}

    def product(levels: tuple[LaunchLevel, ...]) -> float:
        return math.prod(by_level[(l.line, l.var)] for l in levels)
    launches = sum(product(k.around) for k in launch.kernels)
    items = max(product(k.parallel_levels) for k in launch.kernels)
    return max(round(launches), 1), max(round(items), 1)


def _serial_share(a: RegionAnalysis, launch: LaunchStructure, trips: Trips, iterations: int) -> float:
    """Share of the innermost-body executions that no kernel's parallel level encloses."""
    levels = {(l.line, l.var) for k in launch.kernels for l in k.parallel_levels}
    outside = sum(_count(l.chain(), trips) for l in a.loops
                  if not l.children and not any((c.node.line, c.var) in levels for c in l.chain()))
    return outside / iterations if iterations else 0.0


def workload(a: RegionAnalysis, launch: LaunchStructure, features: dict[str, float]) -> Workload | None:
    """The region's workload, or None for a kernel (NDRange unknown) or a loop whose trip count is
    not known statically. A region with no kernel (serial) gets one with `kernels` 0 and all of its
    work serial: its CPU time is still the time a run spends there."""
    trips = {} if a.is_kernel else mean_trips(a)
    if a.is_kernel or not a.loops or None in trips.values():
        return None
    ops = _op_counts(a, trips)
    feet = _footprints(a, trips)
    copied_in, copied_out = _transfers(a, feet)
    pat = _patterns(a, trips)
    iterations = round(sum(_count(l.chain(), trips) for l in a.loops if not l.children))
    launches, items = _launch_counts(a, launch, trips)
    vectorizable = _vectorizable(a)
    view = _cpu_view(a, trips)
    chains = _chains(a, trips, vectorizable)
    return Workload(
        launches=launches, kernels=len(launch.kernels), work_items=items,
        iterations=iterations, fp32_ops=ops["fp32"], fp64_ops=ops["fp64"], transcendental=ops["tr"],
        transcendental_fp64=ops["tr64"], divisions=ops["div"], int_ops=ops["int"],
        bytes_touched=pat["coalesced"] + pat["strided"] + pat["indirect"], footprint_bytes=sum(feet.values()),
        transfer_in_bytes=copied_in, transfer_out_bytes=copied_out, gpu_coalesced_bytes=pat["coalesced"],
        gpu_strided_bytes=pat["strided"], gpu_indirect_bytes=pat["indirect"],
        cpu_strided_accesses=pat["cpu_strided"], cpu_vectorizable=vectorizable,
        divergent_branches=_divergence(a, features), warnings=_overflow_warnings(a, launch),
        serial_share=_serial_share(a, launch, trips, iterations) if launch.kernels else 1.0,
        combine_launches=_combine_launches(a, launch, trips), cpu_stream=view["stream"],
        cpu_invariant_bytes=view["invariant"], cpu_strided=view["strided"],
        cpu_chain_iterations=chains[0], cpu_memory_chain_links=chains[1], cpu_recurrences=recurrences(a, trips))


