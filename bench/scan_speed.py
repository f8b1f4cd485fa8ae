"""`xapp scan` speed: files per second, and scan wall time / bare libclang parse time at the same -j.

A benchmark, not a test: it prints figures. Three timings over the same files,
each the median of --repeat runs, all in this process with the model loaded
once beforehand (its load time is printed apart):

* bare parse: `xapp.frontend.parse.parse` of every file (read, decode, parse
  with the file's own flags) in N fresh worker processes, nothing else;
* cold scan: `xapp.scan.scan` (discovery, isolated parallel extraction, model,
  ranking) plus the JSON report, into an empty cache directory;
* cached rescan: the same scan again over the cache the cold scan filled.

With --cluster, also the cold scan on a Dask `local:N` cluster of N worker
processes on this machine (started once; its start time printed apart), next
to the local -j N cold scan, plus the two costs a scaling plan needs: the mean
parse time per file (on the workers) and the round trip of one task through
the scheduler (an empty batch function, timed over --tasks tasks).

Corpus: a directory tree (`--tree DIR`, walked as `xapp scan DIR` walks it) or a
compile database (`-p BUILD_DIR`), or, by default, the distinct OpenCL kernels
of the devmap CSV written as a suite/program/kernel.cl tree under /tmp.

    python bench/scan_speed.py [-p BUILD_DIR | --tree DIR | --devmap CSV] [-j 2] [--repeat 3] [--model DIR]
                               [--cluster] [--tasks 200]
"""
from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from xapp.features import decode_source
from xapp.reports import json_report
from xapp.scan import ScanOptions, discover, scan

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "devmap" / "cgo17-amd.csv"


def devmap_tree(csv_path: Path, out: Path) -> Path:
    """The distinct kernels of the devmap CSV as out/<suite>/<program>/<kernel>.cl."""
    csv.field_size_limit(1 << 24)
    seen = set()
    with open(csv_path, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["src"] in seen:
                continue
            seen.add(row["src"])
            parts = row["benchmark"].rsplit("-", 2)
            suite, program, kernel = (parts if len(parts) == 3 else ["misc", "misc", row["benchmark"]])
            d = out / suite / re.sub(r"[^\w.-]", "_", program)
            d.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]", "_", kernel)
            path, n = d / f"{name}.cl", 1
            while path.exists():
                n += 1
                path = d / f"{name}_{n}.cl"
            path.write_text(row["src"])
    return out


def _bare_parse(path: str, options) -> bool:
    from xapp.frontend.parse import parse
    try:
        text = decode_source(Path(path).read_bytes(), path)
        parse(text, path, options)
        return True
    except Exception:
        return False


def bare_parse(targets, workers: int) -> tuple[float, int]:
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                      else "spawn")
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        ok = sum(pool.map(_bare_parse, [str(t.path) for t in targets], [t.options for t in targets],
                          chunksize=1))
    return time.perf_counter() - started, ok


def timed_scan(options: ScanOptions, predictor) -> tuple[float, object]:
    started = time.perf_counter()
    report = scan(options, predictor)
    json_report.dumps(json_report.scan_document(report))
    return time.perf_counter() - started, report


def _noop(item):
    return item


def task_round_trip(session, tasks: int) -> float:
    """Seconds per task for `tasks` one-item batches of a function that does nothing."""
    from xapp.cluster import map_batches

    started = time.perf_counter()
    map_batches(session, _noop, list(range(tasks)), done=lambda i, r: None, lost=lambda item, why: None, batch=1)
    return (time.perf_counter() - started) / tasks


