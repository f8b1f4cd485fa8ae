"""Hardware target profiles: the shipped set, their cited sources, user files and bad input."""
from __future__ import annotations

import json
from dataclasses import fields

import pytest

from xapp.cli import main
from xapp.errors import InputError
from xapp.targets import (DEFAULT_BASELINE, DEFAULT_TARGET, PROFILE_DIR, CpuSpec, GpuSpec, builtin_baselines,
                          builtin_targets, get_baseline, get_target, load_baseline_file, load_target_file)

REQUIRED = {"h100", "a100", "l4", "t4", "rtx4090", "mi250x", "tahiti7970", "gtx970"}
NOT_CITED = {"name", "cores", "vectorizes_across_items"}   # names, and the baseline's own definition


def test_the_issue_targets_ship_and_h100_is_the_default():
    assert REQUIRED <= set(builtin_targets())
    assert DEFAULT_TARGET == "h100" and get_target().name == "h100"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_number_cites_a_source_or_says_approximate(name):
    t = get_target(name)
    assert t.cpu is None          # the CPU is a baseline of its own, not part of a target
    for f in fields(GpuSpec):
        if f.name in NOT_CITED:
            continue
        source = t.source(f"gpu.{f.name}")
        assert source and len(source) > 10, f"{name}: gpu.{f.name} has no source"


@pytest.mark.parametrize("name", sorted(builtin_baselines()))
def test_every_baseline_number_cites_a_source(name):
    b = builtin_baselines()[name]
    for f in fields(CpuSpec):
        if f.name in NOT_CITED or (f.name == "vectorizes_across_items"):
            continue
        source = b.source(f"cpu.{f.name}")
        assert source and len(source) > 10, f"{name}: cpu.{f.name} has no source"


def test_devmap_pair_runs_on_four_cores_and_names_its_corpus():
    for name in ("tahiti7970", "gtx970"):
        t = get_target(name)
        cpu = get_baseline(None, t).cpu
        assert cpu.cores == 4 and cpu.vectorizes_across_items and t.measured_corpus
    assert get_baseline(None, get_target("h100")).cpu.cores == 1 and get_target("h100").measured_corpus is None


def test_every_gpu_target_without_a_corpus_shares_the_reference_baseline():
    for t in builtin_targets().values():
        expected = "i7-3820-opencl" if t.measured_corpus else DEFAULT_BASELINE
        assert get_baseline(None, t).name == expected
    assert get_baseline("i7-3820-opencl", get_target("h100")).cpu.cores == 4


def test_a_baseline_file_loads_and_a_bad_one_names_the_field(tmp_path):
    text = (PROFILE_DIR.parent / "baselines" / "server-core.toml").read_text()
    good = tmp_path / "mine.toml"
    good.write_text(text.replace('name = "server-core"', 'name = "mine"'))
    assert get_baseline(str(good)).name == "mine" and load_baseline_file(good).cpu.l2_kib == 2048
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("l1_gbs = 200", "l1_gbs = -1"))
    with pytest.raises(InputError, match="l1_gbs"):
        get_baseline(str(bad))
    with pytest.raises(InputError, match="known baselines"):
        get_baseline("no-such-core")


def test_spec_numbers_are_the_datasheet_values():
    h100, a100 = get_target("h100"), get_target("a100")
    assert (h100.gpu.fp64_tflops, h100.gpu.memory_bandwidth_gbs, h100.gpu.sms) == (33.5, 3350, 132)
    assert (a100.gpu.fp32_tflops, a100.gpu.memory_bandwidth_gbs, a100.gpu.sms) == (19.5, 2039, 108)


def _write(tmp_path, text):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    return path


def _profile_text(**changes) -> str:
    text = (PROFILE_DIR / "t4.toml").read_text()
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def test_a_user_target_file_loads_and_is_listed(tmp_path, capsys):
    path = _write(tmp_path, _profile_text(**{'name = "t4"': 'name = "mygpu"'}))
    assert load_target_file(path).name == "mygpu"
    assert main(["targets", "--target-file", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["default"] == "h100" and "mygpu" in {t["name"] for t in doc["targets"]}


@pytest.mark.parametrize("change, message", [
    ({"sms = 40\n": ""}, "missing field 'sms'"),
    ({"sms = 40": "sms = -3"}, "positive number"),
    ({"sms = 40": "sms = 0.5"}, r"gpu\]\.sms: expected a positive number from 1 to 1,000,000, got 0.5"),  # 0 as int
    ({"clock_ghz = 1.59": "clock_ghz = 1e308"}, r"\.clock_ghz: expected a positive number from 0.001 to 1,000,000"),
    ({"clock_ghz = 1.59": "clock_ghz = 1e-300"}, r"\.clock_ghz: expected a positive number from 0.001"),
    ({"sms = 40": "sms = 40\nwarp_size = 32"}, "unknown field"),
    ({"[gpu]": "[gpu"}, "not a valid TOML"),
])
def test_bad_target_files_are_refused_with_the_field_named(tmp_path, change, message):
    with pytest.raises(InputError, match=message):
        load_target_file(_write(tmp_path, _profile_text(**change)))


def test_unknown_target_names_the_known_ones(capsys):
    with pytest.raises(InputError, match="known targets: a100"):
        get_target("h200")
    assert main(["predict", "--target", "h200", str(PROFILE_DIR.parents[2] / "data" / "examples" / "heat.c")]) == 2
    assert "unknown target 'h200'" in capsys.readouterr().err


def test_train_and_evaluate_refuse_a_target_the_corpus_did_not_measure(tmp_path, capsys):
    corpus = PROFILE_DIR.parents[2] / "tests" / "fixtures" / "models" / "corpus.csv"   # no platform column
    for command in (["train", str(corpus), "--out", str(tmp_path / "b"), "--no-cv", "-j", "1"],
                    ["evaluate", str(corpus), "--folds", "3", "-j", "1"]):
        assert main([*command, "--target", "h100"]) == 2
        assert "is not the platform" in capsys.readouterr().err
