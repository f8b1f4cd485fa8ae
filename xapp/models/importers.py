"""Importers for the public labeled data sets, and `load_corpus`, which picks one.

devmap (``cgo17-amd.csv``, Cummins et al. PACT 2017)
    One row per kernel and input size: ``src`` holds the OpenCL source,
    speed-up is ``runtime_cpu / runtime_gpu``, ``transfer`` and ``wgsize``
    become hints, and ``oracle`` (the faster device) is checked against the
    runtimes: a disagreement is listed in ``Corpus.notes``.
CLgen (``amd-clgen.csv`` with ``clgen-1000.tar.bz2``, Cummins et al. CGO 2017)
    As devmap, but the source lives in the archive: ``benchmark`` ``<sha>.cl-A``
    names ``clgen-1000/kernels/<sha>.cl``. The archive is read in memory.

Rows of one source text share a group. The Grewe et al. columns (``comp``,
``rational``, ``mem``, ``localmem``, ``coalesced``, ``atomic``) are another
tool's features: they are kept as ``Instance.baseline_columns`` for the Grewe
baseline and never become inputs of xapp's model.
"""
from __future__ import annotations

import csv
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Mapping

from xapp.errors import CorpusError
from xapp.models.corpus import (
    Corpus,
    Instance,
    RowError,
    load_xapp_corpus,
    parse_number,
    record_skip,
    source_group,
)

__all__ = [
    "DEVMAP_PLATFORM",
    "CLGEN_PLATFORM",
    "GREWE_COLUMNS",
    "FORMATS",
    "load_devmap",
    "load_clgen",
    "detect_format",
    "load_corpus",
]

DEVMAP_PLATFORM = "AMD Tahiti 7970 GPU vs Intel Core i7-3820 CPU (OpenCL)"
CLGEN_PLATFORM = ("AMD GPU vs Intel CPU (OpenCL), CLgen synthetic kernels; "
                  "same platform family as devmap")
GREWE_COLUMNS = ("comp", "rational", "mem", "localmem", "coalesced", "atomic")
FORMATS = ("auto", "xapp", "devmap", "clgen")

_MEASURED = {"benchmark", "dataset", "runtime_cpu", "runtime_gpu", "oracle", "transfer", "wgsize"}
_DEVMAP_COLUMNS = _MEASURED | {"src"}
_CLGEN_COLUMNS = _MEASURED | {"kernel_nlines"}
_CLGEN_ARCHIVE = "clgen-1000.tar.bz2"


def _measured(row: Mapping[str, str], number: int, text: str, filename: str) -> tuple[Instance, bool]:
    """An instance from a devmap-style row, and whether ``oracle`` agrees with the runtimes."""
    cpu = parse_number(row["runtime_cpu"], "runtime_cpu", positive=True)
    gpu = parse_number(row["runtime_gpu"], "runtime_gpu", positive=True)
    if cpu is None or gpu is None:
        raise RowError("runtime_cpu or runtime_gpu is empty")
    oracle = row["oracle"].strip().upper()
    if oracle not in ("CPU", "GPU"):
        raise RowError(f"oracle must be CPU or GPU, got {row['oracle']!r}")
    hints = {name: parse_number(row[name], name) for name in ("transfer", "wgsize")}
    baseline = {name: parse_number(row.get(name), name) for name in GREWE_COLUMNS}
    instance = Instance(
        source=text,
        filename=filename,
        speedup=cpu / gpu,
        group=source_group(text),
        hints={k: v for k, v in hints.items() if v is not None},
        language="opencl",
        name=f"{row['benchmark']}:{row['dataset']}",
        row=number,
        baseline_columns={k: v for k, v in baseline.items() if v is not None},
    )
    return instance, (cpu / gpu > 1) == (oracle == "GPU")


