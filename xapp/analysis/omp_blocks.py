"""Races in the code of a `#pragma omp parallel` (or `teams`) block that every thread runs.

Outside its worksharing loops, a parallel block's statements run once in every thread. A write there
to a variable the threads share -- declared before the block, a global, a `static` local, or reached
through `&shared` by a called function -- is a race, unless one thread at a time (or one thread only)
runs it: `atomic`, `critical`, `ordered`, `single`, `master`/`masked`, a lock, or a test of
`omp_get_thread_num()`. Clauses `private`, `firstprivate`, `reduction`, `copyin` and `threadprivate`
make a variable per thread. Tasks and sections inside the block are listed as unchecked, not judged.
Only scalars and constant array elements are judged; an element picked by the thread number is not
shared.
"""
from __future__ import annotations

from dataclasses import dataclass

from .omp_check import RACE_RULE, OmpFile
from .pragmas import Pragma
from .calls import arg_positions
from ..frontend.ir import LOOP_KINDS, Function, Node, UnitIR, walk

__all__ = ["block_findings"]

_BLOCK_WORDS = frozenset({"parallel", "teams"})
_NOT_BLOCKS = frozenset({"for", "distribute", "loop", "simd", "sections", "taskloop", "workshare", "master",
                         "masked", "single"})
_SKIPPED = frozenset({"task", "section", "sections", "taskloop"})   # judged elsewhere or not at all
_STEPS = frozenset({"++", "--", "post++", "post--"})
_THREAD_ID = frozenset({"omp_get_thread_num", "omp_get_team_num"})


@dataclass
class _Block:
    directive: Pragma
    start: int
    end: int
    private: set[str]


def _blocks(omp: OmpFile) -> list[_Block]:
    out = []
    for d in omp.directives:
        if d.words & _BLOCK_WORDS and not d.words & _NOT_BLOCKS and d.target_line:
            private = d.private | set(d.reductions) | set(d.names.get("copyin", ())) | omp.threadprivate
            out.append(_Block(d, d.target_line, max(d.block_end, d.target_line), private))
    return out


def _skipped_ranges(omp: OmpFile, fn: Function) -> list[tuple[int, int]]:
    """Lines whose statements are not every thread's: guarded, tasks, sections, worksharing loops."""
    ranges = list(omp.guarded)
    for d in omp.directives:
        if d.words & _SKIPPED and d.target_line:
            ranges.append((d.target_line, max(d.block_end, d.target_line)))
    loops = {n.line: n for n in walk(fn.body) if n.kind in LOOP_KINDS}
    for line, p in omp.loops.items():
        loop = loops.get(line)
        if loop is not None:
            ranges.append((loop.line, loop.end_line))
    return ranges


def _thread_ids(fn: Function) -> set[str]:
    """Variables that hold the thread number (`tid = omp_get_thread_num()`)."""
    out = set()
    for n in walk(fn.body):
        value = n.children[0] if n.kind == "var" and n.children else \
            n.children[1] if n.kind == "binop" and n.op == "=" and len(n.children) == 2 else None
        name = n.op if n.kind == "var" else (n.children[0].op if value is not None and n.children[0].kind == "ref"
                                             else None)
        if value is not None and name and value.kind == "call" and value.op in _THREAD_ID:
            out.add(name)
    return out


def _thread_test(node: Node, ids: set[str]) -> bool:
    """`if (omp_get_thread_num() == k)` or `if (tid == k)`: one thread runs the branch."""
    cond = node.children[0] if node.children else None
    if cond is None or not any(n.kind == "binop" and n.op == "==" for n in walk(cond)):
        return False
    return any((n.kind == "call" and n.op in _THREAD_ID) or (n.kind == "ref" and n.op in ids) for n in walk(cond))


def _writes(node: Node, ids: set[str]) -> list[tuple[Node, int]]:
    """(assignment or call, line) of every write of a function body outside thread-number tests, in
    the order a block's check meets them (each block keeps those of its own lines)."""
    out = []
    stack = [(node, 0)]
    while stack:
        n, line = stack.pop()
        line = n.line or line
        if n.kind == "if" and _thread_test(n, ids):
            continue
        if ((n.kind == "assign_op" or (n.kind == "binop" and n.op == "=")
             or (n.kind == "unop" and n.op in _STEPS)) and n.children) or n.kind == "call":
            out.append((n, line))
        stack.extend((c, line) for c in n.children)
    return out


@dataclass
class _FunctionFacts:
    """What every block of one function reads of its body: walked once per function, not once per block
    (S3D's main holds 26 blocks over thousands of generated statements)."""

    skipped: list[tuple[int, int]]
    writes: list[tuple[Node, int]]
    declared: list[tuple[str, int]]     # (name, line) of each non-static local declaration


def _function_facts(fn: Function, omp: OmpFile) -> _FunctionFacts:
    declared = [(n.op, n.line) for n in walk(fn.body) if n.kind == "var" and n.storage != "static"]
    return _FunctionFacts(_skipped_ranges(omp, fn), _writes(fn.body, _thread_ids(fn)), declared)


