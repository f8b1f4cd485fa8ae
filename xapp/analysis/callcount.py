"""How many times each function of a file runs in one run of the program.

From `main` (once), each call site adds the caller's count times the trips of the loops around
the call (`for (t = 0; t < steps; t++) force(...)` calls `force` `steps` times). A function not
reached from `main`, one on a recursive cycle, or one called under a loop whose trip count is not
known has no count (None): its regions are then priced per call. A file without `main` (a
library) has no counts at all; `calls_per_run(unit, context_of, root=NAME)` counts from another
entry instead (runs per call of NAME: a kernel file's entry called from another file of a scan).
"""
from __future__ import annotations

from ..frontend.ir import LOOP_KINDS, Function, Node, UnitIR
from .nest import FunctionContext, _trip

__all__ = ["calls_per_run", "call_site_times"]

_MAX_COUNT = 1e18


def _call_sites(fn: Function, context: FunctionContext) -> list[tuple[str, float | None]]:
    """(callee, times per call of fn) for every call in fn's body."""
    return [(node.op, times) for node, times in call_site_times(fn, context)]


def call_site_times(fn: Function, context: FunctionContext) -> list[tuple[Node, float | None]]:
    """(call node, times it runs per call of fn) for every call in fn's body."""
    env = context.sizes if context.sizes is not None else context.params
    out: list[tuple[Node, float | None]] = []
    stack: list[tuple[Node, float | None]] = [(fn.body, 1.0)]
    while stack:
        node, times = stack.pop()
        if node.kind == "call":
            out.append((node, times))
        inner = times
        if node.kind in LOOP_KINDS:
            trip = _trip(node, env)[1] if node.kind == "for" else None
            inner = None if times is None or trip is None else times * trip
        for c in node.children:
            stack.append((c, inner if c.role == "body" or node.kind not in LOOP_KINDS else times))
    return out


def calls_per_run(unit: UnitIR, context_of, root: str = "main") -> dict[str, float | None]:
    """Function name -> runs per program run (see the module docstring); `context_of(fn)` gives
    the function's FunctionContext (its sizes)."""
    defined = {fn.name: fn for fn in unit.functions}
    if root not in defined:
        return {}
    sites = {name: _call_sites(fn, context_of(fn)) for name, fn in defined.items()}
    order, cyclic = _topological(sites, defined, root)
    counts: dict[str, float | None] = dict.fromkeys(defined, 0.0)
    counts[root] = 1.0
    for name in order:
        here = counts[name]
        for callee, times in sites[name]:
            if callee not in defined or counts[callee] is None:
                continue
            add = None if here is None or times is None or name in cyclic else here * times
            counts[callee] = None if add is None else min(counts[callee] + add, _MAX_COUNT)
    return {k: (None if k in cyclic or v == 0.0 else v) for k, v in counts.items()}


def _topological(sites, defined, root: str) -> tuple[list[str], set[str]]:
    """Functions reachable from `root`, callers before callees; and those on a cycle."""
    state: dict[str, int] = {}
    order: list[str] = []
    cyclic: set[str] = set()
    stack: list[tuple[str, int]] = [(root, 0)]
    while stack:
        name, i = stack.pop()
        if i == 0:
            if state.get(name) == 1:
                cyclic.add(name)
                continue
            if state.get(name) == 2:
                continue
            state[name] = 1
        callees = [c for c, _ in sites[name] if c in defined]
        if i < len(callees):
            stack.append((name, i + 1))
            nxt = callees[i]
            if state.get(nxt) == 1:
                cyclic.add(nxt)
            elif state.get(nxt) != 2:
                stack.append((nxt, 0))
        else:
            state[name] = 2
            order.append(name)
    order.reverse()
    return order, cyclic
