"""The parser's mends for a file whose project headers are missing (xapp.frontend.mend, stub_index).

Each program below is written the way HeCBench's and other real programs are: it leans on a project
header (`reference.h`, `util.h`) that the scan cannot find, and on what that header brings with it.
"""
from __future__ import annotations

import json

from xapp.features import ParseOptions
from xapp.frontend.parse import parse
from xapp.frontend.stub_index import INDEX_PATH, build_index, header_for


def errors(text: str, name: str = "main.cpp", **kw):
    unit = parse(text, name, ParseOptions(**kw))
    return unit.diagnostics.counts.get("error", 0), unit.diagnostics


def test_the_index_matches_the_stub_headers():
    """stub_index.json is what the stub headers declare now (regenerate: python -m xapp.frontend.stub_index)."""
    assert json.loads(INDEX_PATH.read_text()) == build_index()


def test_index_names_the_header_that_declares_a_name():
    assert header_for("std::max", "c++") == "algorithm"
    assert header_for("std::string", "c++") == "string"         # not iosfwd's forward declaration
    assert header_for("std::chrono", "c++") == "chrono"
    assert header_for("std::bind", "c++") == "functional"
    assert header_for("std::function", "c++") == "functional"   # a partial specialisation defines it
    assert header_for("size_t", "c") == "stddef.h"
    assert header_for("M_PI", "c") == "math.h"                   # a macro
    assert header_for("jmp_buf", "c") == "setjmp.h"
    assert header_for("std::max", "c") is None and header_for("no_such_name", "c++") is None


def test_std_names_a_missing_header_brought_are_included():
    """reference.h (missing) included <algorithm>, <cmath>, <iostream>, <chrono>, <limits>, <random>:
    the file uses them without including them, and parses with 0 errors."""
    text = """#include "reference.h"
int main() {
  float a = 1.f, b = 2.f;
  float m = std::max(a, b) + std::exp(a) + std::sqrt(b);
  bool bad = std::isinf(m) || !std::isfinite(m);
  std::cout << m << std::endl;
  auto t0 = std::chrono::steady_clock::now();
  float big = std::numeric_limits<float>::max();
  std::mt19937 gen(19937);
  std::uniform_real_distribution<float> dis(0.f, 1.f);
  for (int i = 0; i < 8; i++) m += dis(gen);
  return bad || big < m;
}
"""
    count, diag = errors(text)
    assert count == 0, diag.messages
    assert diag.stubbed_includes == ["reference.h"]
    assert diag.prelude_includes["std::max"] == "algorithm" and diag.prelude_includes["std::cout"] == "iostream"
    assert diag.prelude_includes["std::mt19937"] == "random" and diag.declared_unknowns == []


def test_c_names_a_missing_header_brought_are_included_with_their_real_types():
    """A C program whose util.h (missing) included <math.h>, <stdlib.h>, <strings.h>: sqrtf is math.h's
    float sqrtf(float), not a stand-in `int sqrtf(...)`; size_t and M_PI are found too."""
    text = """#include "util.h"
void k(float *a, size_t n, const char *s) {
  char *slash = rindex(s, '/');
  float *b = malloc(n * sizeof(float));
  for (size_t i = 0; i < n; i++) a[i] = sqrtf(a[i]) * M_PI + (slash != 0) + b[i];
  free(b);
}
"""
    count, diag = errors(text, "k.c")
    assert count == 0, diag.messages
    assert diag.prelude_includes == {"M_PI": "math.h", "free": "stdlib.h", "malloc": "stdlib.h",
                                     "rindex": "strings.h", "size_t": "stddef.h", "sqrtf": "math.h"}
    assert diag.declared_unknowns == [] and diag.guessed_types == {}


def test_a_missing_function_template_is_called_with_template_arguments():
    text = """#include <vector>
#include "reference.h"
int main() {
  std::vector<float> x(16), y(16);
  reference<float>(x.data(), y.data(), 16);
  float *h = host_result(x.data(), 16);
  double *g = (double *) make_kernel(3);
  return h[0] + g[0] > 0;
}
"""
    count, diag = errors(text)
    assert count == 0, diag.messages
    assert diag.declared_unknowns == ["host_result", "make_kernel", "reference"]


def test_a_specifier_macro_from_a_missing_header_is_not_a_type():
    """`INLINE uint2 f(...)`: INLINE (from util.h) stands before a whole declaration, so it is an empty
    macro; a typedef int INLINE would make `int uint2 f` and lose the function."""
    text = """#include "util.h"
typedef struct { unsigned x, y; } uint2;
INLINE uint2 pick(const int *a, int n) {
  uint2 r = {0, 0};
  for (int i = 0; i < n; i++) r.x += a[i];
  return r;
}
"""
    count, diag = errors(text, "image.h", language="c++")
    assert count == 0, diag.messages
    assert diag.guessed_types == {"INLINE": "(empty macro)"}


