"""Predictions for a named target: where the probabilities come from, the JSON and table, sweeps."""
from __future__ import annotations

import json

import pytest

from xapp.cli import main
from xapp.predict import Predictor, SweepPoint, _crossings
from xapp.features import ParseOptions
from xapp.predict import PredictOptions
from xapp.targets import get_target

from tests.estimate.helpers import KERNELS, ROOT, predict

CL_KERNEL = ROOT / "tests" / "fixtures" / "kernels" / "vector_add.cl"


@pytest.fixture(scope="module")
def predictor():
    return Predictor()


def test_the_source_of_the_probabilities_follows_the_target(predictor):
    (h100,) = predict(predictor, "gemm.c", "h100", N=256)
    (tahiti,) = predict(predictor, "gemm.c", "tahiti7970", N=256)
    assert h100.probability_source == "estimate" and tahiti.probability_source == "estimate+classifier"
    assert h100.target == "h100" and tahiti.target == "tahiti7970"
    for target in ("h100", "tahiti7970"):
        options = PredictOptions(ParseOptions(), (("transfer", 4e6),), target=get_target(target))
        kernels = predictor.predict_source(CL_KERNEL.read_text(), str(CL_KERNEL), options).results
        assert all(r.probability_source == "classifier" and r.estimate is None for r in kernels)


def test_the_model_card_says_what_the_probabilities_are_calibrated_on(predictor):
    assert "no measured corpus" in predictor.model_summary(get_target("h100"))["target"]["calibration"]
    assert "cgo17-amd" in predictor.model_summary(get_target("tahiti7970"))["target"]["calibration"]


def test_json_carries_the_estimate_and_the_launch(capsys):
    code = main(["predict", str(KERNELS / "jacobi2d.c"), "-D", "N=1024", "-D", "TSTEPS=10", "--format", "json",
                 "--target", "a100"])
    doc = json.loads(capsys.readouterr().out)
    (r,) = doc["results"]
    assert code == 0 and doc["model"]["target"]["name"] == "a100"
    assert {"speedup", "bound", "cpu_seconds", "gpu_seconds", "transfer_seconds", "launch_seconds"} <= set(r["estimate"])
    assert r["estimate"]["gpu_seconds"] >= r["estimate"]["transfer_seconds"] + r["estimate"]["launch_seconds"]
    assert r["launch"]["launches"] == 10 and r["launch"]["work_items"] == 1022 * 1022


def test_table_has_an_estimate_column(capsys):
    assert main(["predict", str(KERNELS / "saxpy.c"), "-D", "N=1048576"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("region"))
    assert "estimate" in header and "x transfer" in out


def test_every_crossing_of_the_curve_is_reported():
    points = [SweepPoint(v, p) for v, p in [(1, 0.2), (10, 0.7), (100, 0.9), (1000, 0.3), (10000, 0.1)]]
    crossings = _crossings(points)
    assert [c["direction"] for c in crossings] == ["above", "below"]
    assert 1 < crossings[0]["value"] < 10 < 100 < crossings[1]["value"] < 1000


def test_a_gemm_sweep_crosses_once_upwards(predictor):
    path = KERNELS / "gemm.c"
    (s,) = predictor.sweep(path.read_text(), str(path), "N", 4, 4096)
    assert [c["direction"] for c in s.crossings] == ["above"] and 8 < s.crossing < 512
    assert "starts to pay off above N of about" in s.sentence()
