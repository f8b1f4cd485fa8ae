"""Ranking by time saved per program run, the program summary, unknown sizes with their break-even
size, and data that stays on the device (an n-body program written for these tests)."""
from __future__ import annotations

from pathlib import Path

import pytest

from xapp.features import ParseOptions
from xapp.predict import PredictOptions, Predictor, program_summary, ranked
from xapp.targets import get_target

NBODY = Path(__file__).resolve().parents[1] / "fixtures" / "sizes" / "nbody.c"


@pytest.fixture(scope="module")
def predictor():
    return Predictor()


def _predict(predictor, target="h100", hints=(), **sizes):
    options = PredictOptions(ParseOptions(sizes=tuple(sizes.items())), hints, target=get_target(target))
    return predictor.predict_source(NBODY.read_text(), str(NBODY), options).results


def _by_function(results):
    return {r.function: r for r in results}


def test_the_force_loop_called_every_step_ranks_above_the_init_loop(predictor):
    results = _predict(predictor)
    order = [r.function for r in ranked(results)]
    assert order.index("forces") == 0 and order.index("forces") < order.index("init_bodies")
    found = _by_function(results)
    forces, init = found["forces"], found["init_bodies"]
    assert forces.estimate["calls_per_run"] == 1000 and forces.estimate["calls_known"]      # simulate's time loop
    assert init.estimate["calls_per_run"] == 1
    assert forces.time_saved_seconds > 100 * (init.time_saved_seconds or 0.0)
    # per run: calls x per-call CPU seconds; the arrays cross the link once per run, not per call
    assert forces.estimate["cpu_seconds_per_run"] == pytest.approx(1000 * forces.estimate["cpu_seconds"], rel=1e-6)
    assert forces.estimate["transfer_seconds_per_run"] == pytest.approx(forces.estimate["transfer_seconds"])
    # the init loop creates its arrays on the device: its port costs its kernel, not a transfer
    assert init.estimate["transfer_seconds_per_run"] == 0.0 and init.estimate["transfer_seconds"] == 0.0
    assert init.estimate["bound"] != "transfer" and init.estimate["gpu_seconds"] > 0     # its kernel and launch


def test_fscanf_read_sizes_are_unknown_and_say_so_with_a_break_even(predictor):
    main = [r for r in _predict(predictor) if r.function == "main" and r.offloadable]
    (r,) = main
    assert r.estimate is None and r.time_saved_seconds is None
    assert r.size_unknown["names"] == {"k": "read from input"}
    found = r.size_unknown["break_even"]
    assert found["direction"] == "above" and 4 < found["size"] < 2 ** 24
    assert r.size_unknown["text"].startswith("size unknown: k (read from input); pays off for k above ~")
    # ranked apart: after every region whose sizes are known
    order = ranked(_predict(predictor))
    assert order[-1].function == "main"


def test_size_option_turns_the_unknown_into_an_estimate(predictor):
    r = next(r for r in _predict(predictor, **{"main:k": 1_000_000}) if r.function == "main" and r.offloadable)
    assert r.estimate is not None and r.size_unknown is None and r.time_saved_seconds is not None


def test_program_summary_is_amdahl_over_the_regions_with_known_sizes(predictor):
    results = _predict(predictor)
    s = program_summary(results)
    sized = [r for r in results if r.estimate and "cpu_seconds_per_run" in r.estimate]
    before = sum(r.estimate["cpu_seconds_per_run"] for r in sized)
    saved = sum(r.time_saved_seconds for r in sized if r.offloadable and r.time_saved_seconds)
    assert s["cpu_seconds"] == pytest.approx(before, rel=1e-6)
    assert s["seconds_after"] == pytest.approx(before - saved, rel=1e-6)
    assert s["speedup"] == pytest.approx(before / (before - saved), rel=1e-6)
    assert f"{NBODY}:20" in s["ported"] and s["text"].startswith(f"porting these {len(s['ported'])} regions:")
    assert s["regions_unknown"] == 2           # main's k (fscanf) and smooth's k (no caller)


def test_resident_hint_reaches_the_classifier_as_the_footprint_not_zero_bytes(predictor):
    r = next(r for r in _predict(predictor, hints=(("transfer", 0.0),)) if r.function == "forces")
    assert r.estimate["transfer_seconds"] == 0.0 and r.estimate["transfer_seconds_per_run"] == 0.0
    assert r.estimated_hints["transfer"] > 1000          # the classifier row got the data footprint
    from xapp.features import extract_source
    (forces,) = [f for f in extract_source(NBODY.read_text(), str(NBODY)).regions if f.function == "forces"]
    used, estimated = predictor.region_hints(forces, {"transfer": 0.0})
    assert used["transfer"] == forces.footprint_bytes and estimated == {"transfer": forces.footprint_bytes}
