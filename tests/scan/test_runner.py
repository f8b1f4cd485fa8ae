"""Parallel, crash-proof extraction: statuses, the -D and -I of the database, time limits, progress."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap

import pytest

from xapp.features import ParseOptions
from xapp.scan import discover, extract_all
from xapp.scan.runner import Progress

from .tree import CRASH_TERMS, EXPECTED_STATUS, MAX_BYTES, inside

pytestmark = pytest.mark.slow(6)   # seconds, serial, on the idle 2-core machine


def test_the_crash_file_really_kills_libclang(tree):
    """The premise of the `crashed` status: a bare parse of crash.c in a fresh process dies of SIGSEGV."""
    code = textwrap.dedent(f"""
        from xapp.features import extract_file
        extract_file({str(tree / 'src/bad/crash.c')!r})
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert run.returncode == -11, (run.returncode, run.stderr[-500:])
    assert (tree / "src/bad/crash.c").read_text().count("+") == CRASH_TERMS - 1


def test_every_file_gets_a_status_and_no_result_is_lost(tree):
    with inside(tree.root):
        targets = discover([], ParseOptions(), build_dir="build", excludes=["vendor"])
        outcomes = extract_all(targets, workers=2, max_bytes=MAX_BYTES)
    status = {o.target.display: o.status for o in outcomes}
    assert [o.target for o in outcomes] == targets                    # one outcome per target, in order
    assert {f: s for f, s in status.items() if s != "ok"} == EXPECTED_STATUS
    ok = {o.target.display: o for o in outcomes if o.status == "ok"}
    assert sorted(ok) == ["src/dense/matmul.c", "src/dense/saxpy.c", "src/io/missing.c", "src/serial/prefix.c",
                          "src/stencil/heat.c"]
    assert all(o.features.regions for o in ok.values())
    matmul = ok["src/dense/matmul.c"]
    # -DN=1024 from the database sets the trip counts; its relative -I../include finds params.h.
    assert matmul.features.regions[0].features["trip_count_log2"] == 30
    assert matmul.features.diagnostics.stubbed_includes == []
    # A header that exists nowhere is replaced by an empty stub: the file is still analysed.
    assert ok["src/io/missing.c"].features.diagnostics.stubbed_includes == ["nowhere.h"]
    messages = {o.target.display: o.message for o in outcomes if o.status != "ok"}
    assert "crashed" in messages["src/bad/crash.c"] and "bracket nesting" in messages["src/bad/nesting.c"]
    assert messages["src/bad/nesting.c"].startswith("src/bad/nesting.c:")       # named as reports show it


def test_a_file_past_the_time_limit_is_a_timeout_and_the_others_finish(tmp_path):
    # slow.c includes a named pipe nobody writes to: its parse waits in open() until the limit, without
    # burning the CPU the rest of the suite runs on (the CPU-bound case, a macro bomb, is the service's
    # test_hostile). The wait is what the wall-clock limit is for: a header on a hung network mount.
    os.mkfifo(tmp_path / "pipe.h")
    (tmp_path / "slow.c").write_text('#include "pipe.h"\nint x;\n')
    (tmp_path / "fast.c").write_text("void f(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 0; }\n")
    (tmp_path / "fast2.c").write_text("void g(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 1; }\n")
    targets = [t for t in discover([str(tmp_path)], ParseOptions()) if t.path.suffix == ".c"]
    # 5 s: a hundred times what a fast file takes idle, so a loaded machine does not turn it into a timeout
    # (1 s did, at a load of 10 on 2 cores); slow.c never finishes.
    outcomes = extract_all(targets, workers=2, timeout=5.0)
    status = {o.target.path.name: o.status for o in outcomes}
    assert status == {"fast.c": "ok", "fast2.c": "ok", "slow.c": "timeout"}
    assert "5 s limit" in next(o.message for o in outcomes if o.status == "timeout")


def test_progress_bar_counts_files():
    out = io.StringIO()
    bar = Progress(3, out)
    for _ in range(3):
        bar.advance()
    bar.close()
    text = out.getvalue()
    assert "3/3 files" in text and text.startswith("\r") and text.endswith("\n")