def _read_measured(path: Path, name: str, fmt: str, platform: str, required: set[str],
                   source_of: Callable[[Mapping[str, str]], tuple[str, str]], strict: bool) -> Corpus:
    corpus = Corpus(name=name, instances=[], path=path, format=fmt, platform=platform)
    mismatches: list[int] = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = required - set(reader.fieldnames or ())
            if missing:
                raise CorpusError(f"{path}: not a {fmt} file, missing columns {sorted(missing)}")
            for number, row in enumerate(reader, start=1):
                try:
                    if None in row or None in row.values():
                        raise RowError("cell count differs from the header")
                    instance, agrees = _measured(row, number, *source_of(row))
                except RowError as exc:
                    record_skip(corpus, number, exc, strict)
                    continue
                corpus.instances.append(instance)
                if not agrees:
                    mismatches.append(number)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from None
    if mismatches:
        corpus.notes.append(f"{len(mismatches)} rows where oracle disagrees with "
                            f"runtime_cpu/runtime_gpu (labels follow the runtimes): rows {mismatches[:20]}")
    if not corpus.instances:
        raise CorpusError(f"{path}: no usable rows ({len(corpus.skipped)} skipped)")
    return corpus


def load_devmap(path: str | Path, *, strict: bool = False) -> Corpus:
    """The devmap benchmark CSV (e.g. ``cgo17-amd.csv``)."""
    path = Path(path)

    def source_of(row: Mapping[str, str]) -> tuple[str, str]:
        if not row["src"].strip():
            raise RowError("src is empty")
        return row["src"], f"{row['benchmark']}.cl"

    return _read_measured(path, path.stem, "devmap", DEVMAP_PLATFORM, _DEVMAP_COLUMNS, source_of, strict)


def _archive_kernels(archive: Path) -> dict[str, str]:
    """Every ``.cl`` file of a tar archive, by base name, read in memory."""
    kernels: dict[str, str] = {}
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.isfile() and member.name.endswith(".cl"):
                    data = tar.extractfile(member)
                    if data is not None:
                        kernels[PurePosixPath(member.name).name] = data.read().decode("utf-8", "replace")
    except (OSError, tarfile.TarError) as exc:
        raise CorpusError(f"cannot read kernel archive {archive}: {exc}") from None
    return kernels


def load_clgen(path: str | Path, *, archive: str | Path | None = None, strict: bool = False) -> Corpus:
    """The CLgen CSV (e.g. ``amd-clgen.csv``) with its kernel archive (default: beside it)."""
    path = Path(path)
    archive = Path(archive) if archive is not None else path.with_name(_CLGEN_ARCHIVE)
    if not archive.is_file():
        raise CorpusError(f"{path}: CLgen kernel archive not found: {archive}")
    kernels = _archive_kernels(archive)

    def source_of(row: Mapping[str, str]) -> tuple[str, str]:
        kernel = row["benchmark"].rpartition("-")[0] or row["benchmark"]
        if kernel not in kernels:
            raise RowError(f"kernel {kernel} not in {archive.name}")
        return kernels[kernel], kernel

    return _read_measured(path, path.stem, "clgen", CLGEN_PLATFORM, _CLGEN_COLUMNS, source_of, strict)


def detect_format(path: str | Path) -> str:
    """``devmap``, ``clgen`` or ``xapp``, from the file's columns."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        return "xapp"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            columns = set(next(csv.reader(handle), []))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorpusError(f"cannot read corpus {path}: {exc}") from None
    if _DEVMAP_COLUMNS <= columns:
        return "devmap"
    if _CLGEN_COLUMNS <= columns and "src" not in columns:
        return "clgen"
    return "xapp"


_LOADERS: dict[str, Callable[..., Corpus]] = {
    "xapp": load_xapp_corpus,
    "devmap": load_devmap,
    "clgen": load_clgen,
}


def load_corpus(path: str | Path, fmt: str = "auto", *, strict: bool = False, **options: Any) -> Corpus:
    """Load a labeled corpus; ``fmt="auto"`` recognises the public formats by their columns."""
    if fmt not in FORMATS:
        raise CorpusError(f"unknown corpus format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"corpus not found: {path}")
    if fmt == "auto":
        fmt = detect_format(path)
    return _LOADERS[fmt](path, strict=strict, **options)
