"""Shared helpers for the feature tests: extract a fixture kernel and pick a region by function."""
from __future__ import annotations

from pathlib import Path

from xapp.features import ParseOptions, extract_file, extract_source

KERNELS = Path(__file__).resolve().parents[1] / "fixtures" / "kernels"


def region(filename: str, function: str | None = None, **options):
    result = extract_file(KERNELS / filename, ParseOptions(**options))
    regions = [r for r in result.regions if function is None or r.function == function]
    assert regions, f"no region for {function} in {filename}: {[r.function for r in result.regions]}"
    return regions[0]


def features(filename: str, function: str | None = None, **options) -> dict[str, float]:
    return region(filename, function, **options).features


def source_features(text: str, name: str = "t.c", **options) -> list[dict[str, float]]:
    return [r.features for r in extract_source(text, name, ParseOptions(**options)).regions]
