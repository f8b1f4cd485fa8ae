"""Per-loop verdicts as the report shows them, with OpenMP agreement (the race checks: omp_check.py)."""
from __future__ import annotations

from .nest import Loop, RegionAnalysis
from .verdict import LevelVerdict
from .omp_check import RACE_RULE, SHARED_RULE, OmpFile, loop_issues, pragma_for, race_findings
from .pragmas import Pragma

__all__ = ["loop_entries", "race_findings", "parallel_level", "RACE_RULE", "SHARED_RULE"]


def loop_entry(loop: Loop, v: LevelVerdict, pragma: Pragma | None, issues: list[tuple[str, str]] = ()) -> dict:
    return {
        "line": loop.node.line, "column": loop.node.column, "depth": loop.depth - 1,
        "kind": loop.node.kind, "var": loop.var, "trip_count": loop.trip, "verdict": v.kind,
        "reason": "; ".join(dict.fromkeys(v.reasons)) if v.reasons else None,
        "privatized": list(v.privatized),
        "inductions": list(v.inductions),
        "reductions": [{"name": n, "op": op} for n, op in v.reduction_vars],
        "assumptions": list(v.assumptions),
        "pragma": pragma.text if pragma else None,
        "agrees": (v.kind != "serial" and not issues) if pragma else None,
    }


def loop_entries(a: RegionAnalysis, omp: OmpFile) -> list[dict]:
    """Every loop of the region in source order."""
    loops = sorted(a.loops, key=lambda l: (l.node.line, l.node.column, l.depth))
    out = []
    for loop in loops:
        p = pragma_for(loop, omp.loops)
        issues = loop_issues(loop, a, p, omp) if p is not None else []
        out.append(loop_entry(loop, a.verdicts[id(loop)], p, issues))
    return out


def parallel_level(a: RegionAnalysis) -> str | None:
    """`line:var` of the outermost loop that can run in parallel (a plain one before a reduction)."""
    candidates = [l for l in a.loops if a.verdicts[id(l)].kind != "serial"]
    if not candidates:
        return None
    best = min(candidates, key=lambda l: (l.depth, a.verdicts[id(l)].kind != "parallel", l.node.line))
    return f"{best.node.line}:{best.var or best.node.kind}"
