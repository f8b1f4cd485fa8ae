"""Ranking of serial C kernels by P(speed-up > 1x) on the default target: PolyBench-ACC (OpenMP
sources, pragmas ignored, -DLARGE_DATASET) and the serial kernels of bench/data, labelled by reading
the code as GPU-friendly (data-parallel work that dominates) or inherently serial (a recurrence,
a pointer walk, an in-place sweep). Prints each kernel's score and the AUC, and how many kernels
fall on the wrong side of 1x. Not a test: it prints figures.

A kernel's score is P(>1x) of its dominant offloadable region (the one with the largest estimated
CPU time; the highest P when no region has an estimate); 0 when xapp offers no region as a GPU
candidate (a serial loop nest is reported as not offloadable).

    python bench/estimate_ranking.py [--target h100] [--no-scalar-lb]

--no-scalar-lb leaves out -DPOLYBENCH_USE_SCALAR_LB (PolyBench's documented switch to constant loop
bounds); without it the bounds are the kernel's parameters, known only from main's call site.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import roc_auc_score  # noqa: E402

from xapp.features import ParseOptions  # noqa: E402
from xapp.predict import PredictOptions, Predictor  # noqa: E402
from xapp.targets import get_target  # noqa: E402

POLYBENCH = Path("/work/shared/data/polybench-acc/OpenMP")
if not POLYBENCH.is_dir():
    POLYBENCH = ROOT.parent / "shared" / "data" / "polybench-acc" / "OpenMP"
FRIENDLY = ["datamining/correlation", "datamining/covariance", "linear-algebra/kernels/2mm",
            "linear-algebra/kernels/3mm", "linear-algebra/kernels/atax", "linear-algebra/kernels/bicg",
            "linear-algebra/kernels/doitgen", "linear-algebra/kernels/gemm", "linear-algebra/kernels/gemver",
            "linear-algebra/kernels/gesummv", "linear-algebra/kernels/mvt", "linear-algebra/kernels/syr2k",
            "linear-algebra/kernels/syrk", "stencils/convolution-2d", "stencils/convolution-3d",
            "stencils/fdtd-2d", "stencils/jacobi-2d-imper", "bench:gemm", "bench:jacobi2d", "bench:blackscholes"]
SERIAL = ["linear-algebra/solvers/durbin", "linear-algebra/kernels/trisolv", "linear-algebra/solvers/dynprog",
          "stencils/seidel-2d", "linear-algebra/solvers/ludcmp", "bench:prefix_scan", "bench:pointer_chase",
          "bench:iir", "bench:lcg", "bench:gauss_seidel"]
# Parallel inner levels under a serial outer one, or mixed: left out of the AUC, printed.
MIXED = ["linear-algebra/solvers/lu", "linear-algebra/kernels/cholesky", "linear-algebra/solvers/gramschmidt",
         "medley/floyd-warshall", "stencils/adi", "stencils/fdtd-apml", "stencils/jacobi-1d-imper",
         "linear-algebra/kernels/symm", "linear-algebra/kernels/trmm", "medley/reg_detect"]


def source_of(name: str) -> tuple[Path, ParseOptions]:
    if name.startswith("bench:"):
        return ROOT / "bench" / "data" / f"{name[6:]}.c", ParseOptions()
    path = POLYBENCH / name / f"{Path(name).name}.c"
    return path, ParseOptions(defines=(("LARGE_DATASET", None),) + SCALAR_LB,
                              include_dirs=(str(POLYBENCH / "utilities"),))


def score(predictor: Predictor, target, name: str) -> tuple[float, str]:
    path, parse = source_of(name)
    results = predictor.predict_source(path.read_text(), str(path), PredictOptions(parse, target=target)).results
    kernel = [r for r in results if name.startswith("bench:") or r.function.startswith("kernel_")]
    offered = [r for r in kernel if r.offloadable]
    if not offered:
        return 0.0, "not offloadable"
    timed = [r for r in offered if r.estimate]
    best = max(timed, key=lambda r: r.estimate["cpu_seconds"]) if timed else max(offered, key=lambda r: r.probability(1.0))
    est = best.estimate
    what = f"line {best.line}, " + (f"estimate {est['speedup']:.3g}x {est['bound']}" if est else best.probability_source)
    return best.probability(1.0), what


SCALAR_LB: tuple = (("POLYBENCH_USE_SCALAR_LB", None),)


def main() -> int:
    global SCALAR_LB
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default=None)
    ap.add_argument("--no-scalar-lb", action="store_true")
    args = ap.parse_args()
    if args.no_scalar_lb:
        SCALAR_LB = ()
    target = get_target(args.target)
    predictor = Predictor()
    labels, scores, wrong = [], [], []
    for label, names in ((1, FRIENDLY), (0, SERIAL), (None, MIXED)):
        print({1: "GPU-friendly", 0: "inherently serial", None: "mixed (not scored)"}[label])
        for name in names:
            p, what = score(predictor, target, name)
            print(f"  {name:40s} P(>1x) {p:.3f}  ({what})")
            if label is None:
                continue
            labels.append(label)
            scores.append(p)
            if (p > 0.5) != bool(label):
                wrong.append(name)
    print(f"target {target.name}: AUC {roc_auc_score(labels, scores):.3f} over {sum(labels)} GPU-friendly and "
          f"{len(labels) - sum(labels)} serial kernels; wrong side of 1x: {len(wrong)} ({', '.join(wrong) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
