"""The physical cost model and its probabilities: pure functions over a workload and a target."""
from .model import Estimate, estimate
from .probability import ESTIMATE_SIGMA, estimate_probabilities
from .region import region_estimate, workload_from_dict, with_hints

__all__ = ["Estimate", "estimate", "ESTIMATE_SIGMA", "estimate_probabilities", "region_estimate",
           "workload_from_dict", "with_hints"]
