"""Port plans: ISL's schedule mapped to kernels, grid, host loops and per-thread loops, as PPCG maps it."""
from __future__ import annotations

from pathlib import Path

import pytest

from xapp.analysis.launch import launch_structure
from xapp.analysis.portplan import region_plans
from xapp.analysis.region_facts import function_context, region_facts, unit_facts
from xapp.analysis.regions import find_regions
from xapp.frontend.lower import lower
from xapp.frontend.options import ParseOptions
from xapp.frontend.parse import parse

CANONICAL = Path(__file__).resolve().parents[1] / "fixtures" / "canonical"


def plans(name: str, max_operations: int | None = None, **defines):
    path = CANONICAL / name
    ir = lower(parse(path.read_text(), str(path), ParseOptions(defines=tuple((k, str(v)) for k, v in defines.items()))))
    whole = unit_facts(ir)
    (region,) = find_regions(ir)
    a = region_facts(region, ir, function_context(region.owner, whole), True)
    extra = {} if max_operations is None else {"max_operations": max_operations}
    return region_plans(a, launch_structure(a), **extra)


def _grid(kernel) -> list[str]:
    return [d["var"] for d in kernel["grid"]]


def test_ikj_gemm_becomes_a_2d_grid_with_k_in_each_thread():
    p = plans("gemm_ikj.c", N=100)["reordered"]
    (k,) = p["kernels"]
    assert _grid(k) == ["i", "j"] and [d["var"] for d in k["per_thread"]] == ["k"]
    assert k["launches"] == 1 and k["work_items"] == 100 * 100 and k["statements"] == ["S0", "S1"]
    assert not p["as_written"] and p["transformations"] == ["interchange i,k,j -> i,j,k"]
    assert p["summary"] == "grid i,j after interchange; k in thread"
    assert p["workload"]["launches"] == 1 and p["workload"]["work_items"] == 10000


def test_ijk_gemm_is_already_the_plan():
    p = plans("gemm_ijk.c", N=100)["reordered"]
    assert p["as_written"] and p["transformations"] == [] and _grid(p["kernels"][0]) == ["i", "j"]


@pytest.mark.parametrize("name", ["lu_rowwise.c", "lu_right.c"])
def test_lu_either_way_is_right_looking_k_on_the_host(name):
    p = plans(name, N=100)["reordered"]
    assert [d["var"] for d in p["host_loops"]] == ["k"]
    grids = sorted(_grid(k) for k in p["kernels"])
    assert ["i", "j"] in grids and all(len(g) >= 1 for g in grids)
    assert all(k["launches"] == 99 or k["launches"] == 100 for k in p["kernels"])


def test_doitgen_expands_its_temporary_into_one_3d_grid():
    p = plans("doitgen.c", NR=20, NQ=30, NP=40)["reordered"]
    assert "expand sum" in p["transformations"]
    main = next(k for k in p["kernels"] if "S1" in k["statements"])
    assert _grid(main) == ["r", "q", "p"] and [d["var"] for d in main["per_thread"]] == ["s"]
    assert main["launches"] == 1 and main["work_items"] == 20 * 30 * 40


def test_tiled_loops_map_their_points_to_the_grid():
    # with Polly's bounds on schedule terms (schedule.MAX_SCHEDULE_TERM) ISL distributes acc's
    # initialisation into a kernel of its own: the product's kernel is the one that matters
    p = plans("tiled_mm.c", N=64)["reordered"]
    main = next(k for k in p["kernels"] if any(d["var"] == "k" for d in k["per_thread"]))
    assert _grid(main) == ["i", "j"] and main["work_items"] == 64 * 64 and "privatise acc" in p["transformations"]
    assert len(p["kernels"]) <= 2


def test_a_time_loop_stays_on_the_host_around_two_kernels():
    p = plans("jacobi2d.c", N=50, T=7)["reordered"]
    assert [d["var"] for d in p["host_loops"]] == ["t"] and len(p["kernels"]) == 2
    assert p["workload"]["launches"] == 14 and p["as_written"]


def test_a_recurrence_keeps_its_serial_part_on_the_host():
    p = plans("trisolv.c", N=100)["reordered"]
    assert p["serial"] and p["workload"]["serial_share"] > 0


