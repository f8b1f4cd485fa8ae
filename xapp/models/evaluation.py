"""Cross-validated evaluation of the threshold classifiers, with two baselines in the same folds.

Folds are scikit-learn's: ``StratifiedKFold(shuffle=True, random_state=seed)``
(the devmap protocol) or ``StratifiedGroupKFold`` (no group, i.e. no source
text, in both a training and a test fold), stratified on the label at the lowest
threshold. Metrics are computed over the pooled out-of-fold predictions.

Baselines, trained and tested on the same folds:

majority
    Each threshold's most frequent training class.
grewe
    A decision tree in the style of Grewe et al. (CGO 2013) on their four
    ratios: F1 = transfer/(comp+mem), F2 = coalesced/mem,
    F3 = (localmem/mem)*wgsize, F4 = comp/mem. ``comp``, ``mem``, ``localmem``
    and ``coalesced`` come from the corpus's precomputed Grewe columns where
    every row has them (``"source": "corpus columns"``), else from xapp's own
    features (comp = flops + int_ops, mem = mem_loads + mem_stores,
    localmem = local_mem_accesses, coalesced = coalesced_frac * mem). Without
    hints, F1 and F3 (which need transfer and wgsize) are left out.

``extra_training`` (e.g. CLgen's synthetic kernels) is added to every training
fold, for the model and both baselines, and never to a test fold.
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import accuracy_score, balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from xapp.errors import ModelError
from xapp.models.classifier import DEFAULT_THRESHOLDS, ThresholdClassifier, check_thresholds
from xapp.models.featurization import FeaturizedCorpus

__all__ = ["CV_KINDS", "ThresholdMetrics", "Evaluation", "evaluate", "grewe_features", "cv_splits"]

CV_KINDS = ("stratified", "grouped")
_GREWE_KEYS = ("comp", "mem", "localmem", "coalesced")


@dataclass(frozen=True)
class ThresholdMetrics:
    threshold: float
    accuracy: float
    balanced_accuracy: float
    auc: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "accuracy": self.accuracy,
                "balanced_accuracy": self.balanced_accuracy, "auc": self.auc}


@dataclass
class Evaluation:
    """What `evaluate` measured; `as_dict` is the JSON that ``xapp evaluate`` prints."""

    rows: int
    cv: str
    folds: int
    seed: int
    hints: bool
    thresholds: list[ThresholdMetrics]
    baselines: dict[str, list[ThresholdMetrics]]
    grewe_source: str
    seconds: float
    extra_training: dict[str, Any] | None = None
    test_hints_masked: bool = False
    out_of_fold: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)

    def metric(self, threshold: float, name: str = "accuracy", model: str = "xapp") -> float | None:
        """One figure, e.g. ``metric(1.0)`` for xapp's accuracy at threshold 1."""
        rows = self.thresholds if model == "xapp" else self.baselines[model]
        for row in rows:
            if row.threshold == threshold:
                return getattr(row, name)
        raise ModelError(f"no threshold {threshold:g} in this evaluation")

    def as_dict(self) -> dict[str, Any]:
        result = {
            "rows": self.rows,
            "cv": self.cv,
            "folds": self.folds,
            "seed": self.seed,
            "hints": self.hints,
            "thresholds": [m.as_dict() for m in self.thresholds],
            "baselines": {
                "majority": {"thresholds": [m.as_dict() for m in self.baselines["majority"]]},
                "grewe": {"source": self.grewe_source,
                          "thresholds": [m.as_dict() for m in self.baselines["grewe"]]},
            },
            "seconds": round(self.seconds, 3),
        }
        if self.extra_training is not None:
            result["extra_training"] = self.extra_training
        if self.test_hints_masked:
            result["test_hints"] = "missing"
        return result


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b, 0 where b is 0 (a kernel without memory accesses has no memory ratios)."""
    out = np.zeros(np.broadcast(a, b).shape, dtype=float)
    np.divide(a, b, out=out, where=b != 0)
    return np.where(np.isnan(a) | np.isnan(b), np.nan, out)


def _grewe_inputs(data: FeaturizedCorpus, from_columns: bool) -> dict[str, np.ndarray]:
    if from_columns:
        values = {k: np.array([i.baseline_columns[k] for i in data.instances], dtype=float)
                  for k in _GREWE_KEYS}
    else:
        needed = ("flops", "int_ops", "mem_loads", "mem_stores", "local_mem_accesses", "coalesced_frac")
        missing = [n for n in needed if n not in data.feature_names]
        if missing:
            raise ModelError(f"the Grewe baseline needs features {missing}, which this corpus lacks")
        col = {n: data.X[:, data.feature_names.index(n)].astype(float) for n in needed}
        mem = col["mem_loads"] + col["mem_stores"]
        values = {"comp": col["flops"] + col["int_ops"], "mem": mem,
                  "localmem": col["local_mem_accesses"], "coalesced": col["coalesced_frac"] * mem}
    for hint in ("transfer", "wgsize"):
        values[hint] = np.array([i.hints.get(hint, np.nan) for i in data.instances], dtype=float)
    return values


def grewe_features(data: FeaturizedCorpus, *, from_columns: bool, hints: bool = True) -> np.ndarray:
    """Grewe et al.'s F1..F4 (F2, F4 only without hints) for every row of ``data``."""
    v = _grewe_inputs(data, from_columns)
    f2 = _ratio(v["coalesced"], v["mem"])
    f4 = _ratio(v["comp"], v["mem"])
    if not hints:
        return np.column_stack([f2, f4])
    f1 = _ratio(v["transfer"], v["comp"] + v["mem"])
    f3 = _ratio(v["localmem"], v["mem"]) * v["wgsize"]
    return np.column_stack([f1, f2, f3, f4])