def _shared_target(target: Node) -> str | None:
    """The variable a write names when every thread writes the same location: `x`, `a[0]`, `s.f`."""
    if target.kind == "ref":
        return target.op
    if target.kind == "subscript" and len(target.children) == 2 and target.children[1].value is not None \
            and target.children[0].kind == "ref":
        return target.children[0].op
    return None


def _declared_in(fn: Function, start: int, end: int) -> set[str]:
    return {n.op for n in walk(fn.body) if n.kind == "var" and start <= n.line <= end and n.storage != "static"}


def _call_race(call: Node, private: set[str], omp: OmpFile) -> str | None:
    w = omp.writes.get(call.op)
    if w is None:
        return None
    shared = sorted(w.shared - omp.threadprivate)
    if shared:
        return f"{call.op}() writes {shared[0]}, which every thread shares"
    for pos, arg in arg_positions(call):
        if pos in w.through and arg.kind == "unop" and arg.op == "&" and arg.children \
                and arg.children[0].kind == "ref" and arg.children[0].op not in private:
            return f"{call.op}() writes through &{arg.children[0].op}, which every thread shares"
    return None


def _block_race(block: _Block, facts: _FunctionFacts, omp: OmpFile) -> tuple[int, str] | None:
    private = block.private | {name for name, line in facts.declared if block.start <= line <= block.end}
    for node, line in facts.writes:
        if not block.start <= line <= block.end or any(s <= line <= e for s, e in facts.skipped):
            continue
        if node.kind == "call":
            why = _call_race(node, private, omp)
        else:
            name = _shared_target(node.children[0])
            why = (f"{name} is shared and every thread writes it (line {line})"
                   if name and name not in private else None)
        if why:
            return line, why
    return None


def _section_ranges(omp: OmpFile, start: int, end: int) -> list[tuple[int, int]]:
    return [(d.target_line, max(d.block_end, d.target_line)) for d in omp.directives
            if d.words == {"section"} and start < d.line <= end and d.target_line]


def _touched(fn: Function, start: int, end: int, private: set[str]) -> tuple[set[str], set[str]]:
    """(written, read) shared scalars in lines start..end."""
    written, read, line = set(), set(), 0
    stack = [(fn.body, 0)]
    while stack:
        n, line = stack.pop()
        line = n.line or line
        if start <= line <= end:
            if n.kind in ("assign_op", "binop", "unop") and n.children and n.children[0].kind == "ref" and (
                    n.kind == "assign_op" or (n.kind == "binop" and n.op == "=") or n.op in _STEPS):
                written.add(n.children[0].op)
            elif n.kind == "ref":
                read.add(n.op)
        stack.extend((c, line) for c in n.children)
    return written - private, read - private


def _sections_race(d: Pragma, fn: Function, omp: OmpFile) -> tuple[int, str] | None:
    """Two sections of one `sections` construct run at once: one writing what another touches races."""
    start, end = d.target_line, max(d.block_end, d.target_line)
    private = d.private | set(d.reductions) | omp.threadprivate | _declared_in(fn, start, end)
    parts = [(r, *_touched(fn, r[0], r[1], private)) for r in _section_ranges(omp, start, end)]
    for i, (r1, w1, _) in enumerate(parts):
        for r2, w2, read2 in parts[i + 1:]:
            both = sorted(w1 & (w2 | read2))
            if both and not omp.is_guarded(r1[0]):
                return r1[0], f"{both[0]} is written in the section at line {r1[0]} and used in the one at line {r2[0]}"
    return None


def _sections_findings(unit: UnitIR, omp: OmpFile, file: str) -> list[dict]:
    out = []
    for d in omp.directives:
        if "sections" not in d.words or not d.target_line:
            continue
        fn = next((f for f in unit.functions if f.line <= d.target_line <= f.end_line), None)
        found = _sections_race(d, fn, omp) if fn is not None else None
        if found:
            out.append({"file": file, "line": found[0], "rule": RACE_RULE,
                        "message": f"possible data race: `#pragma omp {d.text}` (line {d.line}) runs its sections "
                                   f"at once, and {found[1]}"})
    return out


def block_findings(unit: UnitIR | None, omp: OmpFile, file: str) -> list[dict]:
    """Races in the code every thread of a parallel block runs (outside its worksharing loops)."""
    if unit is None:
        return []
    out = []
    facts: dict[int, _FunctionFacts] = {}
    for block in _blocks(omp):
        fn = next((f for f in unit.functions if f.line <= block.start <= f.end_line), None)
        if fn is not None and id(fn) not in facts:
            facts[id(fn)] = _function_facts(fn, omp)
        found = _block_race(block, facts[id(fn)], omp) if fn is not None else None
        if found:
            d = block.directive
            out.append({"file": file, "line": found[0], "rule": RACE_RULE,
                        "message": f"possible data race: `#pragma omp {d.text}` (line {d.line}) runs this block "
                                   f"in every thread, and {found[1]}"})
    return out + _sections_findings(unit, omp, file)
