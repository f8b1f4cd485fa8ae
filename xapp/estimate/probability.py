"""From an estimated speed-up to P(speed-up > T) for each threshold T.

The estimate is a point value from spec-sheet numbers and a simple model; the real
speed-up of a port scatters around it. We model log2(real / estimate) as normal with
spread ESTIMATE_SIGMA, so P(speed-up > T) = Phi((log2 estimate - log2 T) / sigma): it falls
as T rises (monotone over thresholds) and rises with the estimate (it follows the physics).
"""
from __future__ import annotations

import math
from typing import Sequence

__all__ = ["ESTIMATE_SIGMA", "estimate_probabilities", "blend"]

# One standard deviation is a factor of two in either direction. Stated, not fitted: no
# measured corpus of serial C loop nests against one CPU core ships with xapp (README,
# "How the estimate becomes a probability").
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
