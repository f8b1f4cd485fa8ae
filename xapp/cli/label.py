"""`xapp label`: measure serial code against its port and write a corpus (argument handling; the work is xapp.labels)."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..errors import InputError
from .exits import EXIT_FAILED, EXIT_OK

__all__ = ["add_parser", "run"]


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(filter(None, (part.strip() for part in (text or "").split(","))))


def _report(summary) -> int:
    from ..labels.runner import headline
    for item in summary.left_out:
        print(f"left out: {item['id']}: {item['status']}: {headline(item['reason'])}", file=sys.stderr)
    print(f"{summary.rows} labelled rows in {summary.corpus}, {len(summary.left_out)} left out; "
          f"log of every run in {summary.log}", file=sys.stderr)
    return EXIT_OK if summary.rows else EXIT_FAILED


def _measure(args: argparse.Namespace) -> int:
    from ..labels.ingest import write_corpus
    from ..labels.manifest import load_manifest
    from ..labels.plan import Selection, build_plan, resolve_sources, write_plan
    from ..labels.runner import print_progress, run_plan

    manifest = load_manifest(args.manifest)
    sources = resolve_sources(manifest, args.sources)
    selection = Selection(sizes=_names(args.sizes), programs=_names(args.programs), repetitions=args.repetitions,
                          warmup=args.warmup, timeout=args.timeout)
    plan = build_plan(manifest, sources, selection)
    if args.plan_only:
        script = write_plan(plan, args.out)
        print(f"plan of {len(plan['jobs'])} jobs in {args.out}; copy it with {script} and the sources, then run: "
              f"python3 runner.py {Path(args.out).name} --out results.json [--sources DIR]", file=sys.stderr)
        return EXIT_OK
    _check_corpus_path(args.out)
    with tempfile.TemporaryDirectory(prefix="xapp-label-") as scratch:
        work = Path(args.work) if args.work else Path(scratch)
        results = run_plan(plan, work, jobs=args.jobs, progress=print_progress, deadline=args.deadline)
        return _report(write_corpus(results, args.out, log=args.log))


def _check_corpus_path(out: str) -> None:
    if Path(out).suffix.lower() != ".csv":
        raise InputError(f"{out}: the corpus is written as CSV; give a .csv path")


def _ingest(args: argparse.Namespace) -> int:
    from ..labels.ingest import load_results, write_corpus

    _check_corpus_path(args.out)
    return _report(write_corpus(load_results(args.ingest), args.out, sources=args.sources, log=args.log))


def _generate(args: argparse.Namespace) -> int:
    from ..labels.generate import generate

    written = generate(_names(args.generate), Path(args.out), count=args.count, seed=args.seed)
    print(f"{written.pairs} serial/port pairs in {written.folder}; manifest {written.manifest}", file=sys.stderr)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    modes = [bool(args.manifest), bool(args.ingest), bool(args.generate)]
    if sum(modes) != 1:
        raise InputError("give exactly one of: a MANIFEST, --ingest RESULTS or --generate FAMILY")
    if args.ingest:
        return _ingest(args)
    if args.generate:
        return _generate(args)
    return _measure(args)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "label", help="measure serial code against its port and write a labelled corpus",
        description="Build, time and verify each program of a manifest (serial baseline vs port), and write "
                    "a corpus that `xapp train` and `xapp evaluate` read, plus a JSON log of every run. "
                    "Split: --plan-only writes a plan and a standalone runner for a machine without xapp; "
                    "--ingest turns that runner's results into the corpus.")
    p.add_argument("manifest", nargs="?", metavar="MANIFEST", help="label manifest (TOML)")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="corpus CSV (with --plan-only: the plan JSON; with --generate: a folder)")
    p.add_argument("--sources", metavar="DIR", help="source root (default: the manifest's, when it exists)")
    p.add_argument("--sizes", metavar="A,B", help="only these sizes (e.g. mini)")
    p.add_argument("--programs", metavar="A,B", help="only these programs")
    p.add_argument("--repetitions", type=int, metavar="N", help="timed runs per side (default: the manifest's)")
    p.add_argument("--warmup", type=int, metavar="N", help="untimed runs first (default: the manifest's)")
    p.add_argument("--timeout", type=float, metavar="S", help="per-run time limit (default: the manifest's)")
    p.add_argument("--jobs", type=int, default=1, help="programs measured at once (default 1: clean timings; exclusive runs never overlap)")
    p.add_argument("--deadline", type=float, metavar="S", help="start no job after S seconds; the rest are "
                                                              "listed as not run")
    p.add_argument("--work", metavar="DIR", help="keep builds and outputs here (default: a temporary folder)")
    p.add_argument("--log", metavar="PATH", help="JSON log of every run (default: CORPUS.log.json)")
    p.add_argument("--plan-only", action="store_true", help="write the plan and runner.py; measure nothing")
    p.add_argument("--ingest", metavar="RESULTS", help="turn a runner's results file into the corpus")
    p.add_argument("--generate", metavar="FAMILY", help="write serial/CUDA pairs of these families "
                                                        "(map, stencil, reduction, matmul, gather, branchy, or all)")
    p.add_argument("--count", type=int, default=None, metavar="N", help="pairs per family (--generate)")
    p.add_argument("--seed", type=int, default=0, help="generator seed (--generate)")
    p.set_defaults(run=run)
