"""Arguments that alias: a loop directive in a function whose verdict assumes that two pointer
parameters do not overlap, called in the same file with both pointing into one array.

The loop's accesses through the two parameters are rebased onto that array with the offsets the call
passes (`shift(buf + 1, buf, n)`: dst[i] is buf[1 + i], src[i] is buf[i]) and the dependence test is run
again on the rebased accesses; a dependence it proves there is a race at that call. Offsets that are
not integer expressions the call spells out (a literal, a variable, `a + k`) are not guessed.
"""
from __future__ import annotations

from dataclasses import replace

from .deps import loop_verdicts
from .nest import Loop, RegionAnalysis
from .calls import arg_positions
from .helpers import pointed_array
from ..frontend.ir import Node, UnitIR, all_nodes

__all__ = ["alias_issues", "call_sites"]

_PROVEN = frozenset({"flow", "anti", "output", "carried"})


def call_sites(unit: UnitIR | None) -> dict[str, list[Node]]:
    """Calls of each same-file function, by callee name."""
    if unit is None:
        return {}
    names = {fn.name for fn in unit.functions}
    out: dict[str, list[Node]] = {}
    for fn in unit.functions:
        for n in all_nodes(fn.body):
            if n.kind == "call" and n.op in names:
                out.setdefault(n.op, []).append(n)
    return out


def _rebased(a: RegionAnalysis, where: dict[str, tuple[str, Node]]) -> RegionAnalysis:
    accesses = []
    for acc in a.accesses:
        target = where.get(acc.base)
        if target is None or acc.kind == "arrow":
            accesses.append(acc)
            continue
        root, offset = target
        first = Node("binop", op="+", ty="int", children=[offset, acc.indices[0]]) if acc.indices else offset
        accesses.append(replace(acc, base=root, indices=[first, *acc.indices[1:]]))
    return replace(a, accesses=accesses, verdicts={})


def _params_in_assumptions(loop: Loop, a: RegionAnalysis) -> set[str]:
    params = {p.op for p in a.region.owner.params}
    names = set()
    for text in a.verdicts[id(loop)].assumptions:
        if text.endswith(" do not overlap"):
            names.update(x for x in text[:-len(" do not overlap")].split(" and ") if x in params)
    return names


def alias_issues(loop: Loop, associated: list[Loop], a: RegionAnalysis,
                 sites: dict[str, list[Node]]) -> list[str]:
    """Why a call site makes the loop race through two of its pointer parameters, if one does."""
    names = _params_in_assumptions(loop, a)
    if len(names) < 2:
        return []
    positions = {p.op: i for i, p in enumerate(a.region.owner.params)}
    for call in sites.get(a.region.function, ()):
        args = dict(arg_positions(call))
        where = {n: pointed_array(args.get(positions[n])) for n in names}
        where = {n: w for n, w in where.items() if w is not None}
        roots = [w[0] for w in where.values()]
        shared = {r for r in roots if roots.count(r) > 1}
        if not shared:
            continue
        why = _dependence(associated, _rebased(a, {n: w for n, w in where.items() if w[0] in shared}), shared)
        if why:
            pointers = " and ".join(sorted(n for n, w in where.items() if w[0] in shared))
            return [f"the call at line {call.line} passes {pointers} into the same array {sorted(shared)[0]}: {why}"]
    return []


def _dependence(associated: list[Loop], a: RegionAnalysis, roots: set[str]) -> str | None:
    verdicts = loop_verdicts(a)
    for l in associated:
        v = verdicts[id(l)]
        for reason, d in zip(v.reasons, v.dependences):
            if d.kind in _PROVEN and d.name in roots:
                return reason
    return None
