"""Inline suppression: `// xapp: ignore` or `/* xapp: ignore */` takes a region out of the results.

The comment stands on the region's first loop line (a kernel's first line), or on the line above it; a
`#pragma` between the comment and the loop (`#pragma omp parallel for`) does not separate them. Comments
are found by a small lexer that steps over string and character literals, so a string that holds the
text does not suppress anything. A suppressed region is not analysed; the extraction lists it apart,
so every front end can count it.
"""
from __future__ import annotations

import re
from typing import Sequence

__all__ = ["ignored_lines", "is_suppressed"]

# String and character literals first, so that `"// xapp: ignore"` is read as a string, not a comment.
_TOKENS = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/', re.S)
_DIRECTIVE = re.compile(r"^\s*xapp:\s*ignore(?:\s|$)")


def _body(comment: str) -> str:
    return comment[2:-2] if comment.startswith("/*") else comment[2:]


def ignored_lines(text: str) -> frozenset[int]:
    """The 1-based lines on which an `xapp: ignore` comment starts."""
    lines, line, pos = set(), 1, 0
    for m in _TOKENS.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        token = m.group()
        if token[0] == "/" and _DIRECTIVE.match(_body(token)):
            lines.add(line)
    return frozenset(lines)


def is_suppressed(line: int, ignored: frozenset[int], source_lines: Sequence[str]) -> bool:
    """Whether the region starting at `line` carries the comment on that line or the line above it
    (above any `#pragma` lines that lead into the loop)."""
    if line in ignored:
        return True
    above = line - 1
    while 1 <= above <= len(source_lines) and source_lines[above - 1].lstrip().startswith("#pragma"):
        if above in ignored:
            return True
        above -= 1
    return above in ignored
