"""`xapp scan`: the whole codebase, ranked by the probability that a GPU port beats a threshold.

    xapp scan PATH... [-p BUILD_DIR] [-j N] [--exclude GLOB] [--threshold T] [--top K]
              [--format table|json|csv|sarif|html] [-o FILE] [--fail-on PROB] [--strict]
              [--cluster tcp://HOST:PORT | local:N] [--quiet]

The steps, each in its own module: discovery (which files, which flags),
runner (parallel, crash-proof extraction, through the cache; with --cluster on
Dask workers, xapp.scan.cluster), the model stage
(`Predictor.predict_features`, in this process), report (ranking, counts, exit
code), and one writer per format in xapp.reports. Data goes to stdout or -o;
progress and messages to stderr.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import InputError, XappError
from ..features import DEFAULT_MAX_BYTES, ParseOptions
from ..inputs import check_hint_names, diagnostics_warnings, no_sources_message, refuse_non_sources, unique, \
    warning_lines
from .cache import DEFAULT_CACHE_DIR, FeatureCache
from .discovery import discover
from .report import EXIT_ERROR, ScanReport
from .runner import FileOutcome, extract_all

__all__ = ["ScanOptions", "scan", "predict_outcomes", "add_parser", "run", "main", "FORMATS", "render"]

FORMATS = ("table", "json", "csv", "sarif", "html")
PREDICT_BATCH = 4096
_SUFFIX_FORMAT = {".txt": "table", ".json": "json", ".csv": "csv", ".sarif": "sarif", ".html": "html",
                  ".htm": "html"}


@dataclass(frozen=True)
class ScanOptions:
    """Everything a scan is asked, as typed values (the CLI maps its flags onto these)."""

    paths: tuple[str, ...] = ()
    build_dir: str | None = None
    workers: int = 0                            # 0: one per CPU
    excludes: tuple[str, ...] = ()
    use_gitignore: bool = True
    follow_symlinks: bool = False               # enter symbolic links to directories (each directory once)
    parse: ParseOptions = field(default_factory=ParseOptions)
    threshold: float | None = None              # None: the model's lowest threshold
    top: int | None = None
    fail_on: float | None = None
    strict: bool = False
    hints: tuple[tuple[str, float], ...] = ()
    reasons: int = 3
    timeout: float | None = 60.0
    max_bytes: int | None = DEFAULT_MAX_BYTES
    cache_dir: str | None = DEFAULT_CACHE_DIR   # None: no cache
    progress: bool = False
    model: str | None = None                    # model bundle directory; None: the shipped model
    cluster: str | None = None                  # Dask: tcp://HOST:PORT of a scheduler, or local:N
    target: object = None                       # a targets.Target; None: the default target


def scan(options: ScanOptions, predictor=None) -> ScanReport:
    """Discover, extract, predict, rank. Raises XappError only for what stops the whole scan.

    `predictor` (a loaded `Predictor`) overrides `options.model`, so callers can load a model once."""
    from ..predict import PredictOptions, Predictor     # loads XGBoost: only when a scan runs

    started = time.perf_counter()
    refuse_non_sources(options.paths, options.parse.language)
    targets = discover(options.paths, options.parse, build_dir=options.build_dir, excludes=options.excludes,
                       use_gitignore=options.use_gitignore, follow_symlinks=options.follow_symlinks)
    if not targets:
        raise InputError(no_sources_message(options.paths or [options.build_dir])
                         + "; --exclude and .gitignore (unless --no-gitignore) skip files too")
    predictor = predictor or Predictor.from_path(options.model)
    model_t = predictor.bundle.thresholds
    threshold = options.threshold if options.threshold is not None else model_t[0]
    predictor.thresholds_for([threshold])               # an unknown threshold is refused before any parse
    check_hint_names(options.hints, predictor.bundle.hint_names)     # ... and a hint the model would ignore
    # P(>T) and every higher threshold; reasons explain the first of them, T.
    predict = PredictOptions(options.parse, options.hints, tuple(t for t in model_t if t >= threshold),
                             options.reasons, options.target)
    with _cluster(options.cluster) as session:
        outcomes = extract_all(targets, workers=options.workers or os.cpu_count() or 1, timeout=options.timeout,
                               cache=FeatureCache(options.cache_dir), max_bytes=options.max_bytes,
                               progress=options.progress, cluster=session)
    predictions = predict_outcomes(predictor, outcomes, predict)
    asked = {"paths": list(options.paths), "build_dir": options.build_dir, "excludes": list(options.excludes),
             "hints": dict(options.hints), "headers": options.parse.header_mode}
    return ScanReport.build(predictor.model_summary(options.target), threshold, outcomes, predictions, top=options.top,
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
    """{index: FilePrediction} for every 'ok' outcome, through `Predictor.predict_many`, in batches of
    up to `batch` regions (each region's answer does not depend on the others in its batch)."""
    ok = [(i, o.features) for i, o in enumerate(outcomes) if o.status == "ok"]
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
def render(report: ScanReport, fmt: str, sarif_root: str | Path | None = None) -> str:
    """The report as text in one format; one writer module per format."""
    from ..reports import csv_report, html_report, json_report, sarif, table

    if fmt == "table":
        return table.scan_table(report)
    if fmt == "json":
        return json_report.dumps(json_report.scan_document(report)
                                 | {"warnings": [w.as_dict() for w in report_warnings(report)]})
    if fmt == "csv":
        return csv_report.render(report)
    if fmt == "sarif":
        return json_report.dumps(sarif.sarif_log(report, root=sarif_root))
    if fmt == "html":
        return html_report.render(report)
    raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def report_warnings(report: ScanReport) -> list:
    """The input warnings of a scan (stubbed includes, header fallback), from each file's diagnostics."""
    headers = report.options.get("headers", "hermetic")
    found = [w for f in report.files
             for w in diagnostics_warnings(f.file, f.diagnostics, headers, Path(report.base_dir) / f.file)]
    return unique(found)


def fail_on_lines(report: ScanReport, shown: int = 10) -> list[str]:
    """What reached --fail-on, for stderr: the exit code 1 names its regions."""
    hits = report.fail_on_hits
    if not hits:
        return []
    lines = [f"xapp scan: --fail-on {report.fail_on:g}: {len(hits)} region{'s' if len(hits) > 1 else ''} reached "
             f"P(speed-up > {report.threshold:g}x) >= {report.fail_on:g}:"]
    lines += [f"  {r.file}:{r.line} {r.function} ({r.kind}): P={report.probability(r):.2f}" for r in hits[:shown]]
    if len(hits) > shown:
        lines.append(f"  ... and {len(hits) - shown} more")
    return lines


def _format_for(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        name = args.output.lower()
        if name.endswith(".sarif.json"):
            return "sarif"
        return _SUFFIX_FORMAT.get(Path(name).suffix, "table")
    return "table"


def _write(text: str, out_path: str | None) -> None:
    if not text.endswith("\n"):
        text += "\n"
    if out_path:
        try:
            Path(out_path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


# ---- command line -----------------------------------------------------------------------------
def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a probability between 0 and 1, got {text!r}")
    return value


def _positive(kind):
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value
    return convert


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return value


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register `scan` on the CLI's subparsers (xapp.cli)."""
    from ..cli import _add_parse_options, add_target_options   # late: xapp.cli imports this module

    p = subparsers.add_parser(
        "scan", help="rank every loop nest of a codebase by its chance to gain on a GPU",
        description="Scan a source tree (or the files of a compile_commands.json) in parallel, predict each "
                    "region's P(speed-up > T) and rank all regions of the codebase: which loops to port first. "
                    "Exit codes: 0 done; 1 a region reached --fail-on; 2 usage or internal error, or, with "
                    "--strict, a file that could not be analysed.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="source files or directories (default with -p: every file of the compile database)")
    p.add_argument("-p", dest="build_dir", metavar="BUILD_DIR",
                   help="read files and per-file flags from BUILD_DIR/compile_commands.json, as clang-tidy does")
    p.add_argument("-j", dest="jobs", type=_count, default=0, metavar="N",
                   help="worker processes (default 0: one per CPU)")
    p.add_argument("--exclude", dest="excludes", action="append", default=[], metavar="GLOB",
                   help="skip files and folders whose relative path or name matches GLOB (repeatable)")
    p.add_argument("--no-gitignore", dest="gitignore", action="store_false",
                   help="do not honour .gitignore files while walking directories")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="enter symbolic links to directories (each directory once, so link loops end); "
                        "without it they are reported as skipped")
    _add_parse_options(p)
    g = p.add_argument_group("model")
    g.add_argument("--model", metavar="DIR", help="model bundle directory (default: the shipped model)")
    g.add_argument("--threshold", type=float, metavar="T",
                   help="rank by P(speed-up > T) (default: the model's lowest threshold)")
    g.add_argument("--hint", dest="hints", action="append", default=[], metavar="NAME=VALUE",
                   help="a runtime fact applied to every region, e.g. wgsize=256")
    add_target_options(g)
    g.add_argument("--reasons", type=_count, default=3, metavar="K", help="reasons per region (default 3)")
    o = p.add_argument_group("output")
    o.add_argument("--format", choices=FORMATS,
                   help="output format (default: from the -o suffix .json/.csv/.sarif/.html, else table)")
    o.add_argument("-o", dest="output", metavar="FILE", help="write the report to FILE instead of stdout")
    o.add_argument("--top", type=_positive(int), metavar="K", help="report only the K best-ranked regions")
    o.add_argument("--fail-on", type=_probability, metavar="PROB",
                   help="exit 1 when a region's P(speed-up > T) reaches PROB")
    o.add_argument("--strict", action="store_true",
                   help="exit 2 when a file could not be analysed (parse error, crash, timeout, binary, ...)")
    o.add_argument("--sarif-root", metavar="DIR",
                   help="SARIF paths are relative to DIR (default: the current directory)")
    r = p.add_argument_group("execution")
    r.add_argument("--timeout", type=_positive(float), default=60.0, metavar="S",
                   help="per-file parse time limit in seconds (default 60)")
    r.add_argument("--max-bytes", type=_positive(int), default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"skip files larger than N bytes as too_large (default {DEFAULT_MAX_BYTES})")
    r.add_argument("--cache-dir", default=DEFAULT_CACHE_DIR, metavar="DIR",
                   help=f"feature cache directory (default {DEFAULT_CACHE_DIR}/ in the current directory)")
    r.add_argument("--no-cache", action="store_true", help="neither read nor write the feature cache")
    r.add_argument("--cluster", metavar="ADDRESS",
                   help="parse on a Dask cluster: tcp://HOST:PORT of a running scheduler, or local:N to start N "
                        "local worker processes (needs pip install 'xapp[dask]'); the cache stays here")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=run)
    return p


def options_from_args(args: argparse.Namespace) -> ScanOptions:
    from ..cli import parse_options, target_from_args
    from ..predict import parse_hint
    from ..progress import wanted

    return ScanOptions(
        paths=tuple(args.paths), build_dir=args.build_dir, workers=args.jobs, excludes=tuple(args.excludes),
        use_gitignore=args.gitignore, follow_symlinks=args.follow_symlinks, parse=parse_options(args), threshold=args.threshold, top=args.top,
        fail_on=args.fail_on, strict=args.strict, hints=tuple(parse_hint(h) for h in args.hints),
        reasons=args.reasons, timeout=args.timeout, max_bytes=args.max_bytes,
        cache_dir=None if args.no_cache else args.cache_dir, progress=wanted(args.quiet), model=args.model,
        cluster=args.cluster, target=target_from_args(args))


def run(args: argparse.Namespace) -> int:
    """`xapp scan`; returns the exit code (ScanReport.exit_code, or 2 on a usage or internal error)."""
    try:
        fmt = _format_for(args)
        options = options_from_args(args)
        report = scan(options)
        _write(render(report, fmt, args.sarif_root), args.output)
        if fmt != "json":           # JSON carries them in its `warnings`
            for line in warning_lines(report_warnings(report), prog="xapp scan"):
                print(line, file=sys.stderr)
        print(f"xapp scan: {report.summary()}", file=sys.stderr)
        for line in fail_on_lines(report):
            print(line, file=sys.stderr)
        if args.output:
            print(f"xapp scan: wrote {fmt} report to {args.output}", file=sys.stderr)
        return report.exit_code
    except XappError as exc:
        print(f"xapp: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:                 # an internal error is 2, never the 1 that --fail-on means
        print("xapp: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """`xapp scan ARGS` without the rest of the CLI (for tests and scripts)."""
    parser = argparse.ArgumentParser(prog="xapp")
    add_parser(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(["scan", *(sys.argv[1:] if argv is None else argv)])
    except SystemExit as exc:
        return int(exc.code or 0)
    return args.run(args)
