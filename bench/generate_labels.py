"""Generate the default family pairs and extract every serial source: counts and extraction failures.

    PYTHONPATH=. python bench/generate_labels.py [--count 400] [--seed 0]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from xapp.errors import XappError
from xapp.features import ParseOptions, extract_source, parse_define
from xapp.labels.generate import DEFAULT_COUNT, generate, make_pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pairs = make_pairs((), args.count, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        written = generate((), Path(folder), count=args.count, seed=args.seed)
        failures, regionless = [], []
        for pair in pairs:
            path = Path(folder) / "pairs" / pair.name / "serial.c"
            options = ParseOptions(defines=tuple(parse_define(d) for d in pair.defines))
            try:
                result = extract_source(path.read_text(), str(path), options)
            except XappError as exc:
                failures.append(f"{pair.name}: {exc}")
                continue
            if not any(r.function == pair.function for r in result.regions):
                regionless.append(pair.name)
        seconds = time.perf_counter() - started
    per_family = Counter(p.name.split("-")[0] for p in pairs)
    print(f"pairs: {written.pairs} distinct ({dict(per_family)}); variant groups (grouped folds): "
          f"{len({p.group for p in pairs})}")
    print(f"extraction errors: {len(failures)}; no region in the named function: {len(regionless)}; "
          f"{seconds:.1f} s")
    for line in failures[:10] + regionless[:10]:
        print("  ", line)


if __name__ == "__main__":
    main()
