"""What a build's -D choices would have said (xapp.frontend.configuration) and qualifier macros (mend.py).

The programs are written here in the manner of mini-apps that are built only through their Makefile:
a matrix format chosen with -DUSE_BANDED / -DUSE_PACKED, a restrict macro and a scalar type passed
with -D, a default for that type with a stray semicolon. Without the Makefile each must still parse
with 0 errors, and every guess must be listed in the file's diagnostics.
"""
from __future__ import annotations

from xapp.features import ParseOptions
from xapp.frontend.configuration import semicolon_defaults, variant_macro
from xapp.frontend.parse import parse


def parsed(text: str, name: str = "solver.cpp", **kw):
    unit = parse(text, name, ParseOptions(**kw))
    return unit.diagnostics.counts.get("error", 0), unit.diagnostics


FORMATS = b"""#ifndef SPMV_FORMATS_H
#define SPMV_FORMATS_H
#if defined(USE_BANDED)
template <class M> struct apply_op { void run(M &m) { m.band(); } };
#elif defined USE_PACKED
template <class M> struct apply_op { void run(M &m) { m.pack(); } };
#endif
#ifdef WITH_TRACE
struct tracer { int depth; };
#else
struct tracer { };
#endif
#endif
"""


def test_a_name_declared_only_in_the_branches_of_a_choice_names_the_first_choice():
    branch = variant_macro(FORMATS, "apply_op")
    assert (branch.macro, branch.line, branch.alternatives) == ("USE_BANDED", 4, ("USE_PACKED",))
    assert variant_macro(FORMATS, "tracer") is None            # an #else branch declares it: no choice needed
    assert variant_macro(FORMATS, "absent") is None
    assert variant_macro(FORMATS, "apply_op", frozenset({"USE_BANDED"})) is None


def test_a_choice_nested_in_another_condition_is_not_taken():
    nested = b"#ifdef HAVE_MPI\n#if defined(USE_BANDED)\nstruct apply_op {};\n#endif\n#endif\n"
    assert variant_macro(nested, "apply_op") is None


def test_defaults_with_a_stray_semicolon_are_found_with_their_line():
    text = b"#include <cmath>\n#ifndef REAL\n#define REAL double;\n#endif\n#ifndef N\n#define N 64\n#endif\n"
    assert semicolon_defaults(text) == {"REAL": ("double", 3)}
    assert semicolon_defaults(b"#ifndef A\n#define B float;\n#endif\n") == {}     # not a default of itself


def test_a_variant_chosen_by_the_build_is_defined_and_reported():
    text = """template <class M> struct banded_op { void operator()(M &m, double *y) { y[0] = m.diag[0]; } };
#if defined(USE_BANDED)
template <class M> struct spmv_op { void operator()(M &m, double *y) {
  for (int i = 0; i < m.n; ++i) y[i] = m.diag[i]; } };
#elif defined(USE_PACKED)
template <class M> struct spmv_op { void operator()(M &m, double *y) { y[0] = m.vals[0]; } };
#endif
struct Banded { int n; double *diag; };
void apply(Banded &m, double *y) {
  spmv_op<Banded> op;
  op(m, y);
}
"""
    errors, diag = parsed(text)
    assert errors == 0
    assert list(diag.configuration) == ["USE_BANDED"]
    assert "spmv_op is declared only under it" in diag.configuration["USE_BANDED"]
    assert "USE_PACKED" in diag.configuration["USE_BANDED"]


def test_a_restrict_macro_passed_with_minus_d_is_a_qualifier():
    """`double * VEC_RESTRICT p`: the build says -DVEC_RESTRICT=__restrict__; as a parameter, a local with
    `const` after it, and a local pointer, the loop parses and no stand-in variable is invented."""
    text = """void axpy(int n, double a, const double * VEC_RESTRICT x, double * VEC_RESTRICT y) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}
struct Vec { double *v; int n; };
void scale(Vec &w, double a) {
  double * VEC_RESTRICT out = &w.v[0];
  const double * VEC_RESTRICT const in = &w.v[0];
  for (int i = 0; i < w.n; ++i) out[i] = a * in[i];
}
"""
    errors, diag = parsed(text)
    assert errors == 0
    assert diag.guessed_types == {"VEC_RESTRICT": "(qualifier macro: __restrict)"}
    assert diag.declared_unknowns == []


def test_an_unknown_scalar_type_and_restrict_macro_together():
    """Both come from the build (-DSCALAR=double -DRESTRICT=__restrict__): clang first reads
    `SCALAR* RESTRICT r = ...` as a product; the mends make SCALAR a type and RESTRICT a qualifier."""
    text = """#include <vector>
template <class V> double norm1(V &x) {
  SCALAR* RESTRICT r = &x.c[0];
  double s = 0;
  for (int i = 0; i < 4; ++i) s += r[i];
  return s;
}
struct W { std::vector<SCALAR> c; };
double f(W &w) { return norm1(w); }
"""
    errors, diag = parsed(text)
    assert errors == 0
    assert diag.guessed_types["RESTRICT"] == "(qualifier macro: __restrict)"
    assert "RESTRICT" not in diag.declared_unknowns and "r" not in diag.declared_unknowns


def test_pointer_arithmetic_is_not_mistaken_for_a_qualifier():
    text = "int f(int *p, int n) { int t = *p * n; return t; }\nint g(int a, int b) { return a * b; }\n"
    errors, diag = parsed(text, "arith.c")
    assert errors == 0 and diag.guessed_types == {} and diag.configuration == {}


def test_a_default_with_a_stray_semicolon_is_used_without_it_and_reported(tmp_path):
    """fem.h's default `#define SCALAR_T double;` only compiles when the build passes -DSCALAR_T; without
    it `std::vector<SCALAR_T>` and `SCALAR_T* p` fail. The value without ';' is used and reported."""
    (tmp_path / "fem.h").write_text("#ifndef FEM_H\n#define FEM_H\n#ifndef SCALAR_T\n#define SCALAR_T double;\n"
                                    "#endif\ntypedef SCALAR_T fem_scalar;\n#endif\n")
    text = """#include <vector>
#include "fem.h"
void smooth(std::vector<SCALAR_T> &u, int n) {
  SCALAR_T* p = &u[0];
  for (int i = 1; i < n - 1; ++i) p[i] = 0.5 * (p[i - 1] + p[i + 1]);
}
"""
    name = str(tmp_path / "smooth.cpp")
    errors, diag = parsed(text, name)
    assert errors == 0
    assert diag.configuration["SCALAR_T"].startswith("double: its default at ")
    assert "fem.h:4" in diag.configuration["SCALAR_T"]


def test_a_file_whose_own_error_directive_fires_is_not_built_here():
    """`#error` under `#ifndef N`: a build without -DN fails too; the parse says so with its words, for a
    local file and an upload alike, and with -DN the file parses."""
    import pytest
    from xapp.errors import NotBuilt, ParseError
    text = ('#ifndef TILE\n#error "define TILE with -D"\n#endif\n'
            "void zero(float *a, int n) { for (int i = 0; i < n; i += TILE) a[i] = 0; }\n")
    for untrusted in (False, True):
        with pytest.raises(NotBuilt, match=r'^tile\.c: not built in this configuration: its #error at line 2 says '
                                           r'"define TILE with -D" \(pass the macros it asks for with -D'):
            parse(text, "tile.c", ParseOptions(untrusted=untrusted))
    assert issubclass(NotBuilt, ParseError)
    assert parsed(text, "tile.c", defines=(("TILE", "4"),))[0] == 0