def test_a_build_macro_used_as_a_template_argument_is_a_type():
    """miniFE's MINIFE_SCALAR comes from its Makefile's -D: without it, `Vector<MINIFE_SCALAR>` names a type."""
    text = """template <typename T> struct Vector { T *coefs; int n; };
template <typename T> T dot(const Vector<T> &a) {
  T s = 0;
  for (int i = 0; i < a.n; i++) s += a.coefs[i] * a.coefs[i];
  return s;
}
double run(Vector<MINIFE_SCALAR> &v) { return dot<MINIFE_SCALAR>(v); }
"""
    count, diag = errors(text)
    assert count == 0, diag.messages
    assert diag.guessed_types == {"MINIFE_SCALAR": "double"}


def test_cpp_read_as_c_gets_no_guessed_keywords():
    """`namespace` in a C file is no type to guess: the errors stay, and so the file stays partial."""
    count, diag = errors("namespace util { int twice(int x) { return 2 * x; } }\n", "a.c")
    assert count > 0 and "namespace" not in diag.guessed_types


def test_bind_ref_placeholders_and_auto_ptr():
    text = """#include <functional>
#include <memory>
struct Kernel { double run(int n, double s) const { return n * s; } };
int main() {
  using namespace std::placeholders;
  Kernel k;
  double s = 2.0;
  auto f = std::bind(&Kernel::run, &k, _1, std::ref(s));
  std::auto_ptr<Kernel> owner(new Kernel());
  double r = f(4) + owner->run(1, 1.0);
  std::function<double(int)> g = [&](int n) { return r * n; };
  return g(2) > 0;
}
"""
    count, diag = errors(text)
    assert count == 0, diag.messages


def test_cuda_vector_types_from_a_missing_header_are_structs():
    """A port from CUDA declares float4/uchar4 in a header of its own: when that header is missing, the guess
    is the vector struct (members x, y, z, w), so `p.x` still parses."""
    text = """#include "vectors.h"
void scale(float4 *p, const uchar4 *c, int n) {
  for (int i = 0; i < n; i++) { p[i].x *= c[i].x; p[i].w = c[i].w; }
}
"""
    count, diag = errors(text)
    assert count == 0, diag.messages
    assert diag.guessed_types == {"float4": "struct { float x, y, z, w; }", "uchar4": "struct { unsigned char x, y, z, w; }"}


def test_a_guessed_type_the_file_defines_later_as_a_named_struct_becomes_that_struct():
    """A header parsed without the includer that declared its type first (a circular include) uses READER
    before its own `typedef struct reader_s {...} READER;`: the guess `int` clashes with it, so the guess
    becomes `struct reader_s`, declared ahead, and the definition completes it: no error is left."""
    n, diag = errors("#include <stdio.h>\n"
                     "extern int reader_open(READER *r, const char *path);\n"
                     "typedef struct reader_s {\n  FILE *fp;\n  char buf[4096];\n  long pos;\n} READER;\n"
                     "int reader_fill(READER *r) {\n  long i;\n  for (i = 0; i < 4096; i++) r->buf[i] = 0;\n"
                     "  return (int) fread(r->buf, 1, sizeof r->buf, r->fp);\n}\n", "reader.h")
    assert n == 0, diag.messages
    assert diag.guessed_types == {"READER": "struct reader_s"}


def test_functions_the_file_declares_behind_an_export_macro_get_no_stand_in():
    """LIB_EXPORT comes from a header the build generates (absent): once it is an empty macro the file's own
    declarations of VecNew and VecScale stand, so the calls need no stand-in (which would clash with them)."""
    n, diag = errors('#include "lib_export.h"\n#include <stdlib.h>\n'
                     "typedef struct vec { long n; double *x; } *Vec;\n"
                     "LIB_EXPORT Vec VecNew(long n);\nLIB_EXPORT void VecScale(Vec v, double a);\n"
                     "void VecScale(Vec v, double a) {\n  for (long i = 0; i < v->n; i++) v->x[i] *= a;\n}\n"
                     "int main(void) {\n  Vec v = VecNew(10);\n  VecScale(v, 2.0);\n  return 0;\n}\n", "vec.c")
    assert n == 0, diag.messages
    assert diag.declared_unknowns == [] and diag.guessed_types == {"LIB_EXPORT": "(empty macro)"}
