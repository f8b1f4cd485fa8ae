"""Physical expectations on the default target (h100 against one CPU core): they must hold exactly,
since the cost model is deterministic. The same checks, with more sizes, are bench/physics_checks.py."""
from __future__ import annotations

from dataclasses import replace

import pytest

from xapp.estimate import estimate, workload_from_dict
from xapp.predict import Predictor
from xapp.targets import get_target

from tests.estimate.helpers import estimate as region_estimate, predict, regions


@pytest.fixture(scope="module")
def predictor():
    return Predictor()


def _p(results, threshold):
    (r,) = [r for r in results if r.offloadable]
    return r.probability(threshold)


def test_large_gemm_pays_more_than_4x(predictor):
    assert _p(predict(predictor, "gemm.c", N=2048), 4.0) > 0.95
    assert region_estimate("gemm.c", N=2048).speedup > 16


def test_jacobi_with_100_sweeps_of_4096_squared_pays_at_least_8x(predictor):
    est = region_estimate("jacobi2d.c", N=4096, TSTEPS=100)
    assert est.speedup >= 8 and est.bound == "memory"
    assert _p(predict(predictor, "jacobi2d.c", N=4096, TSTEPS=100), 4.0) > 0.9


def test_a_transcendental_heavy_map_pays_at_least_8x():
    assert region_estimate("blackscholes.c", N=1 << 24).speedup >= 8


def test_a_tiny_gemm_does_not_pay(predictor):
    est = region_estimate("gemm.c", N=16)
    assert est.speedup < 1 and est.bound in ("transfer", "launch", "parallelism")
    assert _p(predict(predictor, "gemm.c", N=16), 1.0) < 0.1


@pytest.mark.parametrize("name", ["saxpy.c", "dot.c"])
def test_streaming_and_reductions_stay_under_16x_unless_the_data_is_resident(name):
    moved = region_estimate(name, N=1 << 26)
    resident = region_estimate(name, hints={"transfer": 0.0}, N=1 << 26)
    assert moved.speedup < 16 and moved.bound == "transfer"
    assert resident.speedup > 16 and resident.transfer_seconds == 0


def test_p_above_1x_never_falls_as_gemm_grows(predictor):
    probs = [_p(predict(predictor, "gemm.c", N=n), 1.0) for n in (8, 16, 32, 64, 128, 256, 512, 1024, 2048)]
    assert probs == sorted(probs) and probs[0] < 0.5 < probs[-1]


@pytest.mark.parametrize("name, sizes", [("gemm.c", {"N": 16}), ("gemm.c", {"N": 1024}), ("saxpy.c", {"N": 4096}),
                                         ("jacobi2d.c", {"N": 512, "TSTEPS": 10}), ("blackscholes.c", {"N": 1000})])
def test_a_faster_gpu_never_gets_a_lower_estimate(name, sizes):
    (r,) = [r for r in regions(name, **sizes) if r.workload]
    w = workload_from_dict(r.workload)
    base = get_target("h100")
    g = base.gpu
    faster = replace(base, gpu=replace(g, fp32_tflops=2 * g.fp32_tflops, fp64_tflops=2 * g.fp64_tflops,
                                       memory_bandwidth_gbs=2 * g.memory_bandwidth_gbs,
                                       host_link_gbs=2 * g.host_link_gbs, clock_ghz=2 * g.clock_ghz,
                                       launch_latency_us=g.launch_latency_us / 2,
                                       host_link_latency_us=g.host_link_latency_us / 2))
    assert estimate(w, faster).speedup >= estimate(w, base).speedup


def test_probabilities_fall_over_thresholds_on_every_target(predictor):
    for target in ("h100", "t4", "tahiti7970"):
        for r in predict(predictor, "gemm.c", target=target, N=256):
            probs = [p.probability for p in r.predictions]
            assert probs == sorted(probs, reverse=True)


DURBIN_LIKE = """
#define N 4000
double y[N][N], s[N][N], r[N], a[N];
void f(void) {
  for (int k = 1; k < N; k++) {
    for (int i = 0; i < k; i++)          /* a recurrence between the launches */
      s[i + 1][k] = s[i][k] + r[k - i - 1] * y[i][k - 1];
    a[k] = -s[k][k];
    for (int i = 0; i < k; i++)          /* the kernel: each i on its own */
      y[i][k] = y[i][k - 1] + a[k] * y[k - i - 1][k - 1];
  }
}
"""


def test_serial_work_between_launches_bounds_the_speedup():
    from xapp.features import ParseOptions, extract_source
    (r,) = [r for r in extract_source(DURBIN_LIKE, "durbin_like.c", ParseOptions()).regions if r.workload]
    work = workload_from_dict(r.workload)
    share = work.serial_share
    assert 0.45 < share < 0.55                      # the recurrence is half the loop bodies
    est = estimate(work, get_target("h100"))
    assert est.speedup <= 1 / share                  # Amdahl: the serial half runs at best at CPU speed
    assert est.gpu_seconds >= share * est.cpu_seconds
    resident = estimate(replace(work, serial_share=0.0), get_target("h100"))
    assert resident.speedup > est.speedup


def test_a_reduction_across_work_items_pays_a_combining_launch():
    (dot,) = [workload_from_dict(r.workload) for r in regions("dot.c", N=4096) if r.workload]
    (saxpy,) = [workload_from_dict(r.workload) for r in regions("saxpy.c", N=4096) if r.workload]
    assert (dot.launches, dot.combine_launches) == (1, 1)
    assert (saxpy.launches, saxpy.combine_launches) == (1, 0)
    h100 = get_target("h100")
    one_pass = estimate(replace(dot, combine_launches=0), h100)
    assert estimate(dot, h100).launch_seconds == pytest.approx(2 * one_pass.launch_seconds)
