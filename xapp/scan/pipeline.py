"""A whole codebase, ranked by the probability that a GPU port beats a threshold: `scan(ScanOptions)`.

The steps, each in its own module: discovery (which files, which flags),
runner (parallel, crash-proof extraction, through the feature cache of
xapp.extraction; with --cluster on
Dask workers, xapp.scan.dask_stage), sizes across files (xapp.scan.codebase: a second
extraction of the files whose sizes other files fix), the model stage
(`Predictor.predict_many`, in this process), report (ranking, counts, exit
code), and one writer per format in xapp.reports (`render`). The `xapp scan`
command (flags, stderr lines) is xapp.cli.scan.
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..features import DEFAULT_MAX_BYTES, ParseOptions
from ..inputs import (InputWarning, check_request, diagnostics_warnings, no_sources_message, refuse_non_sources,
                      unique)
from ..extraction import DEFAULT_CACHE_DIR, FeatureCache
from ..isolation import DEFAULT_CPU_S, DEFAULT_MEMORY_MB, WorkerLimits
from .codebase import follow
from .discovery import discover
from .report import ScanReport
from .runner import ANALYSED_STATUSES, FileOutcome, extract_all

__all__ = ["ScanOptions", "scan", "predict_outcomes", "FORMATS", "render", "report_warnings"]

FORMATS = ("table", "json", "csv", "sarif", "html")
PREDICT_BATCH = 4096


@dataclass(frozen=True)
class ScanOptions:
    """Everything a scan is asked, as typed values (the CLI maps its flags onto these)."""

    paths: tuple[str, ...] = ()
    build_dir: str | None = None
    workers: int = 0                            # 0: one per CPU
    excludes: tuple[str, ...] = ()
    use_gitignore: bool = True
    follow_symlinks: bool = False               # enter symbolic links to directories (each directory once)
    trust_compile_db: bool = False              # let compile_commands.json name folders outside the tree
    parse: ParseOptions = field(default_factory=ParseOptions)
    threshold: float | None = None              # None: the model's lowest threshold
    top: int | None = None
    fail_on: float | None = None
    strict: bool = False
    hints: tuple[tuple[str, float], ...] = ()
    reasons: int = 3
    timeout: float | None = 60.0
    worker_memory: int | None = DEFAULT_MEMORY_MB   # MiB of address space per parser process (as xapp serve)
    worker_cpu: float | None = DEFAULT_CPU_S        # CPU seconds of one parse (as xapp serve); None: no limit
    max_bytes: int | None = DEFAULT_MAX_BYTES
    cache_dir: str | None = DEFAULT_CACHE_DIR   # the per-user cache; a directory; None: no cache
    progress: bool = False
    model: str | None = None                    # model bundle directory; None: the shipped model
    cluster: str | None = None                  # Dask: tcp://HOST:PORT of a scheduler, or local:N
    target: object = None                       # a targets.Target; None: the default target
    baseline: object = None                     # a targets.Baseline; None: the target's own, else the reference core


def scan(options: ScanOptions, predictor=None) -> ScanReport:
    """Discover, extract, predict, rank. Raises XappError only for what stops the whole scan.

    `predictor` (a loaded `Predictor`) overrides `options.model`, so callers can load a model once."""
    from ..predict import PredictOptions, Predictor     # loads XGBoost: only when a scan runs

    started = time.perf_counter()
    refuse_non_sources(options.paths, options.parse.language)
    targets = discover(options.paths, options.parse, build_dir=options.build_dir, excludes=options.excludes,
                       use_gitignore=options.use_gitignore, follow_symlinks=options.follow_symlinks,
                       trust_compile_db=options.trust_compile_db, time_limit=options.timeout)
    if not targets:
        raise InputError(no_sources_message(options.paths or [options.build_dir])
                         + "; --exclude and .gitignore (unless --no-gitignore) skip files too")
    cache = FeatureCache(options.cache_dir)
    cache.check()                           # an untrusted cache directory stops the scan before any work
    predictor = predictor or Predictor.from_path(options.model)
    model_t = predictor.bundle.thresholds
    threshold = options.threshold if options.threshold is not None else model_t[0]
    check_request(predictor.bundle, [threshold], options.hints)      # refused before any parse
    # P(>T) and every higher threshold; reasons explain the first of them, T.
    predict = PredictOptions(options.parse, options.hints, tuple(t for t in model_t if t >= threshold),
                             options.reasons, options.target, options.baseline)
    with _cluster(options.cluster) as session:
        def extract(chosen, progress=False):
            return extract_all(chosen, workers=options.workers or os.cpu_count() or 1, timeout=options.timeout,
                               cache=cache, max_bytes=options.max_bytes, progress=progress, cluster=session,
                               limits=WorkerLimits(options.worker_memory, options.worker_cpu))
        # a second pass, over the files that other files give sizes (xapp.scan.codebase)
        outcomes, linked = follow(targets, extract(targets, options.progress), extract)
    predictions = predict_outcomes(predictor, outcomes, predict)
    asked = {"paths": list(options.paths), "build_dir": options.build_dir, "excludes": list(options.excludes),
             "hints": dict(options.hints), "headers": options.parse.header_mode,
             "dropped_flags": {t.display: list(t.dropped_flags) for t in targets if t.dropped_flags},
             "sizes_across_files": linked}
    return ScanReport.build(predictor.model_summary(options.target, options.baseline), threshold, outcomes, predictions, top=options.top,
                            fail_on=options.fail_on, strict=options.strict,
                            seconds=time.perf_counter() - started, options=asked)


@contextlib.contextmanager
def _cluster(spec: str | None):
    """The Dask session of --cluster (its address and dashboard on stderr), or None for a local scan."""
    if not spec:
        yield None
        return
    from ..cluster import open_cluster

    with open_cluster(spec) as session:
        print(f"xapp scan: {session.describe()}", file=sys.stderr)
        yield session


def predict_outcomes(predictor, outcomes: Sequence[FileOutcome], options, batch: int = PREDICT_BATCH) -> dict:
    """{index: FilePrediction} for every analysed ('ok' or 'partial') outcome, through `Predictor.predict_many`, in batches of
    up to `batch` regions (each region's answer does not depend on the others in its batch)."""
    ok = [(i, o.features) for i, o in enumerate(outcomes)
          if o.status in ANALYSED_STATUSES and o.features is not None]   # a file analysed with its includer has none
    out: dict = {}
    for group in _batches(ok, batch):
        for (i, _), prediction in zip(group, predictor.predict_many([f for _, f in group], options)):
            out[i] = prediction
    return out


def _batches(items: list, size: int):
    """Consecutive groups of (index, FileFeatures) holding at most `size` regions (or one file)."""
    group, rows = [], 0
    for item in items:
        n = len(item[1].regions)
        if group and rows + n > size:
            yield group
            group, rows = [], 0
        group.append(item)
        rows += n
    if group:
        yield group


# ---- output -----------------------------------------------------------------------------------
def render(report: ScanReport, fmt: str, sarif_root: str | Path | None = None, width: int | None = None) -> str:
    """The report as text in one format; one writer module per format (`width`: the table's, None for no
    limit)."""
    from ..reports import csv_report, html_report, json_report, sarif_report, table_report

    if fmt == "table":
        return table_report.scan_table(report, width)
    if fmt == "json":
        return json_report.dumps(json_report.scan_document(report)
                                 | {"warnings": [w.as_dict() for w in report_warnings(report)]})
    if fmt == "csv":
        return csv_report.render(report)
    if fmt == "sarif":
        return json_report.dumps(sarif_report.sarif_log(report, root=sarif_root))
    if fmt == "html":
        return html_report.render(report)
    raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def report_warnings(report: ScanReport) -> list:
    """The input warnings of a scan (stubbed includes, header fallback), from each file's diagnostics."""
    headers = report.options.get("headers", "hermetic")
    found = [w for f in report.files
             for w in diagnostics_warnings(f.file, f.diagnostics, headers, Path(report.base_dir) / f.file)]
    found += [InputWarning(file, f"compile_commands.json flags outside the scanned tree not used: "
                                 f"{', '.join(flags)}", "pass --trust-compile-db if you trust the compile database, "
                                                        "or name the folders with -I")
              for file, flags in report.options.get("dropped_flags", {}).items()]
    return unique(found)
