"""Fixtures shared by the scan and report tests: one test tree and one scan of it per session."""
from __future__ import annotations

import pytest

from xapp.scan import ScanOptions, scan

from tests.scan.tree import MAX_BYTES, inside, predictor, write_tree


def pytest_collection_modifyitems(items):
    """The slow modules first, longest first: pytest-xdist hands whole files to its workers in this
    order, and a long file handed out last would leave the other worker idle at the end."""
    def seconds(item) -> float:
        mark = item.get_closest_marker("slow")
        return mark.args[0] if mark and mark.args else 0.0
    items.sort(key=lambda item: -seconds(item))     # stable: the rest keep pytest's order


@pytest.fixture(scope="session")
def shared_predictor():
    return predictor()


@pytest.fixture(scope="session")
def tree(tmp_path_factory):
    """The test tree, written once; tests that modify files write their own."""
    return write_tree(tmp_path_factory.mktemp("scan") / "tree")


@pytest.fixture(scope="session")
def db_report(tree, shared_predictor, tmp_path_factory):
    """One scan of the whole compile database (run from the tree's root), shared by read-only tests."""
    with inside(tree.root):
        options = ScanOptions(build_dir="build", workers=2, max_bytes=MAX_BYTES,
                              cache_dir=str(tmp_path_factory.mktemp("cache")))
        return scan(options, shared_predictor)
