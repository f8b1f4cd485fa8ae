"""Deep and malformed input on the command line: a file nested too deeply fails alone and the others
are reported; names and numbers that are not usable are exit 2 with their reason (in-process, xapp.cli.main)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from xapp.cli import main
from xapp.errors import ParseError
from xapp.features import extract_source
from xapp.frontend.lower import MAX_NESTING
from xapp.targets import PROFILE_DIR

LOOP = "void g(float *x, int n) { for (int i = 0; i < n; i++) x[i] = 2.0f * x[i]; }\n"
DEEP_SUBSCRIPT = ("void f(float *a, float *b, int n) { for (int i = 0; i < n; i++) b["
                  + "+".join(["i"] * 2000) + "] = a[i]; }\n")


@pytest.fixture()
def good(tmp_path) -> Path:
    path = tmp_path / "good.c"
    path.write_text(LOOP)
    return path


def test_a_deep_file_fails_alone_and_the_other_is_reported(tmp_path, good, capsys):
    deep = tmp_path / "deep.c"
    deep.write_text(DEEP_SUBSCRIPT)
    assert main(["predict", str(good), str(deep), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(r["file"], r["function"]) for r in doc["results"]] == [(str(good), "g")]
    (error,) = doc["errors"]
    assert error["file"] == str(deep) and "an expression nested too deeply" in error["error"]


def test_code_nested_past_the_cap_is_refused_at_lowering_naming_the_line():
    chain = "+".join(["i"] * (MAX_NESTING + 10))
    source = f"int n;\nint f(int i) {{\n  return {chain};\n}}\n"
    with pytest.raises(ParseError, match=rf"^deep.c:3: code nested deeper than {MAX_NESTING} levels"):
        extract_source(source, "deep.c")


@pytest.mark.parametrize("source", [
    "void f(float *b, int *p, int n) { for (int i = 0; i < n; i++) b[i] = " + "*".join(["p[i]"] * 1000) + "; }\n",
    "struct s { struct s *n; float v; };\nvoid f(float *b, struct s *p, int n) {\n"
    "  for (int i = 0; i < n; i++) b[i] = p" + "->n" * 3000 + "->v;\n}\n",
])
def test_long_chains_of_operators_are_analysed(source):
    (region,) = extract_source(source, "chain.c").regions
    assert region.function == "f" and region.features["outer_parallel"]


@pytest.mark.parametrize("argv, message", [
    (["-D", "N=\udcff"], "bad value for macro N in -D: '\\udcff' is not UTF-8 text"),
    (["-D", "\udcff=1"], "bad macro name in -D: '\\udcff'"),
    (["--hint", "transfer=-1"], "bad hint 'transfer=-1': a hint is a size or a count, 0 or more"),
    (["--std", "c\u0669\u0669"], "bad -std value"),
])
def test_unusable_names_and_values_exit_2(good, capsys, argv, message):
    assert main(["predict", str(good), *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("change, message", [
    (("sms = 40", "sms = 0.5"), "[gpu].sms: expected a positive number from 1 to 1,000,000, got 0.5"),
    (("clock_ghz = 1.59", "clock_ghz = 1e308"), "[gpu].clock_ghz: expected a positive number from 0.001"),
])
def test_target_file_numbers_are_checked_after_conversion(tmp_path, good, capsys, change, message):
    target = tmp_path / "mine.toml"
    target.write_text((PROFILE_DIR / "t4.toml").read_text().replace(*change, 1))
    assert main(["predict", str(good), "--target-file", str(target)]) == 2
    assert message in capsys.readouterr().err


def test_an_include_name_too_long_for_a_file_system_is_a_plain_parse_error(tmp_path, good, capsys):
    long = tmp_path / "long.c"
    long.write_text(f'#include "{"a" * 300}.h"\n{LOOP}')
    assert main(["predict", str(good), str(long), "--format", "json"]) == 1
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert error["error"] == (f"{long}:1: fatal error: an #include names a file longer than a file name can be "
                              "(255 bytes a path component)")
