"""Model bundles: a fitted `ThresholdClassifier` on disk, without pickle.

A bundle is a directory:

``threshold-<t>.ubj``
    One booster per threshold, in XGBoost's own UBJSON format (data, not code).
    A threshold trained on one class only has no file; the card holds its
    constant probability.
``card.json``
    The model card: format version, feature names in order, hint names,
    thresholds, hyperparameters, the training corpus (name, rows, platform),
    cross-validation metrics, library versions, creation time, and the sha256
    of every booster file.
``card.sha256``
    The sha256 of ``card.json``.

`load_bundle` checks that every file is present and matches its checksum
before it parses any booster, and it only ever parses UBJSON and JSON.
"""
from __future__ import annotations

import hashlib
import json
import platform as _platform
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import xgboost as xgb

from xapp import __version__ as xapp_version
from xapp.errors import BundleError
from xapp.models.classifier import ThresholdClassifier, format_threshold

__all__ = ["FORMAT_VERSION", "Bundle", "save_bundle", "load_bundle", "load_default_bundle",
           "default_bundle_path"]

FORMAT_VERSION = 1
CARD = "card.json"
CARD_SUM = "card.sha256"
_PARAMS = ("n_estimators", "max_depth", "learning_rate", "subsample", "colsample_bytree",
           "min_child_weight", "random_state", "dropout_columns")


@dataclass(frozen=True)
class Bundle:
    """A loaded bundle: the fitted model and its card."""

    model: ThresholdClassifier
    card: dict
    path: Path

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(self.card["feature_names"])

    @property
    def hint_names(self) -> tuple[str, ...]:
        return tuple(self.card["hint_names"])

    @property
    def thresholds(self) -> tuple[float, ...]:
        return tuple(self.card["thresholds"])

    @property
    def platform(self) -> str | None:
        return self.card["training"].get("platform")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _booster_file(t: float) -> str:
    return f"threshold-{format_threshold(t)}.ubj"


