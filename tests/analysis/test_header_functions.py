"""Issue 22, calls: functions defined in the project's own headers are judged by their bodies (dslash's
`inline void add_su3_vector(...)` in dslash.h), not as unknown functions; they make no regions."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_file

from .marked_loops import by_marker

HEADER = """
typedef struct { double re, im; } cplx;
typedef struct { cplx c[3]; } vec3;
int calls;
inline void add_vec(const vec3 *a, const vec3 *b, vec3 *c) {
  for (int i = 0; i < 3; i++) { c->c[i].re = a->c[i].re + b->c[i].re; c->c[i].im = a->c[i].im + b->c[i].im; }
}
inline void counted_add(const vec3 *a, vec3 *c) {
  calls++;
  for (int i = 0; i < 3; i++) c->c[i].re += a->c[i].re;
}
inline void fill_all(vec3 *c, int n) {
  for (int i = 0; i < n; i++) c[i].c[0].re = 0.0;
}
"""

SOURCE = """
#include "su3.h"
void run(vec3 *dst, const vec3 *src, int n) {
  for (int i = 0; i < n; i++) {            // OWN
    vec3 t = src[i];
    add_vec(dst + i, &t, dst + i);
  }
  for (int i = 0; i < n; i++)              // GLOBAL
    counted_add(src + i, dst + i);
  for (int i = 0; i < n; i++)              // SPAN
    fill_all(dst + i, n);
}
"""


def _loops(tmp_path) -> dict[str, dict]:
    (tmp_path / "su3.h").write_text(HEADER)
    main = tmp_path / "main.c"
    main.write_text(SOURCE)
    return by_marker(extract_file(str(main), ParseOptions()), SOURCE)


def test_a_header_function_writing_its_argument_element_leaves_the_loop_parallel(tmp_path):
    loops = _loops(tmp_path)
    assert loops["OWN"]["verdict"] == "parallel", loops["OWN"]["reason"]


def test_a_header_function_writing_a_global_or_a_variable_span_serialises(tmp_path):
    loops = _loops(tmp_path)
    assert loops["GLOBAL"]["verdict"] == "serial" and "writes global calls" in loops["GLOBAL"]["reason"]
    assert loops["SPAN"]["verdict"] == "serial" and "fill_all" in loops["SPAN"]["reason"]


def test_header_functions_make_no_regions(tmp_path):
    (tmp_path / "su3.h").write_text(HEADER)
    main = tmp_path / "main.c"
    main.write_text(SOURCE)
    doc = extract_file(str(main), ParseOptions())
    assert {r.function for r in doc.regions} == {"run"}
