"""What a build's -D choices would have said, read from the code's own preprocessor text.

Real projects are built with macros the scan does not have (miniFE's Makefile passes
`-DMINIFE_CSR_MATRIX -DMINIFE_SCALAR=double`). Two forms of code show which choice a build makes, and
mend.py asks this module about them when clang's errors point there:

* **A variant chosen by the build.** A name used unconditionally but declared only inside
  `#if defined(A)` / `#elif defined(B)` branches with no `#else` (`struct matvec_std` for a CSR and an
  ELL matrix): no build compiles the file without one of the macros, so the first one is defined.
* **A default with a stray semicolon.** `#ifndef MINIFE_SCALAR` / `#define MINIFE_SCALAR double;`: a
  default the build's `-D` always overrides, so its typo never showed; the value without the `;` is used.

Pure functions over a file's bytes; the mends report each answer in the file's diagnostics.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

__all__ = ["Branch", "variant_macro", "semicolon_defaults"]

_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$", re.M)
# `#ifdef A`, `#if defined(A)`, `#if defined A`, `#elif defined(A)`: a test of one macro being defined
_ONE_MACRO = re.compile(rb"^\s*(?:defined\s*\(\s*([A-Za-z_]\w*)\s*\)|defined\s+([A-Za-z_]\w*))\s*(?://.*|/\*.*)?$")
_IFDEF_ARG = re.compile(rb"^\s*([A-Za-z_]\w*)\s*(?://.*|/\*.*)?$")


@dataclass(frozen=True)
class Branch:
    """The macro whose branch declares a name, the line of that declaration, and the other branches' macros."""

    macro: str
    line: int
    alternatives: tuple[str, ...]


_DECLARATIONS = re.compile(rb"\b(?:struct|class|union|enum)\s+(\w+)\b(?!\s*;)|\btypedef\b[^;{}]*\b(\w+)\s*;"
                           rb"|\busing\s+(\w+)\s*=")


@lru_cache(maxsize=8)
def _declared_at(text: bytes) -> dict[str, list[int]]:
    """Type name -> where the text declares it (`struct N {`, `typedef ... N;`, `using N =`): one pass
    per text, not one per missing name (a file with thousands of errors asks for hundreds)."""
    out: dict[str, list[int]] = {}
    for m in _DECLARATIONS.finditer(text):
        name = next(g for g in m.groups() if g is not None)
        out.setdefault(name.decode(errors="replace"), []).append(m.start())
    return out


def _tested(kind: bytes, arg: bytes) -> str | None:
    """The macro a `#ifdef A` / `#if defined(A)` / `#elif defined(A)` tests, else None."""
    if kind == b"ifdef":
        m = _IFDEF_ARG.match(arg)
        return m.group(1).decode() if m else None
    if kind in (b"if", b"elif"):
        m = _ONE_MACRO.match(arg)
        return (m.group(1) or m.group(2)).decode() if m else None
    return None


def _chains(text: bytes) -> list[dict]:
    """Every #if chain of the text: its branches as (macro tested or None, start, end), whether it has an
    #else, and its depth of enclosing chains that are not include guards (#ifndef)."""
    done, stack = [], []
    for m in _DIRECTIVE.finditer(text):
        kind, arg = m.group(1), m.group(2)
        if kind in (b"if", b"ifdef", b"ifndef"):
            outer = sum(1 for c in stack if c["kind"] != b"ifndef")
            stack.append({"kind": kind, "branches": [[_tested(kind, arg), m.end(), None]], "else": False,
                          "depth": outer})
        elif not stack:
            continue
        elif kind in (b"elif", b"else"):
            chain = stack[-1]
            chain["branches"][-1][2] = m.start()
            chain["branches"].append([_tested(kind, arg) if kind == b"elif" else None, m.end(), None])
            chain["else"] |= kind == b"else"
        else:
            chain = stack.pop()
            chain["branches"][-1][2] = m.start()
            done.append(chain)
    return done


def variant_macro(text: bytes, name: str, defined: frozenset[str] = frozenset()) -> Branch | None:
    """The macro to define so that `name` is declared, when the text declares it only in branches of an
    `#if defined(A)` / `#elif defined(B)` chain of two or more choices without `#else` (outside any other
    condition than an include guard), and none of those macros is in `defined`; else None. A lone
    `#ifdef HAVE_MPI` is an option, not a choice: never taken."""
    where = _declared_at(text).get(name, [])
    if not where:
        return None
    for chain in _chains(text):
        macros = [b[0] for b in chain["branches"]]
        if len(macros) < 2 or chain["else"] or chain["depth"] or chain["kind"] == b"ifndef" or None in macros \
                or defined.intersection(macros):
            continue
        for macro, start, end in chain["branches"]:
            if any(start <= w < end for w in where):
                line = text.count(b"\n", 0, next(w for w in where if start <= w < end)) + 1
                return Branch(macro, line, tuple(m for m in macros if m != macro))
    return None


_SEMICOLON_DEFAULT = re.compile(rb"^[ \t]*#[ \t]*(?:ifndef[ \t]+([A-Za-z_]\w*)|if[ \t]+![ \t]*defined[ \t]*\(?[ \t]*"
                                rb"([A-Za-z_]\w*)[ \t]*\)?)[ \t]*\r?\n[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+"
                                rb"([^;\n]+?)[ \t]*;[ \t]*\r?$", re.M)


def semicolon_defaults(text: bytes) -> dict[str, tuple[str, int]]:
    """NAME -> (VALUE, line) for each `#ifndef NAME` / `#define NAME VALUE;` of the text: a default whose
    stray `;` only shows when the build does not pass -D NAME (it does not parse as a type or a value)."""
    out = {}
    for m in _SEMICOLON_DEFAULT.finditer(text):
        name = (m.group(1) or m.group(2)).decode()
        if name == m.group(3).decode():
            out.setdefault(name, (m.group(4).decode(), text.count(b"\n", 0, m.start()) + 2))
    return out
