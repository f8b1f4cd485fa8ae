"""The pair tests of one loop level: identical accesses tested once, and a budget whose excess is serial.

S3D's generated chemistry puts thousands of accesses to a few arrays in one loop body; every store
against every access was 84,598 integer tests in one file (analysis/deps.py, MAX_PAIR_TESTS).
"""
from __future__ import annotations

import pytest

from xapp.analysis import deps
from xapp.features import ParseOptions, extract_source


def loops_of(body: str) -> list[dict]:
    text = f"void f(double *a, double *b, int n) {{\n{body}\n}}\n"
    doc = extract_source(text, "t.c", ParseOptions())
    return [l for r in doc.regions for l in r.loops]


def one(body: str) -> dict:
    found = loops_of(body)
    assert len(found) == 1, found
    return found[0]


def chemistry(rows: int) -> str:
    """`a[k*n + i] = ...` for k = 0..rows-1: every store a distinct row, as S3D's RF(k) = ... lines."""
    stores = "\n".join(f"  a[{k}*n + i] = b[i] * {k + 1}.0;" for k in range(rows))
    return f"for (int i = 0; i < n; i++) {{\n{stores}\n}}"


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = deps.pair_dependence

    def counting(s, o, space):
        calls.append((s.line, o.line))
        return real(s, o, space)

    monkeypatch.setattr(deps, "pair_dependence", counting)
    return calls


def test_distinct_rows_within_the_budget_are_parallel(counted):
    loop = one(chemistry(12))
    assert loop["verdict"] == "parallel", loop["reason"]
    assert len(counted) == 12 * 13 // 2          # each store against itself and every later store


def test_past_the_budget_the_level_is_serial_and_says_why(monkeypatch, counted):
    monkeypatch.setattr(deps, "MAX_PAIR_TESTS", 20)
    loop = one(chemistry(12))
    assert loop["verdict"] == "serial"
    assert "could not prove that iterations of i touch distinct elements of a" in loop["reason"]
    assert "too many accesses: more than 20 pairs to test at this loop" in loop["reason"]
    assert len(counted) == 20


def test_repeated_identical_accesses_are_tested_once(counted):
    reads = " + ".join(["b[i]"] * 30)
    body = f"for (int i = 0; i < n; i++) {{\n  a[i] = {reads};\n  a[i] = a[i] + {reads};\n}}"
    loop = one(body)
    assert loop["verdict"] == "parallel", loop["reason"]
    # a[i] store, a[i] store, a[i] load: three accesses with one key; b is never stored
    assert len(counted) == 2


def test_a_dependence_among_repeated_accesses_is_still_found(counted):
    reads = " + ".join(["a[i + 1]"] * 30)
    loop = one(f"for (int i = 0; i < n; i++) {{\n  a[i] = {reads};\n}}")
    assert loop["verdict"] == "serial"
    assert "anti dependence on a" in loop["reason"]


def test_equal_subscripts_in_different_inner_loops_are_tested_apart(counted):
    # the same text `a[j]` in two inner loops: both run in every iteration of i, so i carries an output
    # dependence; the two stores are not one key (their loops differ), and the pair is tested
    body = ("for (int i = 0; i < n; i++) {\n"
            "  for (int j = 0; j < n; j++) a[j] = b[i];\n"
            "  for (int j = 0; j < n; j++) a[j] = b[i] + 1.0;\n"
            "}")
    outer = next(l for l in loops_of(body) if l["var"] == "i")
    assert outer["verdict"] == "serial"
    assert "output dependence on a" in outer["reason"]


def test_an_inner_loop_that_redeclares_the_variable_leaves_the_outer_loop_serial():
    # every iteration of the outer i writes a[0..n): an output dependence. The test names loop variables by
    # name, so the inner `int i` would be the outer i, and the outer loop was called parallel.
    found = {l["line"]: l for l in loops_of("for (int i = 0; i < n; i++) {\n"
                                            "  for (int i = 0; i < n; i++) a[i] = 2.0 * i;\n}")}
    outer, inner = found[2], found[3]
    assert outer["verdict"] == "serial"
    assert "the loop at line 3 inside it declares its own i" in outer["reason"]
    assert inner["verdict"] == "parallel", inner["reason"]


def test_a_redeclared_variable_matters_only_around_the_accesses():
    # popcount: the inner `char i` counts bits of a scalar; the stores of the outer i lie outside it
    loop = loops_of("for (int i = 0; i < n; i++) {\n  unsigned long x = (unsigned long)b[i]; int c = 0;\n"
                    "  for (char i = 0; i < 64; i++) { c += x & 1; x >>= 1; }\n  a[i] = c;\n}")[0]
    assert loop["line"] == 2 and loop["verdict"] == "parallel", loop["reason"]


def test_equal_subscripts_under_different_branches_are_not_one_access():
    # axhelm's meshBasis: id = n*Np + sk with sk stepped in the body; each store against itself is apart
    # (one branch, one iteration), the stores of two branches are not proved apart: tested, not taken
    # for the first pair's answer
    body = ("int sk = 0;\nfor (int i = 0; i < n; i++) {\n  int id = sk;\n"
            "  if (i == 0) a[id] = 1.0;\n  else if (i == 1) a[id] = 2.0;\n  sk++;\n}")
    loop = one(body)
    assert loop["verdict"] == "serial"
    assert "which changes inside the loop" in loop["reason"]
