"""Hardware targets (a CPU baseline and a GPU, with cited spec-sheet numbers) for the cost model."""
from .profile import (DEFAULT_TARGET, PROFILE_DIR, CpuSpec, GpuSpec, Target, builtin_targets, get_target,
                      load_target_file, parse_target)

__all__ = ["DEFAULT_TARGET", "PROFILE_DIR", "CpuSpec", "GpuSpec", "Target", "builtin_targets", "get_target",
           "load_target_file", "parse_target"]
