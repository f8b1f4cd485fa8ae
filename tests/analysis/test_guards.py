"""Issue 22, dependences: branch conditions on loop variables as constraints of the pair test
(guards.py), each proof next to a look-alike that must stay serial."""
from __future__ import annotations

import pytest

from xapp.analysis import region_facts
from xapp.features import ParseOptions, extract_source


@pytest.fixture(autouse=True)
def hand_written_only(monkeypatch):
    """ISL's second look (isl_verdicts.py) models these affine conditions too; the tests judge the
    hand-written pair test alone, which decides where no SCoP is built (HeCBench's C++ kernels)."""
    monkeypatch.setattr(region_facts, "_refine", lambda a, p, alias_assumption: None)


def loops_in(text: str, filename: str = "t.c") -> dict[int, dict]:
    doc = extract_source(text, filename, ParseOptions())
    return {l["line"]: l for r in doc.regions for l in r.loops}


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


GUARDS = """
void first_row(double *a, double *b, int n, int m) {
  for (int y = 0; y < n; y++) {            // FIRST
    for (int x = 0; x < m; x++) {
      a[y * m + x] = 1.0;
      if (y == 0) b[x] = 2.0 * x;
    }
  }
  for (int y = 0; y < n; y++) {            // LATER
    for (int x = 0; x < m; x++) {
      if (y > 0) b[x] = 2.0 * x;
    }
  }
}
void halo(int *t, const int *a) {
  for (int j = 0; j < 64; j++) {           // HALO
    t[j + 3] = a[j];
    if (j < 3) { t[j] = a[j]; t[j + 3 + 64] = a[j + 64]; }
  }
  for (int j = 0; j < 64; j++) {           // WIDE
    t[j + 3] = a[j];
    if (j < 4) t[j] = a[j];
  }
}
void rhs(double *r, const double *c, int L) {
  for (int l = 0; l < L; l++) {            // SPLIT
    if (l == 0) r[0] = c[0]; else r[l] = c[l] * 2.0;
  }
  for (int l = 0; l < L; l++) {            // SHIFTED
    if (l == 0) r[0] = c[0]; else r[l - 1] = c[l] * 2.0;
  }
  for (int l = 0; l < L; l++) {            // NOTZERO
    if (!(l != 0)) r[0] = c[0]; else if (l >= 1 && l < L) r[l] = c[l];
  }
}
void changing(double *r, const double *c, const float *f, int L) {
  int seen = 0;
  for (int l = 0; l < L; l++) {            // WRITTEN
    if (c[l] > 0) seen = l;
    if (seen == 0) r[0] = c[l];
  }
  for (int l = 0; l < L; l++) {            // FLOAT
    float x = f[l];
    if (x < 1.0f) r[0] = c[l];
  }
  for (int l = 0; l < L; l++) {            // INNER
    for (int k = 0; k < 4; k++)
      if (k == 0) r[k] = c[l];
  }
}
"""


def _loop(marker: str) -> dict:
    return loops_in(GUARDS)[line_of(GUARDS, marker)]


def test_a_store_made_only_in_one_iteration_or_range_of_iterations_is_parallel():
    for marker in ("FIRST", "HALO", "SPLIT", "NOTZERO"):
        loop = _loop(marker)
        assert loop["verdict"] == "parallel", (marker, loop["reason"])


def test_conditions_that_let_two_iterations_meet_stay_serial():
    for marker, base in (("LATER", "b"), ("WIDE", "t"), ("SHIFTED", "r")):
        loop = _loop(marker)
        assert loop["verdict"] == "serial", marker
        assert f"output dependence on {base}" in loop["reason"], (marker, loop["reason"])


def test_a_condition_on_a_changing_scalar_a_float_or_an_inner_loop_variable_is_no_constraint():
    for marker in ("WRITTEN", "FLOAT", "INNER"):
        loop = _loop(marker)
        assert loop["verdict"] == "serial", marker
        assert "dependence on r" in loop["reason"], (marker, loop["reason"])


