"""Feature values that must hold on small kernels written for these tests (tests/fixtures/kernels)."""
from __future__ import annotations

import pytest

from .helpers import features, region, source_features


def test_saxpy():
    f = features("saxpy.c")
    assert (f["loop_depth"], f["loop_count"], f["perfect_nest"]) == (1, 1, 1)
    assert f["parallel_loops"] == 1 and f["outer_parallel"] == 1 and f["loop_carried_dep"] == 0
    assert (f["mem_loads"], f["mem_stores"]) == (2, 1)
    assert f["coalesced_frac"] == 1.0 and f["strided_frac"] == 0 and f["indirect_frac"] == 0
    assert f["flops"] == 2 and f["mul_ops"] == 1 and f["fp64_frac"] == 0
    assert f["bytes_per_iter"] == 12            # two float loads, one float store
    assert f["arith_intensity"] == pytest.approx(2 / 12)
    assert f["trip_count_log2"] == -1            # n is a parameter: unknown, the documented sentinel
    assert f["reductions"] == 0 and f["branches"] == 0 and f["calls"] == 0


def test_dense_matrix_product():
    f = features("matmul.c")
    assert f["loop_depth"] == 3 and f["loop_count"] == 3 and f["perfect_nest"] == 1
    assert f["trip_count_log2"] == 27            # 512^3, N from a macro
    assert f["parallel_loops"] == 3 and f["reductions"] == 1   # k carries only the C[i][j] += reduction
    assert f["outer_parallel"] == 1 and f["loop_carried_dep"] == 0
    assert (f["mem_loads"], f["mem_stores"]) == (3, 1)
    assert f["coalesced_frac"] == 1.0            # thread loop j: A[i][k] broadcast, B[k][j] and C[i][j] unit
    assert f["flops"] == 2


def test_two_dimensional_stencil():
    f = features("stencil2d.c")
    assert f["loop_depth"] == 2 and f["trip_count_log2"] == pytest.approx(21.0, abs=1e-9)  # 1024 x 2048
    assert f["parallel_loops"] == 2 and f["loop_carried_dep"] == 0
    assert (f["mem_loads"], f["mem_stores"]) == (4, 1)
    assert f["coalesced_frac"] == 1.0
    assert f["fp64_frac"] == 1.0 and f["flops"] == 4 and f["bytes_per_iter"] == 40
    assert f["reuse_ratio"] == pytest.approx(2.5)


def test_prefix_sum_is_loop_carried():
    f = features("prefix_sum.c", "prefix_sum")
    assert f["loop_carried_dep"] == 1 and f["outer_parallel"] == 0 and f["parallel_loops"] == 0
    r = region("prefix_sum.c", "prefix_sum")
    assert any("out" in reason for reason in r.serial_reasons)


def test_scan_through_a_scalar_is_not_a_reduction():
    f = features("prefix_sum.c", "running_total")
    assert f["reductions"] == 0 and f["loop_carried_dep"] == 1


def test_reduction_keeps_the_loop_parallel():
    (f,) = source_features("float dot(const float *a, const float *b, int n) {\n"
                           "  float s = 0; for (int i = 0; i < n; i++) s += a[i] * b[i]; return s; }")
    assert f["reductions"] == 1 and f["outer_parallel"] == 1 and f["loop_carried_dep"] == 0


def test_histogram_through_index_array():
    f = features("histogram.c")
    assert f["indirect_frac"] == 0.5 and f["coalesced_frac"] == 0.5   # idx[i] unit stride, hist[idx[i]] indirect
    # hist[idx[i]]++ is the only access to hist: an array reduction (issue 8), not a carried dependence
    assert f["loop_carried_dep"] == 0 and f["parallel_loops"] == 1 and f["reductions"] == 1
    assert (f["mem_loads"], f["mem_stores"]) == (2, 1)


def test_linked_list_walk():
    f = features("linked_list.c")
    assert f["pointer_chasing"] == 1
    assert f["indirect_frac"] == 1.0 and f["mem_loads"] == 2
    assert f["loop_carried_dep"] == 1 and f["reductions"] == 1    # sum += p->value
    assert f["fp64_frac"] == 1.0


