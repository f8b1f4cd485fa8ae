"""ThresholdClassifier: scikit-learn conventions, consistency across thresholds, constant thresholds."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone

from xapp.errors import ModelError
from xapp.models.classifier import ThresholdClassifier, speedup_band

RNG = np.random.default_rng(204)
X_TRAIN = RNG.normal(size=(400, 6)).astype(np.float32)
# Speed-up grows with the first two columns; noise makes the per-threshold boosters disagree.
SPEEDUP = np.exp2(2.0 * X_TRAIN[:, 0] + X_TRAIN[:, 1] + RNG.normal(scale=0.7, size=400))


@pytest.fixture(scope="module")
def model():
    return ThresholdClassifier(n_estimators=40, max_depth=3, n_jobs=1).fit(X_TRAIN, SPEEDUP)


def test_init_only_stores_parameters_and_clone_works():
    est = ThresholdClassifier(thresholds=(1, 3), n_estimators=7, learning_rate=0.3)
    assert est.get_params()["thresholds"] == (1, 3) and est.get_params()["random_state"] == 204
    assert not hasattr(est, "boosters_")
    twin = clone(est)
    assert twin.get_params() == est.get_params()


def test_fit_learns_one_booster_per_threshold(model):
    assert model.thresholds_ == (1.0, 2.0, 4.0, 8.0, 16.0)
    assert len(model.boosters_) == 5 and all(b is not None for b in model.boosters_)
    assert model.constants_ == [None] * 5 and model.n_features_in_ == 6
    predicted = model.predict(X_TRAIN)
    assert predicted.shape == (400, 5) and predicted.dtype == bool
    truth = np.column_stack([SPEEDUP > t for t in model.thresholds_])
    assert (predicted == truth).mean() > 0.9  # training fit of a learnable rule


def test_thresholds_are_sorted_and_deduplicated():
    model = ThresholdClassifier(thresholds=(4, 1, 4.0), n_estimators=5).fit(X_TRAIN, SPEEDUP)
    assert model.thresholds_ == (1.0, 4.0)
    assert model.predict_proba(X_TRAIN[:3]).shape == (3, 2)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, (8, 6), elements=st.one_of(
    st.floats(-10, 10, width=32), st.just(np.float32("nan")))))
def test_probabilities_never_increase_with_the_threshold(model, X):
    raw = model.raw_proba(X)
    proba = model.predict_proba(X)
    assert np.all((proba >= 0) & (proba <= 1))
    assert np.all(np.diff(proba, axis=1) <= 0)
    assert np.array_equal(proba, np.minimum.accumulate(raw, axis=1))


def test_consistency_step_caps_a_higher_threshold(model, monkeypatch):
    monkeypatch.setattr(ThresholdClassifier, "raw_proba",
                        lambda self, X: np.array([[0.2, 0.9, 0.1, 0.6, 0.05]]))
    assert model.predict_proba(X_TRAIN[:1]).tolist() == [[0.2, 0.2, 0.1, 0.1, 0.05]]


def test_raw_boosters_do_disagree_somewhere(model):
    # Shows the consistency step is needed: independent boosters are not monotone by themselves.
    raw = model.raw_proba(RNG.normal(scale=3, size=(2000, 6)))
    assert np.any(np.diff(raw, axis=1) > 0)


def test_constant_probability_for_a_one_class_threshold():
    speedup = np.where(X_TRAIN[:, 0] > 0, 3.0, 1.5)  # always > 1, never > 4
    model = ThresholdClassifier(thresholds=(1, 2, 4), n_estimators=10).fit(X_TRAIN, speedup)
    assert model.boosters_[0] is None and model.constants_[0] == 1.0
    assert model.boosters_[1] is not None and model.constants_[1] is None
    assert model.boosters_[2] is None and model.constants_[2] == 0.0
    proba = model.predict_proba(X_TRAIN)
    assert np.all(proba[:, 0] == 1.0) and np.all(proba[:, 2] == 0.0)
    contributions = model.contributions(X_TRAIN[:2])
    assert np.all(contributions[0][:, :-1] == 0) and np.all(contributions[0][:, -1] == 20.0)
    assert np.all(contributions[2][:, -1] == -20.0)


def test_contributions_sum_to_the_log_odds(model):
    X = X_TRAIN[:20]
    raw = model.raw_proba(X)
    for j, values in enumerate(model.contributions(X)):
        assert values.shape == (20, 7)
        margin = values.sum(axis=1)
        np.testing.assert_allclose(1 / (1 + np.exp(-margin)), raw[:, j], rtol=1e-4, atol=1e-6)
    # The first feature drives the speed-up, so it dominates the explanation at threshold 1.
    mean_abs = np.abs(model.contributions(X_TRAIN)[0][:, :-1]).mean(axis=0)
    assert mean_abs.argmax() == 0


def test_fitting_is_deterministic():
    a = ThresholdClassifier(n_estimators=20, subsample=0.8).fit(X_TRAIN, SPEEDUP)
    b = ThresholdClassifier(n_estimators=20, subsample=0.8).fit(X_TRAIN, SPEEDUP)
    assert np.array_equal(a.predict_proba(X_TRAIN), b.predict_proba(X_TRAIN))


def test_speedup_bands():
    thresholds = (1, 2, 4, 8, 16)
    proba = np.array([[0.4, 0.3, 0.1, 0.0, 0.0],
                      [0.9, 0.4, 0.1, 0.0, 0.0],
                      [0.9, 0.8, 0.6, 0.0, 0.0],
                      [0.99, 0.9, 0.8, 0.7, 0.51],
                      [0.5, 0.5, 0.5, 0.5, 0.5]])
    assert speedup_band(proba, thresholds) == ["<1x", "1-2x", "4-8x", ">16x", "<1x"]
    assert speedup_band([[0.7, 0.2]], (1.5, 3)) == ["1.5-3x"]


@given(st.lists(st.floats(0, 1), min_size=5, max_size=5))
def test_band_follows_the_count_above_one_half(values):
    row = np.minimum.accumulate(np.array(values))
    (band,) = speedup_band(row[None, :], (1, 2, 4, 8, 16))
    labels = ["<1x", "1-2x", "2-4x", "4-8x", "8-16x", ">16x"]
    assert band == labels[int((row > 0.5).sum())]


def test_errors_are_model_errors(model):
    with pytest.raises(ModelError, match="expects 6"):
        model.predict_proba(np.zeros((2, 5)))
    with pytest.raises(ModelError, match="not fitted"):
        ThresholdClassifier().predict_proba(np.zeros((1, 6)))
    with pytest.raises(ModelError, match="positive finite"):
        ThresholdClassifier(thresholds=(0, 2)).fit(X_TRAIN, SPEEDUP)
    with pytest.raises(ModelError, match="no training rows"):
        ThresholdClassifier().fit(np.zeros((0, 6)), [])
    with pytest.raises(ModelError, match="positive and finite"):
        ThresholdClassifier().fit(X_TRAIN, -SPEEDUP)
    with pytest.raises(ModelError, match="3 probability columns for 5"):
        speedup_band(np.zeros((1, 3)), (1, 2, 4, 8, 16))


def test_dropout_columns_teach_the_model_what_missing_hints_mean():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(600, 2)).astype(np.float32)   # column 0 static, column 1 a hint
    speedup = np.where((X[:, 0] > 0) & (X[:, 1] > 0), 4.0, 0.5)
    model = ThresholdClassifier(thresholds=(1,), n_estimators=60, max_depth=3,
                                dropout_columns=(1,)).fit(X, speedup)
    assert ((model.predict(X)[:, 0]) == (speedup > 1)).mean() > 0.97   # hints still used when given
    no_hint = X.copy()
    no_hint[:, 1] = np.nan
    proba = model.predict_proba(no_hint)[:, 0]
    # Without the hint, half of the rows with a positive static column are above 1x, none of the others.
    assert 0.3 < proba[X[:, 0] > 0.3].mean() < 0.7
    assert proba[X[:, 0] < -0.3].mean() < 0.1
    with pytest.raises(ModelError, match=r"dropout_columns \[5\] outside the 2 columns"):
        ThresholdClassifier(dropout_columns=(5,)).fit(X, speedup)


def test_contribution_of_one_threshold_equals_its_entry_in_contributions(model):
    every = model.contributions(X_TRAIN[:4])
    assert len(every) == len(model.thresholds_)
    for k in range(len(every)):
        assert np.array_equal(model.contribution(X_TRAIN[:4], k), every[k])
