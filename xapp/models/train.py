"""Training: corpus in, verified bundle out, with cross-validation metrics in its card.

`train_bundle` loads and featurizes a corpus, runs the stratified 10-fold
evaluation (seed 204) whose figures go into the model card, fits the model on
every row (plus any extra training corpus) and writes the bundle.

The shipped default model is rebuilt by one command from the project root:

    python -m xapp.models ../shared/data xapp/models/shipped

(`train_default_bundle`: devmap as the corpus, with its transfer/wgsize hints
and hint dropout, so that it also answers for code whose user knows no hints;
CLgen is left out because it lowered devmap accuracy in every measured setting.)
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from xapp.errors import CorpusError
from xapp.extraction import FeatureCache
from xapp.models.bundle import default_bundle_path, save_bundle
from xapp.models.classifier import DEFAULT_THRESHOLDS, ThresholdClassifier, check_thresholds
from xapp.models.evaluation import Evaluation, evaluate
from xapp.models.featurization import FeaturizedCorpus, featurize
from xapp.models.importers import load_corpus

__all__ = ["TrainResult", "train_bundle", "train_default_bundle", "load_featurized"]


@dataclass
class TrainResult:
    bundle: Path
    evaluation: Evaluation | None
    featurized: FeaturizedCorpus
    extra: FeaturizedCorpus | None
    seconds: float


def load_featurized(path: str | Path, fmt: str = "auto", *, n_jobs: int = -1, strict: bool = False,
                    cache_dir: str | Path | None = None) -> FeaturizedCorpus:
    """Load a corpus in any supported format and featurize it (through the feature cache in `cache_dir`;
    None: no cache)."""
    return featurize(load_corpus(path, fmt, strict=strict), n_jobs=n_jobs, cache=FeatureCache(cache_dir))


def _card_extras(data: FeaturizedCorpus, extra: FeaturizedCorpus | None,
                 hints_missing: Evaluation | None) -> dict[str, Any]:
    """What the card records beyond `save_bundle`'s own fields."""
    extras: dict[str, Any] = {
        # The same cross-validation, but each test row asked without its hints.
        "metrics_test_hints_missing": hints_missing.as_dict() if hints_missing else None,
        "skipped": {"corpus_rows": [str(s) for s in data.skipped_rows],
                    "sources": [str(s) for s in data.skipped]},
    }
    if extra is not None:
        extras["extra_training"] = {"corpus": extra.name, "rows": len(extra), "platform": extra.platform}
    return extras


def _check_target(data: FeaturizedCorpus, target) -> None:
    """A corpus's labels measure its own platform: a named target must be that platform."""
    from xapp.models.combine import trained_for
    if target is not None and not trained_for(data.platform, target.measured_corpus):
        raise CorpusError(f"target {target.name} is not the platform of corpus {data.name} ({data.platform})")


def train_bundle(corpus_path: str | Path, fmt: str = "auto", thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
                 out_dir: str | Path = "xapp-model", *, extra: str | Path | None = None,
                 extra_fmt: str = "auto", use_hints: bool = True, hint_dropout: bool = False,
                 folds: int = 10, seed: int = 204, cross_validate: bool = True, n_jobs: int = -1,
                 strict: bool = False, params: Mapping[str, Any] | None = None, target=None,
                 cache_dir: str | Path | None = None) -> TrainResult:
    """Train on ``corpus_path`` (and ``extra``, training rows only) and write a bundle to ``out_dir``.

    ``hint_dropout`` also trains on every row with its hints missing (see
    `ThresholdClassifier`), for a model that users may call without hints. ``cache_dir``: the
    feature cache the corpora are featurized through (None: none).
    """
    started = time.perf_counter()
    thresholds = check_thresholds(thresholds)
    data = load_featurized(corpus_path, fmt, n_jobs=n_jobs, strict=strict, cache_dir=cache_dir)
    _check_target(data, target)
    extra_data = load_featurized(extra, extra_fmt, n_jobs=n_jobs, strict=strict, cache_dir=cache_dir) \
        if extra else None
    if not use_hints:
        data = data.without_hints()
    params = dict(params or {})
    if hint_dropout and data.hint_indices:
        params["dropout_columns"] = data.hint_indices
    model = ThresholdClassifier(thresholds=thresholds, random_state=seed, **params)

    evaluation = hints_missing = None
    if cross_validate:
        options = dict(cv="stratified", folds=folds, seed=seed, thresholds=thresholds,
                       extra_training=extra_data, model=model, n_jobs=n_jobs)
        evaluation = evaluate(data, **options)
        if data.hint_names:
            hints_missing = evaluate(data, mask_test_hints=True, **options)

    X, y = data.X, data.speedups
    if extra_data is not None:
        X = np.vstack([X, extra_data.columns(data.feature_names)])
        y = np.concatenate([y, extra_data.speedups])
    model.fit(X, y, feature_names=data.feature_names)
    bundle = save_bundle(model, out_dir, feature_names=data.feature_names, hint_names=data.hint_names,
                         corpus_name=data.name, corpus_rows=len(data), platform=data.platform,
                         metrics=evaluation.as_dict() if evaluation else None,
                         extra={**_card_extras(data, extra_data, hints_missing),
                                "target": target.name if target is not None else None})
    return TrainResult(bundle=bundle, evaluation=evaluation, featurized=data, extra=extra_data,
                       seconds=time.perf_counter() - started)


def train_default_bundle(data_dir: str | Path = "../shared/data", out_dir: str | Path | None = None,
                         *, n_jobs: int = -1) -> TrainResult:
    """The recipe of the shipped default model (see the module docstring)."""
    data_dir = Path(data_dir)
    return train_bundle(data_dir / "devmap" / "cgo17-amd.csv", "devmap", DEFAULT_THRESHOLDS,
                        out_dir if out_dir is not None else default_bundle_path(),
                        hint_dropout=True, n_jobs=n_jobs)