def test_fields_of_loaded_elements_are_no_names_in_a_condition():
    # pts[i].w and pts[j].w are two loads, not one field `.w` (polyforms): read as one name, the
    # condition would be w < w, never true, and the store would vanish (nms-omp: a false parallel)
    text = ("struct P { float w; };\nvoid f(float *u, const struct P *pts, int n) {\n"
            "for (int i = 0; i < n; i++)\n  for (int j = 0; j < n; j++)\n    if (pts[i].w < pts[j].w) u[j] = 1;\n}\n")
    loop = loops_in(text)[3]
    assert loop["verdict"] == "serial" and "output dependence on u" in loop["reason"]


def test_a_condition_that_is_a_value_not_a_comparison_adds_nothing():
    # `if (l + k)` and `if (l & 1)` are truth values of arithmetic: no constraint (a fuzz input made
    # the test read `+` as a comparison and raise KeyError), and the stores still meet
    text = ("void f(double *r, int L, int k) {\n  for (int l = 0; l < L; l++) {\n"
            "    if (l + k) r[0] = 1.0;\n    if (l & 1) r[1] = 2.0;\n  }\n}\n")
    loop = loops_in(text)[2]
    assert loop["verdict"] == "serial" and "output dependence on r" in loop["reason"]


# ---- `if (c) continue;`: the rest of the block runs where c does not hold (HeCBench winograd) -------
JUMPS = """
#define W 1022
void tiles(float *B, float *C, const float *F, int T, int M) {
  for (int tj = 0; tj < T; tj++) {         // SKIP
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < M; j++) {
        int x = 2 * tj + i;
        int y = j;
        if (x >= W || y >= W) {
          C[tj] = 0;
          continue;
        }
        B[x * W + y] = F[i * 2 + j];
      }
  }
  for (int tj = 0; tj < T; tj++) {         // INSIDE
    for (int j = 0; j < M; j++) {
      int y = j;
      if (y < W) B[tj * W + y] = F[j];
    }
  }
  for (int tj = 0; tj < T; tj++) {         // BOTH
    for (int j = 0; j < M; j++) {
      int y = j;
      if (y >= W && tj > 0) continue;
      B[tj * W + y] = F[j];
    }
  }
  for (int tj = 0; tj < T; tj++) {         // MOVED
    for (int j = 0; j < M; j++) {
      int y = j;
      if (y >= W) continue;
      y = y * 2;
      B[tj * W + y] = F[j];
    }
  }
  for (int tj = 0; tj < T; tj++) {         // FALLS
    for (int j = 0; j < M; j++) {
      int y = j;
      if (y >= W) { C[tj] = 0; }
      B[tj * W + y] = F[j];
    }
  }
  for (int tj = 0; tj < T; tj++) {         // CASE
    for (int j = 0; j < M; j++) {
      int y = j;
      switch (j % 2) {
      case 0:
        if (y >= W) break;
      case 1:
        B[tj * W + y] = F[j];
      }
    }
  }
}
"""


def test_a_jump_or_a_branch_on_a_scalar_set_from_loop_variables_bounds_the_access():
    loops = loops_in(JUMPS)
    for marker in ("SKIP", "INSIDE"):
        loop = loops[line_of(JUMPS, marker)]
        assert loop["verdict"] == "parallel", (marker, loop["reason"])


def test_a_jump_that_says_nothing_a_changed_value_or_a_case_label_between_is_no_bound():
    # each lets row tj store past W into row tj + 1, where another iteration stores
    loops = loops_in(JUMPS)
    for marker in ("BOTH", "MOVED", "FALLS", "CASE"):
        loop = loops[line_of(JUMPS, marker)]
        assert loop["verdict"] == "serial", marker
        assert "dependence on B" in loop["reason"] or "elements of B" in loop["reason"], (marker, loop["reason"])
