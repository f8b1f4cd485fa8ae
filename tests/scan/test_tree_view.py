"""What a scan's parser may see: the named folders, links leading out hidden, database flags confined."""
from __future__ import annotations

import pytest

from xapp.errors import InputError
from xapp.features import ParseOptions, extract_source
from xapp.scan import tree_view
from xapp.scan.tree_view import ScanTree

LOOP = "void f(float *y) { for (int i = 0; i < 64; i++) y[i] = 0; }\n"


@pytest.fixture()
def checkout(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.h").write_text("typedef float secret_t;\n")
    tree = tmp_path / "tree"
    (tree / "inc").mkdir(parents=True)
    (tree / "inc" / "mine.h").write_text("typedef float mine_t;\n")
    (tree / "inc" / "out.h").symlink_to(outside / "secret.h")
    (tree / "outdir").symlink_to(outside, target_is_directory=True)
    return tree, outside


def test_only_the_tree_is_seen_and_links_out_are_empty(checkout):
    tree, outside = checkout
    scan_tree = ScanTree.named([str(tree)], None, ParseOptions())
    hidden = scan_tree.links_leaving()
    assert str(tree / "inc" / "out.h") in hidden[0] and str(tree / "outdir") in hidden[1]
    options = scan_tree.view(ParseOptions(), hidden)
    for include in ("inc/out.h", "outdir/secret.h", str(outside / "secret.h")):
        src = f'#include "{include}"\n#include "inc/mine.h"\nmine_t a; secret_t b;\n' + LOOP
        diag = extract_source(src, str(tree / "a.c"), options).diagnostics
        said = " ".join([*diag.messages, *diag.guessed_types])
        # mine_t comes from the tree; secret_t is never declared: the file outside it is not read
        assert "secret_t" in said and "mine_t" not in said, include
    trusted = extract_source('#include "outdir/secret.h"\nsecret_t b;\n' + LOOP, str(tree / "a.c")).diagnostics
    assert "secret_t" not in " ".join([*trusted.messages, *trusted.guessed_types])   # no view: the link is followed


def test_database_flags_outside_the_tree_are_dropped_unless_trusted(checkout):
    tree, outside = checkout
    options = ParseOptions(include_dirs=(str(tree / "inc"), str(outside)),
                           extra_args=("-isystem", "/", "-DX=1", "-include", str(outside / "secret.h"),
                                       "-iquote", str(tree)))
    kept, dropped = ScanTree.named([str(tree)], None, ParseOptions()).confine(options)
    assert kept.include_dirs == (str(tree / "inc"),) and kept.extra_args == ("-DX=1", "-iquote", str(tree))
    assert dropped == (f"-I {outside}", "-isystem /", f"-include {outside / 'secret.h'}")
    assert ScanTree.named([str(tree)], None, ParseOptions(), trust_compile_db=True).confine(options) == (options, ())


def test_too_many_links_out_is_refused_not_shown_in_part(checkout, monkeypatch):
    tree, _ = checkout
    monkeypatch.setattr(tree_view, "MAX_HIDDEN_LINKS", 1)
    with pytest.raises(InputError, match="symbolic links .* lead outside the scanned tree"):
        ScanTree.named([str(tree)], None, ParseOptions()).links_leaving()
