"""Labeled corpora: measured instances of source code with their CPU-to-GPU speed-up.

The xapp corpus format
======================

A corpus is a CSV file (``.csv``, with a header row) or a JSON Lines file
(``.jsonl``, one JSON object per line). Each row is one measured instance:

``source``
    Path of a source file, relative to the corpus file. Or, instead:
``src``
    The source text inline. ``language`` (``c``, ``c++`` or ``opencl``) or
    ``filename`` says how to parse it; without either it is parsed as C.
``function`` (optional)
    The function whose region is measured; without it the first kernel, else
    the largest region of the file.
``speedup``, or both ``runtime_cpu`` and ``runtime_gpu``
    Speed-up is ``runtime_cpu / runtime_gpu``; positive and finite. When all
    three are given they must agree (within 1%).
``group`` (optional)
    Rows of one program share it, for grouped cross-validation. Default: the
    ``source`` path, or a hash of the inline source text.
Hints (optional)
    Runtime facts known before porting: ``transfer_bytes`` (bytes moved to and
    from the device, hint ``transfer``), ``wgsize`` (work-group size, hint
    ``wgsize``), and any ``hint_<name>`` column (hint ``<name>``). Numbers;
    an empty cell means unknown. In JSONL a ``hints`` object may hold them too.
``defines`` (optional)
    Preprocessor values, ``N=4096;M=8`` (JSONL: also ``{"N": 4096}``).
``platform`` (optional)
    The CPU/GPU pair measured, the same on every row that gives it.
``name`` (optional)
    A label for reports.

Other columns are ignored and listed in ``Corpus.ignored_columns``. A row that
breaks these rules is a `CorpusError` naming its row number (CSV: the first
data row is row 1; JSONL: the line number) and the reason: with ``strict=True``
the first one is raised,
otherwise bad rows are skipped and listed in ``Corpus.skipped``.
"""
from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from xapp.errors import CorpusError
from xapp.frontend.options import is_macro_name   # the one rule for a macro name (re-exported by xapp.inputs)

__all__ = [
    "Instance",
    "SkippedRow",
    "Corpus",
    "RowError",
    "load_xapp_corpus",
    "parse_defines",
    "parse_number",
    "record_skip",
    "source_group",
]

_LANGUAGE_SUFFIX = {"c": ".c", "c++": ".cpp", "opencl": ".cl"}
_HINT_COLUMNS = {"transfer_bytes": "transfer", "wgsize": "wgsize"}
_KNOWN_COLUMNS = frozenset({
    "source", "src", "language", "filename", "function", "speedup", "runtime_cpu",
    "runtime_gpu", "group", "defines", "platform", "name", "hints", *_HINT_COLUMNS,
})


@dataclass(frozen=True)
class Instance:
    """One measured instance: a region of a source text and its speed-up."""

    source: str
    filename: str
    speedup: float
    function: str | None = None
    group: str = ""
    hints: Mapping[str, float] = field(default_factory=dict)
    defines: tuple[tuple[str, str | None], ...] = ()
    language: str | None = None
    name: str = ""
    row: int = 0
    # Another tool's precomputed features (devmap's Grewe columns): for the
    # Grewe baseline only, never an input of xapp's model.
    baseline_columns: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedRow:
    """A corpus row left out, and why."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass
class Corpus:
    """A loaded corpus: the usable instances and every row that was not."""

    name: str
    instances: list[Instance]
    skipped: list[SkippedRow] = field(default_factory=list)
    platform: str | None = None
    path: Path | None = None
    format: str = "xapp"
    ignored_columns: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows read, usable or not."""
        return len(self.instances) + len(self.skipped)

    def __len__(self) -> int:
        return len(self.instances)


class RowError(ValueError):
    """Why one row is unusable; turned into a `CorpusError` naming the row."""


