"""README stays true: it documents every feature and the devmap figure `xapp evaluate` prints."""
from __future__ import annotations

import re
from pathlib import Path

from xapp.features import FEATURE_NAMES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_feature_is_documented():
    missing = [n for n in FEATURE_NAMES if f"`{n}`" not in README]
    assert not missing


def test_quick_start_is_two_commands():
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [line for line in block.strip().splitlines()] == [
        "pip install . && xapp predict data/examples/heat.c",
        "pip install '.[test]' && python -m pytest",
    ]


def test_no_placeholders_left():
    assert not re.findall(r"\b[A-Z]+_(?:SECTION|SUITE|PREDICT|SWEEP|TABLE)\b", README)
