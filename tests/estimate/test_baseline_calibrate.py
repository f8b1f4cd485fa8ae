"""CPU baselines: `xapp calibrate` writes one (or says clearly why it cannot), `--baseline FILE` takes it;
targets compared on one baseline: a faster GPU never gets a lower estimate; sanity of magnitudes."""
from __future__ import annotations

import json
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from xapp.calibrate import CalibrationUnavailable, baseline_toml, measure
from xapp.cli import main
from xapp.estimate import estimate, workload_from_dict
from xapp.features import ParseOptions, extract_source
from xapp.targets import GpuSpec, builtin_targets, get_baseline, load_baseline_file
from tests.estimate.helpers import regions

NBODY = Path(__file__).resolve().parents[1] / "fixtures" / "sizes" / "nbody.c"


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler here")
def test_calibrate_writes_a_baseline_file_that_predict_takes(tmp_path, capsys):
    m = measure(trials=2)
    for key in ("fp64_simd_flops", "scalar_flops", "add_latency_ns", "memory_chain_ns", "exp_ns", "division_ns",
                "l1_bytes_per_s", "l2_bytes_per_s", "llc_bytes_per_s", "dram_bytes_per_s", "mul_chain_ns",
                "div_chain_ns", "sqrt_chain_ns", "int_chain_ns", "l1_latency_ns", "dram_latency_ns", "dram_gather_ns"):
        assert m.values[key] > 0, key
    v = m.values
    assert v["dram_latency_ns"] > v["l2_latency_ns"] > v["l1_latency_ns"]      # a chase waits longer further out
    assert v["dram_gather_ns"] < v["dram_latency_ns"]                           # independent misses overlap
    assert v["div_chain_ns"] > v["add_chain_ns"] > v["int_chain_ns"]
    path = tmp_path / "here.toml"
    path.write_text(baseline_toml(m, "here"))
    b = load_baseline_file(path)
    assert b.name == "here" and b.cpu.clock_ghz == 1.0 and b.measured.startswith("measured by xapp calibrate")
    assert b.cpu.l1_kib < b.cpu.l2_kib and b.cpu.memory_bandwidth_gbs > 0
    assert b.cpu.division_latency_cycles == pytest.approx(v["div_chain_ns"], rel=1e-3)
    assert b.cpu.dram_miss_cycles == pytest.approx(v["dram_gather_ns"], rel=1e-3)
    assert b.source("cpu.dram_latency_cycles").startswith("measured: ns per load of a pointer chase")
    assert main(["predict", str(NBODY), "--baseline", str(path), "--format", "json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    forces = next(r for r in doc["results"] if r["function"] == "forces")
    assert forces["estimate"]["baseline"] == "here" and forces["estimate"]["cpu_seconds"] > 0


def test_cache_ways_come_from_sys_or_are_stated_typical(tmp_path):
    from xapp.calibrate import cache_ways

    for index, (kind, level, ways) in enumerate([("Data", 1, 8), ("Instruction", 1, 4), ("Unified", 2, 20)]):
        d = tmp_path / f"index{index}"
        d.mkdir()
        for name, value in (("type", kind), ("level", level), ("ways_of_associativity", ways)):
            (d / name).write_text(f"{value}\n")
    assert cache_ways(tmp_path) == ({1: 8, 2: 20}, True)
    assert cache_ways(tmp_path / "none") == ({1: 12, 2: 16}, False)


def test_calibrate_without_a_compiler_says_unavailable(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CC", "no-such-compiler-xapp")
    with pytest.raises(CalibrationUnavailable, match="no C compiler"):
        measure()
    out = tmp_path / "b.toml"
    assert main(["calibrate", "--out", str(out)]) == 2
    assert "calibration unavailable: no C compiler found" in capsys.readouterr().err and not out.exists()


def _faster(a: GpuSpec, b: GpuSpec) -> bool:
    """a is at least as fast as b in every number the model reads."""
    more = ("fp32_tflops", "fp64_tflops", "memory_bandwidth_gbs", "sms", "clock_ghz", "sfu_per_sm_per_clock",
            "host_link_gbs")
    less = ("host_link_latency_us", "launch_latency_us")
    return (all(getattr(a, f) >= getattr(b, f) for f in more) and all(getattr(a, f) <= getattr(b, f) for f in less)
            and a.resident_threads >= b.resident_threads)


@pytest.mark.parametrize("name, sizes", [("gemm.c", {"N": 1024}), ("saxpy.c", {"N": 1 << 22}),
                                         ("jacobi2d.c", {"N": 1024, "TSTEPS": 10})])
def test_a_faster_gpu_never_gets_a_lower_estimate_on_one_baseline(name, sizes):
    (r,) = [r for r in regions(name, **sizes) if r.workload]
    w = workload_from_dict(r.workload)
    baseline = get_baseline()
    targets = list(builtin_targets().values())
    pairs = [(a, b) for a in targets for b in targets if a is not b and _faster(a.gpu, b.gpu)]
    assert pairs                      # h100 over t4 at least
    for a, b in pairs:
        ea, eb = estimate(w, a, baseline), estimate(w, b, baseline)
        assert ea.cpu_seconds == eb.cpu_seconds                  # one baseline: the CPU side is the same
        assert ea.speedup >= eb.speedup * (1 - 1e-9), (name, a.name, b.name)


def test_a_pointer_to_an_array_moves_one_element_per_access():
    text = "#define N 100\nvoid init_array(double (*B)[N][N]) {\n  for (int r = 0; r < N; r++)\n" \
           "    for (int s = 0; s < N; s++)\n      (*B)[r][s] = r * s;\n}\n"
    (r,) = extract_source(text, "p.c").regions
    assert r.workload["bytes_touched"] == 100 * 100 * 8 and r.workload["footprint_bytes"] == 100 * 100 * 8


def test_an_estimate_beyond_physical_sense_is_a_warning_naming_the_region():
    from xapp.predict import PredictOptions, Predictor

    text = ("void spin(double *a) {\n  for (long i = 0; i < 100000000; i++)\n    for (long j = 0; j < 1000000; j++)\n"
            "      a[j % 64] = a[j % 64] * 0.5 + 1.0;\n}\n")
    (r,) = Predictor().predict_source(text, "spin.c", PredictOptions(ParseOptions())).results
    assert any("beyond physical sense" in w and "spin" in w for w in r.warnings), r.warnings


def _cpu(text: str) -> float:
    from xapp.estimate import region_cpu_seconds

    (r,) = extract_source(text, "order.c").regions
    return region_cpu_seconds(r.workload, get_baseline())


GEMM = ("#define N 512\nvoid mm(double A[N][N], double B[N][N], double C[N][N]) {\n"
        "  for (int i = 0; i < N; i++)\n    for (int {a} = 0; {a} < N; {a}++)\n"
        "      for (int {b} = 0; {b} < N; {b}++)\n        C[i][j] += A[i][k] * B[k][j];\n}}\n")


def test_access_order_counts_a_strided_inner_walk_costs_more():
    ijk = _cpu(GEMM.replace("{a}", "j").replace("{b}", "k").replace("}}", "}"))
    ikj = _cpu(GEMM.replace("{a}", "k").replace("{b}", "j").replace("}}", "}"))
    assert ijk > 2 * ikj          # B[k][j] down a column (rows 4 KiB apart) against along a row


def _memory(text: str) -> float:
    from xapp.estimate.model import cpu_seconds

    (r,) = extract_source(text, "mem.c").regions
    return cpu_seconds(workload_from_dict(r.workload), get_baseline().cpu)[1]


def test_stores_count_and_a_working_set_beyond_the_caches_costs_more_per_byte():
    copy = "void cp(double *a, double *b) {{\n  for (int i = 0; i < {n}; i++)\n    a[i] = b[i];\n}}\n"
    fill = "void fill(double *a) {{\n  for (int i = 0; i < {n}; i++)\n    a[i] = 2.0;\n}}\n"
    small, large = 1 << 10, 1 << 24
    assert _memory(fill.format(n=small)) > 0                                   # a store alone costs
    assert _memory(copy.format(n=large)) == pytest.approx(2 * _memory(fill.format(n=large)), rel=0.01)
    assert _memory(copy.format(n=large)) / large > 2 * _memory(copy.format(n=small)) / small   # DRAM against L1