def test_an_exhausted_isl_budget_falls_back_and_says_so():
    out = plans("lu_rowwise.c", max_operations=50, N=100)
    assert out["reordered"] is None and out["fallback"].startswith("ISL gave up")
    assert plans("lu_rowwise.c", N=100)["reordered"] is not None     # a fresh context afterwards


def test_a_region_outside_the_model_keeps_the_written_plan_with_the_reason(tmp_path):
    src = "int b[10]; float a[10];\nvoid f(void) { for (int i = 0; i < 10; i++) a[b[i]] += 1; }"
    ir = lower(parse(src, "t.c", ParseOptions()))
    (region,) = find_regions(ir)
    a = region_facts(region, ir, function_context(region.owner, unit_facts(ir)), True)
    out = region_plans(a, launch_structure(a))
    assert out["reordered"] is None and "indirect" in out["fallback"]


def test_the_plan_as_written_is_kept_beside_the_reordered_one():
    out = plans("gemm_ikj.c", N=100)
    (k,) = out["as_written"]["kernels"]
    assert out["as_written"]["as_written"] and [d["var"] for d in k["grid"]] == ["i"]
    assert k["work_items"] == 100 and k["launches"] == 1


def _plans_of(src: str):
    ir = lower(parse(src, "t.c", ParseOptions()))
    (region,) = find_regions(ir)
    a = region_facts(region, ir, function_context(region.owner, unit_facts(ir)), True)
    return region_plans(a, launch_structure(a))


def test_a_result_written_and_never_read_keeps_the_order_of_its_writes():
    # C's last value is t = T-1: only a temporary (every value read again) may be expanded
    out = _plans_of("float A[500], C[500];\nvoid f(void) { for (int t = 0; t < 40; t++) "
                    "for (int i = 0; i < 500; i++) C[i] = A[i] * t; }")["reordered"]
    grids = [[d["var"] for d in k["grid"]] for k in out["kernels"]]
    assert grids == [["i"]] and not any("expand" in t for t in out["transformations"])


def test_with_the_alias_assumption_off_pointers_written_get_no_plan():
    src = "void f(int n, float *a, float *b) { for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) " \
          "a[i*n+j] = b[j*n+i]; }"
    ir = lower(parse(src, "t.c", ParseOptions()))
    (region,) = find_regions(ir)
    on, off = (region_facts(region, ir, function_context(region.owner, unit_facts(ir)), flag) for flag in (True, False))
    assert region_plans(on, launch_structure(on))["reordered"] is not None
    out = region_plans(off, launch_structure(off))
    assert out["reordered"] is None and out["fallback"] == ("not modelled: a, b may overlap (pointers; "
                                                            "the alias assumption is off)")


NEAREST = """
#define NPTS 16384
#define NDIM 128
void nearest(const float *a, const float *b, float *best, int *index, float *score) {
  for (int p1 = 0; p1 < NPTS; p1++) {
    for (int p2 = 0; p2 < NPTS; p2++) {
      score[p1 * NPTS + p2] = 0.0f;
      for (int d = 0; d < NDIM; d++)
        score[p1 * NPTS + p2] += a[p1 * NDIM + d] * b[p2 * NDIM + d];
      if (score[p1 * NPTS + p2] > best[p1]) { best[p1] = score[p1 * NPTS + p2]; index[p1] = p2; }
    }
  }
}
"""


@pytest.mark.timeout(60)   # a hang guard (without the bounds this runs over a minute; with them, under a second)
def test_large_constant_trip_counts_schedule_within_polly_bounds():
    # Unbounded schedule terms sent ISL into a search of over a minute on this shape (four statements
    # over 16,384 x 16,384 points, as HeCBench's match-omp), which its operation budget does not stop.
    ir = lower(parse(NEAREST, "nearest.c", ParseOptions()))
    (region,) = find_regions(ir)
    a = region_facts(region, ir, function_context(region.owner, unit_facts(ir)), True)
    p = region_plans(a, launch_structure(a))["reordered"]
    assert p is not None and any(_grid(k)[:1] == ["p1"] for k in p["kernels"])
