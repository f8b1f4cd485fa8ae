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

From an estimated speed-up to P(speed-up > T): the estimate is a point value from spec-sheet
numbers and a simple model; the real speed-up of a port scatters around it. log2(real / estimate)
is taken as normal with spread ESTIMATE_SIGMA, so P(speed-up > T) = Phi((log2 estimate - log2 T) /
sigma): it falls as T rises and rises with the estimate (it follows the physics).
"""
from __future__ import annotations

import math
from typing import Sequence

__all__ = ["trained_for", "combine", "estimate_probabilities", "blend", "ESTIMATE_SIGMA", "SOURCE_ESTIMATE",
           "SOURCE_CLASSIFIER", "SOURCE_BOTH"]

SOURCE_ESTIMATE = "estimate"
SOURCE_CLASSIFIER = "classifier"
SOURCE_BOTH = "estimate+classifier"

# One standard deviation is a factor of two in either direction. Stated, not fitted: no
# measured corpus of serial C loop nests against one CPU core ships with xapp (docs/cost-model.md,
# "How the estimate and the classifiers combine").
ESTIMATE_SIGMA = 1.0


def _phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def estimate_probabilities(speedup: float, thresholds: Sequence[float],
                           sigma: float = ESTIMATE_SIGMA) -> list[float]:
    if speedup <= 0:
        return [0.0 for _ in thresholds]
    if math.isinf(speedup):
        return [1.0 for _ in thresholds]
    return [_phi((math.log2(speedup) - math.log2(t)) / sigma) for t in thresholds]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def blend(classifier: Sequence[float], physics: Sequence[float], weight: float = 0.5) -> list[float]:
    """Mean of the two in log-odds: each is non-increasing over thresholds, so the blend is too."""
    out = []
    for c, p in zip(classifier, physics):
        z = weight * _logit(p) + (1 - weight) * _logit(c)
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


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
