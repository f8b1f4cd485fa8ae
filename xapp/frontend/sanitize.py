"""Blank the directives of untrusted code that could read (or probe) a host file: the second layer.

The first layer is the parse itself: untrusted code is parsed behind a
redirect-only virtual file system overlay (headers.sealed_overlay) that hides
every host file, however a directive is spelt. This text rewriting stays as
defence in depth, for a libclang whose overlay handling might regress.

Uploaded code may say `#include "/etc/passwd"` or `#include "../../secret.h"`.
We find every include-like directive the way the preprocessor would (comments
and backslash-newlines may sit between `#` and the directive name, `%:` is a
digraph for `#`) and blank it unless it names one of xapp's stub headers with a
literal name. Blanking keeps every newline, so line numbers do not move.
"""
from __future__ import annotations

import re

__all__ = ["blank_foreign_includes", "neutralise_probes", "NO_INCLUDE_MACRO", "NO_PRAGMA_MACRO"]

_INCLUDE_WORDS = ("include_next", "include", "import", "embed")
_HAS_INCLUDE = re.compile(r"\b__has_include(?:_next)?\b")
_PRAGMA_OPERATOR = re.compile(r"\b_Pragma\b")
# `__has_include("/etc/passwd")` would tell whether a host file exists: each use becomes this
# function-like macro, defined as 0 on the command line, so every probe says "no"; the
# _Pragma operator becomes one that expands to nothing.
NO_INCLUDE_MACRO = "__xapp_has_no_include"
NO_PRAGMA_MACRO = "__xapp_no_pragma"
_TARGET = re.compile(r'\s*(?:<([^<>"\n]+)>|"([^"\n]+)")\s*$')


def _splice(text: str) -> tuple[str, list[int]]:
    """Translation phase 2: drop backslash-newlines; keep where each kept char came from."""
    kept, where, i, n = [], [], 0, len(text)
    while i < n:
        if text.startswith("\\\n", i):
            i += 2
            continue
        kept.append(text[i])
        where.append(i)
        i += 1
    where.append(n)
    return "".join(kept), where


def _skip_space(text: str, i: int) -> int:
    """Skip blanks and comments inside a directive; stop at a newline."""
    n = len(text)
    while i < n:
        if text[i] in " \t\f\v":
            i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            break
    return i


def _line_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _directive_name(text: str, i: int) -> tuple[str, int]:
    j = i
    while j < len(text) and (text[j].isalnum() or text[j] == "_"):
        j += 1
    return text[i:j], j


def _blank(text: list[str], start: int, end: int) -> None:
    for k in range(start, end):
        keep = text[k] == "\n" or (text[k] == "\\" and k + 1 < len(text) and text[k + 1] == "\n")
        if not keep:
            text[k] = " "


def _allowed(rest: str, allowed: frozenset[str]) -> bool:
    cleaned = re.sub(r"/\*.*?\*/", " ", rest, flags=re.S)
    cleaned = cleaned.split("//", 1)[0]
    m = _TARGET.match(cleaned)
    if not m:
        return False
    name = m.group(1) or m.group(2)
    return name in allowed


def blank_foreign_includes(text: str, allowed: frozenset[str]) -> tuple[str, int]:
    """Return (text with non-stub include directives blanked, number blanked)."""
    out = list(text)
    text, where = _splice(text)
    n, i, blanked = len(text), 0, 0
    at_line_start = True
    while i < n:
        ch = text[i]
        if ch == "\n":
            at_line_start, i = True, i + 1
            continue
        if text.startswith("//", i):
            i = _line_end(text, i)
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch in "\"'" and not at_line_start:
            i = _skip_literal(text, i)
            continue
        if at_line_start and (ch == "#" or text.startswith("%:", i)):
            start = i
            j = _skip_space(text, i + (1 if ch == "#" else 2))
            word, j = _directive_name(text, j)
            end = _line_end(text, j)
            # Every #pragma goes too: `#pragma GCC dependency "/path"` probes a host file, and
            # no pragma changes a feature.
            if (word in _INCLUDE_WORDS and not _allowed(text[j:end], allowed)) or word == "pragma":
                _blank(out, where[start], where[end])
                blanked += 1
            i, at_line_start = end, False
            continue
        if ch in " \t\f\v":
            i += 1
            continue
        at_line_start = False
        i += 1
    return "".join(out), blanked


def _skip_literal(text: str, i: int) -> int:
    quote, j, n = text[i], i + 1, len(text)
    while j < n and text[j] != quote and text[j] != "\n":
        j += 2 if text[j] == "\\" else 1
    return j + 1


def neutralise_probes(text: str) -> tuple[str, int]:
    """Replace __has_include(_next) by NO_INCLUDE_MACRO and _Pragma by NO_PRAGMA_MACRO;
    return (text, uses replaced)."""
    text, a = _HAS_INCLUDE.subn(NO_INCLUDE_MACRO, text)
    text, b = _PRAGMA_OPERATOR.subn(NO_PRAGMA_MACRO, text)
    return text, a + b
