"""The feature registry: every required name, documented, in a stable order, and produced."""
from __future__ import annotations

from xapp.features import FEATURE_NAMES, FEATURES, STATIC_XAPP_FEATURES

from .helpers import features

REQUIRED = """loop_depth loop_count perfect_nest trip_count_log2 parallel_loops outer_parallel reductions
loop_carried_dep mem_loads mem_stores coalesced_frac strided_frac indirect_frac pointer_chasing bytes_per_iter
distinct_arrays reuse_ratio flops int_ops fp64_frac div_ops math_calls arith_intensity branches
data_dependent_branches early_exits calls io_calls alloc_calls recursion barriers local_mem_accesses atomics
statements ast_nodes cyclomatic""".split()


def test_required_names_are_registered_with_meanings():
    assert set(REQUIRED) <= set(FEATURE_NAMES)
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert all(spec.meaning and spec.family in {"loops", "memory", "compute", "control", "opencl", "size"}
               for spec in FEATURES)


def test_extracted_regions_carry_exactly_the_registry():
    assert tuple(features("saxpy.c")) == FEATURE_NAMES


def test_static_xapp_features_are_derivable():
    assert len(STATIC_XAPP_FEATURES) == 10
    for formula in STATIC_XAPP_FEATURES.values():
        names = [w.strip("(),") for w in formula.replace("/", " ").split()]
        used = [n for n in names if n.isidentifier() and n not in ("max", "and")]
        assert used and all(n in FEATURE_NAMES for n in used), formula
