"""Cross-validation, the baselines and the JSON shape, on synthetic feature matrices."""
from __future__ import annotations

import numpy as np
import pytest

from xapp.errors import ModelError
from xapp.models.classifier import ThresholdClassifier
from xapp.models.corpus import Instance
from xapp.models.evaluation import cv_splits, evaluate, grewe_features
from xapp.models.featurization import FeaturizedCorpus

pytestmark = pytest.mark.slow(6)   # seconds, serial, on the idle 2-core machine

STATIC = ("flops", "int_ops", "mem_loads", "mem_stores", "local_mem_accesses", "coalesced_frac")
NAMES = STATIC + ("hint_transfer_log2", "hint_wgsize_log2")
SMALL = dict(n_estimators=30, max_depth=3, n_jobs=1)


def synthetic(n=200, seed=0, columns=True, name="synthetic"):
    """A learnable made-up corpus: the speed-up grows with flops and with the transfer hint."""
    rng = np.random.default_rng(seed)
    static = rng.integers(0, 50, size=(n, len(STATIC))).astype(np.float32)
    static[:, 5] = rng.random(n)
    transfer = np.exp2(rng.integers(10, 30, size=n)).astype(float)
    wgsize = rng.choice([32.0, 64.0, 256.0], size=n)
    groups = np.array([f"g{i // 4}" for i in range(n)], dtype=object)  # four rows per "source"
    speedup = np.exp2((static[:, 0] - 25) / 8 + (np.log2(transfer) - 20) / 4)
    X = np.column_stack([static, np.log2(1 + transfer), np.log2(1 + wgsize)]).astype(np.float32)
    instances = [Instance(source=g, filename=f"{g}.cl", speedup=float(s), group=g,
                          hints={"transfer": float(t), "wgsize": float(w)}, row=i + 1,
                          baseline_columns=({"comp": 10.0, "mem": 5.0, "localmem": 1.0, "coalesced": 4.0}
                                            if columns else {}))
                 for i, (g, s, t, w) in enumerate(zip(groups, speedup, transfer, wgsize))]
    return FeaturizedCorpus(name=name, X=X, feature_names=NAMES, hint_names=("transfer", "wgsize"),
                            speedups=speedup, groups=groups, instances=instances, corpus_rows=n)


def test_as_dict_has_the_documented_shape():
    result = evaluate(synthetic(), folds=5, model=ThresholdClassifier(**SMALL)).as_dict()
    assert list(result) == ["rows", "cv", "folds", "seed", "hints", "thresholds", "baselines", "seconds"]
    assert (result["rows"], result["cv"], result["folds"], result["seed"], result["hints"]) == \
        (200, "stratified", 5, 204, True)
    assert [m["threshold"] for m in result["thresholds"]] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert all(list(m) == ["threshold", "accuracy", "balanced_accuracy", "auc"] for m in result["thresholds"])
    assert list(result["baselines"]) == ["majority", "grewe"]
    assert result["baselines"]["grewe"]["source"] == "corpus columns"
    assert len(result["baselines"]["majority"]["thresholds"]) == 5
    assert result["seconds"] > 0


def test_model_beats_the_majority_class_on_a_learnable_rule():
    data = synthetic()
    result = evaluate(data, folds=5, model=ThresholdClassifier(**SMALL))
    labels = data.speedups > 1
    majority = max(labels.mean(), 1 - labels.mean())
    assert result.metric(1.0, model="majority") == pytest.approx(majority)
    assert result.metric(1.0, "balanced_accuracy", model="majority") == pytest.approx(0.5)
    assert result.metric(1.0) > 0.85 > majority
    assert result.metric(1.0, "auc") > 0.9
    assert result.out_of_fold.shape == (200, 5)


def test_grewe_source_is_labelled():
    assert evaluate(synthetic(columns=False), folds=5, model=ThresholdClassifier(**SMALL)
                    ).grewe_source == "xapp features"
    result = evaluate(synthetic(), folds=5, use_hints=False, model=ThresholdClassifier(**SMALL))
    assert result.grewe_source == "corpus columns, without hints (F2, F4 only)"
    assert result.as_dict()["hints"] is False


def test_grewe_ratios():
    data = synthetic(n=4)
    from_columns = grewe_features(data, from_columns=True)
    transfer = data.instances[0].hints["transfer"]
    wgsize = data.instances[0].hints["wgsize"]
    assert from_columns[0].tolist() == pytest.approx([transfer / 15, 4 / 5, wgsize / 5, 2.0])
    assert grewe_features(data, from_columns=True, hints=False).shape == (4, 2)
    own = grewe_features(data, from_columns=False)
    row = data.X[1].astype(float)
    mem = row[2] + row[3]
    expected_f2 = row[5] if mem else 0.0  # coalesced = coalesced_frac * mem
    assert own[1, 1] == pytest.approx(expected_f2, rel=1e-5)
    assert own[1, 3] == pytest.approx((row[0] + row[1]) / mem if mem else 0.0, rel=1e-5)


