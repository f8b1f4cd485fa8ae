"""The prediction pipeline on the shipped model: probabilities, honesty about serial code, reasons, sweeps."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from xapp.cli import main
from xapp.errors import InputError, ModelError
from xapp.predict import PredictOptions, Predictor, parse_hint, parse_sweep

ROOT = Path(__file__).resolve().parents[1]
KERNELS = ROOT / "tests" / "fixtures" / "kernels"
HEAT = ROOT / "data" / "examples" / "heat.c"


@pytest.fixture(scope="module")
def predictor():
    return Predictor()


def _predict(predictor, path, **kw):
    return predictor.predict_source(path.read_text(), str(path), PredictOptions(**kw))


def test_serial_regions_are_not_offered(predictor):
    results = _predict(predictor, KERNELS / "prefix_sum.c").results
    assert [r.offloadable for r in results] == [False, False]
    assert all(r.predictions == [] and r.speedup_band is None for r in results)
    assert "no parallel loop" in results[0].not_offloadable_because
    assert "flow dependence on out" in results[0].not_offloadable_because


def test_probabilities_are_monotone_and_consistent_with_the_band(predictor):
    results = _predict(predictor, HEAT).results + _predict(predictor, KERNELS / "vector_add.cl",
                                                           hints=(("transfer", 4e6), ("wgsize", 256.0))).results
    offered = [r for r in results if r.offloadable]
    assert len(offered) == 5
    for r in offered:
        probs = [p.probability for p in r.predictions]
        assert [p.threshold for p in r.predictions] == [1.0, 2.0, 4.0, 8.0, 16.0]
        assert all(0.0 <= p <= 1.0 for p in probs) and probs == sorted(probs, reverse=True)
        assert all(p.exceeds == (p.probability > 0.5) for p in r.predictions)
        above = [p.threshold for p in r.predictions if p.exceeds]
        assert r.speedup_band == ("<1x" if not above else (f">{above[-1]:g}x" if above[-1] == 16 else
                                                          f"{above[-1]:g}-{above[-1] * 2:g}x"))


def test_reasons_are_signed_contributions_of_named_features(predictor):
    (r, _) = _predict(predictor, KERNELS / "vector_add.cl", hints=(("transfer", 4e6),)).results
    assert 1 <= len(r.reasons) <= 3
    names = set(predictor.bundle.feature_names)
    assert all(reason.feature in names and reason.contribution != 0 for reason in r.reasons)
    mags = [abs(reason.contribution) for reason in r.reasons]
    assert mags == sorted(mags, reverse=True)


def test_transfer_hint_moves_the_kernel_prediction(predictor):
    src = (KERNELS / "vector_add.cl").read_text()
    small = predictor.predict_source(src, "v.cl", PredictOptions(hints=(("transfer", 1e3),))).results[0]
    large = predictor.predict_source(src, "v.cl", PredictOptions(hints=(("transfer", 1e9),))).results[0]
    assert small.predictions[0].probability < 0.5 < large.predictions[0].probability


def test_loop_footprint_stands_in_for_a_missing_transfer_hint(predictor):
    (r,) = _predict(predictor, KERNELS / "matmul.c").results
    assert r.estimated_hints == {"transfer": 3 * 512 * 512 * 4}
    (given,) = _predict(predictor, KERNELS / "matmul.c", hints=(("transfer", 100.0),)).results
    assert given.estimated_hints == {}


def test_threshold_selection_and_unknown_threshold(predictor):
    (r,) = _predict(predictor, KERNELS / "saxpy.c", thresholds=(2.0,)).results
    assert [p.threshold for p in r.predictions] == [2.0]
    with pytest.raises(ModelError, match="threshold"):
        _predict(predictor, KERNELS / "saxpy.c", thresholds=(3.0,))


def test_sweep_finds_where_the_gpu_starts_to_pay_off(predictor):
    sweeps = predictor.sweep(HEAT.read_text(), str(HEAT), "N", 64, 65536)
    energy = next(s for s in sweeps if s.function == "energy")
    assert energy.direction == "above" and 64 < energy.crossing < 65536
    below = [p for p in energy.points if p.value < energy.crossing]
    above = [p for p in energy.points if p.value > energy.crossing]
    assert below[-1].probability <= 0.5 < above[0].probability
    assert "starts to pay off above N of about" in energy.sentence()


def test_bad_hint_and_sweep_strings():
    assert parse_hint("transfer=1e6") == ("transfer", 1e6)
    assert parse_sweep("N=10:1000") == ("N", 10.0, 1000.0)
    for bad in ("transfer", "transfer=abc", "=3"):
        with pytest.raises(InputError):
            parse_hint(bad)
    for bad in ("N=10", "N=100:10", "N=0:10", "N=a:b"):
        with pytest.raises(InputError):
            parse_sweep(bad)


def test_cli_predict_json_shape(capsys):
    code = main(["predict", str(KERNELS / "vector_add.cl"), str(KERNELS / "prefix_sum.c"), "--hint",
                 "transfer=1048576", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["errors"] == []
    assert doc["model"]["thresholds"] == [1.0, 2.0, 4.0, 8.0, 16.0] and "Tahiti" in doc["model"]["platform"]
    keys = {"file", "function", "kind", "line", "end_line", "offloadable", "predictions", "speedup_band", "reasons"}
    assert all(keys <= set(r) for r in doc["results"])
    assert [r["offloadable"] for r in doc["results"]] == [True, True, False, False]


def test_cli_predict_reports_a_bad_file_and_goes_on(tmp_path, capsys):
    bad = tmp_path / "bin.c"
    bad.write_bytes(b"\x00\x01\x02")
    code = main(["predict", str(bad), str(KERNELS / "saxpy.c"), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [r["function"] for r in doc["results"]] == ["saxpy"]
    assert doc["errors"][0]["kind"] == "BinarySource"


TIME_LOOP = """#define N 4096
float a[N], b[N];
void step(int steps) {
  for (int t = 0; t < steps; t++) {
    for (int i = 1; i < N - 1; i++)
      b[i] = (a[i - 1] + a[i] + a[i + 1]) / 3;
    for (int i = 1; i < N - 1; i++)
      a[i] = b[i];
  }
}
"""


def test_a_time_loop_around_parallel_nests_is_offloadable_with_per_loop_reasons(predictor):
    (r,) = predictor.predict_source(TIME_LOOP, "time.c").results
    assert r.offloadable and r.parallel_level == "5:i"
    verdicts = [(l["line"], l["verdict"]) for l in r.loops]
    assert verdicts == [(4, "serial"), (5, "parallel"), (7, "parallel")]
    assert "t" in r.loops[0]["reason"] and r.loops[1]["reason"] is None


def test_predict_json_carries_loops_and_findings(tmp_path, capsys):
    src = tmp_path / "race.c"
    src.write_text("void f(int n, float *a) {\n#pragma omp parallel for\n  for (int i = 1; i < n; i++)\n"
                   "    a[i] = a[i - 1] + 1;\n}\n")
    assert main(["predict", str(src), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (result,) = doc["results"]
    assert result["loops"][0]["pragma"] == "parallel for" and result["loops"][0]["agrees"] is False
    assert [(f["line"], f["rule"]) for f in doc["findings"]] == [(3, "xapp/omp-race")]
    assert main(["predict", str(src)]) == 0
    assert "xapp/omp-race" in capsys.readouterr().out


def test_no_alias_assumption_flag(tmp_path, capsys):
    src = tmp_path / "copy.c"
    src.write_text("void f(int n, float *a, float *b) { for (int i = 0; i < n; i++) a[i] = b[i]; }\n")
    assert main(["features", str(src), "--format", "json"]) == 0
    (loop,) = json.loads(capsys.readouterr().out)["regions"][0]["loops"]
    assert loop["verdict"] == "parallel" and loop["assumptions"] == ["a and b do not overlap"]
    assert main(["features", str(src), "--format", "json", "--no-alias-assumption"]) == 0
    (loop,) = json.loads(capsys.readouterr().out)["regions"][0]["loops"]
    assert loop["verdict"] == "serial" and "do not overlap" in loop["reason"]


def test_race_findings_are_sarif_results_of_their_own_rule(db_report):
    import copy

    from tests.reports.sarif_validator import problems
    from xapp.reports import json_report, sarif_report

    report = copy.deepcopy(db_report)
    region = (report.not_offloadable or report.ranked)[0]
    region.findings = [{"file": region.file, "line": region.line, "rule": "xapp/omp-race",
                        "message": "possible data race: `#pragma omp parallel for` (line 1) runs this loop in "
                                   "parallel, but flow dependence on a: ..."},
                       {"file": region.file, "line": region.line, "rule": "xapp/omp-shared-private",
                        "message": "`#pragma omp parallel for` (line 1): j is shared under the pragma but written "
                                   "in every iteration; add private(j)"}]
    log = json.loads(json_report.dumps(sarif_report.sarif_log(report)))
    assert problems(log) == []
    (run,) = log["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["xapp/gpu-offload-candidate", sarif_report.RACE_RULE_ID,
                                                                 sarif_report.SHARED_RULE_ID,
                                                                 sarif_report.UNCHECKED_RULE_ID]
    races = [r for r in run["results"] if r["ruleId"] == "xapp/omp-race"]
    assert len(races) == 1 and races[0]["ruleIndex"] == 1 and races[0]["level"] == "warning"
    assert races[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == region.line
    assert "possible data race" in races[0]["message"]["text"]
    (shared,) = [r for r in run["results"] if r["ruleId"] == sarif_report.SHARED_RULE_ID]
    assert shared["ruleIndex"] == 2 and shared["level"] == "warning" and "private(j)" in shared["message"]["text"]


def test_unchecked_openmp_constructs_are_sarif_notes(db_report):
    import copy

    from tests.reports.sarif_validator import problems
    from xapp.reports import json_report, sarif_report, table_report

    report = copy.deepcopy(db_report)
    region = (report.not_offloadable or report.ranked)[0]
    region.omp_unchecked = ["task", "barrier"]
    log = json.loads(json_report.dumps(sarif_report.sarif_log(report)))
    assert problems(log) == []
    (note,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == sarif_report.UNCHECKED_RULE_ID]
    assert note["level"] == "note" and note["ruleIndex"] == 3 and "task, barrier" in note["message"]["text"]
    assert "OpenMP constructs not checked for races: task, barrier" in table_report.scan_table(report)
