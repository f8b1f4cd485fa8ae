"""Struct variables written one field at a time, arg-reductions, and array fields of array elements."""
from __future__ import annotations

import pytest

from xapp.features import ParseOptions, extract_source

HEADER = """typedef struct { float x, y; } f2;
typedef struct { float val; int idx; } pair;
typedef struct { float re, im; } cplx;
typedef struct { cplx e[3][3]; } matrix;
typedef struct { matrix link[4]; } site;
float use(f2 v);
"""


def loop(body: str, params: str = "float *out, const float *in, int n") -> dict:
    (r,) = extract_source(HEADER + f"void f({params}) {{\n{body}\n}}\n", "t.c", ParseOptions()).regions
    return r.loops[0] | {"findings": [f["rule"] for f in r.findings]}


@pytest.mark.parametrize("body", [
    "cplx c = {0, 0};\nfor (int i = 0; i < n; i++) c.re = c.re * 0.5f + in[i];\nout[0] = c.re;",
    "f2 d = {0, 0};\nfor (int i = 0; i < n; i++) { d.x = in[i]; out[i] = d.y; d.y = in[i]; }",
    "f2 d = {0, 0};\nfor (int i = 0; i < n; i++) { d.x += d.y; d.y += in[i]; }\nout[0] = d.x;",
])
def test_a_value_carried_through_a_field_is_a_dependence(body):
    # unrecorded, a store to one field made these loops parallel
    assert loop(body)["verdict"] == "serial"


def test_fields_written_before_they_are_read_are_private():
    assert loop("f2 d;\nfor (int i = 0; i < n; i++) { d.x = in[i]; out[i] = d.x * 2; }")["verdict"] == "parallel"


def test_every_field_written_before_the_whole_is_read_is_private():
    body = "f2 d;\nfor (int i = 0; i < n; i++) { d.x = in[i]; d.y = 2 * in[i]; out[i] = use(d); }"
    assert loop(body)["verdict"] == "parallel"
    # one field only: the whole value read carries the other field's old value
    assert loop(body.replace(" d.y = 2 * in[i];", ""))["verdict"] == "serial"


def test_each_field_summed_is_a_reduction():
    found = loop("f2 d = {0, 0};\nfor (int i = 0; i < n; i++) { d.x += in[i]; d.y += 2 * in[i]; }\nout[0] = d.x + d.y;")
    assert found["verdict"] == "reduction" and found["reductions"] == [{"name": "d", "op": "+"}]


def test_where_the_best_was_found_is_an_arg_reduction():
    found = loop("float best = 1e30f; int at = -1;\n"
                 "for (int i = 0; i < n; i++) if (in[i] < best) { best = in[i]; at = i; }\nout[0] = at;")
    assert found["verdict"] == "reduction"
    assert {"name": "at", "op": "argmin"} in found["reductions"] and {"name": "best", "op": "min"} in found["reductions"]


def test_a_declared_reduction_covers_an_arg_reduction_of_a_struct():
    body = ("pair p = {1e30f, -1};\n#pragma omp parallel for reduction(minpair:p)\n"
            "for (int i = 0; i < n; i++) { float v = in[i]; if (v < p.val) { p.val = v; p.idx = i; } }\nout[0] = p.idx;")
    found = loop(body)
    assert found["verdict"] == "reduction" and found["reductions"] == [{"name": "p", "op": "argmin"}]
    assert found["findings"] == []


@pytest.mark.parametrize("then", ["best = in[i]; at = at + 1;", "best = in[i]; at = best;"])
def test_a_block_that_reads_its_own_variables_is_no_arg_reduction(then):
    found = loop("float best = 1e30f; int at = -1;\n"
                 f"for (int i = 0; i < n; i++) if (in[i] < best) {{ {then} }}\nout[0] = at;")
    assert found["verdict"] == "serial"


