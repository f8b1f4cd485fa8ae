"""The physical cost model: pure functions over a workload and a target."""
from .model import Estimate, estimate
from .region import region_cpu_seconds, region_estimate, workload_from_dict, with_hints

__all__ = ["Estimate", "estimate", "region_estimate", "region_cpu_seconds", "workload_from_dict", "with_hints"]
