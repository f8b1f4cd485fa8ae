"""A .gitignore line built to backtrack (many `*` against a long name) is matched in linear time."""
from __future__ import annotations

from xapp.scan import ignore
from xapp.scan.walk import walk

WILD = "*" * 40 + "x"


def test_the_re2_backend_is_used_and_matches_as_git_does(tmp_path):
    assert ignore._backend() == "re2"
    (tmp_path / ".gitignore").write_text(f"{WILD}\n!keepx\n")
    for name in ("a" * 200 + ".c", "b" * 100 + "x", "keepx"):
        (tmp_path / name).write_text("int x;\n")
    (tmp_path / "src.x").mkdir()
    (tmp_path / "src.x" / "inside.c").write_text("int y;\n")
    found = sorted(p.name for p in walk(tmp_path).files)
    # `*...*x` ignores names ending in x (and folders: src.x); `!keepx` brings one back (not a source: not listed)
    assert found == ["a" * 200 + ".c"]


def test_without_re2_a_wild_pattern_is_skipped_with_a_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ignore, "_backend", lambda: "simple")
    (tmp_path / ".gitignore").write_text(f"{WILD}\n*.gen.c\n")
    for name in ("a" * 200 + ".c", "t.gen.c"):
        (tmp_path / name).write_text("int x;\n")
    assert [p.name for p in walk(tmp_path).files] == ["a" * 200 + ".c"]
    assert f"more than {ignore.MAX_WILDCARDS} wildcards skipped" in capsys.readouterr().err


def test_the_walk_stops_at_the_scans_time_limit(tmp_path, monkeypatch):
    import itertools
    import types

    import pytest

    from xapp.errors import InputError
    from xapp.scan import walk as walk_module

    for d in ("a", "b", "c"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.c").write_text("int x;\n")
    clock = itertools.count(0.0, 10.0)            # each look at the clock: 10 s later
    monkeypatch.setattr(walk_module, "time", types.SimpleNamespace(monotonic=lambda: next(clock)))
    with pytest.raises(InputError, match=r"ran past the scan's time limit \(25 s, --timeout\)"):
        walk(tmp_path, time_limit=25)
    assert len(walk(tmp_path, time_limit=None).files) == 3
