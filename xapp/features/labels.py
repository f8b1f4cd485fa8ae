"""Human names of the features, for tables and the HTML page (the registry's names are model-input names,
stable because trained models refer to them; these may be reworded freely)."""
from __future__ import annotations

__all__ = ["FEATURE_LABELS"]

FEATURE_LABELS: dict[str, str] = {
    # loops
    "loop_depth": "loop depth",
    "loop_count": "loops",
    "perfect_nest": "perfect nest",
    "trip_count_log2": "log2 trip count",
    "inner_trip_log2": "log2 inner trips",
    "parallel_loops": "parallel loops",
    "outer_parallel": "outer loop parallel",
    "reductions": "reductions",
    "loop_carried_dep": "carried dependence",
    "ndrange_dims": "NDRange dimensions",
    "is_kernel": "OpenCL kernel",
    # memory
    "mem_loads": "loads",
    "mem_stores": "stores",
    "coalesced_frac": "coalesced share",
    "strided_frac": "strided share",
    "indirect_frac": "indirect share",
    "pointer_chasing": "pointer chasing",
    "bytes_per_iter": "bytes per pass",
    "distinct_arrays": "distinct arrays",
    "reuse_ratio": "accesses per array",
    "global_mem_accesses": "global accesses",
    # compute
    "flops": "flops",
    "int_ops": "integer ops",
    "fp64_frac": "fp64 share",
    "div_ops": "divisions",
    "mul_ops": "multiplications",
    "math_calls": "math calls",
    "trig_calls": "trig calls",
    "exp_log_calls": "exp/log calls",
    "sqrt_calls": "sqrt calls",
    "arith_intensity": "flops per byte",
    "vector_ops": "vector ops",
    # control
    "branches": "branches",
    "data_dependent_branches": "data-dependent branches",
    "early_exits": "early exits",
    "calls": "other calls",
    "io_calls": "I/O calls",
    "alloc_calls": "allocations",
    "recursion": "recursion",
    # opencl
    "barriers": "barriers",
    "local_mem_accesses": "local-memory accesses",
    "atomics": "atomics",
    # size
    "statements": "statements",
    "ast_nodes": "AST nodes",
    "cyclomatic": "cyclomatic complexity",
}
