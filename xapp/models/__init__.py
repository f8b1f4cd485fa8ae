"""The learning half of xapp: labeled corpora, threshold classifiers, bundles, evaluation.

Data flows corpus -> features (`featurize`) -> `ThresholdClassifier` -> bundle.
Nothing here knows the front end (CLI or API) that calls it.
"""
from __future__ import annotations

from xapp.models.bundle import Bundle, default_bundle_path, load_bundle, load_default_bundle, save_bundle
from xapp.models.classifier import DEFAULT_THRESHOLDS, ThresholdClassifier, speedup_band
from xapp.models.corpus import Corpus, Instance, SkippedRow, load_xapp_corpus
from xapp.models.evaluation import CV_KINDS, Evaluation, ThresholdMetrics, evaluate
from xapp.models.featurization import FeaturizedCorpus, SkippedSource, feature_row, featurize, select_region
from xapp.models.importers import FORMATS, detect_format, load_clgen, load_corpus, load_devmap
from xapp.models.train import TrainResult, load_featurized, train_bundle, train_default_bundle

__all__ = [
    "Bundle",
    "CV_KINDS",
    "Corpus",
    "DEFAULT_THRESHOLDS",
    "Evaluation",
    "FORMATS",
    "FeaturizedCorpus",
    "Instance",
    "SkippedRow",
    "SkippedSource",
    "ThresholdClassifier",
    "ThresholdMetrics",
    "TrainResult",
    "default_bundle_path",
    "detect_format",
    "evaluate",
    "feature_row",
    "featurize",
    "load_bundle",
    "load_clgen",
    "load_corpus",
    "load_default_bundle",
    "load_devmap",
    "load_featurized",
    "load_xapp_corpus",
    "save_bundle",
    "select_region",
    "speedup_band",
    "train_bundle",
    "train_default_bundle",
]