def _has_grewe_columns(data: FeaturizedCorpus) -> bool:
    return all(all(k in i.baseline_columns for k in _GREWE_KEYS) for i in data.instances)


def cv_splits(data: FeaturizedCorpus, cv: str, folds: int, seed: int,
              stratify_threshold: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, test) index pairs of the cross-validation."""
    if cv not in CV_KINDS:
        raise ModelError(f"unknown cross-validation {cv!r}; choose one of {', '.join(CV_KINDS)}")
    labels = data.speedups > stratify_threshold
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # a class rarer than the fold count
            if cv == "stratified":
                splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
                return list(splitter.split(data.X, labels))
            splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
            return list(splitter.split(data.X, labels, groups=data.groups))
    except ValueError as exc:
        raise ModelError(f"cannot make {folds} {cv} folds of {len(data)} rows: {exc}") from None


def _metrics(threshold: float, labels: np.ndarray, proba: np.ndarray) -> ThresholdMetrics:
    predicted = proba > 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # balanced accuracy of a one-class truth
        balanced = balanced_accuracy_score(labels, predicted)
    both = labels.min() != labels.max()
    return ThresholdMetrics(threshold=float(threshold),
                            accuracy=float(accuracy_score(labels, predicted)),
                            balanced_accuracy=float(balanced),
                            auc=float(roc_auc_score(labels, proba)) if both else None)


def _tree_proba(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, seed: int) -> np.ndarray:
    if y_train.min() == y_train.max():
        return np.full(X_test.shape[0], float(y_train[0]))
    tree = DecisionTreeClassifier(random_state=seed, criterion="entropy", max_depth=5, min_samples_leaf=5)
    tree.fit(X_train, y_train)
    return tree.predict_proba(X_test)[:, 1]


@dataclass(frozen=True)
class _Inputs:
    """What every fold reads: the corpus's matrices, extra training rows, test-time matrices."""

    X: np.ndarray
    speedups: np.ndarray
    grewe: np.ndarray
    X_test: np.ndarray
    grewe_test: np.ndarray
    extra_X: np.ndarray
    extra_speedups: np.ndarray
    extra_grewe: np.ndarray
    extra_weight: float


def _inputs(data: FeaturizedCorpus, extra: FeaturizedCorpus | None, extra_weight: float,
            from_columns: bool, use_hints: bool, mask_test_hints: bool) -> _Inputs:
    grewe = grewe_features(data, from_columns=from_columns, hints=use_hints)
    X_test, grewe_test = data.X, grewe
    if mask_test_hints:
        X_test = data.X.copy()
        X_test[:, list(data.hint_indices)] = np.nan
        grewe_test = grewe.copy()
        if use_hints:
            grewe_test[:, [0, 2]] = np.nan  # F1 and F3 need transfer and wgsize
    if extra is None:
        empty = np.zeros((0, data.X.shape[1]), dtype=np.float32)
        return _Inputs(data.X, data.speedups, grewe, X_test, grewe_test, empty, np.zeros(0),
                       np.zeros((0, grewe.shape[1])), extra_weight)
    return _Inputs(data.X, data.speedups, grewe, X_test, grewe_test, extra.columns(data.feature_names),
                   extra.speedups, grewe_features(extra, from_columns=from_columns, hints=use_hints),
                   extra_weight)


