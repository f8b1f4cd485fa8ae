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

__all__ = ["Pragma", "find_pragmas", "find_directives", "parse_directive", "guard_lines", "statement_line",
           "REDUCTION_FAMILY"]

_START = re.compile(r"^[ \t]*#[ \t]*pragma[ \t]+omp\b(.*)$")
_LOOP_WORDS = frozenset({"for", "simd", "distribute", "loop", "taskloop"})
_GUARD_WORDS = frozenset({"atomic", "critical"})
_CLAUSE = re.compile(r"\b(private|firstprivate|lastprivate|reduction|collapse|shared|linear|safelen|simdlen|"
                     r"ordered|depend|map|threadprivate|copyin|copyprivate)\s*\(((?:[^()]|\([^()]*\))*)\)")
_BARE = re.compile(r"\b(nowait|ordered|untied|mergeable|nogroup)\b(?!\s*\()")


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
    linear: set[str] = field(default_factory=set)        # linear(j) or linear(j:2): private, known value
    safelen: int | None = None   # simd safelen(n) / simdlen(n): iterations closer than n never run together
    clauses: set[str] = field(default_factory=set)       # every clause name present (nowait, depend, map, ...)
    names: dict[str, list[str]] = field(default_factory=dict)   # clause -> the variables it lists


# OpenMP reduction identifiers that combine the way xapp's operator does (`-` sums like `+`).
REDUCTION_FAMILY = {"+": {"+", "-"}, "*": {"*"}, "&": {"&"}, "|": {"|"}, "^": {"^"},
                    "min": {"min"}, "max": {"max"}}
BUILTIN_REDUCTIONS = frozenset({"+", "-", "*", "&", "|", "^", "&&", "||", "min", "max"})


def _parse(text: str, line: int, end: int) -> Pragma | None:
    p = parse_directive(text, line, end)
    return p if p.words & (_LOOP_WORDS | {"parallel"}) else None


def _variables(args: str) -> list[str]:
    """`a, b[0:n], c` -> ['a', 'b', 'c'] (the part after a modifier's colon for linear)."""
    return [v.strip().split("[")[0].strip() for v in args.split(",") if v.strip()]


def parse_directive(text: str, line: int, end: int) -> Pragma:
    """Any `#pragma omp` directive: its words, clause names and the variables its clauses list."""
    head = re.findall(r"[A-Za-z_]\w*", text.split("(")[0])
    # `ordered` and the like are clauses after a directive name, the directive itself when first
    bare = {m.group(1) for m in _BARE.finditer(text) if not (head and m.start() == text.find(head[0]))}
    named = {name for name, _ in _CLAUSE.findall(text)} - set(head[:1])
    p = Pragma(line, end, " ".join(text.split()), words=set(head) - bare - named)
    p.clauses = bare
    for name, args in _CLAUSE.findall(text):
        p.clauses.add(name)
        if name in ("linear", "threadprivate", "shared", "copyin"):
            names = _variables(args.split(":")[0] if name == "linear" else args)
            p.names.setdefault(name, []).extend(names)
            if name == "linear":
                p.linear.update(names)
        elif name in ("safelen", "simdlen") and args.strip().isdigit():
            p.safelen = min(int(args.strip()), p.safelen or int(args.strip()))
    for name, args in _CLAUSE.findall(text):
        if name in ("private", "firstprivate", "lastprivate"):
            p.private.update(v.strip() for v in args.split(",") if v.strip())
        elif name == "reduction" and ":" in args:
            op, _, names = args.partition(":")      # a[0:n]: an array section keeps its own colon
            for v in _variables(names):
                p.reductions[v] = op.split(",")[-1].strip()
        elif name == "collapse" and args.strip().isdigit():
            p.collapse = int(args.strip())
    return p


def find_directives(text: str) -> list[Pragma]:
    """Every `#pragma omp` directive, with the line of its statement and the end of its `{}` block."""
    lines = text.splitlines()
    out = []
    for p in _all_directives(lines):
        p.target_line = statement_line(lines, p.end_line)
        p.block_end = _block_end(lines, p.target_line) if p.target_line else p.end_line
        out.append(p)
    return out


def _all_directives(lines: list[str]):
    for start, end, body in _directive_texts(lines):
        yield parse_directive(body.split("//")[0], start, end)


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
    for start, end, body in _directive_texts(lines):
        p = _parse(body.split("//")[0], start, end)
        if p is not None:
            yield p


def _directive_texts(lines: list[str]):
    """(first line, last line, text after `omp`) of each directive, continuations joined."""
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
        yield start + 1, i + 1, body
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
