"""Input rules shared by the front ends, and the warnings about inputs xapp had to guess around.

Rules (each raises InputError or ModelError, which the CLI maps to exit 2 and the service to 422),
defined here once and used by the CLI, the service, the scanner and the compile database: a named
file must be a C, C++ or OpenCL source unless --lang forces it; the paths must exist and hold at
least one source; a macro name is an ASCII C identifier (`is_macro_name`, kept next to ParseOptions,
which checks it too); a define is NAME[=VALUE], a hint NAME=NUMBER, a sweep NAME=LOW:HIGH; every
threshold and hint asked of a model must be one it has (`check_request`, before any work).

Warnings (`InputWarning`: file, message, fix) come from the parse diagnostics of each file: a
missing `#include` replaced by an empty stub (the answer may be wrong: a stubbed polybench.h turns
P=0.98 into 0.40), parse errors (the file is `partial`: code around them is lost), a -D macro that an
unguarded `#define` overrides, and `--headers system` falling back to the stubs. The CLI says them on stderr
and carries them in JSON as `warnings: [{"file", "message", "fix"}]`.
"""
from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import InputError, ModelError
from .features import SOURCE_SUFFIXES
from .frontend.options import is_macro_name, parse_define

__all__ = ["InputWarning", "decoding_warnings", "expand_sources", "refuse_non_sources", "no_sources_message", "check_hint_names",
           "check_thresholds", "check_request", "is_macro_name", "parse_define", "parse_hint", "parse_sweep",
           "diagnostics_warnings", "diagnostic_details", "parse_errors", "suggest_include_dir", "unique", "warning_lines"]

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


def parse_hint(text: str) -> tuple[str, float]:
    """'transfer=1048576' -> ('transfer', 1048576.0); a negative number is refused."""
    name, sep, value = text.partition("=")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not sep or not name.strip() or not math.isfinite(number):
        raise InputError(f"bad hint {text!r}: expected NAME=NUMBER, e.g. transfer=1048576")
    if number < 0:      # every hint is a size or a count: bytes moved, work-items in a group
        raise InputError(f"bad hint {text!r}: a hint is a size or a count, 0 or more")
    return name.strip(), number


def parse_sweep(text: str) -> tuple[str, float, float]:
    """'N=1024:4096' -> ('N', 1024.0, 4096.0); 0 < LOW < HIGH."""
    name, sep, span = text.partition("=")
    low, colon, high = span.partition(":")
    try:
        lo, hi = float(low), float(high)
    except ValueError:
        lo = hi = math.nan
    if not sep or not colon or not name.strip() or not (0 < lo < hi) or not math.isfinite(hi):
        raise InputError(f"bad sweep {text!r}: expected NAME=LOW:HIGH with 0 < LOW < HIGH, e.g. N=1024:1048576")
    return name.strip(), lo, hi


def check_thresholds(requested: Sequence[float] | None, known: Sequence[float]) -> tuple[float, ...]:
    """The thresholds to answer, sorted: all of the model's when none is asked; an unknown one is refused."""
    if not requested:
        return tuple(known)
    unknown = [t for t in requested if t not in known]
    if unknown:
        raise ModelError(f"threshold(s) {', '.join(f'{t:g}' for t in unknown)} not in the model; "
                         f"it has {', '.join(f'{t:g}' for t in known)}")
    return tuple(sorted(set(requested)))


def check_request(bundle, thresholds: Sequence[float] | None, hints: Iterable[tuple[str, float]]) -> None:
    """What every front end checks before any work: the thresholds and hint names must be the model's."""
    check_thresholds(thresholds, bundle.thresholds)
    check_hint_names(hints, bundle.hint_names)


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
    out += _parse_error_warnings(file, diagnostics)
    out += [_override_warning(file, o, source) for o in diagnostics.get("overridden_defines") or []]
    if requested_headers == "system" and diagnostics.get("header_mode") != "system":
        note = diagnostics.get("header_note") or "fell back to xapp's stub headers"
        out.append(InputWarning(None, f"--headers system {note}",
                                "pass --resource-dir DIR (or set XAPP_CLANG_RESOURCE_DIR) to a clang resource "
                                "directory holding include/stddef.h"))
    return out


def parse_errors(diagnostics: Mapping | None) -> tuple[int, str | None]:
    """(how many errors clang reported, the first as `line L: message`): a file with errors is `partial`:
    clang drops the statement or declaration around each error, loops with it."""
    if not diagnostics:
        return 0, None
    n = (diagnostics.get("counts") or {}).get("error", 0)
    first = next((m for m in diagnostics.get("messages") or [] if ": error: " in m), None)
    if first is None:
        return n, None
    place, text = first.split(": error: ", 1)
    return n, f"line {place.split(':')[0]}: {text}"


def diagnostic_details(diagnostics: Mapping | None) -> list[dict]:
    """The errors clang reported ("7:13: error: expected expression"), as {line, column, severity, message}."""
    out = []
    for m in (diagnostics or {}).get("messages") or []:
        place, _, rest = m.partition(": ")
        severity, _, text = rest.partition(": ")
        line, _, column = place.partition(":")
        out.append({"line": int(line) if line.isdigit() else None, "column": int(column) if column.isdigit() else None,
                    "severity": severity, "message": text})
    return out


def _parse_error_warnings(file: str, diagnostics: Mapping) -> list[InputWarning]:
    n, first = parse_errors(diagnostics)
    if not n:
        return []
    where = f", the first at {first}" if first else ""
    return [InputWarning(file, f"{n} parse error{'s' if n > 1 else ''}{where}: the code around "
                               f"{'them' if n > 1 else 'it'} is missing from the analysis (status partial)",
                         "fix the code, or pass the -I/-D/--std flags it is built with (scan: --build-dir "
                         "with a compile_commands.json)")]


def _override_warning(file: str, override: Mapping, source: Path | None) -> InputWarning:
    where = override["file"]
    if source is not None and Path(where) == source.resolve():
        where = file
    elif Path(where).is_absolute():
        where = _shown(Path(where))
    name = override["name"]
    return InputWarning(file, f"-D {name} has no effect: `#define {name}` at {where}:{override['line']} "
                              "redefines it (an unguarded #define wins over the command line)",
                        f"guard that definition with `#ifndef {name}` ... `#endif`, or drop -D {name}")


def decoding_warnings(file: str, notes: Sequence[str]) -> list[InputWarning]:
    """The notes `decode_source` left for a file that is not UTF-8: the code parses the same, but what the
    file's comments and strings hold was guessed (cp1252, else Latin-1)."""
    return [InputWarning(file, note.removeprefix(f"{file}: "), "save the file as UTF-8 if its text is not cp1252")
            for note in notes]


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
