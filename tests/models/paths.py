"""Paths for the model tests: the synthetic fixtures and the public data in ../shared/data."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "models"
DATA = REPO.parent / "shared" / "data"
DEVMAP = DATA / "devmap" / "cgo17-amd.csv"
CLGEN = DATA / "clgen" / "amd-clgen.csv"

# Where the public data comes from, for the skip reasons: a test that cannot run says what to provide.
DATA_ORIGIN = ("the project's shared data folder, ../shared/data beside the checkout (its README.md names each "
               "set's origin)")


def missing_data(path: Path, what: str) -> str:
    """A skip reason: the missing path, and what provides it."""
    return f"{path} is missing: {what}, read from {DATA_ORIGIN}; never committed to this repository"


needs_devmap = pytest.mark.skipif(not DEVMAP.is_file(), reason=missing_data(
    DEVMAP, "the devmap benchmark (Cummins et al., PACT 2017)"))
needs_clgen = pytest.mark.skipif(not CLGEN.is_file(), reason=missing_data(
    CLGEN, "CLgen's synthetic kernels (Cummins et al., CGO 2017)"))
