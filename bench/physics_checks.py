"""Physical expectations for serial C kernels (bench/data) on a target against its CPU baseline,
printed with the figures behind each verdict. Not a test (tests/estimate/test_physics.py asserts the
deterministic core of these); this prints more sizes and every target.

    python bench/physics_checks.py [--target h100]
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xapp.estimate import estimate, region_estimate, workload_from_dict  # noqa: E402
from xapp.features import ParseOptions, extract_source  # noqa: E402
from xapp.predict import PredictOptions, Predictor  # noqa: E402
from xapp.targets import DEFAULT_TARGET, builtin_targets, get_target  # noqa: E402

DATA = ROOT / "bench" / "data"


def region(name: str, **sizes):
    path = DATA / name
    options = ParseOptions(defines=tuple((k, str(v)) for k, v in sizes.items()))
    return next(r for r in extract_source(path.read_text(), str(path), options).regions if r.workload)


def p_above(predictor, target, name, threshold, hints=(), **sizes) -> float:
    path = DATA / name
    options = PredictOptions(ParseOptions(defines=tuple((k, str(v)) for k, v in sizes.items())), hints,
                             target=target)
    (r,) = [r for r in predictor.predict_source(path.read_text(), str(path), options).results if r.offloadable]
    return r.probability(threshold)


def checks(target, predictor):
    """(description, passed, figures) for each expectation. The bars are the issue's, for the default
    target (a current GPU against one CPU core); other targets print the same figures beside them."""
    def est(name, hints=None, **sizes):
        return region_estimate(region(name, **sizes).workload, hints or {}, target)
    gemm = est("gemm.c", N=2048)
    yield "large gemm (N=2048) pays > 4x", p_above(predictor, target, "gemm.c", 4.0, N=2048) > 0.9, \
        f"estimate {gemm.speedup:,.0f}x ({gemm.bound}), P(>4x) {p_above(predictor, target, 'gemm.c', 4.0, N=2048):.2f}"
    jac = est("jacobi2d.c", N=4096, TSTEPS=100)
    yield "jacobi-2d, 100 sweeps of 4096^2, pays >= 8x", jac.speedup >= 8, f"estimate {jac.speedup:,.1f}x ({jac.bound})"
    bs = est("blackscholes.c", N=1 << 24)
    yield "transcendental-heavy map (16M options) pays >= 8x", bs.speedup >= 8, f"estimate {bs.speedup:,.1f}x ({bs.bound})"
    tiny = p_above(predictor, target, "gemm.c", 1.0, N=16)
    yield "tiny gemm (N=16) does not pay: P(>1x) < 0.5", tiny < 0.5, f"estimate {est('gemm.c', N=16).speedup:.3f}x, P(>1x) {tiny:.3f}"
    for name in ("saxpy.c", "dot.c"):
        moved, resident = est(name, N=1 << 26), est(name, {"transfer": 0.0}, N=1 << 26)
        yield f"{name} (64M elements) < 16x with transfer, > 16x when resident (transfer=0)", \
            moved.speedup < 16 < resident.speedup, f"{moved.speedup:.1f}x ({moved.bound}); transfer=0: {resident.speedup:.1f}x"
    sizes = (8, 16, 32, 64, 128, 256, 512, 1024, 2048)
    probs = [p_above(predictor, target, "gemm.c", 1.0, N=n) for n in sizes]
    yield "P(>1x) never falls as gemm grows (N=8..2048)", probs == sorted(probs), " ".join(f"{p:.4f}" for p in probs)
    worse = []
    g = target.gpu
    faster = replace(target, gpu=replace(g, fp32_tflops=2 * g.fp32_tflops, fp64_tflops=2 * g.fp64_tflops,
                                         memory_bandwidth_gbs=2 * g.memory_bandwidth_gbs, clock_ghz=2 * g.clock_ghz,
                                         host_link_gbs=2 * g.host_link_gbs, launch_latency_us=g.launch_latency_us / 2,
                                         host_link_latency_us=g.host_link_latency_us / 2))
    for name, sz in [("gemm.c", {"N": n}) for n in sizes] + [("saxpy.c", {"N": 1 << k}) for k in range(8, 27, 3)]:
        w = workload_from_dict(region(name, **sz).workload)
        if estimate(w, faster).speedup < estimate(w, target).speedup:
            worse.append(f"{name} {sz}")
    yield "a GPU twice as fast in every number never gets a lower estimate", not worse, ", ".join(worse) or "none lower"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default=None, help="one target (default: all)")
    args = ap.parse_args()
    predictor = Predictor()
    targets = [get_target(args.target)] if args.target else list(builtin_targets().values())
    failed = 0
    for target in targets:
        bar = target.name == DEFAULT_TARGET
        print(f"== {target.name}: {target.description}" + ("" if bar else " (figures only: the bars are for h100)"))
        for what, ok, figures in checks(target, predictor):
            failed += bar and not ok
            print(f"  [{('ok' if ok else 'FAIL') if bar else 'ok' if ok else '--'}] {what}: {figures}")
    print(f"{failed} expectation(s) failed on {DEFAULT_TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