def _versions() -> dict[str, str]:
    versions = {"python": _platform.python_version()}
    for name in ("scikit-learn", "numpy"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["xgboost"] = xgb.__version__
    versions["xapp"] = xapp_version          # the import package's (the distribution is named xapp-gpu)
    return {k: versions[k] for k in ("python", "xapp", "xgboost", "scikit-learn", "numpy")}


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a hyperparameter (tuples and numpy numbers included)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value


def save_bundle(model: ThresholdClassifier, out_dir: str | Path, *, feature_names: Sequence[str],
                hint_names: Sequence[str], corpus_name: str, corpus_rows: int,
                platform: str | None, metrics: Mapping[str, Any] | None = None,
                extra: Mapping[str, Any] | None = None) -> Path:
    """Write ``model`` as a bundle directory ``out_dir`` (replacing an earlier bundle there)."""
    if not hasattr(model, "boosters_"):
        raise BundleError("cannot save an unfitted model")
    if len(feature_names) != model.n_features_in_:
        raise BundleError(f"{len(feature_names)} feature names for a model of {model.n_features_in_} features")
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / CARD).is_file():
        raise BundleError(f"refusing to overwrite {out_dir}: it exists and is not a bundle")
    files: dict[str, bytes] = {}
    constants: dict[str, float] = {}
    for t, booster, constant in zip(model.thresholds_, model.boosters_, model.constants_):
        if booster is None:
            constants[format_threshold(t)] = float(constant)
        else:
            files[_booster_file(t)] = bytes(booster.save_raw(raw_format="ubj"))
    card = {
        "format_version": FORMAT_VERSION,
        "kind": "xapp threshold classifier",
        "feature_names": list(feature_names),
        "hint_names": list(hint_names),
        "thresholds": list(model.thresholds_),
        "constants": constants,
        "hyperparameters": {name: _plain(getattr(model, name)) for name in _PARAMS},
        "training": {"corpus": corpus_name, "rows": int(corpus_rows), "platform": platform},
        "metrics": dict(metrics or {}),
        "libraries": _versions(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **dict(extra or {}),
        "files": {name: _sha256(data) for name, data in files.items()},
    }
    card_bytes = (json.dumps(card, indent=2, sort_keys=False) + "\n").encode("utf-8")
    files[CARD] = card_bytes
    files[CARD_SUM] = f"{_sha256(card_bytes)}  {CARD}\n".encode("ascii")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a bundle is read by whoever runs xapp
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BundleError(f"bundle {path.parent}: missing file {path.name}") from None
    except OSError as exc:
        raise BundleError(f"bundle {path.parent}: cannot read {path.name}: {exc}") from None


def _read_card(path: Path) -> dict:
    card_bytes = _read(path / CARD)
    recorded = _read(path / CARD_SUM).decode("ascii", "replace").split()
    if not recorded or recorded[0] != _sha256(card_bytes):
        raise BundleError(f"bundle {path}: {CARD} does not match its checksum in {CARD_SUM} (tampered?)")
    try:
        card = json.loads(card_bytes)
    except json.JSONDecodeError as exc:
        raise BundleError(f"bundle {path}: {CARD} is not valid JSON: {exc}") from None
    if not isinstance(card, dict) or card.get("format_version") != FORMAT_VERSION:
        raise BundleError(f"bundle {path}: unsupported format version "
                          f"{card.get('format_version') if isinstance(card, dict) else None!r}")
    for key in ("feature_names", "hint_names", "thresholds", "constants", "hyperparameters",
                "training", "files"):
        if key not in card:
            raise BundleError(f"bundle {path}: {CARD} lacks {key!r}")
    return card


def _verified_files(path: Path, card: dict) -> dict[str, bytes]:
    """Every file the card lists, read once and checked against its sha256."""
    names = card["files"]
    missing = [name for name in names if not (path / name).is_file()]
    if missing:
        raise BundleError(f"bundle {path}: missing file(s) {', '.join(sorted(missing))}")
    contents = {}
    for name, digest in names.items():
        if Path(name).name != name:
            raise BundleError(f"bundle {path}: {CARD} names a file outside the bundle: {name!r}")
        data = _read(path / name)
        if _sha256(data) != digest:
            raise BundleError(f"bundle {path}: {name} does not match its sha256 in {CARD} (tampered?)")
        contents[name] = data
    return contents


def load_bundle(path: str | Path) -> Bundle:
    """Load and verify a bundle directory; any missing or altered file raises `BundleError`."""
    path = Path(path)
    if not path.is_dir():
        raise BundleError(f"no model bundle at {path}")
    card = _read_card(path)
    contents = _verified_files(path, card)
    params = {k: tuple(v) if isinstance(v, list) else v
              for k, v in card["hyperparameters"].items() if k in _PARAMS}
    model = ThresholdClassifier(thresholds=tuple(card["thresholds"]), **params)
    model.thresholds_ = tuple(float(t) for t in card["thresholds"])
    model.n_features_in_ = len(card["feature_names"])
    model.feature_names_in_ = np.asarray(card["feature_names"], dtype=object)
    model.boosters_, model.constants_ = [], []
    for t in model.thresholds_:
        key, name = format_threshold(t), _booster_file(t)
        if key in card["constants"]:
            model.boosters_.append(None)
            model.constants_.append(float(card["constants"][key]))
        elif name in contents:
            booster = xgb.Booster()
            try:
                booster.load_model(bytearray(contents[name]))
                # Inference on a few rows: threads cost more than they give, and they contend
                # with the parser processes on small machines (a one-row call stalled 100-300 ms).
                booster.set_param({"nthread": 1})
            except xgb.core.XGBoostError as exc:
                raise BundleError(f"bundle {path}: {name} is not a valid XGBoost model: {exc}") from None
            if booster.num_features() != model.n_features_in_:
                raise BundleError(f"bundle {path}: {name} expects {booster.num_features()} features, "
                                  f"the card lists {model.n_features_in_}")
            model.boosters_.append(booster)
            model.constants_.append(None)
        else:
            raise BundleError(f"bundle {path}: threshold {key} has neither {name} nor a constant in {CARD}")
    return Bundle(model=model, card=card, path=path)


def default_bundle_path() -> Path:
    """Where the shipped default model lives inside the installed package."""
    return Path(str(resources.files("xapp.models") / "shipped"))


def load_default_bundle() -> Bundle:
    """The default model shipped with xapp (package data ``xapp/models/shipped/``)."""
    path = default_bundle_path()
    if not (path / CARD).is_file():
        raise BundleError(f"no default model shipped at {path}; build it with "
                          "`python -m xapp.models ../shared/data` (see docs/development.md) or pass a bundle directory")
    return load_bundle(path)
