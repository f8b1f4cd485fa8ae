"""Fixtures shared by the scan and report tests: one test tree and one scan of it per session.

xapp is imported inside the fixtures: this file is loaded first by pytest's controlling process too,
which under pytest-xdist only hands out tests and should start its workers without loading XGBoost."""
from __future__ import annotations

import os

import pytest


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than cores. A third of the suite's time is spent waiting (on servers
    starting, time limits, worker restarts, subprocesses); the extra worker fills those waits. Measured
    on the idle 2-core machine: 2 workers 90 s, 3 workers 85 s, 4 workers 98 s (each pays ~11 s
    collecting)."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items):
    """The slow modules first, longest first: pytest-xdist hands whole files to its workers in this
    order, and a long file handed out last would leave the other worker idle at the end."""
    def seconds(item) -> float:
        mark = item.get_closest_marker("slow")
        return mark.args[0] if mark and mark.args else 0.0
    items.sort(key=lambda item: -seconds(item))     # stable: the rest keep pytest's order


@pytest.fixture(scope="session", autouse=True)
def user_cache_home(tmp_path_factory):
    """Every test (and every `xapp` it starts) sees a per-user cache of its own, never the real ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("xdg-cache")
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def shared_predictor():
    from tests.scan.tree import predictor

    return predictor()


@pytest.fixture(scope="session")
def tree(tmp_path_factory):
    """The test tree, written once; tests that modify files write their own."""
    from tests.scan.tree import write_tree

    return write_tree(tmp_path_factory.mktemp("scan") / "tree")


@pytest.fixture(scope="session")
def db_report(tree, shared_predictor, tmp_path_factory):
    """One scan of the whole compile database (run from the tree's root), shared by read-only tests."""
    from tests.scan.tree import MAX_BYTES, inside
    from xapp.scan import ScanOptions, scan

    with inside(tree.root):
        options = ScanOptions(build_dir="build", workers=2, max_bytes=MAX_BYTES,
                              cache_dir=str(tmp_path_factory.mktemp("cache")))
        return scan(options, shared_predictor)
