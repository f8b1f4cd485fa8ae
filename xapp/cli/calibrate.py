"""`xapp calibrate`: measure this machine's core and write a baseline file for --baseline FILE."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .exits import EXIT_OK
from .options import emit

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser("calibrate", help="measure this machine's CPU core and write a baseline file",
                       description="Compile a small C probe with the system C compiler (-O3 -march=native; CC "
                                   "picks another), run it with a time limit and write a CPU baseline: triad "
                                   "bandwidth at working sets from L1 to DRAM, at the same working sets the latency of a "
                                   "dependent load and the cost of independent misses, scalar and SIMD floating-point "
                                   "rates, the latency of a dependent add, multiply, division, square root and "
                                   "integer add, exp and division costs, each the best of 25 short trials. "
                                   "Predict and scan take the file with --baseline FILE. Without a C compiler "
                                   "nothing is measured and the command says so (exit 2).")
    p.add_argument("--out", metavar="FILE", help="write the baseline TOML here (default: print it)")
    p.add_argument("--name", help="the baseline's name (default: calibrated-HOSTNAME)")
    p.add_argument("--timeout", type=float, default=300.0, metavar="S", help="time limit of each probe run")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..calibrate import baseline_toml, measure
    from ..targets import load_baseline_file

    text = baseline_toml(measure(limit=args.timeout), args.name)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        baseline = load_baseline_file(args.out)          # what --baseline FILE will read
        print(f"xapp calibrate: wrote {args.out} ({baseline.cpu.name}: DRAM {baseline.cpu.memory_bandwidth_gbs:.3g} "
              f"GB/s, L1 {baseline.cpu.l1_gbs:.3g} GB/s, fp64 SIMD {baseline.cpu.fp64_simd_flops_per_cycle:.3g} "
              f"GFLOP/s)", file=sys.stderr)
    else:
        emit(text.rstrip("\n"))
    return EXIT_OK