def test_array_fields_of_elements_are_told_apart_by_element():
    # su3: c[i].link[j].e[k][l]; named `e` alone, every element's e[k][l] looked like one array
    body = ("for (int id = 0; id < n; id++) {\n  int i = id / 36, j = (id % 36) / 9, k = (id % 9) / 3, l = id % 3;\n"
            "  c[i].link[j].e[k][l].re = a[i].link[j].e[k][l].re;\n}")
    found = loop(body, "const site *a, site *c, int n")
    assert found["verdict"] == "parallel", found["reason"]
    found = loop(body.replace("c[i].link[j]", "c[0].link[j]"), "const site *a, site *c, int n")
    assert found["verdict"] == "serial" and "output dependence on c" in found["reason"]


MINMAX = """typedef struct { float lo; int lo_at; float hi; int hi_at; } mm;
int f(const float *d, int n) {
  mm r = {1e30f, -1, -1e30f, -1};
  for (int i = 0; i < n; i++) {
    float v = d[i];
    if (v < r.lo) { r.lo = v; r.lo_at = i; }
    if (v > r.SECOND) { r.SECOND = v; r.SECOND_at = i; }
  }
  return r.lo_at + r.hi_at;
}
"""


def test_the_least_and_the_greatest_with_their_places_are_one_arg_reduction():
    (r,) = extract_source(MINMAX.replace("SECOND", "hi"), "t.c", ParseOptions()).regions
    assert r.loops[0]["verdict"] == "reduction" and r.loops[0]["reductions"] == [{"name": "r", "op": "argminmax"}]


def test_one_field_kept_both_least_and_greatest_is_no_reduction():
    (r,) = extract_source(MINMAX.replace("SECOND", "lo"), "t.c", ParseOptions()).regions
    assert r.loops[0]["verdict"] == "serial"


METHODS = """struct Acc {
  float total; int position; float table[64];
  void damp(const float *a, int n) { for (int i = 0; i < n; i++) total = total * 0.5f + a[i]; }
  void sum(const float *a, int n) { for (int i = 0; i < n; i++) total += a[i]; }
  void crypt(unsigned char *b, int n) {
    for (int i = 0; i < n; i++) { if (position >= 64) position = 0; b[i] ^= (unsigned char)table[position]; position++; }
  }
};
void use(Acc &x, unsigned char *b, const float *a, int n) { x.damp(a, n); x.sum(a, n); x.crypt(b, n); }
"""


def test_a_method_s_own_fields_carry_values_between_iterations():
    # `total` in a method is this->total: unrecorded before, damp and crypt (chacha20's keystream
    # position) were loops with no dependence at all
    doc = extract_source(METHODS, "t.cpp", ParseOptions())
    verdicts = {r.function: r.loops[0] for r in doc.regions}
    assert verdicts["damp"]["verdict"] == "serial" and "this->total" in verdicts["damp"]["reason"]
    assert verdicts["sum"]["verdict"] == "reduction"
    assert verdicts["crypt"]["verdict"] == "serial" and "this->position" in verdicts["crypt"]["reason"]


GENERATORS = """#include <random>
void draws(float *p, int n) {
  std::mt19937 gen(42);
  std::uniform_real_distribution<float> unif(0, 1.0);
  for (int i = 0; i < n; ++i) p[i] = BODY;
}
"""


@pytest.mark.parametrize("body", ["unif(gen)", "(float)gen()"])
def test_a_shared_generator_drawn_in_the_loop_carries_its_state(body):
    # host initialisation loops of many benchmarks: called parallel before (the engine's state unseen)
    (r,) = extract_source(GENERATORS.replace("BODY", body), "t.cpp", ParseOptions()).regions
    assert r.loops[0]["verdict"] == "serial" and "gen, an object declared outside the loop" in r.loops[0]["reason"]


def test_a_generator_of_the_iteration_carries_nothing():
    text = GENERATORS.replace("p[i] = BODY;", "{ std::mt19937 g(i); std::uniform_real_distribution<float> u(0, 1); p[i] = u(g); }")
    (r,) = extract_source(text, "t.cpp", ParseOptions()).regions
    assert r.loops[0]["verdict"] == "parallel", r.loops[0]["reason"]
