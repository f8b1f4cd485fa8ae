"""Per-loop verdicts as the report shows them, OpenMP agreement and possible-race findings."""
from __future__ import annotations

from .nest import Loop, RegionAnalysis
from .deps import LevelVerdict
from .pragmas import REDUCTION_FAMILY, Pragma

__all__ = ["loop_entries", "race_findings", "parallel_level", "pragma_issues", "RACE_RULE", "SHARED_RULE"]

RACE_RULE = "xapp/omp-race"                   # a dependence or reduction the clauses do not cover
SHARED_RULE = "xapp/omp-shared-private"       # a per-iteration temporary left shared
_PROVEN = frozenset({"flow", "anti", "output"})


def _pragma_for(loop: Loop, pragmas: dict[int, Pragma]) -> Pragma | None:
    p = pragmas.get(loop.node.line)
    if p is None:
        return None
    # Several loops may start on the pragma's target line: the outermost one is meant.
    parent = loop.parent
    return None if parent is not None and parent.node.line == loop.node.line else p


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


def loop_entries(a: RegionAnalysis, pragmas: dict[int, Pragma]) -> list[dict]:
    """Every loop of the region in source order."""
    loops = sorted(a.loops, key=lambda l: (l.node.line, l.node.column, l.depth))
    out = []
    for loop in loops:
        p = _pragma_for(loop, pragmas)
        issues = pragma_issues(loop, a, p) if p is not None else []
        out.append(loop_entry(loop, a.verdicts[id(loop)], p, issues))
    return out


def race_findings(a: RegionAnalysis, pragmas: dict[int, Pragma], file: str) -> list[dict]:
    """Pragma-parallel loops whose clauses leave a dependence, a reduction or a shared temporary uncovered."""
    out = []
    for loop in a.loops:
        p = _pragma_for(loop, pragmas)
        if p is None:
            continue
        for rule, why in pragma_issues(loop, a, p):
            lead = (f"possible data race: `#pragma omp {p.text}` (line {p.line}) runs this loop in parallel, but "
                    if rule == RACE_RULE else f"`#pragma omp {p.text}` (line {p.line}): ")
            out.append({"file": file, "line": loop.node.line, "rule": rule, "message": lead + why})
    return out


def pragma_issues(loop: Loop, a: RegionAnalysis, p: Pragma) -> list[tuple[str, str]]:
    """(rule, why) for each way the pragma's clauses fail to cover what xapp finds in the loop."""
    associated = _associated(loop, p)
    private = _private_names(p, associated)
    issues = [(RACE_RULE, why) for why in _hidden_dependences(associated, a, private)]
    issues += [(RACE_RULE, why) for why in _missing_reductions(loop, associated, a, p)]
    issues += [(SHARED_RULE, why) for why in _shared_temporaries(loop, a, p, private)]
    return issues


def _associated(loop: Loop, p: Pragma) -> list[Loop]:
    """The loop and the nested loops its `collapse(n)` binds to it."""
    out = [loop]
    while len(out) < p.collapse and len(out[-1].children) == 1:
        out.append(out[-1].children[0])
    return out


def _private_names(p: Pragma, associated: list[Loop]) -> set[str]:
    # OpenMP: only the iteration variables of the associated loops are predetermined private in C.
    names = p.private | {l.var for l in associated if l.var}
    return names | (p.region.private if p.region is not None else set())


def _hidden_dependences(associated: list[Loop], a: RegionAnalysis, private: set[str]) -> list[str]:
    for l in associated:
        v = a.verdicts[id(l)]
        for reason, d in zip(v.reasons, v.dependences):
            if d.kind in _PROVEN and d.name not in private:
                return [reason]
    return []


def _missing_reductions(loop: Loop, associated: list[Loop], a: RegionAnalysis, p: Pragma) -> list[str]:
    guarded = any(loop.node.line < g <= loop.node.end_line for g in p.guards)
    out = []
    for name, op in dict.fromkeys(r for l in associated for r in a.verdicts[id(l)].reduction_vars):
        clause = p.reductions.get(name)
        if clause is not None and clause in REDUCTION_FAMILY.get(op, {op}):
            continue
        if clause is None and guarded:
            continue            # updated under `omp atomic` / `omp critical`
        out.append(f"{name} is a reduction ({op}) and the pragma has no reduction({op}:{name}) clause"
                   + (f" (it says {clause})" if clause is not None else ""))
    return out


def _shared_temporaries(loop: Loop, a: RegionAnalysis, p: Pragma, private: set[str]) -> list[str]:
    """Variables xapp privatises that OpenMP shares: declared outside the loop and not in a clause."""
    if "parallel" not in p.words and p.region is None:
        return []               # an orphaned `omp for`: the sharing comes from a caller's region
    v = a.verdicts[id(loop)]
    out = []
    for name in v.privatized:
        if name in private or name in p.reductions or _declared_within(name, loop, a, p):
            continue
        out.append(f"{name} is shared under the pragma but written in every iteration; add private({name})")
    return out


def _declared_within(name: str, loop: Loop, a: RegionAnalysis, p: Pragma) -> bool:
    """Declared in the loop body, or (for `omp for`) inside the enclosing parallel block."""
    lines = a.context.decl_lines.get(name, []) if a.context is not None else []
    start, end = loop.node.line, loop.node.end_line
    if p.region is not None:
        start, end = p.region.target_line, p.region.block_end
    return bool(lines) and all(start <= line <= end for line in lines)


def parallel_level(a: RegionAnalysis) -> str | None:
    """`line:var` of the outermost loop that can run in parallel (a plain one before a reduction)."""
    candidates = [l for l in a.loops if a.verdicts[id(l)].kind != "serial"]
    if not candidates:
        return None
    best = min(candidates, key=lambda l: (l.depth, a.verdicts[id(l)].kind != "parallel", l.node.line))
    return f"{best.node.line}:{best.var or best.node.kind}"
