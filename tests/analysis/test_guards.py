"""Branch conditions that hold where an access runs join that side of the pair test (guards.py)."""
from __future__ import annotations

import pytest

from xapp.features import ParseOptions, extract_source


def first_loop(body: str) -> dict:
    """The outermost loop of `void f(...) { body }`."""
    text = f"void f(float *u, const float *v, int n, int m, int R) {{\n{body}\n}}\n"
    doc = extract_source(text, "t.c", ParseOptions())
    return min((l for r in doc.regions for l in r.loops), key=lambda l: l["line"])


@pytest.mark.parametrize("body", [
    # the store runs only below R, the load only reads from R on
    "for (int i = 0; i < n; i++)\n  if (i < R) u[i] = u[i + R];",
    "for (int i = 0; i < n; i++)\n  if (!(i >= R)) u[i] = u[i + R];",
    # winograd: after `if (x >= W || y >= W) continue;` the rest runs where x < W and y < W
    "for (int i = 0; i < n; i++)\n  for (int j = 0; j < 4; j++) {\n    int x = 2*i + j / 2; int y = j % 2;\n"
    "    if (x >= 100 || y >= 2) continue;\n    u[x*2 + y] = v[j];\n  }",
])
def test_a_condition_that_separates_the_iterations_proves_them_independent(body):
    loop = first_loop(body)
    assert loop["verdict"] == "parallel", loop["reason"]


@pytest.mark.parametrize("body, reason", [
    # i = R stores u[R], which i = 0 read: a real anti dependence
    ("for (int i = 0; i < n; i++)\n  if (i <= R) u[i] = u[i + R];", "anti dependence on u"),
    # the else branch runs below R: it reads what the then branch of a later iteration writes
    ("for (int i = 0; i < n; i++)\n  if (i >= R) u[i] = 0; else u[i] = u[i + R];", "anti dependence on u"),
    # the tested value changes before the access: the condition says nothing about t there
    ("for (int i = 0; i < n; i++) {\n  int t = i;\n  if (t < R) { t = t + R; u[t] = u[i + R]; }\n}", "could not prove"),
    # a case label after the jump: the switch enters past it
    ("for (int i = 0; i < n; i++) {\n  switch (m) {\n  case 0:\n    if (i >= R) break;\n  case 1:\n"
     "    u[i] = u[i + R];\n  }\n}", "dependence on u"),
    # a goto may pass the continue
    ("for (int i = 0; i < n; i++) {\n  if (v[i] > 0) goto in;\n  if (i >= R) continue;\nin:\n  u[i] = u[i + R];\n}",
     "dependence on u"),
])
def test_a_condition_that_does_not_separate_them_is_no_proof(body, reason):
    loop = first_loop(body)
    assert loop["verdict"] == "serial" and reason in loop["reason"], loop["reason"]


def test_fields_of_loaded_elements_are_no_names_in_a_condition():
    # pts[i].w and pts[j].w are two loads, not one field `.w` (read as one name, the condition was
    # w < w: never true, and the store vanished: a false parallel)
    text = ("struct P { float w; };\nvoid f(float *u, const struct P *pts, int n) {\n"
            "for (int i = 0; i < n; i++)\n  for (int j = 0; j < n; j++)\n    if (pts[i].w < pts[j].w) u[j] = 1;\n}\n")
    doc = extract_source(text, "t.c", ParseOptions())
    loop = min((l for r in doc.regions for l in r.loops), key=lambda l: l["line"])
    assert loop["verdict"] == "serial" and "output dependence on u" in loop["reason"]
