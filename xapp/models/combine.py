"""How the cost model's estimate and the learned classifiers make one probability per threshold.

- The classifiers answer for the platform of the corpus they were trained on (the shipped
  model: devmap, OpenCL on an AMD Tahiti 7970 against OpenCL on a 4-core i7-3820). For a
  target with that platform they are the measured evidence: a region with an estimate gets
  the mean of the two in log-odds, a region without one (an OpenCL kernel, whose NDRange is
  not known statically; a loop whose bounds are unknown) gets the classifier alone.
- For any other target no measured label exists: the probabilities come from the estimate,
  P(>T) = Phi((log2 estimate - log2 T) / sigma). Where the estimate cannot be made either,
  the classifier's answer is returned and labelled with the platform it was trained for.
Each way is non-increasing over thresholds, so bands stay consistent.
"""
from __future__ import annotations

from typing import Sequence

from xapp.estimate.probability import blend, estimate_probabilities

__all__ = ["trained_for", "combine", "SOURCE_ESTIMATE", "SOURCE_CLASSIFIER", "SOURCE_BOTH"]

SOURCE_ESTIMATE = "estimate"
SOURCE_CLASSIFIER = "classifier"
SOURCE_BOTH = "estimate+classifier"


def trained_for(card_platform: str | None, measured_corpus: str | None) -> bool:
    """Whether a model card's training platform is the target's measured platform."""
    return bool(card_platform and measured_corpus and measured_corpus.lower() in card_platform.lower())


def combine(classifier: Sequence[float], speedup: float | None, thresholds: Sequence[float],
            classifier_matches_target: bool) -> tuple[list[float], str]:
    """(probabilities per threshold, where they came from); see the module docstring."""
    if speedup is None:
        return list(classifier), SOURCE_CLASSIFIER
    physics = estimate_probabilities(speedup, thresholds)
    if classifier_matches_target:
        return blend(classifier, physics), SOURCE_BOTH
    return physics, SOURCE_ESTIMATE
