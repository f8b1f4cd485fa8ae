"""Would the cost model's estimate help the classifiers on devmap? A measurement, not a test.

devmap's rows are OpenCL kernels; their NDRange is not in the source. Here each row gets a kernel
workload from its static features and its runtime hints: work-items = transfer bytes / the bytes one
work-item moves (bytes_per_iter, times its inner trip count when known), at least the work-group size;
operations per item from flops, fp64_frac, math_calls, div_ops and int_ops; the whole `transfer`
crosses the host link. Its estimate on `tahiti7970` (the row's platform) is scored alone (accuracy
and AUC at 1x) and as one more model input (`estimate_log2`) in the same cross-validation as
`xapp evaluate --target tahiti7970` (seed 204).

    python bench/estimate_devmap.py [--corpus ../shared/data/devmap/cgo17-amd.csv]
"""
from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from xapp.estimate import estimate  # noqa: E402
from xapp.analysis.workload import Workload  # noqa: E402
from xapp.models import evaluate, load_featurized  # noqa: E402
from xapp.targets import get_target  # noqa: E402


def kernel_workload(f: dict, transfer: float, wgsize: float) -> Workload | None:
    if not math.isfinite(transfer) or transfer <= 0:
        return None
    per_pass = max(f["bytes_per_iter"], 1.0)
    inner = 2 ** f["inner_trip_log2"] if f["inner_trip_log2"] >= 0 else 1.0
    per_item = per_pass * inner
    items = max(transfer / per_item, wgsize if math.isfinite(wgsize) else 1.0, 1.0)
    mult = inner * items
    branches = f["branches"]
    touched = per_item * items
    return Workload(
        launches=1, kernels=1, work_items=round(items), iterations=round(mult),
        fp32_ops=f["flops"] * (1 - f["fp64_frac"]) * mult, fp64_ops=f["flops"] * f["fp64_frac"] * mult,
        transcendental=f["math_calls"] * mult, transcendental_fp64=f["math_calls"] * f["fp64_frac"] * mult,
        divisions=f["div_ops"] * mult, int_ops=f["int_ops"] * mult, bytes_touched=touched,
        footprint_bytes=transfer, transfer_in_bytes=transfer, transfer_out_bytes=0.0,
        gpu_coalesced_bytes=touched * f["coalesced_frac"], gpu_strided_bytes=touched * f["strided_frac"],
        gpu_indirect_bytes=touched * f["indirect_frac"], cpu_strided_accesses=0.0, cpu_vectorizable=True,
        divergent_branches=f["data_dependent_branches"] / branches if branches else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "devmap" / "cgo17-amd.csv"))
    args = ap.parse_args()
    data = load_featurized(args.corpus, "devmap")
    target = get_target("tahiti7970")
    names = list(data.feature_names)
    logs = []
    for row in data.X:
        f = dict(zip(names, map(float, row)))
        transfer = 2 ** f.get("hint_transfer_log2", math.nan) - 1
        wgsize = 2 ** f.get("hint_wgsize_log2", math.nan) - 1
        w = kernel_workload(f, transfer, wgsize)
        logs.append(math.log2(estimate(w, target).speedup) if w else math.nan)
    logs = np.asarray(logs)
    above = data.speedups > 1.0
    ok = np.isfinite(logs)
    print(f"{ok.sum()} of {len(logs)} rows estimated; estimate alone at 1x: accuracy "
          f"{np.mean((logs[ok] > 0) == above[ok]):.3f}, AUC {roc_auc_score(above[ok], logs[ok]):.3f}")
    extended = replace(data, X=np.column_stack([data.X, logs.astype(np.float32)]),
                       feature_names=data.feature_names + ("estimate_log2",))
    for cv in ("stratified", "grouped"):
        for label, corpus in (("classifiers", data), ("classifiers + estimate_log2", extended)):
            result = evaluate(corpus, cv=cv, seed=204).as_dict()
            first = result["thresholds"][0]
            print(f"{cv:10s} {label:28s} accuracy at 1x {first['accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
