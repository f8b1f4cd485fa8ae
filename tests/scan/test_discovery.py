"""Discovery: the directory walk (.gitignore, --exclude) and compile_commands.json (flags, no guessing)."""
from __future__ import annotations

from dataclasses import replace

import json
import os
from pathlib import Path

import pytest

from xapp.errors import InputError
from xapp.features import ParseOptions
from xapp.scan import CompileDatabase, GitIgnore, discover
from xapp.scan.discovery import flags_from_command, walk

from .tree import DB_FILES, WALKED, inside


def rel(paths, root: Path) -> list[str]:
    return sorted(p.relative_to(root.resolve()).as_posix() for p in paths)


def test_walk_honours_gitignore_and_exclude(tree):
    assert rel(walk(tree.root, ["vendor"]).files, tree.root) == WALKED
    everything = rel(walk(tree.root, [], use_gitignore=False).files, tree.root)
    assert {"vendor/lib.c", "generated/gen.c", "src/dense/table.gen.c"} <= set(everything)
    assert "vendor/lib.c" in rel(walk(tree.root).files, tree.root)          # only --exclude drops it
    assert rel(walk(tree.root, ["src/bad/*", "*.cl"]).files, tree.root) == sorted(
        f for f in WALKED + ["vendor/lib.c"] if not f.startswith("src/bad/") and not f.endswith(".cl"))


def test_gitignore_subset(tmp_path):
    files = ["a.c", "keep.c", "build/x.c", "src/build/y.c", "src/deep/z.c", "src/deep/w.c", "docs/a.c",
             "lib/one/gen/g.c", "top.c", "src/top.c"]
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("int x;\n")
    (tmp_path / ".gitignore").write_text("# comment\n\n*.c\n!keep.c\n!src/**\n!lib/**\nbuild/\n/top.c\n"
                                         "lib/**/gen/\n")
    (tmp_path / "src" / ".gitignore").write_text("deep/w.c\n!/top.c\n")
    got = rel(walk(tmp_path).files, tmp_path)
    # *.c ignores every C file; !keep.c re-includes one; build/ (any depth) is a folder rule;
    # /top.c is anchored to the root; a deeper .gitignore is read after the shallower one.
    assert got == ["keep.c", "src/deep/z.c", "src/top.c"]


