"""The progress bar of scan, predict and features: drawn on a terminal only, never with --quiet."""
from __future__ import annotations

import io

from xapp.cli import main
from xapp.progress import NoProgress, Progress, progress_bar, tracked, wanted


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


LOOP = "void f(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 2 * a[i]; }\n"


def test_the_bar_counts_files_and_gives_an_eta():
    out = io.StringIO()
    bar = Progress(4, out, label="scanning")
    for _ in range(4):
        bar.advance()
    assert bar.done == 4
    bar.close()
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("scanning 4/4 files [" + "#" * 30 + "]") and "ETA 00:00" in last
    assert last.endswith("\n")


def test_a_bar_is_wanted_on_a_terminal_unless_quiet():
    assert wanted(False, _Terminal())
    assert not wanted(True, _Terminal())
    assert not wanted(False, io.StringIO())                 # a pipe or a log file: no carriage returns


def test_nothing_to_count_or_not_enabled_draws_nothing():
    assert isinstance(progress_bar(0, enabled=True), NoProgress)
    assert isinstance(progress_bar(10, enabled=False), NoProgress)
    assert list(tracked([1, 2, 3], "x", enabled=False)) == [1, 2, 3]


def _features(tmp_path, monkeypatch, *flags) -> str:
    for name in ("a.c", "b.c"):
        (tmp_path / name).write_text(LOOP)
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    assert main(["features", str(tmp_path), "--format", "json", *flags]) == 0
    return err.getvalue()


def test_features_draws_a_bar_on_a_terminal(tmp_path, monkeypatch, capsys):
    assert "features 2/2 files" in _features(tmp_path, monkeypatch)


def test_quiet_features_draw_none(tmp_path, monkeypatch, capsys):
    assert _features(tmp_path, monkeypatch, "--quiet") == ""
