"""What the cost model adds to `predict`: the time spent in launch structure, workload, exact loop
bounds, the estimate and the combination, per region and as a share of the whole `predict_source`
call, on PolyBench-ACC (LARGE_DATASET) and the kernels of bench/data. The functions are wrapped with
timers in this process (nothing else changes), each file predicted --repeat times, the fastest
repeat kept. Not a test: it prints figures.

    python bench/estimate_cost.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xapp.features.extract as extract  # noqa: E402
import xapp.predict as predict  # noqa: E402
from xapp.features import ParseOptions  # noqa: E402
from xapp.predict import PredictOptions, Predictor  # noqa: E402

POLYBENCH = Path("/work/shared/data/polybench-acc/OpenMP")
SPENT = [0.0]


def timed(fn):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[0] += time.perf_counter() - started
    return wrapper


def instrument() -> None:
    for module, name in ((extract, "launch_structure"), (extract, "workload"), (extract, "launch_dict"),
                         (extract, "refold_loop_bounds"), (predict, "region_estimate"), (predict, "combine")):
        setattr(module, name, timed(getattr(module, name)))


def files() -> list[tuple[Path, ParseOptions]]:
    poly = ParseOptions(defines=(("LARGE_DATASET", None), ("POLYBENCH_USE_SCALAR_LB", None)),
                        include_dirs=(str(POLYBENCH / "utilities"),))
    out = [(p, poly) for p in sorted(POLYBENCH.rglob("*.c")) if "utilities" not in p.parts]
    return out + [(p, ParseOptions()) for p in sorted((ROOT / "bench" / "data").glob("*.c"))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    instrument()
    predictor = Predictor()
    total = spent = 0.0
    regions = 0
    for path, parse in files():
        text = path.read_text()
        best = None
        for _ in range(args.repeat):
            SPENT[0] = 0.0
            started = time.perf_counter()
            result = predictor.predict_source(text, str(path), PredictOptions(parse))
            run = (time.perf_counter() - started, SPENT[0])
            best = run if best is None or run[0] < best[0] else best
        total += best[0]
        spent += best[1]
        regions += len(result.results)
    print(f"{regions} regions in {len(files())} files: predict {total:.3f} s, of which the estimate "
          f"{spent * 1e3:.1f} ms ({spent / regions * 1e6:.0f} us per region), {100 * spent / (total - spent):.1f}% "
          "added to predict without it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
