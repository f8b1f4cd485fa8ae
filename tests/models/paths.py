"""Paths for the model tests: the synthetic fixtures and the public data in ../shared/data."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "models"
DATA = REPO.parent / "shared" / "data"
DEVMAP = DATA / "devmap" / "cgo17-amd.csv"
CLGEN = DATA / "clgen" / "amd-clgen.csv"

needs_devmap = pytest.mark.skipif(not DEVMAP.is_file(), reason=f"public data not present: {DEVMAP}")
needs_clgen = pytest.mark.skipif(not CLGEN.is_file(), reason=f"public data not present: {CLGEN}")
