"""OpenMP loop pragmas read from the source text.

libclang without -fopenmp drops `#pragma omp`, and xapp never trusts a pragma over its own
analysis anyway: this reader only finds each `#pragma omp ... for|simd|distribute ...` (with
backslash continuations), its clauses (`private`, `firstprivate`, `lastprivate`, `reduction`,
`collapse`) and the line of the statement that follows, so the report can say whether the
programmer's claim and xapp's verdict agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Pragma", "find_pragmas", "statement_line"]

_START = re.compile(r"^[ \t]*#[ \t]*pragma[ \t]+omp\b(.*)$")
_LOOP_WORDS = frozenset({"for", "simd", "distribute", "loop", "taskloop"})
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


def _parse(text: str, line: int, end: int) -> Pragma | None:
    words = set(re.findall(r"[A-Za-z_]\w*", text.split("(")[0]))
    if not words & _LOOP_WORDS:
        return None
    p = Pragma(line, end, " ".join(text.split()))
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
    lines = text.splitlines()
    out, i = [], 0
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
            p.target_line = statement_line(lines, i + 1)
            out.append(p)
        i += 1
    return out


def statement_line(lines: list[str], after: int) -> int:
    """1-based line of the first line after line `after` (1-based) that holds code."""
    for j in range(after, len(lines)):
        s = lines[j].strip()
        if s and not s.startswith(("//", "/*", "*", "#")):
            return j + 1
    return 0
