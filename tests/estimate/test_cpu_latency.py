"""The CPU side's latency charges: recurrences wait for the operations on their carried path, and a
strided walk that misses a cache level pays max(a line at the level's bandwidth, its per-miss cost),
with set conflicts of power-of-two strides in L1 and L2 (analysis/recurrence.py, estimate/model.py)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from xapp.estimate import workload_from_dict
from xapp.estimate.model import _strided_seconds, cpu_seconds
from xapp.features import extract_source
from xapp.targets import get_baseline

# A core with round figures (clock 1 GHz: cycles are nanoseconds).
CPU = replace(get_baseline("server-core").cpu, clock_ghz=1.0, fp_add_latency_cycles=3, fp_mul_latency_cycles=4,
              division_latency_cycles=13, sqrt_latency_cycles=20, int_latency_cycles=1, l1_kib=48, l1_ways=12,
              l2_kib=1024, l2_ways=16, llc_mib=32, l1_gbs=64, l2_gbs=32, llc_gbs=16, memory_bandwidth_gbs=8,
              l2_miss_cycles=4, llc_miss_cycles=8, dram_miss_cycles=16)


def _workload(text: str):
    (r,) = [r for r in extract_source(text, "rec.c").regions if r.workload]
    return workload_from_dict(r.workload)


def _recurrences(body: str, ty: str = "double", n: int = 1000) -> tuple:
    text = f"#define N {n}\nvoid k({ty} x[N], {ty} y[N]) {{\n  for (int i = 2; i < N; i++)\n    {body};\n}}\n"
    return _workload(text).cpu_recurrences


def test_a_carried_path_counts_the_operations_between_the_load_and_the_store():
    # x[i-1] + y[i] is one add, then the division: y[i] never waits for x
    assert _recurrences("x[i] = (x[i-1] + y[i]) / 3.0") == ((998.0, 1, 0, 1, 0, 0, 0, 0),)
    assert _recurrences("x[i] = y[i] * 2.0 + x[i-1] * 0.5") == ((998.0, 1, 1, 0, 0, 0, 0, 0),)
    assert _recurrences("x[i] = sqrt(x[i-1]) + y[i]") == ((998.0, 1, 0, 0, 1, 0, 0, 0),)
    assert _recurrences("x[i] = x[i-1] + y[i]", ty="int") == ((998.0, 0, 0, 0, 0, 0, 1, 0),)


def test_a_distance_of_two_interleaves_two_chains():
    assert _recurrences("x[i] = x[i-2] * 0.5") == ((499.0, 0, 1, 0, 0, 0, 0, 0),)


def test_a_loop_running_down_carries_from_the_element_above():
    text = "#define N 1000\nvoid k(double x[N]) {\n  for (int i = N - 2; i >= 0; i--)\n    x[i] = x[i+1] * 0.5;\n}\n"
    assert _workload(text).cpu_recurrences == ((999.0, 0, 1, 0, 0, 0, 0, 0),)
    text = text.replace("x[i+1]", "x[i-1]").replace("i = N - 2", "i = N - 1").replace("i >= 0", "i >= 1")
    assert _workload(text).cpu_recurrences == ()       # reads what the next iteration would write: anti


def test_no_recurrence_for_an_anti_dependence_another_array_or_a_reduction():
    assert _recurrences("x[i] = x[i+1] + 1.0") == ()
    assert _recurrences("x[i] = y[i-1] + 1.0") == ()
    text = "#define N 1000\ndouble k(double x[N]) {\n  double s = 0;\n  for (int i = 0; i < N; i++)\n" \
           "    s += x[i];\n  return s;\n}\n"
    assert _workload(text).cpu_recurrences == ()


def test_a_two_dimensional_sweep_waits_on_its_row_neighbour_only():
    text = ("#define N 100\nvoid s(double A[N][N]) {\n  for (int i = 1; i < N - 1; i++)\n"
            "    for (int j = 1; j < N - 1; j++)\n"
            "      A[i][j] = (A[i-1][j] + A[i][j-1] + A[i][j+1] + A[i+1][j]) / 4.0;\n}\n")
    w = _workload(text)
    # ((A[i-1][j] + A[i][j-1]) + A[i][j+1]) + A[i+1][j]: the carried A[i][j-1] goes through all
    # three adds, then the division; A[i-1][j] was stored a row before, not by the iteration before
    assert w.cpu_recurrences == ((98.0 * 98.0, 3, 0, 1, 0, 0, 0, 1),)
    compute, _ = cpu_seconds(w, CPU)
    assert compute == pytest.approx(98 * 98 * (3 * 3 + 13) * 1e-9)


def test_the_longest_path_of_a_loop_sets_its_pace():
    text = ("#define N 1000\nvoid t(double x[N], double y[N]) {\n  for (int i = 1; i < N; i++) {\n"
            "    x[i] = x[i-1] / 3.0;\n    y[i] = y[i-1] + 1.0;\n  }\n}\n")
    w = _workload(text)
    assert len(w.cpu_recurrences) == 2
    compute, _ = cpu_seconds(w, CPU)
    assert compute == pytest.approx(999 * 13 * 1e-9)        # the division's chain; the add's overlaps it


def test_a_walk_whose_lines_fit_l1_pays_an_element_per_access():
    assert _strided_seconds(1000, 100 * 64, 1000 * 8, CPU) == pytest.approx(1000 * 8 / 64e9)


def test_a_power_of_two_stride_uses_a_few_sets_and_misses_l1():
    # 1 KiB apart: 4 of L1's 64 sets (48 lines); 128 lines per pass go to L2 (64 sets x 16 ways hold them)
    assert _strided_seconds(1000, 128 * 64, 1024, CPU) == pytest.approx(1000 * max(64 / 32e9, 4e-9))
    # 1000 bytes apart is no multiple of a line: all sets, the 128 lines stay in L1
    assert _strided_seconds(1000, 128 * 64, 1000, CPU) == pytest.approx(1000 * 8 / 64e9)


def test_a_walk_evicted_by_l2_conflicts_pays_the_dram_miss():
    # rows 8 KiB apart: 8 of L2's 1024 sets (128 lines); 1024 lines per pass fit the L3 but come from DRAM
    assert _strided_seconds(1000, 1024 * 64, 8192, CPU) == pytest.approx(1000 * max(64 / 8e9, 16e-9))
    # the same number of lines without conflicts (stride not a multiple of a line) is an L2 walk
    assert _strided_seconds(1000, 1024 * 64, 8200, CPU) == pytest.approx(1000 * max(64 / 32e9, 4e-9))


def _scalar_recurrences(body: str, ty: str = "double") -> tuple:
    text = (f"#define N 1000\n{ty} f({ty} *x, {ty} *out, {ty} a) {{\n  {ty} y = 1;\n"
            f"  for (int i = 0; i < N; i++) {{\n    {body}\n    out[i] = y;\n  }}\n  return y;\n}}\n")
    return _workload(text).cpu_recurrences


def test_a_scalar_updated_from_its_previous_value_is_a_recurrence():
    assert _scalar_recurrences("y = a * y + x[i];") == ((1000.0, 1, 1, 0, 0, 0, 0, 0),)     # a filter
    assert _scalar_recurrences("y += x[i];") == ((1000.0, 1, 0, 0, 0, 0, 0, 0),)           # a prefix sum
    # a linear congruential generator: an integer multiply and an add per step
    assert _scalar_recurrences("y = y * 1103515245u + 12345u;", ty="unsigned") == ((1000.0, 0, 1, 0, 0, 0, 1, 0),)


def test_a_scalar_set_earlier_in_the_iteration_or_under_a_branch_is_not_charged():
    assert _scalar_recurrences("y = x[i]; y = y * a;") == ()
    assert _scalar_recurrences("if (x[i] > 0) y = y * a;") == ()
