"""`xapp scan` inside a checkout nobody reviewed: each class of the third round of hostile probes (issue 19)
against a real `xapp scan` process on a temporary tree, each run bounded by a subprocess time limit."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scan.tree import inside, model_args
from xapp.cli.scan import main
from xapp.scan import ScanOptions, render, scan

pytestmark = pytest.mark.slow(30)   # seconds, serial, on the idle 2-core machine: two `xapp scan` processes, six in-process

LIMIT_S = 240       # per `xapp scan` process: a stall fails the test instead of hanging the suite
SECRET = "host_secret_name_7f3a"
LOOP = "void {name}(float *y) {{ for (int i = 0; i < 64; i++) y[i] = 2.0f * y[i]; }}\n"


def _scan(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    """A real `xapp scan` process (its own imports, terminal output and exit code)."""
    command = [sys.executable, "-m", "xapp", "scan", *args, "-j", "1", "--quiet", *model_args()]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=LIMIT_S)


def _main(capsys, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """The same command in this process (the XGBoost import paid once): exit code, stdout and stderr."""
    with inside(cwd):
        code = main([*args, "-j", "1", "--quiet", *model_args()])
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out.encode(), out.err.encode())


def _json(run: subprocess.CompletedProcess) -> dict:
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A checkout that reaches for the host: a file outside it, links out, a forged cache, a wild .gitignore."""
    base = tmp_path_factory.mktemp("hostile")
    host = base / "host"
    host.mkdir()
    (host / "secret.h").write_text(f"int {SECRET}(int);\n#define LEAK {SECRET}(1)\n")
    tree = base / "tree"
    (tree / "inc").mkdir(parents=True)
    (tree / "main.c").write_text(f'#include "{host / "secret.h"}"\n#include "inc/out.h"\n'
                                 + "int use(void) { return LEAK; }\n" + LOOP.format(name="main_loop"))
    (tree / "inc" / "out.h").symlink_to(host / "secret.h")            # a header that leads out
    (tree / "stolen.c").symlink_to(host / "secret.h")                  # a source that leads out
    (tree / "ok.c").write_text(LOOP.format(name="ok_loop"))
    # A .gitignore line that backtracks exponentially in Python's re, against a long name.
    (tree / ".gitignore").write_text("*" * 40 + "x\n")
    (tree / ("a" * 120 + ".c")).write_text(LOOP.format(name="long_name"))
    env = {**os.environ, "XDG_CACHE_HOME": str(base / "xdg")}
    return tree, host, env


def test_host_files_never_reach_the_report(hostile):
    tree, host, env = hostile
    run = _scan(tree, env, ".", "--format", "json")
    text = run.stdout.decode()
    doc = _json(run)
    at = text.find(SECRET)
    assert at < 0, text[max(0, at - 300):at + 100]
    files = {f["file"]: f for f in doc["files"]}
    assert files["main.c"]["status"] == "ok"
    assert str(host / "secret.h") in files["main.c"]["diagnostics"]["stubbed_includes"]
    assert files["stolen.c"]["status"] == "skipped" and "outside the scanned tree" in files["stolen.c"]["message"]
    assert files["inc/out.h"]["status"] == "skipped"
    # the wild .gitignore line was matched (linear time) and ignored nothing it should not
    assert files["a" * 120 + ".c"]["status"] == "ok"
    # the cache is per user, never a folder of the tree
    assert not (tree / ".xapp-cache").exists() and any((tree.parent / "xdg" / "xapp").rglob("*.json"))


def test_a_compile_database_cannot_widen_the_view(hostile, tmp_path, capsys):
    tree, host, _ = hostile
    build = tmp_path / "build"
    build.mkdir()
    entry = {"directory": str(tree), "file": str(tree / "ok.c"),
             "arguments": ["cc", "-isystem", "/", "-include", str(host / "secret.h"), "-c", "ok.c"]}
    (build / "compile_commands.json").write_text(json.dumps([entry]))
    confined = _json(_main(capsys, tree, "-p", str(build), "--no-cache", "--format", "json"))
    assert [f["status"] for f in confined["files"]] == ["ok"] and SECRET not in json.dumps(confined)
    (warning,) = [w for w in confined["warnings"] if "outside the scanned tree" in w["message"]]
    assert "-isystem /" in warning["message"] and f"-include {host / 'secret.h'}" in warning["message"]
    assert "--trust-compile-db" in warning["fix"]
    trusted = _main(capsys, tree, "-p", str(build), "--no-cache", "--trust-compile-db", "--format", "json")
    assert [f["status"] for f in _json(trusted)["files"]] == ["ok"]


