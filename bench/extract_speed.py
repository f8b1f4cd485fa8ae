"""Extraction speed: files per second, and (parse + extraction) / bare libclang parse.

Corpus: the distinct OpenCL kernel sources in the `src` column of the devmap CSV
(../shared/data/devmap/cgo17-amd.csv), or any files given with --files.
Both timings run in this one process, file by file and side by side, so the ratio
is not thrown off by machine noise between runs. Not a test: it prints figures.

    python bench/extract_speed.py [--csv PATH] [--repeat 3] [--files F ...]
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

from xapp.features import ParseOptions, extract_source
from xapp.frontend.parse import parse

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "devmap" / "cgo17-amd.csv"


def corpus(args) -> list[tuple[str, str]]:
    if args.files:
        return [(f, Path(f).read_text()) for f in args.files]
    csv.field_size_limit(1 << 24)
    with open(args.csv, newline="") as fh:
        sources = dict.fromkeys(row["src"] for row in csv.DictReader(fh))
    return [(f"kernel{i}.cl", src) for i, src in enumerate(sources)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", default=str(DEFAULT_CSV))
    ap.add_argument("--files", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    files = corpus(args)
    opts = ParseOptions()
    for name, text in files[:5]:          # warm up: library load, stub headers in the page cache
        extract_source(text, name, opts)
    ratios, parse_total, full_total, failed = [], 0.0, 0.0, 0
    for _ in range(args.repeat):
        p_sum = f_sum = 0.0
        for name, text in files:
            t0 = time.perf_counter()
            try:
                parse(text, name, opts)
            except Exception:
                failed += 1
                continue
            t1 = time.perf_counter()
            extract_source(text, name, opts)
            t2 = time.perf_counter()
            p_sum += t1 - t0
            f_sum += t2 - t1
        ratios.append(f_sum / p_sum)
        parse_total += p_sum
        full_total += f_sum
    n = len(files) * args.repeat
    print(f"files: {len(files)} (x{args.repeat} passes), parse failures: {failed // args.repeat}")
    print(f"bare libclang parse:      {parse_total / n * 1000:.2f} ms/file")
    print(f"parse + extraction:       {full_total / n * 1000:.2f} ms/file  ({n / full_total:.1f} files/s)")
    print(f"ratio (parse+extract)/parse: median {statistics.median(ratios):.3f}, "
          f"per pass {', '.join(f'{r:.3f}' for r in ratios)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
