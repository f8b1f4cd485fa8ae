"""Sizes across translation units: how many regions of multi-file programs gain a size in a scan.

A benchmark, not a test: it prints figures. Scans of the same programs, in this process, no cache,
the model loaded once, each kind --repeat times, alternating (the median time printed): with the
codebase pass off (each file analysed alone, as before xapp.scan.codebase) and on. For each: regions
with known sizes (the estimate can price them), candidates whose sizes stay unknown, the scan time;
then the regions that gained a size, with where it came from, the second pass's rounds and
re-extracted files, and the unknown sizes whose reason names another file.

Corpus: by default the HeCBench OpenMP programs of ../shared/data/hecbench-omp with two or more C/C++
source files (`--min-files`), each scanned as a folder of one tree; `--tree DIR ...` names folders.

    python bench/sizes_across_files.py [--tree DIR ...] [--min-files 2] [-j 2] [--repeat 2]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

from xapp.scan import ScanOptions, pipeline, scan

HECBENCH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "hecbench-omp"
SOURCES = {".c", ".cc", ".cpp", ".cxx"}


def programs(root: Path, min_files: int) -> list[Path]:
    """OpenMP program folders of the suite with at least `min_files` sources."""
    out = []
    for d in sorted(root.glob("*-omp")):
        if sum(1 for p in d.rglob("*") if p.suffix in SOURCES and p.is_file()) >= min_files:
            out.append(d)
    return out


@contextlib.contextmanager
def codebase_pass(on: bool):
    """The scan as it was before the codebase pass (each file alone) when `on` is False."""
    if on:
        yield
        return
    saved = pipeline.follow
    pipeline.follow = lambda targets, outcomes, extract: (outcomes, {})
    try:
        yield
    finally:
        pipeline.follow = saved


def regions(report) -> list:
    return [*report.ranked, *report.not_offloadable]


def sized(r) -> bool:
    """The region's sizes are known: the estimate (or the CPU-only time) is priced."""
    return bool(r.estimate) and r.estimate.get("cpu_seconds") is not None


def timed(on: bool, paths: list[str], jobs: int, predictor):
    with codebase_pass(on):
        started = time.perf_counter()
        report = scan(ScanOptions(paths=tuple(paths), workers=jobs, cache_dir=None), predictor)
        return report, time.perf_counter() - started


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", nargs="+", help="program folders (default: multi-file HeCBench OpenMP programs)")
    ap.add_argument("--min-files", type=int, default=2)
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="scans of each kind; their median time is printed")
    args = ap.parse_args(argv)
    from xapp.predict import Predictor

    folders = [Path(p) for p in args.tree] if args.tree else programs(HECBENCH, args.min_files)
    root = Path(os.path.commonpath([f.resolve() for f in folders])) if len(folders) > 1 else folders[0].parent
    os.chdir(root)
    paths = [os.path.relpath(f.resolve(), root) for f in folders]
    predictor = Predictor.from_path(None)
    times: dict[bool, list[float]] = {False: [], True: []}
    reports = {}
    for k in range(args.repeat):            # off, on, on, off, ...: a warming machine favours neither
        for on in ((False, True) if k % 2 == 0 else (True, False)):
            reports[on], seconds = timed(on, paths, args.jobs, predictor)
            times[on].append(seconds)
    (before, t0), (after, t1) = [(reports[on], statistics.median(times[on])) for on in (False, True)]
    print(f"{len(paths)} programs, {before.counts['files']} files under {root}; -j {args.jobs}")
    for name, report, seconds in (("each file alone", before, t0), ("across files", after, t1)):
        rs = regions(report)
        unknown = sum(1 for r in rs if r.size_unknown)
        print(f"{name:>16}: {sum(map(sized, rs))} of {len(rs)} regions sized "
              f"({sum(1 for r in rs if r.offloadable and sized(r))} of {sum(r.offloadable for r in rs)} "
              f"candidates), {unknown} candidates with sizes unknown; scan {seconds:.1f} s (median of {args.repeat})")
    print(f"second pass (its own time within the scan): {after.options.get('sizes_across_files')}")
    old = {(r.file, r.line): sized(r) for r in regions(before)}
    for r in regions(after):
        if sized(r) and not old.get((r.file, r.line), False):
            print(f"  gained: {r.file}:{r.line} {r.function}: "
                  + ", ".join(f"{n} = {t}" for n, t in r.size_sources.items()))
    still = [r for r in regions(after) if r.size_unknown and any("; " in o for o in r.size_unknown["names"].values())]
    for r in still:
        print(f"  unknown: {r.file}:{r.line} {r.function}: {r.size_unknown['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
