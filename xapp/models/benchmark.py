"""The devmap benchmark: every configuration docs/measurements.md reports, measured in one run.

    python -m xapp.models.benchmark [DATA_DIR]      (default ../shared/data)

prints, as a Markdown table, threshold-1 figures of 10-fold cross-validation
(seed 204) on ``devmap/cgo17-amd.csv``: stratified and grouped folds, with and
without the transfer/wgsize hints, with and without CLgen's synthetic kernels
as extra training rows, each beside the two baselines of the same folds; then
the published accuracies; then the wall time of training plus the 10-fold
evaluation, extraction included.
"""
from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from xapp.models.classifier import DEFAULT_THRESHOLDS, ThresholdClassifier
from xapp.models.evaluation import Evaluation, evaluate
from xapp.models.featurization import FeaturizedCorpus
from xapp.models.train import load_featurized, train_bundle

__all__ = ["PUBLISHED", "BenchmarkRow", "devmap_table", "format_markdown", "time_training"]

# Accuracy on the AMD devmap set as the papers report it (data README).
PUBLISHED = (
    ("static mapping (always CPU)", 0.588),
    ("Grewe et al. (CGO 2013)", 0.734),
    ("DeepTune (PACT 2017)", 0.837),
    ("NCC / inst2vec (NeurIPS 2018)", 0.828),
    ("ProGraML (ICML 2021)", 0.866),
    ("IR2Vec (TACO 2020)", 0.928),
    ("PERFOGRAPH (NeurIPS 2023)", 0.94),
)


@dataclass(frozen=True)
class BenchmarkRow:
    label: str
    evaluation: Evaluation

    def figures(self) -> dict[str, float | None]:
        e = self.evaluation
        return {"accuracy": e.metric(1.0), "balanced_accuracy": e.metric(1.0, "balanced_accuracy"),
                "auc": e.metric(1.0, "auc"), "grewe": e.metric(1.0, model="grewe"),
                "majority": e.metric(1.0, model="majority"), "seconds": e.seconds}


def devmap_table(devmap: FeaturizedCorpus, clgen: FeaturizedCorpus | None = None, *, seed: int = 204,
                 folds: int = 10, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> list[BenchmarkRow]:
    """Every configuration of the devmap table (docs/measurements.md), in its order. The table shows the 1x column only; a
    caller that needs nothing else may pass ``thresholds=(1,)`` (same 1x figures, a fifth of the fits)."""
    rows = []
    for cv in ("stratified", "grouped"):
        for hints in (True, False):
            for extra in (None, clgen) if clgen is not None else (None,):
                label = f"{cv}, {'hints' if hints else 'no hints'}{', + CLgen' if extra is not None else ''}"
                rows.append(BenchmarkRow(label, evaluate(devmap, cv=cv, folds=folds, seed=seed,
                                                         use_hints=hints, extra_training=extra,
                                                         thresholds=thresholds)))
    dropout = ThresholdClassifier(dropout_columns=devmap.hint_indices)
    rows.append(BenchmarkRow("stratified, hints with dropout (the shipped recipe)",
                             evaluate(devmap, folds=folds, seed=seed, model=dropout,
                                      thresholds=thresholds)))
    rows.append(BenchmarkRow("stratified, trained with dropout, tested without hints",
                             evaluate(devmap, folds=folds, seed=seed, model=dropout, mask_test_hints=True,
                                      thresholds=thresholds)))
    return rows


def time_training(devmap_path: str | Path) -> float:
    """Seconds to load, extract, cross-validate (10-fold) and train devmap into a bundle."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        train_bundle(devmap_path, "devmap", out_dir=Path(tmp) / "bundle")
    return time.perf_counter() - started


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def format_markdown(rows: Sequence[BenchmarkRow]) -> str:
    lines = ["| devmap AMD, threshold 1x, 10-fold, seed 204 | accuracy | balanced acc. | AUC "
             "| Grewe tree, same folds | majority, same folds |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        f = row.figures()
        auc = "n/a" if f["auc"] is None else f"{f['auc']:.3f}"
        lines.append(f"| xapp: {row.label} | {_pct(f['accuracy'])} | {_pct(f['balanced_accuracy'])} | {auc} "
                     f"| {_pct(f['grewe'])} | {_pct(f['majority'])} |")
    for name, accuracy in PUBLISHED:
        lines.append(f"| published: {name} | {_pct(accuracy)} | | | | |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    data_dir = Path(args[0] if args else "../shared/data")
    devmap_path = data_dir / "devmap" / "cgo17-amd.csv"
    seconds = time_training(devmap_path)  # first, so that nothing is warm but the imports
    devmap = load_featurized(devmap_path, "devmap")
    clgen_path = data_dir / "clgen" / "amd-clgen.csv"
    clgen = load_featurized(clgen_path, "clgen") if clgen_path.is_file() else None
    print(format_markdown(devmap_table(devmap, clgen)))
    print(f"\ndevmap: {len(devmap)} rows, {len(devmap.skipped)} sources skipped; extraction "
          f"{devmap.seconds:.1f} s; training + 10-fold evaluation, extraction included: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