def test_grouped_folds_never_share_a_group():
    data = synthetic()
    splits = cv_splits(data, "grouped", 5, 204, 1.0)
    assert len(splits) == 5
    tested = np.concatenate([test for _, test in splits])
    assert sorted(tested.tolist()) == list(range(200))
    for train, test in splits:
        assert not set(data.groups[train]) & set(data.groups[test])


def test_stratified_folds_share_groups_and_keep_the_class_ratio():
    data = synthetic()
    splits = cv_splits(data, "stratified", 5, 204, 1.0)
    overall = (data.speedups > 1).mean()
    assert any(set(data.groups[train]) & set(data.groups[test]) for train, test in splits)
    for _, test in splits:
        assert abs((data.speedups[test] > 1).mean() - overall) < 0.05


class SpyClassifier(ThresholdClassifier):
    """Records the shapes it is trained and asked on."""

    fits: list = []
    predictions: list = []

    def fit(self, X, y, sample_weight=None, feature_names=None):
        SpyClassifier.fits.append(np.asarray(X).copy())
        return super().fit(X, y, sample_weight, feature_names)

    def predict_proba(self, X):
        SpyClassifier.predictions.append(np.asarray(X).shape)
        return super().predict_proba(X)


def test_extra_training_rows_join_every_training_fold_only():
    SpyClassifier.fits, SpyClassifier.predictions = [], []
    data = synthetic(n=100)
    extra = synthetic(n=60, seed=1, name="extra")
    extra.X[:, -1] = 99.0  # a marker: no test row ever has it
    result = evaluate(data, folds=5, extra_training=extra, model=SpyClassifier(**SMALL))
    assert result.as_dict()["extra_training"] == {"corpus": "extra", "rows": 60, "weight": 1.0}
    assert [len(X) for X in SpyClassifier.fits] == [80 + 60] * 5
    assert all((X[:, -1] == 99.0).sum() == 60 for X in SpyClassifier.fits)
    assert [shape[0] for shape in SpyClassifier.predictions] == [20] * 5


def test_extra_training_is_aligned_by_column_name():
    data = synthetic(n=100)
    extra = synthetic(n=40, seed=1).without_hints()
    SpyClassifier.fits = []
    evaluate(data, folds=5, extra_training=extra, model=SpyClassifier(**SMALL))
    X = SpyClassifier.fits[0]
    assert X.shape == (120, 8)
    assert np.isnan(X[80:, 6:]).all() and not np.isnan(X[:80]).any()


def test_without_hints_the_model_sees_static_columns_only():
    SpyClassifier.fits = []
    evaluate(synthetic(n=100), folds=5, use_hints=False, model=SpyClassifier(**SMALL))
    assert {X.shape[1] for X in SpyClassifier.fits} == {6}


def test_auc_is_none_where_a_threshold_has_one_class():
    data = synthetic()
    data.speedups = np.clip(data.speedups, 0.01, 15.0)
    result = evaluate(data, folds=5, model=ThresholdClassifier(**SMALL))
    assert result.metric(16.0, "auc") is None
    assert result.metric(16.0) == 1.0  # nothing is above 16x, and the model says so


def test_evaluation_errors():
    with pytest.raises(ModelError, match="unknown cross-validation 'loo'"):
        evaluate(synthetic(), cv="loo", folds=5)
    with pytest.raises(ModelError, match="8 rows cannot make 10 folds"):
        evaluate(synthetic(n=8))
    with pytest.raises(ModelError, match="no threshold 3"):
        evaluate(synthetic(), folds=5, model=ThresholdClassifier(**SMALL)).metric(3.0)


def test_masking_test_hints_measures_a_model_asked_without_them():
    data = synthetic()
    dropout = ThresholdClassifier(dropout_columns=data.hint_indices, **SMALL)
    with_hints = evaluate(data, folds=5, model=dropout)
    masked = evaluate(data, folds=5, model=dropout, mask_test_hints=True)
    assert masked.as_dict()["test_hints"] == "missing" and "test_hints" not in with_hints.as_dict()
    assert masked.grewe_source == "corpus columns, test hints missing"
    # The synthetic speed-up depends on the transfer hint, so asking without it costs accuracy.
    assert masked.metric(1.0) < with_hints.metric(1.0) - 0.05


def test_parallel_folds_give_the_same_figures():
    data = synthetic()
    one = evaluate(data, folds=5, n_jobs=1, model=ThresholdClassifier(**SMALL))
    two = evaluate(data, folds=5, n_jobs=2, model=ThresholdClassifier(**SMALL))
    assert np.array_equal(one.out_of_fold, two.out_of_fold)
    assert one.as_dict()["thresholds"] == two.as_dict()["thresholds"]
    assert one.as_dict()["baselines"] == two.as_dict()["baselines"]
