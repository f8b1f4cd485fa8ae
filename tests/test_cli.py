"""The command line, called in-process through xapp.cli.main (and once as `python -m xapp`)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from xapp.cli import main

pytestmark = pytest.mark.slow(4)   # seconds, serial, on the idle 2-core machine

KERNELS = Path(__file__).resolve().parent / "fixtures" / "kernels"


def test_features_json(capsys):
    assert main(["features", str(KERNELS / "sized.c"), "-D", "N=4096", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (region,) = doc["regions"]
    assert {"file", "function", "kind", "line", "end_line", "features"} <= set(region)
    assert region["function"] == "scale" and region["features"]["trip_count_log2"] == 12
    assert doc["files"][0]["diagnostics"]["header_mode"] == "hermetic"
    assert doc["files"][0]["error"] is None


def test_features_table_and_a_failing_file(tmp_path, capsys):
    bad = tmp_path / "bad.c"
    bad.write_bytes(b"\x7fELF\x00\x00binary")
    code = main(["features", str(KERNELS / "saxpy.c"), str(bad)])
    out = capsys.readouterr().out
    assert code == 1                         # one file failed; the other was still reported
    assert "saxpy" in out and "binary content" in out


def test_usage_error_exit_code(capsys):
    assert main(["features", "x.c", "--lang", "fortran"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_dash_m_entry_point():
    out = subprocess.run([sys.executable, "-m", "xapp", "features", str(KERNELS / "saxpy.c"), "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["regions"][0]["function"] == "saxpy"


def test_a_file_that_crashes_libclang_loses_only_itself(tmp_path, capsys):
    crash = tmp_path / "crash.c"     # one expression of 50,000 terms segfaults libclang 18
    crash.write_text("int f(int a) { return " + "+".join(["a"] * 50000) + "; }\n")
    code = main(["features", str(crash), str(KERNELS / "saxpy.c"), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [r["function"] for r in doc["regions"]] == ["saxpy"]
    (failed,) = [f for f in doc["files"] if f["error"]]
    assert failed["file"] == str(crash) and "crashed" in failed["error"]


MODEL_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "models"


def test_train_then_predict_with_the_new_bundle_and_evaluate(tmp_path, capsys):
    out = tmp_path / "bundle"
    assert main(["train", str(MODEL_FIXTURES / "corpus.csv"), "--out", str(out), "--folds", "3",
                 "--thresholds", "1", "2", "-j", "1", "--format", "json"]) == 0
    cv = json.loads(capsys.readouterr().out)
    assert (cv["rows"], cv["cv"], cv["folds"], cv["seed"]) == (80, "stratified", 3, 204)
    assert [t["threshold"] for t in cv["thresholds"]] == [1.0, 2.0]
    card = json.loads((out / "card.json").read_text())
    assert card["thresholds"] == [1.0, 2.0] and card["training"]["rows"] == 80

    assert main(["predict", str(KERNELS / "vector_add.cl"), "--model", str(out), "--hint", "transfer=1e6",
                 "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["model"]["thresholds"] == [1.0, 2.0]
    assert all(len(r["predictions"]) == 2 for r in doc["results"])

    assert main(["evaluate", str(MODEL_FIXTURES / "corpus.csv"), "--cv", "grouped", "--folds", "4",
                 "--no-hints", "-j", "1", "--thresholds", "1", "4"]) == 0
    table_text = capsys.readouterr().out
    assert "4-fold grouped cross-validation, seed 204, hints off" in table_text
    assert [line.split()[0] for line in table_text.splitlines() if line[:2] in ("1x", "2x", "4x")] == ["1x", "4x"]
    assert "Grewe tree" in table_text and "majority" in table_text


def test_train_and_evaluate_read_the_feature_cache_only_when_given_one(tmp_path, capsys):
    corpus, cache = str(MODEL_FIXTURES / "corpus.csv"), tmp_path / "cache"
    train = ["train", corpus, "--no-cv", "-j", "1", "--thresholds", "1", "--cache-dir", str(cache)]
    assert main([*train, "--out", str(tmp_path / "a")]) == 0
    assert "0 of 40 sources of corpus read from the feature cache" in capsys.readouterr().err
    assert len(list(cache.rglob("??/*.json"))) == 40
    assert main([*train, "--out", str(tmp_path / "b")]) == 0
    assert "40 of 40 sources of corpus read from the feature cache" in capsys.readouterr().err
    # the same features give the same booster, byte for byte
    assert (tmp_path / "a" / "threshold-1.ubj").read_bytes() == (tmp_path / "b" / "threshold-1.ubj").read_bytes()
    assert main(["evaluate", corpus, "--folds", "3", "-j", "1", "--thresholds", "1", "--cache-dir", str(cache)]) == 0
    assert "40 of 40 sources" in capsys.readouterr().err
    assert main(["train", corpus, "--no-cv", "-j", "1", "--thresholds", "1", "--out", str(tmp_path / "c")]) == 0
    assert "feature cache" not in capsys.readouterr().err          # no --cache-dir: no cache


def test_train_reports_a_malformed_corpus_row(tmp_path, capsys):
    corpus = tmp_path / "c.csv"
    corpus.write_text("src,speedup\n\"void f(float *a) { for (int i = 0; i < 8; i++) a[i] = 0; }\",2.0\n"
                      "\"void g(float *a) { for (int i = 0; i < 8; i++) a[i] = 1; }\",-3\n")
    assert main(["train", str(corpus), "--out", str(tmp_path / "b"), "--strict", "--no-cv"]) == 2
    err = capsys.readouterr().err
    assert "row 2" in err and "speedup" in err


# ---- input rules and warnings: nothing is guessed in silence ----------------------------------------
KERNEL_WITH_HEADER = '#include "cfg.h"\nvoid scale(real_t *x, int n) {\n  for (int i = 0; i < n; i++) x[i] *= 2;\n}\n'


def _project(tmp_path) -> Path:
    """proj/src/k.c includes "cfg.h", which lives in proj/include."""
    (tmp_path / "src").mkdir()
    (tmp_path / "include").mkdir()
    (tmp_path / "src" / "k.c").write_text(KERNEL_WITH_HEADER)
    (tmp_path / "include" / "cfg.h").write_text("typedef float real_t;\n")
    return tmp_path


def test_a_stubbed_include_is_a_warning_with_its_fix(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_project(tmp_path))
    assert main(["predict", "src/k.c", "--format", "json"]) == 0
    (warning,) = json.loads(capsys.readouterr().out)["warnings"]
    assert warning == {"file": "src/k.c", "fix": "add -I include (it holds cfg.h)",
                       "message": '#include "cfg.h" not found: replaced by an empty stub, so the prediction '
                                  "may be wrong"}
    assert main(["predict", "src/k.c"]) == 0                       # table mode: said on stderr
    err = capsys.readouterr().err
    assert 'xapp: warning: src/k.c: #include "cfg.h" not found' in err and "fix: add -I include" in err
    assert main(["predict", "src/k.c", "-I", "include", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == []
    assert main(["features", "src/k.c"]) == 0                      # features says it too
    assert "fix: add -I include" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_a_warning_and_still_predicted(tmp_path, capsys):
    source = tmp_path / "legacy.c"       # a cp1252 comment: byte 0xe9 is "é" there and invalid UTF-8
    source.write_bytes(b"/* r\xe9sum\xe9 */\nvoid f(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 0; }\n")
    assert main(["predict", str(source), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["function"] for r in doc["results"]] == ["f"]
    assert doc["warnings"] == [{"file": str(source), "fix": "save the file as UTF-8 if its text is not cp1252",
                                "message": "not UTF-8 (first invalid byte at offset 4); decoded as cp1252"}]
    assert main(["features", str(source)]) == 0                    # table mode: said on stderr
    assert f"xapp: warning: {source}: not UTF-8" in capsys.readouterr().err


def test_system_headers_falling_back_to_stubs_is_a_warning(tmp_path, capsys):
    args = ["predict", str(KERNELS / "saxpy.c"), "--headers", "system", "--resource-dir", str(tmp_path)]
    assert main([*args, "--format", "json"]) == 0
    (warning,) = json.loads(capsys.readouterr().out)["warnings"]
    assert warning["file"] is None and warning["message"].startswith("--headers system fell back to stubs")
    assert "--resource-dir DIR" in warning["fix"]


def test_unusable_inputs_exit_2_in_predict_and_scan_alike(tmp_path, capsys):
    script = tmp_path / "tool.py"
    script.write_text("print('not C')\n")
    empty = tmp_path / "docs"
    empty.mkdir()
    (empty / "notes.txt").write_text("no sources here\n")
    cases = {str(script): "not a C/C++/OpenCL source", str(tmp_path / "gone.c"): "no such file or directory",
             str(empty): "no C, C++ or OpenCL sources in"}
    for path, said in cases.items():
        for command in ("predict", "scan", "features"):
            assert main([command, path, *(["--no-cache"] if command == "scan" else [])]) == 2, (command, path)
            assert said in capsys.readouterr().err, (command, path)
    assert main(["features", str(script), "--lang", "c", "--format", "json"]) == 0     # --lang forces it
    assert json.loads(capsys.readouterr().out)["files"][0]["error"] is None


def test_an_unknown_hint_is_a_usage_error_naming_the_known_ones(capsys):
    for command in ("predict", "scan"):
        assert main([command, str(KERNELS / "saxpy.c"), "--hint", "foo=1",
                     *(["--no-cache"] if command == "scan" else [])]) == 2
        assert "unknown hint foo; this model knows: transfer, wgsize" in capsys.readouterr().err
