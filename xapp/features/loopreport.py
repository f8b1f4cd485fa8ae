"""Per-loop verdicts as the report shows them, OpenMP agreement and possible-race findings."""
from __future__ import annotations

from .analysis import Loop, RegionAnalysis
from .deps import LevelVerdict
from .pragmas import Pragma

__all__ = ["loop_entries", "race_findings", "parallel_level", "RACE_RULE"]

RACE_RULE = "xapp/omp-race"
_PROVEN = frozenset({"flow", "anti", "output"})


def _pragma_for(loop: Loop, pragmas: dict[int, Pragma]) -> Pragma | None:
    p = pragmas.get(loop.node.line)
    if p is None:
        return None
    # Several loops may start on the pragma's target line: the outermost one is meant.
    parent = loop.parent
    return None if parent is not None and parent.node.line == loop.node.line else p


def loop_entry(loop: Loop, v: LevelVerdict, pragma: Pragma | None) -> dict:
    return {
        "line": loop.node.line, "column": loop.node.column, "depth": loop.depth - 1,
        "kind": loop.node.kind, "var": loop.var, "trip_count": loop.trip, "verdict": v.kind,
        "reason": "; ".join(dict.fromkeys(v.reasons)) if v.reasons else None,
        "privatized": list(v.privatized),
        "reductions": [{"name": n, "op": op} for n, op in v.reduction_vars],
        "assumptions": list(v.assumptions),
        "pragma": pragma.text if pragma else None,
        "agrees": (v.kind != "serial") if pragma else None,
    }


def loop_entries(a: RegionAnalysis, pragmas: dict[int, Pragma]) -> list[dict]:
    """Every loop of the region in source order."""
    loops = sorted(a.loops, key=lambda l: (l.node.line, l.node.column, l.depth))
    return [loop_entry(l, a.verdicts[id(l)], _pragma_for(l, pragmas)) for l in loops]


def race_findings(a: RegionAnalysis, pragmas: dict[int, Pragma], file: str) -> list[dict]:
    """A pragma-parallel loop where xapp finds a dependence the pragma's clauses do not cover."""
    out = []
    for loop in a.loops:
        p = _pragma_for(loop, pragmas)
        v = a.verdicts[id(loop)]
        if p is None or v.kind != "serial":
            continue
        covered = p.private | set(p.reductions)
        hidden = [d for d in v.dependences if d.kind in _PROVEN and d.name not in covered]
        if not hidden:
            continue
        reason = next(r for r, d in zip(v.reasons, v.dependences) if d is hidden[0])
        out.append({"file": file, "line": loop.node.line, "rule": RACE_RULE,
                    "message": f"possible data race: `#pragma omp {p.text}` (line {p.line}) runs this loop in "
                               f"parallel, but {reason}"})
    return out


def parallel_level(a: RegionAnalysis) -> str | None:
    """`line:var` of the outermost loop that can run in parallel (a plain one before a reduction)."""
    candidates = [l for l in a.loops if a.verdicts[id(l)].kind != "serial"]
    if not candidates:
        return None
    best = min(candidates, key=lambda l: (l.depth, a.verdicts[id(l)].kind != "parallel", l.node.line))
    return f"{best.node.line}:{best.var or best.node.kind}"
