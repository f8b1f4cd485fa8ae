"""Input rules shared by the front ends, and the warnings about inputs xapp had to guess around.

Rules (each raises InputError, which the CLI maps to exit 2): a named file must be a C, C++ or
OpenCL source unless --lang forces it; the paths must exist and hold at least one source; every
--hint must be one the model knows.

Warnings (`InputWarning`: file, message, fix) come from the parse diagnostics of each file: a
missing `#include` replaced by an empty stub (the answer may be wrong: a stubbed polybench.h turns
P=0.98 into 0.40), and `--headers system` falling back to the stubs. The CLI says them on stderr
and carries them in JSON as `warnings: [{"file", "message", "fix"}]`.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import InputError
from .features import SOURCE_SUFFIXES

__all__ = ["InputWarning", "expand_sources", "refuse_non_sources", "no_sources_message", "check_hint_names",
           "diagnostics_warnings", "suggest_include_dir", "unique", "warning_lines"]

SUFFIXES_TEXT = ", ".join(sorted(SOURCE_SUFFIXES))
SEARCH_LEVELS = 4          # how many parent folders of a source are searched for a missing header


@dataclass(frozen=True)
class InputWarning:
    file: str | None          # None: the warning is about the whole run
    message: str
    fix: str

    def as_dict(self) -> dict:
        return asdict(self)


# ---- rules ---------------------------------------------------------------------------------------
def refuse_non_sources(paths: Iterable[str | Path], language: str | None) -> None:
    """A file named on the command line whose suffix is not a source's is refused, unless --lang forces it."""
    if language:
        return
    for raw in paths:
        p = Path(raw)
        if p.is_file() and p.suffix.lower() not in SOURCE_SUFFIXES:
            raise InputError(f"{raw}: not a C/C++/OpenCL source (suffixes: {SUFFIXES_TEXT}); use --lang to force")


def expand_sources(paths: Sequence[str], language: str | None = None) -> list[Path]:
    """Files as given, directories walked for sources; a missing path, a non-source file or no source at all
    is an InputError (before any work, so nothing is lost)."""
    refuse_non_sources(paths, language)
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{raw}: no such file or directory")
    if not out:
        raise InputError(no_sources_message(paths))
    return out


def no_sources_message(paths: Sequence[str]) -> str:
    return (f"no C, C++ or OpenCL sources in {', '.join(map(str, paths))} (looked for {SUFFIXES_TEXT}); "
            "name files with another suffix together with --lang")


def check_hint_names(hints: Iterable[tuple[str, float]], known: Sequence[str]) -> None:
    """Refuse a hint the model has no column for: it would be silently ignored."""
    unknown = sorted({name for name, _ in hints} - set(known))
    if unknown:
        raise InputError(f"unknown hint{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                         f"this model knows: {', '.join(known) or 'no hints'}")


# ---- warnings ------------------------------------------------------------------------------------
def suggest_include_dir(source: Path, header: str, levels: int = SEARCH_LEVELS) -> Path | None:
    """The folder holding `header` next to the source, in a parent folder or in a child of a parent
    (PolyBench: utilities/polybench.h beside the kernel folders), nearest first; None if not found."""
    return _search(source.resolve().parent, header, levels)


@lru_cache(maxsize=4096)        # a scan asks once per file; the files of one folder get one search
def _search(folder: Path, header: str, levels: int) -> Path | None:
    for _ in range(levels + 1):
        if (folder / header).is_file():
            return folder
        children = sorted(c for c in _subdirs(folder) if (c / header).is_file())
        if children:
            return children[0]
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def _subdirs(folder: Path) -> list[Path]:
    try:
        return [c for c in folder.iterdir() if c.is_dir() and not c.name.startswith(".")]
    except OSError:
        return []


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def _stub_fix(source: Path | None, header: str) -> str:
    found = suggest_include_dir(source, header) if source is not None else None
    if found is not None:
        return f"add -I {_shown(found)} (it holds {header})"
    return f"add -I DIR, DIR being the folder that holds {header}"


def diagnostics_warnings(file: str, diagnostics: Mapping | None, requested_headers: str = "hermetic",
                         source: Path | None = None) -> list[InputWarning]:
    """The warnings one file's parse diagnostics call for (`Diagnostics.as_dict()` of xapp.features)."""
    if not diagnostics:
        return []
    out = [InputWarning(file, f'#include "{name}" not found: replaced by an empty stub, so the '
                              "prediction may be wrong", _stub_fix(source, name))
           for name in diagnostics.get("stubbed_includes") or []]
    if requested_headers == "system" and diagnostics.get("header_mode") != "system":
        note = diagnostics.get("header_note") or "fell back to xapp's stub headers"
        out.append(InputWarning(None, f"--headers system {note}",
                                "pass --resource-dir DIR (or set XAPP_CLANG_RESOURCE_DIR) to a clang resource "
                                "directory holding include/stddef.h"))
    return out


def unique(warnings: Iterable[InputWarning]) -> list[InputWarning]:
    """In order, without repeats (the header fallback is said once per run, not once per file)."""
    return list(dict.fromkeys(warnings))


def warning_lines(warnings: Sequence[InputWarning], prog: str = "xapp", max_files: int = 3) -> list[str]:
    """Lines for stderr: one per (message, fix), naming up to `max_files` of the files it concerns."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for w in warnings:
        grouped.setdefault((w.message, w.fix), []).extend([w.file] if w.file else [])
    lines = []
    for (message, fix), files in grouped.items():
        where = ", ".join(files[:max_files]) + (f" and {len(files) - max_files} more" if len(files) > max_files
                                                else "")
        lines.append(f"{prog}: warning: {where + ': ' if where else ''}{message}; fix: {fix}")
    return lines