def test_an_untrusted_cache_directory_is_refused_and_a_forged_entry_unused(hostile, tmp_path, capsys):
    tree, _, _ = hostile
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "ab").symlink_to(tmp_path, target_is_directory=True)
    run = _main(capsys, tree, "ok.c", "--cache-dir", str(cache))
    assert run.returncode == 2 and b"symbolic link" in run.stderr and b"refused" in run.stderr
    (cache / "ab").unlink()
    first = _json(_main(capsys, tree, "ok.c", "--cache-dir", str(cache), "--format", "json"))
    (entry,) = cache.rglob("??/*.json")
    doc = json.loads(entry.read_text())
    doc["body"]["features"]["regions"][0]["function"] = "forged"
    entry.write_text(json.dumps(doc))
    again = _json(_main(capsys, tree, "ok.c", "--cache-dir", str(cache), "--format", "json"))
    assert [f["cached"] for f in again["files"]] == [False]
    assert [r["function"] for r in again["results"]] == [r["function"] for r in first["results"]] == ["ok_loop"]


NAMES = {b"caf\xe9.c": "caf\\xe9.c", b"=cmd.c": "=cmd.c", b"red\x1b[31m\nforged.c": "red\x1b[31m\nforged.c"}


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    tree = tmp_path_factory.mktemp("names")
    for raw in NAMES:
        with open(os.path.join(os.fsencode(tree), raw), "wb") as f:
            f.write(LOOP.format(name="f").encode())
    return tree


def test_no_writer_fails_on_a_name(named, shared_predictor):
    report = scan(ScanOptions(paths=(str(named),), workers=1, cache_dir=None), shared_predictor)
    for fmt in ("json", "csv", "sarif", "html", "table"):
        text = render(report, fmt)
        text.encode("utf-8")                          # strict: nothing a UTF-8 writer would refuse
        if fmt == "json":
            assert sorted(f["file"].rpartition("/")[2] for f in json.loads(text)["files"]) == sorted(NAMES.values())
        elif fmt != "sarif":                          # (SARIF lists no region below its minimum probability)
            assert "caf\\xe9.c" in text, fmt
    assert sorted(f.file.rpartition("/")[2] for f in report.files) == sorted(
        ["caf\udce9.c", "=cmd.c", "red\x1b[31m\nforged.c"])        # the report keeps the true names


def test_names_on_the_terminal_are_shown_not_obeyed(named, tmp_path):
    run = _scan(named, {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}, ".")
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    text = run.stdout.decode("utf-8")
    assert "red\\e[31m\\nforged.c" in text and "caf\\xe9.c" in text and "\x1b" not in text
    assert len([line for line in text.splitlines() if "forged.c" in line]) == 1
    assert b"\x1b" not in run.stderr


def test_csv_cells_are_never_formulas(named, tmp_path, capsys):
    run = _main(capsys, named, ".", "--format", "csv", "--cache-dir", str(tmp_path))
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode())))
    assert sorted(r["file"] for r in rows) == sorted(["'=cmd.c", "caf\\xe9.c", "red\x1b[31m\nforged.c"])
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r)


def test_a_macro_bomb_or_dev_zero_costs_one_file(tmp_path, capsys):
    """Parser processes run under xapp serve's limits by default; here a smaller memory limit keeps it quick."""
    lines = ["#define A0 x", *[f"#define A{i} A{i - 1} A{i - 1}" for i in range(1, 40)], "int v = A39;"]
    (tmp_path / "bomb.c").write_text("\n".join(lines) + "\n" + LOOP.format(name="bomb_loop"))
    (tmp_path / "zero.c").write_text('#include "/dev/zero"\n' + LOOP.format(name="zero_loop"))
    (tmp_path / "ok.c").write_text(LOOP.format(name="ok_loop"))
    run = _main(capsys, tmp_path, ".", "--worker-memory", "400", "--format", "json", "--no-cache")
    files = {f["file"]: f for f in _json(run)["files"]}
    assert files["bomb.c"]["status"] in ("parse_error", "crashed") and "memory" in files["bomb.c"]["message"]
    assert files["zero.c"]["status"] == "ok" and files["zero.c"]["diagnostics"]["stubbed_includes"] == ["/dev/zero"]
    assert files["ok.c"]["status"] == "ok"
