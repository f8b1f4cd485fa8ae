"""Grounding the CPU side of the estimate: predicted `cpu_seconds` against serial PolyBench-ACC runs.

The serial builds of the shipped OpenMP manifest (data/labels/polybench-openmp.toml: the programs,
their directories and kernel functions; no -fopenmp, so the pragmas are ignored) are compiled here
with `cc -O3 -march=native` at two or more dataset sizes and timed: the kernel call only, on the
process CPU-time clock (CLOCK_PROCESS_CPUTIME_ID: on a shared, loaded machine the wall clock counts
the time other processes run), the minimum of --reps runs. The prediction: every region of the
kernel function, summed, on the baseline given with --baseline (a file from `xapp calibrate` on this
same machine). Printed: one row per program and size, the median |log2(predicted / measured)| and
the share within 3x (and 1.5x). Not a test: it prints figures.

    python bench/cpu_grounding.py --baseline cal.toml [--sizes SMALL_DATASET STANDARD_DATASET] [--reps 3]

The suite is read from ../shared/data/polybench-acc (or --sources), never copied.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "data" / "labels" / "polybench-openmp.toml"
DEFAULT_SOURCES = ROOT.parent / "shared" / "data" / "polybench-acc"

# The kernel call timed on the process's own CPU clock (replaces PolyBench's timer functions).
TIMER = r"""
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>
static struct timespec t0, t1;
void polybench_timer_start(void) { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0); }
void polybench_timer_stop(void) { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1); }
void polybench_timer_print(void)
{
  printf("xapp-time: %.9f\n", (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
}
"""
FLAGS = ["-O3", "-march=native"]


def programs(manifest: Path) -> list[dict]:
    return tomllib.loads(manifest.read_text())["program"]


def build(src: Path, prog: dict, size: str, work: Path) -> Path:
    util = src / "OpenMP" / "utilities"
    (work / "timer.c").write_text(TIMER)
    out = work / f"{prog['name']}-{size}"
    steps = [
        ["cc", *FLAGS, "-c", str(work / "timer.c"), "-o", str(work / "timer.o")],
        ["cc", *FLAGS, f"-I{util}", "-DPOLYBENCH_TIME", "-Dpolybench_timer_start=pb_unused_start",
         "-Dpolybench_timer_stop=pb_unused_stop", "-Dpolybench_timer_print=pb_unused_print",
         "-c", str(util / "polybench.c"), "-o", str(work / "polybench.o")],
        ["cc", *FLAGS, f"-I{util}", f"-I{src / prog['dir']}", "-DPOLYBENCH_TIME", f"-D{size}",
         str(src / prog["dir"] / f"{prog['name']}.c"), str(work / "polybench.o"), str(work / "timer.o"),
         "-o", str(out), "-lm"],
    ]
    for cmd in steps:
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    return out


def measure(binary: Path, reps: int, timeout: float) -> float | None:
    best = None
    for _ in range(reps):
        try:
            done = subprocess.run([str(binary)], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            print(f"  {binary.name}: ran past {timeout:.0f} s", flush=True)
            return None
        if done.returncode != 0:
            print(f"  {binary.name}: exit status {done.returncode}", flush=True)
            return None
        for line in done.stdout.splitlines():
            if line.startswith("xapp-time:"):
                t = float(line.split()[1])
                best = t if best is None else min(best, t)
    return best


def predicted(src: Path, prog: dict, size: str, baseline) -> tuple[float | None, str]:
    from xapp.estimate import region_cpu_seconds
    from xapp.features import ParseOptions, extract_source

    path = src / prog["dir"] / f"{prog['name']}.c"
    options = ParseOptions(defines=((size, None), ("POLYBENCH_TIME", None)),
                           include_dirs=(str(src / "OpenMP" / "utilities"), str(src / prog["dir"])))
    regions = [r for r in extract_source(path.read_text(), str(path), options).regions
               if r.function == prog["function"]]
    if not regions:
        return None, "no region in the kernel function"
    seconds = [region_cpu_seconds(r.workload, baseline) for r in regions]
    if None in seconds:
        return None, f"{seconds.count(None)} of {len(seconds)} regions without known sizes"
    return sum(seconds), ""


def _earlier_times(path: Path) -> dict[tuple[str, str], float]:
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^(\S+)\s+(\S+_DATASET)\s+predicted\s+\S+ s\s+measured\s+(\S+) s", line)
        if m:
            out[(m.group(1), m.group(2))] = float(m.group(3))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", required=True, help="baseline NAME or FILE (from `xapp calibrate`)")
    ap.add_argument("--sizes", nargs="+", default=["SMALL_DATASET", "STANDARD_DATASET"])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    ap.add_argument("--only", nargs="*", help="program names (default: all of the manifest)")
    ap.add_argument("--skip", nargs="*", default=[], help="program names to leave out")
    ap.add_argument("--times", type=Path, help="reuse the measured times of an earlier run's output (its "
                                               "'measured' column): predict again without timing again")
    args = ap.parse_args(argv)

    from xapp.targets import get_baseline

    baseline = get_baseline(args.baseline)
    print(f"baseline: {baseline.name} ({baseline.measured or baseline.description})")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start; "
          f"serial runs timed on the process CPU clock, min of {args.reps}")
    rows, skipped = [], []
    earlier = _earlier_times(args.times) if args.times else {}
    with tempfile.TemporaryDirectory(prefix="xapp-grounding-") as tmp:
        for prog in programs(MANIFEST):
            if (args.only and prog["name"] not in args.only) or prog["name"] in args.skip:
                skipped += [f"{prog['name']}: left out (--skip)"] if prog["name"] in args.skip else []
                continue
            for size in args.sizes:
                guess, why = predicted(args.sources, prog, size, baseline)
                if guess is None:
                    skipped.append(f"{prog['name']} {size}: {why}")
                    continue
                if args.times:
                    seconds = earlier.get((prog["name"], size))
                    if seconds is None:
                        skipped.append(f"{prog['name']} {size}: not in {args.times}")
                        continue
                try:
                    if not args.times:
                        seconds = measure(build(args.sources, prog, size, Path(tmp)), args.reps, args.timeout)
                except subprocess.CalledProcessError as exc:
                    skipped.append(f"{prog['name']} {size}: build failed ({exc.stderr.decode()[:120]!r})")
                    continue
                if not seconds:
                    skipped.append(f"{prog['name']} {size}: no time (timeout or no timer line)")
                    continue
                ratio = guess / seconds
                rows.append((prog["name"], size, guess, seconds, ratio))
                print(f"{prog['name']:18s} {size:18s} predicted {guess:10.4g} s  measured {seconds:10.4g} s  "
                      f"ratio {ratio:7.3g}", flush=True)
    for line in skipped:
        print(f"skipped: {line}")
    if not rows:
        print("no program measured")
        return 1
    errors = [abs(math.log2(r[4])) for r in rows]
    within3 = sum(e <= math.log2(3) for e in errors) / len(errors)
    within15 = sum(e <= math.log2(1.5) for e in errors) / len(errors)
    under = sum(r[4] < 1 for r in rows)
    print(f"{len(rows)} program-sizes: median |log2(predicted/measured)| = {statistics.median(errors):.3f} "
          f"(a factor of {2 ** statistics.median(errors):.2f}); within 3x: {within3:.0%}; within 1.5x: {within15:.0%}; "
          f"under-predicted: {under}, over-predicted: {len(rows) - under}")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
