"""Bundles: round trip without pickle, checksums, tamper and missing-file detection."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from xapp.errors import BundleError
from xapp.models import bundle as bundle_module
from xapp.models.bundle import load_bundle, load_default_bundle, save_bundle
from xapp.models.classifier import ThresholdClassifier

RNG = np.random.default_rng(7)
X = RNG.normal(size=(300, 4)).astype(np.float32)
X[RNG.random(X.shape) < 0.1] = np.nan
SPEEDUP = np.exp2(3 * np.nan_to_num(X[:, 0]) + RNG.normal(scale=0.5, size=300)).clip(0.01, 12)
NAMES = ("flops", "mem_loads", "hint_transfer_log2", "hint_wgsize_log2")


@pytest.fixture(scope="module")
def model():
    # Speed-ups stop at 12, so threshold 16 is one class: a constant, with no booster file.
    return ThresholdClassifier(n_estimators=25, max_depth=3).fit(X, SPEEDUP, feature_names=NAMES)


@pytest.fixture
def saved(model, tmp_path):
    return save_bundle(model, tmp_path / "bundle", feature_names=NAMES, hint_names=("transfer", "wgsize"),
                       corpus_name="synthetic", corpus_rows=300, platform="GPU X vs CPU Y",
                       metrics={"rows": 300, "cv": "stratified"})


def test_round_trip_gives_the_same_probabilities(model, saved):
    loaded = load_bundle(saved)
    assert np.array_equal(loaded.model.predict_proba(X), model.predict_proba(X))
    assert loaded.model.thresholds_ == model.thresholds_ == (1.0, 2.0, 4.0, 8.0, 16.0)
    assert loaded.model.constants_ == [None, None, None, None, 0.0]
    assert loaded.model.get_params() == model.get_params()
    for a, b in zip(loaded.model.contributions(X[:5]), model.contributions(X[:5])):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert loaded.feature_names == NAMES and loaded.hint_names == ("transfer", "wgsize")
    assert loaded.platform == "GPU X vs CPU Y"


def test_bundle_holds_only_data_files_with_their_checksums(saved):
    names = sorted(p.name for p in saved.iterdir())
    assert names == ["card.json", "card.sha256", "threshold-1.ubj", "threshold-2.ubj",
                     "threshold-4.ubj", "threshold-8.ubj"]
    card = json.loads((saved / "card.json").read_text())
    assert card["format_version"] == 1 and card["constants"] == {"16": 0.0}
    assert card["training"] == {"corpus": "synthetic", "rows": 300, "platform": "GPU X vs CPU Y"}
    assert card["metrics"] == {"rows": 300, "cv": "stratified"}
    assert set(card["libraries"]) >= {"python", "xgboost", "scikit-learn", "numpy"}
    for name, digest in card["files"].items():
        assert hashlib.sha256((saved / name).read_bytes()).hexdigest() == digest
    card_digest = hashlib.sha256((saved / "card.json").read_bytes()).hexdigest()
    assert (saved / "card.sha256").read_text().split()[0] == card_digest
    assert (saved / "threshold-1.ubj").read_bytes()[:1] == b"{"  # UBJSON object, not a pickle


def test_one_changed_byte_in_a_booster_is_refused(saved):
    path = saved / "threshold-4.ubj"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError, match=r"threshold-4\.ubj does not match its sha256"):
        load_bundle(saved)


def test_a_deleted_booster_is_refused(saved):
    (saved / "threshold-2.ubj").unlink()
    with pytest.raises(BundleError, match=r"missing file\(s\) threshold-2\.ubj"):
        load_bundle(saved)


def test_an_edited_card_is_refused(saved):
    card = saved / "card.json"
    card.write_text(card.read_text().replace('"GPU X vs CPU Y"', '"GPU Z vs CPU Y"'))
    with pytest.raises(BundleError, match=r"card\.json does not match its checksum"):
        load_bundle(saved)


def test_a_missing_card_checksum_is_refused(saved):
    (saved / "card.sha256").unlink()
    with pytest.raises(BundleError, match=r"missing file card\.sha256"):
        load_bundle(saved)


def test_a_consistent_but_hostile_card_cannot_reach_outside(saved):
    card = json.loads((saved / "card.json").read_text())
    card["files"]["../escape.ubj"] = card["files"].pop("threshold-1.ubj")
    (saved.parent / "escape.ubj").write_bytes((saved / "threshold-1.ubj").read_bytes())
    text = json.dumps(card)
    (saved / "card.json").write_text(text)
    (saved / "card.sha256").write_text(hashlib.sha256(text.encode()).hexdigest() + "  card.json\n")
    with pytest.raises(BundleError, match="names a file outside the bundle"):
        load_bundle(saved)


def test_save_refuses_to_overwrite_a_non_bundle_directory(model, tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(BundleError, match="is not a bundle"):
        save_bundle(model, tmp_path, feature_names=NAMES, hint_names=(), corpus_name="x",
                    corpus_rows=1, platform=None)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_save_replaces_an_earlier_bundle(model, saved):
    (saved / "threshold-99.ubj").write_bytes(b"stale")
    save_bundle(model, saved, feature_names=NAMES, hint_names=(), corpus_name="again", corpus_rows=3,
                platform=None)
    assert not (saved / "threshold-99.ubj").exists()
    assert load_bundle(saved).card["training"]["corpus"] == "again"


def test_wrong_feature_name_count_is_refused(model, tmp_path):
    with pytest.raises(BundleError, match="3 feature names for a model of 4"):
        save_bundle(model, tmp_path / "b", feature_names=NAMES[:3], hint_names=(), corpus_name="x",
                    corpus_rows=1, platform=None)


def test_missing_default_bundle_says_how_to_build_it(monkeypatch, tmp_path):
    monkeypatch.setattr(bundle_module, "default_bundle_path", lambda: tmp_path / "shipped")
    with pytest.raises(BundleError, match="no default model shipped at .*python -m xapp.models ../shared/data"):
        load_default_bundle()


def test_no_bundle_directory(tmp_path):
    with pytest.raises(BundleError, match="no model bundle at"):
        load_bundle(tmp_path / "nothing")
