"""`xapp scan` end to end, in-process: ranking, statuses, exit codes, formats, cache, stdout/stderr."""
from __future__ import annotations

import json

import pytest

from xapp.cli import main as xapp_main
from xapp.cli.scan import main
from xapp.scan.report import band_floor

from .tree import EXPECTED_STATUS, MAX_BYTES, inside, model_args

pytestmark = pytest.mark.slow(4)   # seconds, serial, on the idle 2-core machine


def scan_json(capsys, *args) -> tuple[int, dict, str]:
    code = main([*args, "--format", "json", *model_args()])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


@pytest.fixture()
def in_tree(tree, tmp_path):
    """Run from the tree's root with a fresh cache directory."""
    with inside(tree.root):
        yield ["-p", "build", "-j", "2", "--max-bytes", str(MAX_BYTES), "--cache-dir", str(tmp_path / "cache")]


def test_ranked_json_with_per_file_status(in_tree, capsys):
    code, doc, err = scan_json(capsys, *in_tree)
    assert code == 0                                     # failing files do not change the code without --strict
    assert {"model", "threshold", "exit_code", "counts", "results", "not_offloadable", "files"} <= set(doc)
    status = {f["file"]: f["status"] for f in doc["files"]}
    assert {f: s for f, s in status.items() if s != "ok"} == EXPECTED_STATUS
    assert doc["counts"]["failed"] == len(EXPECTED_STATUS) and doc["counts"]["files"] == len(status)
    # Ranked by the time a port saves per run (regions with known sizes first), then P(speed-up > T),
    # then band; serial code listed apart.
    t = doc["threshold"]
    keys = [(r["time_saved_seconds"] is not None, r["time_saved_seconds"] or 0.0,
             next(p["probability"] for p in r["predictions"] if p["threshold"] == t), band_floor(r["speedup_band"]))
            for r in doc["results"]]
    assert keys == sorted(keys, reverse=True) and len(keys) == 5
    assert doc["summary"]["text"].startswith(("porting these", "no region with known sizes"))
    assert all(r["offloadable"] for r in doc["results"])
    assert [(r["function"], r["offloadable"]) for r in doc["not_offloadable"]] == [("prefix", False)]
    assert "xapp scan: scanned" in err and "xapp scan" not in json.dumps(doc["counts"])


def test_region_objects_are_those_of_xapp_predict(in_tree, capsys):
    _, doc, _ = scan_json(capsys, *in_tree)
    assert xapp_main(["predict", "src/dense/matmul.c", "-D", "N=1024", "-I", "include", "--format", "json",
                      *model_args()]) == 0
    predicted = json.loads(capsys.readouterr().out)["results"]
    scanned = [r for r in doc["results"] if r["file"] == "src/dense/matmul.c"]
    assert scanned == predicted


def test_exit_codes(in_tree, capsys):
    _, doc, _ = scan_json(capsys, *in_tree)
    best = doc["results"][0]["predictions"][0]["probability"]
    assert main([*in_tree, "--fail-on", "0", "-o", "/dev/null", *model_args()]) == 1
    err = capsys.readouterr().err                         # the code 1 names every region that reached it
    assert f"--fail-on 0: {len(doc['results'])} regions reached" in err
    top = doc["results"][0]
    assert f"  {top['file']}:{top['line']} {top['function']} ({top['kind']}): P={best:.2f}" in err
    assert main([*in_tree, "--fail-on", f"{best}", "-o", "/dev/null", *model_args()]) == 1
    assert f"--fail-on {best:g}: " in capsys.readouterr().err
    if best < 1.0:
        assert main([*in_tree, "--fail-on", f"{min(1.0, best + 0.001)}", "-o", "/dev/null", *model_args()]) == 0
    assert main([*in_tree, "--strict", "-o", "/dev/null", *model_args()]) == 2
    assert main([*in_tree, "--strict", "--fail-on", "0", "-o", "/dev/null", *model_args()]) == 2
    clean = in_tree[2:]                                   # no database: only the good files
    assert main(["src/dense", "src/stencil", *clean, "--strict", "-o", "/dev/null", *model_args()]) == 0
    capsys.readouterr()
    # Usage and unusable input: 2, with the reason on stderr.
    assert main([*in_tree, "--fail-on", "1.5"]) == 2
    assert main([*in_tree, "--threshold", "3", *model_args()]) == 2
    assert "not in the model" in capsys.readouterr().err
    assert main(["no/such/dir", *model_args()]) == 2
    assert xapp_main(["predict", "no/such/dir", *model_args()]) == 2          # the same code as predict's


def test_json_carries_the_input_warnings(in_tree, capsys):
    _, doc, err = scan_json(capsys, *in_tree)
    assert {"file": "src/io/missing.c", "fix": "add -I DIR, DIR being the folder that holds nowhere.h",
            "message": '#include "nowhere.h" not found: replaced by an empty stub, so the prediction may be '
                       "wrong"} in doc["warnings"]
    assert "warning" not in err                           # JSON carries them; stderr stays short
    assert main([*in_tree, "-o", "/dev/null", *model_args()]) == 0
    assert 'xapp scan: warning: src/io/missing.c: #include "nowhere.h" not found' in capsys.readouterr().err


def test_rescan_comes_from_the_cache(in_tree, capsys):
    _, first, _ = scan_json(capsys, *in_tree)
    _, second, err = scan_json(capsys, *in_tree)
    cached = {f["file"] for f in second["files"] if f["cached"]}
    assert cached == {f["file"] for f in first["files"] if f["status"] in ("ok", "parse_error")}
    assert second["results"] == first["results"]
    assert f"{len(cached)} from cache" in err


def test_top_threshold_and_output_file(in_tree, tmp_path, capsys):
    _, doc, _ = scan_json(capsys, *in_tree, "--top", "2", "--threshold", "2")
    assert len(doc["results"]) == 2 and doc["counts"]["candidates"] == 5 and doc["threshold"] == 2
    assert all([p["threshold"] for p in r["predictions"]] == [2, 4, 8, 16] for r in doc["results"])
    out = tmp_path / "report.html"
    assert main([*in_tree, "-o", str(out), *model_args()]) == 0
    assert capsys.readouterr().out == ""                  # the data went to the file
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_walk_mode_table(tree, tmp_path, capsys):
    with inside(tree.root):
        code = main([".", "--exclude", "vendor", "--exclude", "bad", "-j", "2", "--cache-dir",
                     str(tmp_path / "c"), *model_args()])
    out = capsys.readouterr().out
    assert code == 0
    assert "kernels/vadd.cl" in out and "vendor" not in out and "generated" not in out
    assert "rank" in out.splitlines()[1] and "not offered as GPU candidates (1)" in out
    assert "missing includes replaced by empty stubs: nowhere.h" in out


def test_batched_scoring_equals_file_by_file(db_report, shared_predictor, tree):
    """The model stage scores many files per XGBoost call; each region's answer must not change."""
    from xapp.features import ParseOptions
    from xapp.predict import PredictOptions
    from xapp.scan import discover, extract_all
    from xapp.scan.pipeline import predict_outcomes

    with inside(tree.root):
        outcomes = extract_all(discover(["src/dense", "src/stencil", "src/serial"], ParseOptions()), workers=2)
    options = PredictOptions()
    batched = predict_outcomes(shared_predictor, outcomes, options, batch=2)
    for i, o in enumerate(outcomes):
        single = shared_predictor.predict_features(o.features, options)
        assert [r.as_dict() for r in batched[i].results] == [r.as_dict() for r in single.results]
        assert batched[i].file == single.file and batched[i].diagnostics == single.diagnostics