def test_gitignore_rules_of_parent_directories_apply_inside_a_work_tree(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("skip/\n")
    for f in ("sub/skip/a.c", "sub/b.c"):
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("int x;\n")
    assert rel(walk(tmp_path / "sub").files, tmp_path) == ["sub/b.c"]
    assert GitIgnore.for_root(tmp_path / "sub").ignored(tmp_path / "sub" / "skip", True)


def test_flags_from_a_compile_command(tmp_path):
    argv = ["/usr/bin/cc", "-I../include", "-I", "/abs/inc", "-isystem", "sys", "-DN=1024", "-D", "DEBUG",
            "-DMAX(a,b)=((a)>(b)?(a):(b))", "-UNDEBUG", "-std=gnu99", "-O2", "-Wall", "-fplugin=x.so",
            "-MD", "-MF", "dep.d", "-o", "out.o", "-c", "../src/a.c"]
    flags = flags_from_command(argv, tmp_path / "build")
    assert flags.defines == (("N", "1024"), ("DEBUG", None))
    assert flags.include_dirs == (str((tmp_path / "include").resolve()), "/abs/inc")
    assert flags.std == "gnu99" and flags.language is None
    # A function-like macro cannot be a ParseOptions define: it travels as a raw flag.
    assert flags.extra_args == ("-isystem", str((tmp_path / "build" / "sys").resolve()),
                                "-DMAX(a,b)=((a)>(b)?(a):(b))", "-UNDEBUG")
    dropped = " ".join(flags.extra_args + tuple(flags.include_dirs))
    for gone in ("cc", "-O2", "-Wall", "plugin", "dep.d", "out.o", "-c", "a.c"):
        assert gone not in dropped
    assert flags_from_command(["clang", "-x", "c++", "-std=c++17", "f.h"], tmp_path).language == "c++"
    assert flags_from_command(["clang", "-cl-std=CL2.0", "k.cl"], tmp_path).std == "CL2.0"


def test_discover_a_compile_database(tree):
    with inside(tree.root):
        targets = discover([], ParseOptions(), build_dir="build", excludes=["vendor"])
        by_name = {t.display: t for t in targets}
        assert sorted(by_name) == sorted(f for f in DB_FILES if not f.startswith("vendor"))
        matmul = by_name["src/dense/matmul.c"]
        assert matmul.flags_from == "compile_commands.json"
        assert matmul.options.defines == (("N", "1024"),)
        assert matmul.options.include_dirs == (str((tree.root / "include").resolve()),)
        # Command-line flags come after the database's: their -D wins.
        cli = ParseOptions(defines=(("N", "4096"),), std="c99")
        matmul2 = next(t for t in discover(["src/dense/matmul.c"], cli, build_dir="build"))
        assert matmul2.options.defines == (("N", "4096"),) and matmul2.options.std == "c99"


def test_database_flags_are_never_guessed_for_other_files(tree):
    db = CompileDatabase.load(tree.build)
    assert db.flags_for(tree / "src/dense/matmul.c") is not None
    assert db.flags_for(tree / "kernels/vadd.cl") is None          # not in the database: no neighbour's flags
    with inside(tree.root):
        targets = {t.display: t for t in discover(["."], ParseOptions(), build_dir="build", excludes=["vendor"])}
    assert sorted(targets) == WALKED
    assert targets["kernels/vadd.cl"].flags_from == "command line"
    assert replace(targets["kernels/vadd.cl"].options, view=None) == ParseOptions()
    # ... parsed behind a view of the tree (and the build folder) only
    assert [name for name, _ in targets["kernels/vadd.cl"].options.view.roots] == [str(tree.root), str(tree.build)]
    assert targets["src/dense/saxpy.c"].flags_from == "compile_commands.json"


def test_bad_inputs_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no compile_commands.json"):
        discover([], ParseOptions(), build_dir=tmp_path)
    (tmp_path / "compile_commands.json").write_text(json.dumps([{"file": "a.c"}]))
    with pytest.raises(InputError, match="entry 0"):
        discover([], ParseOptions(), build_dir=tmp_path)
    with pytest.raises(InputError, match="no such file"):
        discover([str(tmp_path / "nope")], ParseOptions())
    with pytest.raises(InputError, match="nothing to scan"):
        discover([], ParseOptions())


# ---- a hostile tree: links, a FIFO, unreadable entries, a Latin-1 file ----------------------------
LATIN1 = ("/* Multiplie chaque \u00e9l\u00e9ment par deux (pr\u00e9cision simple) */\n"
          "void double_it(float *a, int n) {\n    for (int i = 0; i < n; i++)\n        a[i] = 2.0f * a[i];\n}\n")
SAXPY = "void saxpy(float a, const float *x, float *y, int n) {\n    for (int i = 0; i < n; i++)\n" \
        "        y[i] = a * x[i] + y[i];\n}\n"


def hostile_tree(root: Path) -> dict[str, str]:
    """Writes the tree; returns {entry: the status a scan must give it}."""
    (root / "src").mkdir(parents=True)
    (root / "src" / "saxpy.c").write_text(SAXPY)
    (root / "src" / "latin.c").write_bytes(LATIN1.encode("latin-1"))
    (root / "src" / "nesting.c").write_text("int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }\n")
    (root / "src" / "blob.c").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    (root / "src" / "secret.c").write_text(SAXPY.replace("saxpy", "secret"))      # made unreadable below
    (root / "locked").mkdir()
    (root / "locked" / "hidden.c").write_text(SAXPY)                               # its directory unreadable
    (root / "src" / "up").symlink_to("..")                    # a loop through a directory link
    (root / "src" / "self.c").symlink_to("self.c")            # a link to itself: ELOOP
    (root / "src" / "gone.c").symlink_to("nowhere.c")         # dangling
    os.mkfifo(root / "src" / "pipe.c")                        # would block a reader forever
    return {"src/saxpy.c": "ok", "src/latin.c": "ok", "src/nesting.c": "parse_error", "src/blob.c": "binary",
            "src/secret.c": "unreadable", "locked": "skipped", "src/up": "skipped", "src/self.c": "skipped",
            "src/gone.c": "skipped", "src/pipe.c": "skipped"}


@pytest.fixture()
def unreadable(monkeypatch):
    """Tests run as root, which chmod 000 does not stop: the OS calls themselves refuse these two entries."""
    real_scandir, real_read = os.scandir, Path.read_bytes

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def read_bytes(self):
        if self.name == "secret.c":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_the_walk_reports_every_entry_it_cannot_take(tmp_path, unreadable):
    expected = hostile_tree(tmp_path / "t")
    found = walk(tmp_path / "t")
    root = (tmp_path / "t").resolve()
    assert rel(found.files, root) == sorted(k for k, v in expected.items() if v not in ("skipped",))
    reasons = {s.path.relative_to(root).as_posix(): s.reason for s in found.skipped}
    assert set(reasons) == {k for k, v in expected.items() if v == "skipped"}
    assert "not followed" in reasons["src/up"] and "loop" in reasons["src/self.c"]
    assert "dangling" in reasons["src/gone.c"] and "not a regular file" in reasons["src/pipe.c"]
    assert "unreadable directory" in reasons["locked"] and "Permission denied" in reasons["locked"]


def test_follow_symlinks_enters_each_directory_once(tmp_path):
    hostile_tree(tmp_path / "t")
    (tmp_path / "t" / "src" / "pipe.c").unlink()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "far.c").write_text(SAXPY)
    (tmp_path / "t" / "src" / "far").symlink_to(tmp_path / "other")
    found = walk(tmp_path / "t", follow_symlinks=True)
    root = (tmp_path / "t").resolve()
    assert "src/far/far.c" in rel(found.files, root)
    reasons = {s.path.relative_to(root).as_posix(): s.reason for s in found.skipped}
    assert "already walked" in reasons["src/up"]
    assert len(found.files) == len(set(p.resolve() for p in found.files))     # nothing twice


def test_a_hostile_tree_is_scanned_to_the_end_and_every_entry_is_in_every_report(tmp_path, unreadable,
                                                                               shared_predictor):
    from xapp.scan import ScanOptions, render, scan

    expected = hostile_tree(tmp_path / "t")
    with inside(tmp_path / "t"):
        report = scan(ScanOptions(paths=(".",), workers=1, cache_dir=None), shared_predictor)
    assert report.exit_code == 0                                   # failures are reported, not fatal
    assert {f.file: f.status for f in report.files} == expected
    latin = next(f for f in report.files if f.file == "src/latin.c")
    assert "decoded as cp1252" in latin.message
    (region,) = [r for r in report.ranked + report.not_offloadable if r.function == "double_it"]
    assert region.predictions and region.file == "src/latin.c"
    skipped = [name for name, status in expected.items() if status != "ok"]
    for fmt in ("table", "json", "sarif", "html"):
        text = render(report, fmt)
        missing = [name for name in skipped if name not in text]
        assert not missing, (fmt, missing)
    assert json.loads(render(report, "json"))["counts"]["skipped"] == 5
