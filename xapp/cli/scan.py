"""`xapp scan`: flags, the report on stdout or -o, and the summary lines on stderr.

    xapp scan [PATH...] [-p BUILD_DIR] [-j N] [--exclude GLOB] [--threshold T] [--top K]
              [--format table|json|csv|sarif|html] [-o FILE] [--fail-on PROB] [--strict]
              [--cluster tcp://HOST:PORT | local:N] [--quiet]

The scan itself is the library's `xapp.scan.scan(ScanOptions)`; the exit code is its report's.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Sequence

from ..features import DEFAULT_MAX_BYTES
from ..inputs import warning_lines
from ..isolation import DEFAULT_CPU_S, DEFAULT_MEMORY_MB
from ..progress import wanted
from ..reports.escape import terminal
from ..scan import DEFAULT_CACHE_DIR, ScanOptions, ScanReport, render, scan
from ..scan.pipeline import FORMATS, report_warnings
from .options import add_hint_option, add_model_option, add_parse_options, add_quiet_option, add_target_options, \
    baseline_from_args, count, emit, hints_from, output_format, parse_options, table_width, positive, probability, target_from_args

__all__ = ["add_parser", "run", "main", "options_from_args", "fail_on_lines", "scanned_paths"]

def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "scan", help="rank every loop nest of a codebase by its chance to gain on a GPU",
        description="Scan a source tree (or the files of a compile_commands.json) in parallel, predict each "
                    "region's P(speed-up > T) and rank all regions of the codebase: which loops to port first. "
                    "Exit codes: 0 done; 1 a region reached --fail-on; 2 usage or internal error, or, with "
                    "--strict, a file that could not be analysed.")
    _add_input_arguments(p)
    add_parse_options(p)
    _add_model_arguments(p.add_argument_group("model"))
    _add_output_arguments(p.add_argument_group("output"))
    _add_execution_arguments(p.add_argument_group("execution"))
    p.set_defaults(run=run)
    return p


def _add_input_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="source files or directories (default: the current directory; with -p: every file of "
                        "the compile database)")
    p.add_argument("-p", dest="build_dir", metavar="BUILD_DIR",
                   help="read files and per-file flags from BUILD_DIR/compile_commands.json, as clang-tidy does")
    p.add_argument("-j", dest="jobs", type=count, default=0, metavar="N",
                   help="worker processes (default 0: one per CPU)")
    p.add_argument("--exclude", dest="excludes", action="append", default=[], metavar="GLOB",
                   help="skip files and folders whose relative path or name matches GLOB (repeatable)")
    p.add_argument("--no-gitignore", dest="gitignore", action="store_false",
                   help="do not honour .gitignore files while walking directories")
    p.add_argument("--trust-compile-db", action="store_true",
                   help="let compile_commands.json add include folders, -include/-imacros files and sources "
                        "outside the scanned tree, and the checkout's Makefile/CMakeLists.txt add -I folders "
                        "outside it (by default such flags are dropped with a warning)")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="enter symbolic links to directories (each directory once, so link loops end); "
                        "without it they are reported as skipped")


def _add_model_arguments(g) -> None:
    add_model_option(g)
    g.add_argument("--threshold", type=float, metavar="T",
                   help="rank by P(speed-up > T) (default: the model's lowest threshold)")
    add_hint_option(g, "a runtime fact applied to every region, e.g. wgsize=256")
    add_target_options(g)
    g.add_argument("--reasons", type=count, default=3, metavar="K", help="reasons per region (default 3)")


def _add_output_arguments(o) -> None:
    o.add_argument("--format", choices=FORMATS,
                   help="output format (default: from the -o suffix .json/.csv/.sarif/.html, else table)")
    o.add_argument("-o", dest="output", metavar="FILE", help="write the report to FILE instead of stdout")
    o.add_argument("--top", type=positive(int), metavar="K", help="report only the K best-ranked regions")
    o.add_argument("--fail-on", type=probability, metavar="PROB",
                   help="exit 1 when a region's P(speed-up > T) reaches PROB")
    o.add_argument("--strict", action="store_true",
                   help="exit 2 when a file could not be analysed (parse error, crash, timeout, binary, ...)")
    o.add_argument("--sarif-root", metavar="DIR",
                   help="SARIF paths are relative to DIR (default: the current directory)")


def _add_execution_arguments(r) -> None:
    r.add_argument("--timeout", type=positive(float), default=60.0, metavar="S",
                   help="per-file parse time limit in seconds (default 60)")
    r.add_argument("--worker-memory", type=_at_least(256, int), default=DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"address-space limit of each parser process, as for xapp serve; a file past it is "
                        f"'crashed' (default {DEFAULT_MEMORY_MB})")
    r.add_argument("--worker-cpu", type=_at_least(1, float), default=DEFAULT_CPU_S, metavar="S",
                   help=f"CPU seconds one file's parse may use, as for xapp serve; a file past it is 'crashed' "
                        f"(default {DEFAULT_CPU_S:g})")
    r.add_argument("--max-bytes", type=positive(int), default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"skip files larger than N bytes as too_large (default {DEFAULT_MAX_BYTES})")
    r.add_argument("--cache-dir", metavar="DIR",
                   help="feature cache directory (default: per user, $XDG_CACHE_HOME/xapp or ~/.cache/xapp); "
                        "refused when another user owns it or it holds a symbolic link")
    r.add_argument("--no-cache", action="store_true", help="neither read nor write the feature cache")
    r.add_argument("--cluster", metavar="ADDRESS",
                   help="parse on a Dask cluster: tcp://HOST:PORT of a running scheduler, or local:N to start N "
                        "local worker processes (needs pip install 'xapp-gpu[dask]'); the cache stays here")
    add_quiet_option(r)


def scanned_paths(args: argparse.Namespace) -> tuple[str, ...]:
    """The PATHs asked; none means the current directory, as for ruff or lizard (with -p, the database's files)."""
    return tuple(args.paths) or (() if args.build_dir else (".",))


def options_from_args(args: argparse.Namespace) -> ScanOptions:
    return ScanOptions(
        paths=scanned_paths(args), build_dir=args.build_dir, workers=args.jobs, excludes=tuple(args.excludes),
        use_gitignore=args.gitignore, follow_symlinks=args.follow_symlinks, parse=parse_options(args),
        trust_compile_db=args.trust_compile_db,
        threshold=args.threshold, top=args.top, fail_on=args.fail_on, strict=args.strict, hints=hints_from(args),
        reasons=args.reasons, timeout=args.timeout, max_bytes=args.max_bytes,
        worker_memory=args.worker_memory, worker_cpu=args.worker_cpu,
        cache_dir=_cache_dir(args), progress=wanted(args.quiet), model=args.model,
        cluster=args.cluster, target=target_from_args(args),
        baseline=baseline_from_args(args, target_from_args(args)))


def _at_least(low: float, kind: type):
    """An argparse type: a finite number of `kind` no smaller than `low`."""
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
        if not (value >= low and math.isfinite(value)):
            raise argparse.ArgumentTypeError(f"must be at least {low:g}, not {text}")
        return value
    return convert


def _cache_dir(args: argparse.Namespace) -> str | None:
    if args.no_cache:
        return None
    return str(Path(args.cache_dir).absolute()) if args.cache_dir else DEFAULT_CACHE_DIR


def run(args: argparse.Namespace) -> int:
    """`xapp scan`; returns the report's exit code (errors are mapped by xapp.cli.exits)."""
    fmt = output_format(args.format, args.output, FORMATS)
    report = scan(options_from_args(args))
    emit(render(report, fmt, args.sarif_root, table_width(args.output)), args.output)
    _say(report, fmt, args.output)
    return report.exit_code


def _say(report: ScanReport, fmt: str, output: str | None) -> None:
    """The lines for stderr: input warnings (JSON carries them in `warnings`), summary, --fail-on hits."""
    lines = warning_lines(report_warnings(report), prog="xapp scan") if fmt != "json" else []
    lines += [f"xapp scan: {report.summary()}", *fail_on_lines(report)]
    if output:
        lines.append(f"xapp scan: wrote {fmt} report to {output}")
    for line in lines:
        print(terminal(line), file=sys.stderr)      # a name's escape sequences and newlines, shown, not obeyed


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


def main(argv: Sequence[str] | None = None) -> int:
    """`xapp scan ARGS` (for tests and scripts): the same parser and exit mapping as `xapp`."""
    from . import main as xapp_main
    return xapp_main(["scan", *(sys.argv[1:] if argv is None else argv)])
