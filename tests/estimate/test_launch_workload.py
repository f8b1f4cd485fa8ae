"""Launch structure and workload of serial C kernels, from the source and -D sizes."""
from __future__ import annotations

from tests.estimate.helpers import regions


def test_gemm_is_one_launch_of_n_squared_items_with_k_inside():
    (r,) = regions("gemm.c", N=512)
    (kernel,) = r.launch["kernels"]
    assert [l["var"] for l in kernel["parallel_levels"]] == ["i", "j"]
    assert [l["var"] for l in kernel["serial_levels"]] == ["k"]
    assert r.launch["launches"] == 1 and r.launch["outer"] == [] and r.launch["work_items"] == 512 * 512


def test_gemm_workload_counts_flops_and_a_footprint_of_three_matrices():
    (r,) = regions("gemm.c", N=512)
    w = r.workload
    n = 512
    assert w["fp64_ops"] == 2 * n**3 + 3 * n**2          # s += a*b per k; beta*C + alpha*s per (i, j)
    assert w["footprint_bytes"] == 3 * n * n * 8           # not N^3: A, B and C are each N^2
    assert w["bytes_touched"] == 2 * n**3 * 8 + 2 * n * n * 8
    assert w["transfer_in_bytes"] == 3 * n * n * 8 and w["transfer_out_bytes"] == n * n * 8
    assert w["cpu_strided_accesses"] == n**3               # B[k][j] walks a column along k
    assert not w["cpu_vectorizable"]


def test_a_time_loop_is_an_outer_level_around_two_kernels():
    (r,) = regions("jacobi2d.c", N=256, TSTEPS=10)
    assert [l["var"] for l in r.launch["outer"]] == ["t"]
    assert len(r.launch["kernels"]) == 2 and r.launch["launches"] == 10
    assert r.launch["work_items"] == 254 * 254
    assert r.workload["launches"] == 20 and r.workload["kernels"] == 2      # both kernels, every sweep
    # elements the loop variables reach (the trip product), not counting the halo the offsets add
    assert r.workload["footprint_bytes"] == 2 * 254 * 254 * 8


def test_streaming_is_coalesced_and_unit_stride():
    (r,) = regions("saxpy.c", N=1 << 20)
    w = r.workload
    assert w["gpu_coalesced_bytes"] == 3 * 4 * (1 << 20) and w["gpu_strided_bytes"] == 0
    assert w["cpu_vectorizable"] and w["transfer_in_bytes"] == 2 * 4 * (1 << 20)


def test_transcendental_calls_are_counted_per_element():   # sqrtf, logf, two erfcf, expf
    (r,) = regions("blackscholes.c", N=1000)
    assert r.workload["transcendental"] == 5 * 1000 and r.workload["transcendental_fp64"] == 0


def test_serial_kernels_launch_nothing_and_keep_only_their_cpu_time():
    from xapp.estimate import region_cpu_seconds, region_estimate
    from xapp.targets import get_baseline, get_target

    for name in ("prefix_scan.c", "iir.c", "pointer_chase.c", "lcg.c"):
        (r,) = regions(name, N=1024)
        assert r.launch["kernels"] == [] and r.launch["launches"] is None
        # no kernel to launch (no GPU estimate), but the CPU time of the serial loop is known
        assert r.workload["kernels"] == 0 and r.workload["serial_share"] == 1.0
        assert region_estimate(r.workload, {}, get_target("h100")) is None
        assert region_cpu_seconds(r.workload, get_baseline()) > 0


def test_a_bound_that_overflows_int_is_sized_exactly_with_a_warning():
    heat = [r for r in regions("../../data/examples/heat.c", N=65536) if r.function == "energy"]
    (r,) = heat
    assert r.launch["work_items"] == 65536 * 65536
    assert any("65536 * 65536 = 4294967296 overflows int" in w for w in r.warnings)
    assert any("exceed INT_MAX" in w for w in r.workload["warnings"])


def test_a_triangular_loop_counts_its_mean_trip(tmp_path):
    from xapp.features import extract_source
    src = ("#define N 1000\nstatic double a[N][N];\n"
           "void f(void) { for (int i = 0; i < N; i++) for (int j = i; j < N; j++) a[i][j] = a[i][j] * 2.0; }\n")
    (r,) = extract_source(src, "tri.c").regions
    assert r.workload["iterations"] == 1000 * 1001 // 2          # exact: the mean trip of j is (N+1)/2
    assert r.workload["fp64_ops"] == 1000 * 1001 // 2