def cluster_figures(paths, build, jobs: int, repeat: int, tasks: int, predictor) -> None:
    """Local -j N against a local:N Dask cluster, cold cache both, interleaved; then per-file and per-task costs."""
    from xapp.cluster import batches, open_cluster

    t0 = time.perf_counter()
    with open_cluster(f"local:{jobs}") as session:
        start = time.perf_counter() - t0
        local, remote, report = [], [], None
        for _ in range(repeat):
            options = ScanOptions(paths=paths, build_dir=build, workers=jobs, cache_dir=None)
            local.append(timed_scan(options, predictor)[0])
            t, report = timed_scan(ScanOptions(paths=paths, build_dir=build, workers=jobs, cache_dir=None,
                                               cluster=session.address), predictor)
            remote.append(t)
        per_task = task_round_trip(session, tasks)
    parsed = [f.seconds for f in report.files if f.status == "ok"]
    files = [Path(f.file) for f in report.files if f.status == "ok"]
    n, per_file = len(report.files), statistics.mean(parsed)
    sizes = [len(g) for g in batches([float(f.stat().st_size) for f in files], jobs)]
    l, r = statistics.median(local), statistics.median(remote)
    print(f"\nDask local:{jobs} (started once in {start:.1f} s, not in the figures) against local -j {jobs}, "
          f"cold cache, median of {repeat}:")
    print("| run | wall time (s) | files/s |")
    print("|---|---:|---:|")
    print(f"| xapp scan -j {jobs} | {l:.2f} | {n / l:.1f} |")
    print(f"| xapp scan --cluster local:{jobs} | {r:.2f} | {n / r:.1f} |")
    print(f"cluster throughput / local: {l / r:.2f}")
    print(f"per-file parse (mean over {len(parsed)} parsed files, on a worker): {per_file * 1000:.1f} ms")
    print(f"per-task round trip through the scheduler ({tasks} empty tasks): {per_task * 1000:.2f} ms")
    mean_batch = len(parsed) / len(sizes)
    print(f"batches of this scan: {len(sizes)} tasks of {sizes[0]} down to {sizes[-1]} files (mean {mean_batch:.1f}), "
          f"so scheduling costs {per_task / (mean_batch * per_file):.1%} of a task's work on average")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("-p", dest="build_dir", help="compile database directory")
    src.add_argument("--tree", help="directory to walk")
    src.add_argument("--devmap", default=str(DEFAULT_CSV), help="devmap CSV whose kernels form the corpus")
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", help="model bundle (default: the shipped one)")
    ap.add_argument("--cluster", action="store_true", help="also time a Dask local:N cluster (N = -j)")
    ap.add_argument("--tasks", type=int, default=200, help="empty tasks timed for the per-task cost")
    ap.add_argument("--cluster-only", action="store_true", help="only the cluster comparison")
    args = ap.parse_args(argv)

    from xapp.predict import Predictor
    t0 = time.perf_counter()
    predictor = Predictor.from_path(args.model)
    model_load = time.perf_counter() - t0

    tmp = Path(tempfile.mkdtemp(prefix="xapp-scan-bench-"))
    try:
        if args.build_dir:
            paths, build, corpus = (), args.build_dir, f"compile database {args.build_dir}"
        elif args.tree:
            paths, build, corpus = (args.tree,), None, f"tree {args.tree}"
        else:
            tree = devmap_tree(Path(args.devmap), tmp / "devmap")
            paths, build, corpus = (str(tree),), None, f"devmap kernels ({args.devmap})"
        base = ScanOptions(paths=paths, build_dir=build, workers=args.jobs)
        targets = discover(base.paths, base.parse, build_dir=base.build_dir)
        size = sum(t.path.stat().st_size for t in targets if t.path.exists())
        if args.cluster_only:
            print(f"corpus: {corpus}: {len(targets)} files, {size / 1024:.0f} KiB; {os.cpu_count()} CPUs")
            cluster_figures(paths, build, args.jobs, args.repeat, args.tasks, predictor)
            return 0

        bare, cold, cached = [], [], []
        report = None
        for i in range(args.repeat):
            b, parsed = bare_parse(targets, args.jobs)
            bare.append(b)
            cache = tmp / f"cache{i}"
            options = ScanOptions(paths=paths, build_dir=build, workers=args.jobs, cache_dir=str(cache))
            c, report = timed_scan(options, predictor)
            cold.append(c)
            w, _ = timed_scan(options, predictor)
            cached.append(w)
            shutil.rmtree(cache, ignore_errors=True)
        b, c, w = (statistics.median(x) for x in (bare, cold, cached))
        n = len(targets)
        counts = report.counts
        print(f"corpus: {corpus}: {n} files, {size / 1024:.0f} KiB; -j {args.jobs}; median of {args.repeat}; "
              f"{os.cpu_count()} CPUs")
        print(f"scan result: {counts['ok']} ok, {counts['failed']} not analysed, {counts['candidates']} GPU "
              f"candidates, {counts['not_offloadable']} not offloadable; bare parse succeeded on {parsed}")
        print(f"model load (once, not in the figures below): {model_load:.2f} s")
        print("| run | wall time (s) | files/s | wall / bare parse |")
        print("|---|---:|---:|---:|")
        for name, t in (("bare libclang parse", b), ("xapp scan, cold cache", c), ("xapp scan, cached rescan", w)):
            print(f"| {name} | {t:.2f} | {n / t:.1f} | {t / b:.2f} |")
        if args.cluster:
            cluster_figures(paths, build, args.jobs, args.repeat, args.tasks, predictor)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
