"""The conventions users of code analysers expect: settings in [tool.xapp] / xapp.toml (command line over
file), inline suppression counted in every output, `xapp scan` alone scanning `.`, `predict -o` and SARIF,
the pre-commit hook, tables fitted to the terminal, and features shown by human names."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from xapp.cli import build_parser, main
from xapp.cli.options import table_width
from xapp.features import FEATURE_LABELS, FEATURE_NAMES, SOURCE_SUFFIXES
from xapp.reports import sarif_report, table_report

from .scan.tree import model_args

pytestmark = pytest.mark.slow(4)   # seconds, serial, on the idle 2-core machine

REPO = Path(__file__).resolve().parents[1]
HEAT = (REPO / "data" / "examples" / "heat.c").read_text()
SUPPRESSED = """\
void keep(float *x, int n) {
    for (int i = 0; i < n; i++) x[i] = 2 * x[i];
}
void skip_line(float *x, int n) {
    for (int i = 0; i < n; i++) x[i] += 1;   // xapp: ignore
}
void skip_block(float *x, int n) {
    /* xapp: ignore */
    for (int i = 0; i < n; i++) x[i] = 0;
}
"""


def project(root: Path, settings: str, name: str = "pyproject.toml") -> Path:
    """A project: settings, src/heat.c reading GRID from include/grid.h."""
    (root / "src").mkdir(parents=True)
    (root / "include").mkdir()
    (root / "include" / "grid.h").write_text("#define GRID 64\n")
    (root / "src" / "heat.c").write_text('#include "grid.h"\nvoid f(float *a) {\n'
                                         "    for (int i = 0; i < GRID; i++) a[i] = 1.0f;\n}\n")
    (root / name).write_text(settings)
    return root


def json_of(capsys, argv) -> tuple[int, dict, str]:
    code = main([*argv, *model_args()])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else {}), out.err


# ---- settings files ----------------------------------------------------------------------------
def test_tool_xapp_target_is_used_and_the_command_line_wins(tmp_path, monkeypatch, capsys):
    root = project(tmp_path / "p", '[project]\nname = "p"\n[tool.xapp]\ntarget = "t4"\ninclude = ["include"]\n'
                                   'define = ["N=7"]\n[tool.xapp.scan]\nthreshold = 2\nformat = "json"\n')
    monkeypatch.chdir(root)
    code, doc, err = json_of(capsys, ["predict", "src/heat.c", "--format", "json", "-q"])
    assert code == 0 and doc["model"]["target"]["name"] == "t4"
    assert f"xapp: settings from {root / 'pyproject.toml'} [tool.xapp]" in err
    # The include directory is the file's (relative to it): GRID is known, so the loop has an estimate.
    (region,) = doc["results"]
    assert region["loops"][0]["trip_count"] == 64 and region["estimate"] is not None
    code, doc, _ = json_of(capsys, ["predict", "src/heat.c", "--format", "json", "-q", "--target", "a100"])
    assert doc["model"]["target"]["name"] == "a100"                       # command line over file
    # scan reads its own table over the shared keys; the settings come from the scanned path upwards.
    monkeypatch.chdir(tmp_path)
    code, doc, _ = json_of(capsys, ["scan", "p/src", "-q", "--no-cache"])
    assert doc["threshold"] == 2 and doc["model"]["target"]["name"] == "t4" and doc["counts"]["ok"] == 1
    code, doc, _ = json_of(capsys, ["scan", "p/src", "-q", "--no-cache", "--threshold", "4"])
    assert doc["threshold"] == 4


def test_lists_add_up_and_a_later_define_wins(tmp_path, monkeypatch, capsys):
    root = tmp_path / "q"
    root.mkdir()
    (root / "k.c").write_text("void f(float *a) {\n    for (int i = 0; i < N * M; i++) a[i] = 1.0f;\n}\n")
    (root / "xapp.toml").write_text('define = ["N=8", "M=2"]\n')
    (root / "pyproject.toml").write_text('[tool.xapp]\ntarget = "no-such-target"\n')  # xapp.toml comes first
    monkeypatch.chdir(root)
    code, doc, err = json_of(capsys, ["features", "k.c", "--format", "json", "-q", "-D", "N=32"])
    assert code == 0 and doc["regions"][0]["loops"][0]["trip_count"] == 64
    assert f"settings from {root / 'xapp.toml'}" in err


@pytest.mark.parametrize("settings, message", [
    ('[tool.xapp]\ntarged = "t4"\n', "unknown setting 'targed'"),
    ('[tool.xapp.scan]\nfail-onn = 0.5\n', "unknown setting [scan] 'fail-onn'"),
    ('[tool.xapp]\ntarget = "t5"\n', "target = 't5': unknown target 't5'"),
    ('[tool.xapp]\nthreshold = "x"\n', "threshold = 'x'"),
    ('[tool.xapp]\nheaders = "all"\n', "headers = 'all': choose one of hermetic, system"),
    ('[tool.xapp]\nno-alias-assumption = 1\n', "expected true or false"),
    ('[tool.xapp\n', "cannot read settings"),
])
def test_bad_settings_are_errors_naming_the_file(tmp_path, monkeypatch, capsys, settings, message):
    (tmp_path / "pyproject.toml").write_text(settings)
    (tmp_path / "k.c").write_text("void f(float *a) { for (int i = 0; i < 8; i++) a[i] = 0; }\n")
    monkeypatch.chdir(tmp_path)
    assert main(["features", "k.c", "-q"]) == 2
    err = capsys.readouterr().err
    assert f"xapp: error: {tmp_path / 'pyproject.toml'}" in err and message in err


def test_a_pyproject_without_tool_xapp_is_passed_over(tmp_path, monkeypatch, capsys):
    (tmp_path / "xapp.toml").write_text('std = "c89"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (sub / "k.c").write_text("void f(float *a) { for (int i = 0; i < 8; i++) a[i] = 0; }\n")
    monkeypatch.chdir(sub)
    assert main(["features", "k.c", "-q", "--format", "json"]) == 0
    assert f"settings from {tmp_path / 'xapp.toml'}" in capsys.readouterr().err


# ---- suppression, scan of `.`, predict -o and SARIF --------------------------------------------------
def test_suppressed_regions_are_counted_in_predict_and_scan(tmp_path, monkeypatch, capsys):
    (tmp_path / "s.c").write_text(SUPPRESSED)
    monkeypatch.chdir(tmp_path)
    code, doc, _ = json_of(capsys, ["predict", "s.c", "--format", "json", "-q"])
    assert [r["function"] for r in doc["results"]] == ["keep"]
    assert doc["suppressed"] == [{"file": "s.c", "line": 5, "function": "skip_line"},
                                 {"file": "s.c", "line": 9, "function": "skip_block"}]
    main(["predict", "s.c", "-q", *model_args()])
    assert "suppressed by xapp: ignore (2): s.c:5 skip_line, s.c:9 skip_block" in capsys.readouterr().out
    # `xapp scan` with no PATH scans the current directory.
    code, doc, err = json_of(capsys, ["scan", "--format", "json", "-q", "--no-cache"])
    assert [f["file"] for f in doc["files"]] == ["s.c"] and doc["counts"]["suppressed"] == 2
    assert len(doc["suppressed"]) == 2 and "1 GPU candidates, 0 not offloadable, 2 suppressed" in err
    assert main(["scan", "-q", "--no-cache", "-o", "r.html", *model_args()]) == 0
    assert "<span><b>2</b> suppressed</span>" in (tmp_path / "r.html").read_text()


def test_scan_of_an_empty_directory_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "-q"]) == 2
    assert "no C, C++ or OpenCL source" in capsys.readouterr().err


def test_predict_writes_its_report_to_a_file_and_as_sarif(tmp_path, monkeypatch, capsys):
    (tmp_path / "heat.c").write_text(HEAT)
    monkeypatch.chdir(tmp_path)
    assert main(["predict", "heat.c", "-q", "-o", "out.sarif", *model_args()]) == 0
    assert capsys.readouterr().out == ""
    (run,) = json.loads((tmp_path / "out.sarif").read_text())["runs"]
    assert {r["ruleId"] for r in run["results"]} == {sarif_report.RULE_ID}
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]] == ["heat.c"] * 3
    assert run["properties"]["xapp"]["counts"]["candidates"] == 3
    assert main(["predict", "heat.c", "-q", "-o", "out.json", *model_args()]) == 0
    assert json.loads((tmp_path / "out.json").read_text())["results"]
    assert main(["predict", "heat.c", "-q", "-o", "out.txt", *model_args()]) == 0
    assert "P(>1x)" in (tmp_path / "out.txt").read_text()
    assert main(["predict", "heat.c", "-q", "-o", "out.html"]) == 2
    assert "writes table, json, sarif, not html" in capsys.readouterr().err


def test_sarif_rule_ids_share_one_style():
    ids = [sarif_report.RULE_ID, sarif_report.RACE_RULE_ID, sarif_report.SHARED_RULE_ID]
    assert all(re.fullmatch(r"xapp/[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


# ---- the pre-commit hook -----------------------------------------------------------------------
def test_pre_commit_hook_runs_xapp_scan_on_every_source_suffix():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "xapp-scan" and hook["language"] == "python" and hook["entry"] == "xapp scan"
    args = build_parser().parse_args([*hook["entry"].split()[1:], *hook["args"], "a.c", "b.cl"])
    assert args.command == "scan" and args.paths == ["a.c", "b.cl"] and args.strict and args.quiet
    pattern = re.compile(hook["files"])
    assert all(pattern.search(f"dir/x{suffix}") for suffix in SOURCE_SUFFIXES)
    assert not any(pattern.search(name) for name in ("x.py", "x.cfg", "c/README", "x.h.orig"))


# ---- tables: the terminal's width, human names -------------------------------------------------
def test_a_table_is_fitted_to_the_width_cutting_the_long_columns():
    rows = [["src/very/long/path/to/kernels.c:120-140", "a_rather_long_function_name", "0.91",
             "GPU 1.12 ms (transfer 1.07 ms) vs CPU 5.44 ms"]]
    headers = ["region", "function", "P(>1x)", "top reason"]
    whole = table_report.render(headers, rows, right={2})
    assert max(map(len, whole.splitlines())) == 123 and "vs CPU 5.44 ms" in whole
    fitted = table_report.render(headers, rows, right={2}, width=80, shrink=(3, 1, 0), keep_end=frozenset({0}))
    lines = fitted.splitlines()
    assert max(map(len, lines)) == 80
    # The reason gives up characters first (down to 10), then the function name.
    assert lines[2] == "src/very/long/path/to/kernels.c:120-140  a_rather_long_func…    0.91  GPU 1.12 …"
    narrow = table_report.render(headers, rows, width=40, shrink=(3, 1, 0), keep_end=frozenset({0})).splitlines()
    assert narrow[2].startswith("…c:120-140  ")       # the line numbers are kept


def test_the_width_is_the_terminals_and_no_limit_for_a_pipe_or_a_file(monkeypatch):
    monkeypatch.setenv("COLUMNS", "90")
    assert table_width(None) is None and table_width("report.txt") is None   # pytest's stdout is no terminal
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert table_width(None) == 90 and table_width("report.txt") is None     # COLUMNS overrides the query
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a: __import__("os").terminal_size((132, 40)))
    assert table_width(None) == 132


def test_every_feature_has_a_human_name(tmp_path, monkeypatch, capsys):
    assert set(FEATURE_LABELS) == set(FEATURE_NAMES)
    assert len(set(FEATURE_LABELS.values())) == len(FEATURE_LABELS)
    assert all("_" not in label for label in FEATURE_LABELS.values())
    (tmp_path / "heat.c").write_text(HEAT)
    monkeypatch.chdir(tmp_path)
    main(["features", "heat.c", "-q"])
    header = capsys.readouterr().out.splitlines()[0]
    assert "loop depth" in header and "log2 trip count" in header and "loop_depth" not in header


def test_the_documented_ci_workflow_scans_and_uploads_the_same_sarif_file():
    text = (REPO / "docs" / "ci.md").read_text()
    workflow = yaml.safe_load(text.split("```yaml", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["gpu-candidates"]["steps"]
    assert workflow["permissions"]["security-events"] == "write"
    (scan_step,) = [s for s in steps if s.get("run", "").startswith("xapp scan")]
    argv = scan_step["run"].split()
    args = build_parser().parse_args(argv[1:])
    assert args.command == "scan" and args.paths == [] and args.fail_on == 0.9      # `.` by default
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == args.output == "xapp.sarif"
    assert any(s.get("run", "").startswith("pip install ") for s in steps)