def test_transposed_copy_half_strided():
    f = features("transpose.c")
    assert f["coalesced_frac"] == 0.5 and f["strided_frac"] == 0.5
    assert f["trip_count_log2"] == 20            # const int SIZE resolved
    assert f["parallel_loops"] == 2


def test_loop_that_calls_printf():
    f = features("print_loop.c")
    assert f["io_calls"] == 1 and f["calls"] == 1
    assert f["outer_parallel"] == 0              # output order is a loop-carried effect
    assert f["fp64_frac"] == 1.0


def test_data_dependent_branch():
    f = features("branchy.c", "relu_sqrt")
    assert f["branches"] == 1 and f["data_dependent_branches"] == 1
    assert f["math_calls"] == 1 and f["sqrt_calls"] == 1 and f["calls"] == 0
    g = features("branchy.c", "clamp_by_index")
    assert g["branches"] == 1 and g["data_dependent_branches"] == 0


def test_define_sets_the_trip_count():
    assert features("sized.c")["trip_count_log2"] == 4                       # default N 16
    assert features("sized.c", defines=(("N", "4096"),))["trip_count_log2"] == 12


def test_missing_project_header_still_yields_loops():
    r = region("missing_header.c")
    assert r.function == "axpy_cfg" and r.kind == "loop" and (r.line, r.end_line) == (5, 6)
    f = r.features
    assert f["flops"] == 2 and f["mem_loads"] == 2 and f["mem_stores"] == 1 and f["fp64_frac"] == 1.0


def test_opencl_kernels():
    f = features("vector_add.cl", "vector_add")
    assert f["is_kernel"] == 1 and f["ndrange_dims"] == 1 and f["outer_parallel"] == 1
    assert f["coalesced_frac"] == 1.0 and (f["mem_loads"], f["mem_stores"]) == (2, 1)
    assert f["branches"] == 1 and f["data_dependent_branches"] == 0     # gid < n guard
    t = features("vector_add.cl", "tile_sum")
    assert t["barriers"] == 1 and t["atomics"] == 1 and t["local_mem_accesses"] == 2
    assert t["inner_trip_log2"] == 6 and t["reductions"] == 1
    assert t["bytes_per_iter"] == 16 + 4 + 4   # a float4 load, a float store and load in __local memory


def test_cpp_file():
    r = region("nbody.cpp")
    f = r.features
    assert r.kind == "loop" and f["loop_depth"] == 2 and f["perfect_nest"] == 0
    assert f["mem_loads"] == 3 and f["mem_stores"] == 1         # vector operator[] is a memory access
    assert f["bytes_per_iter"] == 4 * 8                          # fields of Body, not the whole struct
    assert f["sqrt_calls"] == 1 and f["div_ops"] == 1 and f["fp64_frac"] == 1.0
    assert f["outer_parallel"] == 1 and f["reductions"] == 1


def test_kernel_loop_counts_and_2d_ndrange():
    src = ("__kernel void k(__global float *a, int w) {\n"
           "  int x = get_global_id(0); int y = get_global_id(1);\n"
           "  a[y * w + x] = a[x * w + y]; }")
    (f,) = source_features(src, "k.cl")
    assert f["ndrange_dims"] == 2 and f["loop_depth"] == 2
    assert f["coalesced_frac"] == 0.5 and f["strided_frac"] == 0.5


def test_early_exit_and_recursion():
    src = ("int find(const int *a, int n, int v) { for (int i = 0; i < n; i++) { if (a[i] == v) return i; }\n"
           "  return -1; }\n"
           "int walk(int d) { int s = 0; for (int i = 0; i < d; i++) s += walk(d - 1); return s; }")
    f, g = source_features(src)
    assert f["early_exits"] == 1 and f["outer_parallel"] == 0 and f["data_dependent_branches"] == 1
    assert g["recursion"] == 1 and g["calls"] == 1


def test_alloc_calls_and_statements():
    src = ("#include <stdlib.h>\nvoid f(int n) { for (int i = 0; i < n; i++) { double *t = malloc(8);\n"
           "  t[0] = i; free(t); } }")
    (f,) = source_features(src)
    assert f["alloc_calls"] == 2 and f["calls"] == 2
    assert f["statements"] == 4       # the for, the declaration of t, the store, the call to free
