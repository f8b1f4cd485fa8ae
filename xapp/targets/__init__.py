"""Hardware targets (a GPU, with cited spec-sheet numbers) and CPU baselines for the cost model."""
from .profile import (DEFAULT_TARGET, PROFILE_DIR, CpuSpec, GpuSpec, Target, builtin_targets, get_target,
                      load_target_file, parse_target)
from .baseline import (BASELINE_DIR, DEFAULT_BASELINE, Baseline, builtin_baselines, get_baseline,
                       load_baseline_file, parse_baseline)

__all__ = ["DEFAULT_TARGET", "PROFILE_DIR", "CpuSpec", "GpuSpec", "Target", "builtin_targets", "get_target",
           "load_target_file", "parse_target", "BASELINE_DIR", "DEFAULT_BASELINE", "Baseline",
           "builtin_baselines", "get_baseline", "load_baseline_file", "parse_baseline"]