def parse_number(value: Any, column: str, *, positive: bool = False) -> float | None:
    """A finite number from a cell, None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RowError(f"{column} is not a number: {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RowError(f"{column} is not a number: {value!r}") from None
    if not math.isfinite(number):
        raise RowError(f"{column} is not finite: {value!r}")
    if positive and number <= 0:
        raise RowError(f"{column} must be positive, got {value!r}")
    return number


def parse_defines(value: Any) -> tuple[tuple[str, str | None], ...]:
    """``"N=4096;M=8"`` or ``{"N": 4096}`` as ``(("N", "4096"), ("M", "8"))``; ``"DEBUG"`` as ``("DEBUG", None)``."""
    if value is None or value == "":
        return ()
    if isinstance(value, Mapping):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    elif isinstance(value, str):
        pairs: list[tuple[str, str | None]] = []
        for item in filter(None, (part.strip() for part in value.split(";"))):
            key, eq, val = item.partition("=")
            pairs.append((key.strip(), val.strip() if eq else None))
    else:
        raise RowError(f"defines must be text like N=4096;M=8, got {value!r}")
    for key, _ in pairs:
        if not is_macro_name(key):
            raise RowError(f"defines: {key!r} is not a macro name")
    return tuple(pairs)


def _speedup(row: Mapping[str, Any]) -> float:
    speedup = parse_number(row.get("speedup"), "speedup", positive=True)
    cpu = parse_number(row.get("runtime_cpu"), "runtime_cpu", positive=True)
    gpu = parse_number(row.get("runtime_gpu"), "runtime_gpu", positive=True)
    if (cpu is None) != (gpu is None):
        raise RowError("runtime_cpu and runtime_gpu must be given together")
    measured = cpu / gpu if cpu is not None and gpu is not None else None
    if speedup is None and measured is None:
        raise RowError("no speedup and no runtime_cpu/runtime_gpu")
    if speedup is not None and measured is not None and abs(speedup / measured - 1) > 0.01:
        raise RowError(f"speedup {speedup:g} disagrees with runtime_cpu/runtime_gpu = {measured:g}")
    return speedup if speedup is not None else measured  # type: ignore[return-value]


def _hints(row: Mapping[str, Any]) -> dict[str, float]:
    cells: dict[str, Any] = {}
    nested = row.get("hints")
    if nested not in (None, ""):
        if not isinstance(nested, Mapping):
            raise RowError(f"hints must be an object, got {nested!r}")
        cells.update({str(k): v for k, v in nested.items()})
    for column, value in row.items():
        if column in _HINT_COLUMNS:
            cells[_HINT_COLUMNS[column]] = value
        elif column.startswith("hint_") and len(column) > 5:
            cells[column[5:]] = value
    hints = {}
    for name, value in cells.items():
        number = parse_number(value, f"hint {name}")
        if number is not None:
            hints[name] = number
    return hints


def _text(row: Mapping[str, Any], column: str) -> str | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RowError(f"{column} must be text, got {value!r}")
    return value


def _source(row: Mapping[str, Any], base: Path, number: int, stem: str) -> tuple[str, str, str]:
    """(text, filename, default group) of a row's source."""
    path, inline = _text(row, "source"), _text(row, "src")
    if path and inline:
        raise RowError("both source and src given; use one")
    if path:
        file = base / path
        try:
            return file.read_text(encoding="utf-8"), str(file), path
        except FileNotFoundError:
            raise RowError(f"source file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RowError(f"cannot read source {path}: {exc}") from None
    if inline:
        language = _text(row, "language")
        filename = _text(row, "filename")
        if language is not None and language not in _LANGUAGE_SUFFIX:
            raise RowError(f"language must be one of c, c++, opencl; got {language!r}")
        if filename is None:
            filename = f"{stem}-row{number}{_LANGUAGE_SUFFIX.get(language or 'c')}"
        return inline, filename, source_group(inline)
    raise RowError("no source path and no inline src")


def _instance(row: Mapping[str, Any], base: Path, number: int, stem: str) -> Instance:
    text, filename, default_group = _source(row, base, number, stem)
    group = row.get("group")
    return Instance(
        source=text,
        filename=filename,
        speedup=_speedup(row),
        function=_text(row, "function"),
        group=str(group) if group not in (None, "") else default_group,
        hints=_hints(row),
        defines=parse_defines(row.get("defines")),
        language=_text(row, "language"),
        name=str(row.get("name") or f"{stem}:{number}"),
        row=number,
    )


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, Any]]]:
    handle = path.open(newline="", encoding="utf-8")
    reader = csv.DictReader(handle)
    columns = list(reader.fieldnames or [])

    def rows() -> Iterator[tuple[int, Any]]:
        with handle:
            for number, row in enumerate(reader, start=1):
                if None in row:
                    yield number, RowError(f"{len(row[None])} more cells than the header has columns")
                elif any(value is None for value in row.values()):
                    yield number, RowError("fewer cells than the header has columns")
                else:
                    yield number, row
    return columns, rows()


def _jsonl_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, Any]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    columns: dict[str, None] = {}
    parsed: list[tuple[int, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.append((number, RowError(f"invalid JSON: {exc.msg}")))
            continue
        if not isinstance(row, dict):
            parsed.append((number, RowError("a row must be a JSON object")))
            continue
        columns.update(dict.fromkeys(row))
        parsed.append((number, row))
    return list(columns), iter(parsed)


def record_skip(corpus: Corpus, row: int, error: Exception, strict: bool) -> None:
    """Record (or, when strict, raise) why ``row`` of ``corpus`` is unusable."""
    skipped = SkippedRow(row, str(error))
    if strict:
        raise CorpusError(f"{corpus.path or corpus.name}: {skipped}")
    corpus.skipped.append(skipped)


def load_xapp_corpus(path: str | Path, *, strict: bool = False, platform: str | None = None) -> Corpus:
    """Read a corpus in the xapp format (see the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"corpus not found: {path}")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise CorpusError(f"{path}: a corpus is a .csv or .jsonl file")
    try:
        columns, rows = (_csv_rows if suffix == ".csv" else _jsonl_rows)(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorpusError(f"cannot read corpus {path}: {exc}") from None
    ignored = tuple(c for c in columns if c not in _KNOWN_COLUMNS and not c.startswith("hint_"))
    corpus = Corpus(name=path.stem, instances=[], path=path, format="xapp",
                    ignored_columns=ignored, platform=platform)
    try:
        for number, row in rows:
            try:
                if isinstance(row, Exception):
                    raise row
                instance = _instance(row, path.parent, number, path.stem)
                corpus.platform = _platform(corpus.platform, row, platform is not None)
                corpus.instances.append(instance)
            except RowError as exc:
                record_skip(corpus, number, exc, strict)
    except csv.Error as exc:
        raise CorpusError(f"{path}: malformed CSV: {exc}") from None
    if not corpus.instances:
        raise CorpusError(f"{path}: no usable rows ({len(corpus.skipped)} skipped"
                          + (f", first: {corpus.skipped[0]})" if corpus.skipped else ")"))
    return corpus


def _platform(current: str | None, row: Mapping[str, Any], fixed: bool) -> str | None:
    value = row.get("platform")
    if fixed or value in (None, ""):
        return current
    if current is not None and value != current:
        raise RowError(f"platform {value!r} differs from earlier rows' {current!r}")
    return str(value)


def source_group(text: str) -> str:
    """A short stable group key for rows that share one source text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
