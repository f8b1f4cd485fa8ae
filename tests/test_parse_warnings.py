"""What the command line says about code it could not take as given: parse errors (a `partial` file in
every report, a warning with the first error, `--strict` fails) and a -D or --sweep macro that a
`#define` of the code overrides (a warning naming the file and line; a flat sweep says so)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from xapp.cli import main
from xapp.cli.scan import main as scan_main

pytestmark = pytest.mark.slow(5)   # seconds, serial, on the idle 2-core machine

BROKEN = """void scale(float *a, float *b, int n) {
    for (int i = 0; i < n; i++)
        a[i] = 2.0f * b[i];
}

void broken(float *a, int n) {
    int x = ;
    for (int i = 0; i < n; i++) {
        a[i] = a[i] + 1 +;
    }
}
"""
CLEAN = "void twice(float *a, int n) {\n    for (int i = 0; i < n; i++) a[i] = 2.0f * a[i];\n}\n"
FIRST = "2 parse errors, the first at line 7: expected expression"
LOOP = "void f(float *a) {\n  for (int i = 0; i < GRID; i++) a[i] = 2.0f * a[i];\n}\n"


@pytest.fixture()
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("broken.c").write_text(BROKEN)
    Path("clean.c").write_text(CLEAN)
    return tmp_path


def test_predict_and_features_warn_with_the_first_error_and_its_line(project, capsys):
    assert main(["predict", "broken.c", "-q"]) == 0
    captured = capsys.readouterr()
    assert f"xapp: warning: broken.c: {FIRST}: the code around them is missing" in captured.err
    assert main(["predict", "broken.c", "-q", "--format", "json"]) == 0
    (warning,) = json.loads(capsys.readouterr().out)["warnings"]
    assert warning["file"] == "broken.c" and warning["message"].startswith(FIRST)
    assert main(["features", "broken.c", "clean.c", "-q"]) == 0
    err = capsys.readouterr().err
    assert f"broken.c: {FIRST}" in err and "clean.c" not in err


def _scan(capsys, fmt: str, *args, paths=("broken.c", "clean.c")) -> tuple[int, str, str]:
    cache = [] if "--cache-dir" in args else ["--no-cache"]
    code = scan_main([*paths, *cache, "-q", "--format", fmt, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_scan_reports_a_file_with_parse_errors_as_partial_in_every_format(project, capsys):
    code, out, err = _scan(capsys, "json")
    doc = json.loads(out)
    assert code == 0 and {f["file"]: f["status"] for f in doc["files"]} == {"broken.c": "partial", "clean.c": "ok"}
    assert doc["counts"]["partial"] == 1 and doc["counts"]["ok"] == 1 and doc["counts"]["failed"] == 0
    partial = next(f for f in doc["files"] if f["file"] == "broken.c")
    assert partial["message"].startswith(FIRST) and partial["regions"] == 2       # analysed, in part
    _, out, err = _scan(capsys, "table")
    assert f"broken.c: partial: {FIRST}" in out and "2 files: 1 ok, 1 partial, 0 not analysed" in out
    assert f"xapp scan: warning: broken.c: {FIRST}" in err and "(1 ok, 1 partial;" in err
    _, out, _ = _scan(capsys, "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["file"]: r["status"] for r in rows} == {"broken.c": "partial", "clean.c": "ok"}
    _, out, _ = _scan(capsys, "sarif")
    (note,) = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "xapp/partial" and note["level"] == "warning"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 7}
    assert [e["line"] for e in note["properties"]["errors"]] == [7, 9]
    _, out, _ = _scan(capsys, "html")
    # The file's rows (among the files not analysed in full, and in all files) and its two regions' rows.
    assert out.count('class="st-skip">partial<') == 2 + 2
    assert f"<td>{FIRST}; the code around them is missing from the analysis</td>" in out


def test_strict_fails_on_a_partial_file_also_from_the_cache(project, capsys):
    code, _, err = _scan(capsys, "table", "--strict")
    assert code == 2 and "1 partial" in err
    for cached in (0, 1):           # written to the cache, then read from it: still partial
        code, out, _ = _scan(capsys, "json", "--strict", "--cache-dir", "cache", paths=("broken.c",))
        doc = json.loads(out)
        assert code == 2 and doc["files"][0]["status"] == "partial" and doc["files"][0]["cached"] is bool(cached)
    assert _scan(capsys, "table", "--strict", paths=("clean.c",))[0] == 0


@pytest.mark.parametrize("where", ["header", "source"])
def test_a_define_that_the_code_overrides_is_a_warning_with_file_and_line(tmp_path, monkeypatch, capsys, where):
    monkeypatch.chdir(tmp_path)
    Path("inc").mkdir()
    Path("inc/grid.h").write_text("// sizes\n#define GRID 1024\n" if where == "header" else "// nothing\n")
    Path("grid.c").write_text('#include "grid.h"\n' + ("" if where == "header" else "#define GRID 512\n") + LOOP)
    assert main(["predict", "grid.c", "-I", "inc", "-D", "GRID=65536", "-q"]) == 0
    at = "inc/grid.h:2" if where == "header" else "grid.c:2"
    assert (f"xapp: warning: grid.c: -D GRID has no effect: `#define GRID` at {at} redefines it (an unguarded "
            "#define wins over the command line); fix: guard that definition with `#ifndef GRID`") in \
        capsys.readouterr().err
    # --sweep over it: the same override, on the sweep, and a curve that does not move says so.
    assert main(["predict", "grid.c", "-I", "inc", "--sweep", "GRID=16:1000000", "--format", "json", "-q"]) == 0
    (sweep,) = json.loads(capsys.readouterr().out)["sweeps"]
    assert sweep["warnings"] == [f"`#define GRID` at {at} overrides the sweep's -D GRID: its values never reach "
                                 "the code"]
    p = sweep["points"][0]["probability"]
    assert {x["probability"] for x in sweep["points"]} == {p}
    assert sweep["summary"] == (f"P(speed-up > 1x) does not change as GRID runs from 16 to 1e+06: it is {p:.2f} "
                                "over the whole range")


def test_a_guarded_define_gives_way_and_is_not_reported(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("grid.c").write_text("#ifndef GRID\n#define GRID 1024\n#endif\n" + LOOP)
    assert main(["predict", "grid.c", "-D", "GRID=65536", "-q", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["warnings"] == [] and doc["results"][0]["estimate"]["cpu_seconds"] > 0
    assert main(["predict", "grid.c", "--sweep", "GRID=16:100000000", "--format", "json", "-q"]) == 0
    (sweep,) = json.loads(capsys.readouterr().out)["sweeps"]
    assert sweep["warnings"] == [] and len({x["probability"] for x in sweep["points"]}) > 1
    assert "does not change" not in sweep["summary"]