def _fold(inputs: _Inputs, estimator: ThresholdClassifier, thresholds: tuple[float, ...], seed: int,
          train: np.ndarray, test: np.ndarray) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of the model and both baselines on ``test``."""
    X = np.vstack([inputs.X[train], inputs.extra_X])
    speedups = np.concatenate([inputs.speedups[train], inputs.extra_speedups])
    grewe = np.vstack([inputs.grewe[train], inputs.extra_grewe])
    weights = None
    if len(inputs.extra_speedups):
        weights = np.concatenate([np.ones(len(train)), np.full(len(inputs.extra_speedups), inputs.extra_weight)])
    out = {"xapp": clone(estimator).fit(X, speedups, sample_weight=weights).predict_proba(inputs.X_test[test]),
           "majority": np.zeros((len(test), len(thresholds))),
           "grewe": np.zeros((len(test), len(thresholds)))}
    for j, t in enumerate(thresholds):
        y = (speedups > t).astype(int)
        out["majority"][:, j] = y.mean()  # above 0.5 exactly when the majority is True
        out["grewe"][:, j] = _tree_proba(grewe, y, inputs.grewe_test[test], seed)
    return out


def _estimator(model: ThresholdClassifier | None, thresholds, seed: int, n_jobs: int) -> ThresholdClassifier:
    """A fresh copy of `model` (default: ThresholdClassifier()) for these thresholds and seed."""
    estimator = clone(model) if model is not None else ThresholdClassifier()
    estimator.set_params(thresholds=thresholds, random_state=seed)
    if n_jobs != 1:       # folds run in parallel: one XGBoost thread each
        estimator.set_params(n_jobs=1)
    return estimator


def _out_of_fold(rows: int, n_thresholds: int, splits, results) -> dict[str, np.ndarray]:
    """Each model's out-of-fold probabilities, rows x thresholds, from the per-fold results."""
    oof = {name: np.zeros((rows, n_thresholds)) for name in ("xapp", "majority", "grewe")}
    for (_, test), result in zip(splits, results):
        for name, proba in result.items():
            oof[name][test] = proba
    return oof


def _scored(oof: dict[str, np.ndarray], speedups: np.ndarray, thresholds) -> dict[str, list]:
    labels = np.column_stack([speedups > t for t in thresholds])
    return {name: [_metrics(t, labels[:, j], proba[:, j]) for j, t in enumerate(thresholds)]
            for name, proba in oof.items()}


def _grewe_source(from_columns: bool, use_hints: bool, mask_test_hints: bool) -> str:
    source = "corpus columns" if from_columns else "xapp features"
    if not use_hints:
        return source + ", without hints (F2, F4 only)"
    return source + ", test hints missing" if mask_test_hints else source


def _extra_summary(extra: FeaturizedCorpus | None, weight: float) -> dict | None:
    return None if extra is None else {"corpus": extra.name, "rows": len(extra), "weight": float(weight)}


def evaluate(featurized: FeaturizedCorpus, *, cv: str = "stratified", folds: int = 10, seed: int = 204,
             use_hints: bool = True, thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
             extra_training: FeaturizedCorpus | None = None, extra_weight: float = 1.0,
             mask_test_hints: bool = False, model: ThresholdClassifier | None = None,
             n_jobs: int = -1) -> Evaluation:
    """Cross-validate ``model`` (default: `ThresholdClassifier` with its defaults) on ``featurized``.

    ``extra_weight`` is the sample weight of each ``extra_training`` row (the
    corpus's own rows weigh 1) for xapp's model; the baselines are unweighted.
    ``mask_test_hints`` trains with hints but tests with them missing (NaN), as
    a user who knows none would ask: it measures a hint-trained model there.
    Folds run on ``n_jobs`` threads (XGBoost releases the GIL), one XGBoost
    thread each, which beats threads inside one small fit.
    """
    started = time.perf_counter()
    thresholds = check_thresholds(thresholds)
    data = featurized if use_hints else featurized.without_hints()
    if len(data) < folds:
        raise ModelError(f"{len(data)} rows cannot make {folds} folds")
    estimator = _estimator(model, thresholds, seed, n_jobs)
    from_columns = _has_grewe_columns(data) and (extra_training is None or _has_grewe_columns(extra_training))
    inputs = _inputs(data, extra_training, extra_weight, from_columns, use_hints, mask_test_hints)
    splits = cv_splits(data, cv, folds, seed, thresholds[0])
    results = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_fold)(inputs, estimator, thresholds, seed, train, test) for train, test in splits)

    oof = _out_of_fold(len(data), len(thresholds), splits, results)
    scored = _scored(oof, data.speedups, thresholds)
    source = _grewe_source(from_columns, use_hints, mask_test_hints)
    return Evaluation(
        rows=len(data), cv=cv, folds=folds, seed=seed, hints=use_hints,
        thresholds=scored["xapp"],
        baselines={"majority": scored["majority"], "grewe": scored["grewe"]},
        grewe_source=source,
        seconds=time.perf_counter() - started,
        extra_training=_extra_summary(extra_training, extra_weight),
        test_hints_masked=mask_test_hints and use_hints,
        out_of_fold=oof["xapp"],
    )
