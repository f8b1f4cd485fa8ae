"""`ThresholdClassifier`: one gradient-boosted classifier per speed-up threshold.

For each threshold t the model answers "is the speed-up above t?". The answers
are made consistent: P(speed-up > 4) is never above P(speed-up > 2) for the same
input (a running minimum over increasing thresholds), so they read as one
distribution over speed-up bands ("2-4x").

A threshold whose training labels are all one class has nothing to learn: it
stores that class as a constant probability (0.0 or 1.0) in ``constants_`` and
no booster (``boosters_`` holds None there).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import xgboost as xgb
from sklearn.base import BaseEstimator

from xapp.errors import ModelError

__all__ = ["DEFAULT_THRESHOLDS", "ThresholdClassifier", "speedup_band", "format_threshold", "check_thresholds"]

DEFAULT_THRESHOLDS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)


def format_threshold(t: float) -> str:
    """``2.0`` as ``"2"``, ``1.5`` as ``"1.5"``."""
    return f"{t:g}"


def check_thresholds(thresholds: Sequence[float]) -> tuple[float, ...]:
    try:
        values = sorted({float(t) for t in thresholds})
    except (TypeError, ValueError):
        raise ModelError(f"thresholds must be numbers, got {thresholds!r}") from None
    if not values or any(not math.isfinite(t) or t <= 0 for t in values):
        raise ModelError(f"thresholds must be positive finite numbers, got {list(thresholds)!r}")
    return tuple(values)


def speedup_band(probabilities: np.ndarray, thresholds: Sequence[float]) -> list[str]:
    """The speed-up band of each row: between the highest threshold with P > 0.5 and the next.

    ``probabilities`` is (n, len(thresholds)) for increasing thresholds, as
    `ThresholdClassifier.predict_proba` returns it: ``"<1x"``, ``"2-4x"``, ``">16x"``.
    """
    probabilities = np.atleast_2d(np.asarray(probabilities, dtype=float))
    labels = [format_threshold(t) for t in thresholds]
    if probabilities.shape[1] != len(labels):
        raise ModelError(f"{probabilities.shape[1]} probability columns for {len(labels)} thresholds")
    bands = [f"<{labels[0]}x"]
    bands += [f"{low}-{high}x" for low, high in zip(labels, labels[1:])]
    bands.append(f">{labels[-1]}x")
    # Probabilities are monotone, so the count above 0.5 is the highest such threshold.
    return [bands[int(k)] for k in (probabilities > 0.5).sum(axis=1)]


class ThresholdClassifier(BaseEstimator):
    """One XGBoost classifier per speed-up threshold, with consistent probabilities.

    ``fit(X, speedup)`` trains, for each threshold t, a classifier of
    ``speedup > t``. Missing values (NaN) are allowed in X: XGBoost learns a
    default direction for them, which is how absent runtime hints are handled.

    ``n_jobs`` is XGBoost's thread count. It defaults to one: on corpora of a few
    thousand rows more threads gain little, and on a busy machine OpenMP threads
    that wait for a core can make a fit many times slower (measured: 31 s instead
    of 4 s for the devmap cross-validation). `evaluate` runs folds in parallel.

    ``dropout_columns`` (the hint columns) makes ``fit`` also train on a copy of
    every row with those columns missing, so that the model has learned what to
    say when a user gives no hints, instead of following whatever default
    direction the splits on hints happened to get.
    """

    # The defaults were chosen once on devmap with cross-validation seeds 1-3, never
    # the reported seed 204 (README: "How the hyperparameters were chosen").
    def __init__(self, thresholds: Sequence[float] = DEFAULT_THRESHOLDS, n_estimators: int = 400,
                 max_depth: int = 5, learning_rate: float = 0.1, subsample: float = 1.0,
                 colsample_bytree: float = 1.0, min_child_weight: float = 1.0,
                 random_state: int = 204, n_jobs: int | None = 1,
                 dropout_columns: Sequence[int] = ()) -> None:
        self.thresholds = thresholds
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.min_child_weight = min_child_weight
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.dropout_columns = dropout_columns

    def _booster_params(self) -> dict:
        return dict(n_estimators=self.n_estimators, max_depth=self.max_depth,
                    learning_rate=self.learning_rate, subsample=self.subsample,
                    colsample_bytree=self.colsample_bytree, min_child_weight=self.min_child_weight,
                    random_state=self.random_state, n_jobs=self.n_jobs, tree_method="hist",
                    objective="binary:logistic", eval_metric="logloss")

    def fit(self, X, y, sample_weight=None, feature_names: Sequence[str] | None = None):
        """Train one classifier per threshold on ``y > t``; ``y`` is the speed-up."""
        X = self._matrix(X, fitted=False)
        speedup = np.asarray(y, dtype=float).ravel()
        if X.shape[0] == 0:
            raise ModelError("no training rows")
        if speedup.shape[0] != X.shape[0]:
            raise ModelError(f"{X.shape[0]} rows in X but {speedup.shape[0]} speed-ups")
        if not np.all(np.isfinite(speedup)) or np.any(speedup <= 0):
            raise ModelError("speed-ups must be positive and finite")
        if feature_names is not None and len(feature_names) != X.shape[1]:
            raise ModelError(f"{len(feature_names)} feature names for {X.shape[1]} columns")
        self.thresholds_ = check_thresholds(self.thresholds)
        self.n_features_in_ = X.shape[1]
        if feature_names is not None:
            self.feature_names_in_ = np.asarray(feature_names, dtype=object)
        X, speedup, sample_weight = self._with_dropout(X, speedup, sample_weight)
        self.boosters_: list[xgb.Booster | None] = []
        self.constants_: list[float | None] = []
        for t in self.thresholds_:
            labels = (speedup > t).astype(np.int32)
            if labels.min() == labels.max():
                self.boosters_.append(None)
                self.constants_.append(float(labels[0]))
                continue
            model = xgb.XGBClassifier(**self._booster_params())
            model.fit(X, labels, sample_weight=sample_weight)
            self.boosters_.append(model.get_booster())
            self.constants_.append(None)
        return self

    def _with_dropout(self, X: np.ndarray, speedup: np.ndarray, sample_weight):
        columns = list(self.dropout_columns)
        if not columns:
            return X, speedup, sample_weight
        if min(columns) < 0 or max(columns) >= X.shape[1]:
            raise ModelError(f"dropout_columns {columns} outside the {X.shape[1]} columns of X")
        masked = X.copy()
        masked[:, columns] = np.nan
        weights = None if sample_weight is None else np.concatenate([sample_weight, sample_weight])
        return np.vstack([X, masked]), np.concatenate([speedup, speedup]), weights

    def _matrix(self, X, fitted: bool = True) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        if X.ndim != 2:
            raise ModelError(f"X must be a 2-d matrix, got shape {X.shape}")
        if fitted:
            if not hasattr(self, "boosters_"):
                raise ModelError("this ThresholdClassifier is not fitted yet")
            if X.shape[1] != self.n_features_in_:
                raise ModelError(f"X has {X.shape[1]} features, the model expects {self.n_features_in_}")
        return X

    def raw_proba(self, X) -> np.ndarray:
        """Per-threshold probabilities as each classifier gives them, before consistency."""
        X = self._matrix(X)
        columns = []
        for booster, constant in zip(self.boosters_, self.constants_):
            if booster is None:
                columns.append(np.full(X.shape[0], constant, dtype=float))
            else:
                columns.append(np.asarray(booster.inplace_predict(X), dtype=float))
        return np.column_stack(columns) if X.shape[0] else np.zeros((0, len(self.thresholds_)))

    def predict_proba(self, X) -> np.ndarray:
        """(n, n_thresholds) probabilities of speed-up above each threshold, non-increasing per row."""
        return np.minimum.accumulate(self.raw_proba(X), axis=1)

    def predict(self, X) -> np.ndarray:
        """(n, n_thresholds) booleans: speed-up above each threshold."""
        return self.predict_proba(X) > 0.5

    def speedup_band(self, probabilities: np.ndarray) -> list[str]:
        """Band labels ("1-2x") for rows of `predict_proba` output."""
        return speedup_band(probabilities, self.thresholds_)

    def contributions(self, X) -> list[np.ndarray]:
        """Per threshold, XGBoost's SHAP contributions: (n, n_features + 1), last column the bias.

        They sum to the classifier's log-odds (before the consistency step). A
        constant threshold has zero contributions and its log-odds as the bias,
        clipped to +-20 since a certain 0.0 or 1.0 has infinite log-odds.
        """
        X = self._matrix(X)
        return [self._contribution(X, k) for k in range(len(self.boosters_))]

    def contribution(self, X, index: int) -> np.ndarray:
        """`contributions` of the threshold at `index` alone (a prediction explains one threshold)."""
        return self._contribution(self._matrix(X), index)

    def _contribution(self, X: np.ndarray, index: int) -> np.ndarray:
        booster, constant = self.boosters_[index], self.constants_[index]
        if booster is None:
            values = np.zeros((X.shape[0], X.shape[1] + 1), dtype=np.float32)
            values[:, -1] = 20.0 if constant else -20.0
            return values
        return booster.predict(xgb.DMatrix(X, missing=np.nan), pred_contribs=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
