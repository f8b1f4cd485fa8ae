"""OpenMP loop pragmas read from the source text.

libclang without -fopenmp drops `#pragma omp`, and xapp never trusts a pragma over its own
analysis anyway: this reader only finds each `#pragma omp ... for|simd|distribute ...` (with
backslash continuations), its clauses (`private`, `firstprivate`, `lastprivate`, `reduction`,
`collapse`) and the line of the statement that follows, so the report can say whether the
programmer's claim and xapp's verdict agree. An `omp for` inside a `#pragma omp parallel { ... }`
block also knows that block (its private clause and its lines: variables declared there are
private to each thread), and the lines of `omp atomic` / `omp critical` are kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Pragma", "find_pragmas", "guard_lines", "statement_line", "REDUCTION_FAMILY"]

_START = re.compile(r"^[ \t]*#[ \t]*pragma[ \t]+omp\b(.*)$")
_LOOP_WORDS = frozenset({"for", "simd", "distribute", "loop", "taskloop"})
_GUARD_WORDS = frozenset({"atomic", "critical"})
_CLAUSE = re.compile(r"\b(private|firstprivate|lastprivate|reduction|collapse|shared)\s*\(([^()]*)\)")


@dataclass
class Pragma:
    line: int                    # line of `#pragma`
    end_line: int                # last line (after continuations)
    text: str                    # the directive and clauses after `omp`, on one line
    private: set[str] = field(default_factory=set)       # private, firstprivate, lastprivate
    reductions: dict[str, str] = field(default_factory=dict)   # variable -> operator
    collapse: int = 1
    target_line: int = 0         # line of the statement the pragma applies to
    words: set[str] = field(default_factory=set)         # directive words (`parallel`, `for`, ...)
    block_end: int = 0           # last line of the structured block of a `parallel` region
    region: "Pragma | None" = None   # the `parallel` region around an orphan-looking `omp for`
    guards: frozenset[int] = frozenset()   # lines of the file's `omp atomic` / `omp critical`


# OpenMP reduction identifiers that combine the way xapp's operator does (`-` sums like `+`).
REDUCTION_FAMILY = {"+": {"+", "-"}, "*": {"*"}, "&": {"&"}, "|": {"|"}, "^": {"^"},
                    "min": {"min"}, "max": {"max"}}


def _parse(text: str, line: int, end: int) -> Pragma | None:
    words = set(re.findall(r"[A-Za-z_]\w*", text.split("(")[0]))
    if not words & (_LOOP_WORDS | {"parallel"}):
        return None
    p = Pragma(line, end, " ".join(text.split()), words=words)
    for name, args in _CLAUSE.findall(text):
        if name in ("private", "firstprivate", "lastprivate"):
            p.private.update(v.strip() for v in args.split(",") if v.strip())
        elif name == "reduction" and ":" in args:
            op, _, names = args.rpartition(":")
            for v in names.split(","):
                if v.strip():
                    p.reductions[v.strip().split("[")[0]] = op.strip()
        elif name == "collapse" and args.strip().isdigit():
            p.collapse = int(args.strip())
    return p


def find_pragmas(text: str) -> list[Pragma]:
    """Loop pragmas; an `omp for` inside a `#pragma omp parallel` block knows that region."""
    lines = text.splitlines()
    loops, regions = [], []
    for p in _all_pragmas(lines):
        p.target_line = statement_line(lines, p.end_line)
        if p.words & _LOOP_WORDS:
            loops.append(p)
        else:
            p.block_end = _block_end(lines, p.target_line)
            regions.append(p)
    guards = frozenset(guard_lines(text))
    for p in loops:
        p.guards = guards
        if "parallel" not in p.words:
            around = [r for r in regions if r.line < p.line <= r.block_end]
            p.region = around[-1] if around else None
    return loops


def guard_lines(text: str) -> set[int]:
    """Lines of `#pragma omp atomic` / `critical`: updates under them do not race."""
    return {i + 1 for i, line in enumerate(text.splitlines())
            if (m := _START.match(line)) and set(re.findall(r"[A-Za-z_]\w*", m.group(1).split("(")[0])) & _GUARD_WORDS}


def _all_pragmas(lines: list[str]):
    i = 0
    while i < len(lines):
        m = _START.match(lines[i])
        if not m:
            i += 1
            continue
        start, body = i, m.group(1)
        while body.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            body = body.rstrip()[:-1] + " " + lines[i]
        p = _parse(body.split("//")[0], start + 1, i + 1)
        if p is not None:
            yield p
        i += 1


def _block_end(lines: list[str], first: int) -> int:
    """Last line (1-based) of the `{ ... }` block starting at line `first`; the line itself otherwise."""
    if first == 0 or not lines[first - 1].lstrip().startswith("{"):
        return first
    depth = 0
    for j in range(first - 1, len(lines)):
        code = re.sub(r'"(\\.|[^"\\])*"|//.*', "", lines[j])
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            return j + 1
    return len(lines)


def statement_line(lines: list[str], after: int) -> int:
    """1-based line of the first line after line `after` (1-based) that holds code."""
    for j in range(after, len(lines)):
        s = lines[j].strip()
        if s and not s.startswith(("//", "/*", "*", "#")):
            return j + 1
    return 0
