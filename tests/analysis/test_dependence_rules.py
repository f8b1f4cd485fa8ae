"""Per-loop dependence verdicts: the false-positive traps and false negatives of issue 8, one rule each."""
from __future__ import annotations

import pytest

from xapp.features import ParseOptions, extract_source

HEADER = """
#include <stdlib.h>
#include <stdio.h>
#define LEN 1024
float a[LEN], b[LEN], x[4], c[LEN][LEN], ey[4][LEN];
int idx[LEN];
void opaque(float *p);
float pure_value(float v);
static void store_to(float *p, int i) { p[i] = 0; }
static float square(float v) { return v * v; }
"""


def loops_of(body: str, params: str = "float *A, float *B, int n", **options) -> dict[int, dict]:
    """Loops of `void f(params) { body }` keyed by line within `body` (first body line is 1)."""
    text = HEADER + f"void f({params}) {{\n{body}\n}}\n"
    offset = HEADER.count("\n") + 1
    doc = extract_source(text, "t.c", ParseOptions(**options))
    return {l["line"] - offset: l for r in doc.regions for l in r.loops}


def one(body: str, **kw) -> dict:
    loops = loops_of(body, **kw)
    assert len(loops) == 1, loops
    return next(iter(loops.values()))


# ---- false "parallel" traps: serial with a named reason ------------------------------------------
@pytest.mark.parametrize("body, words", [
    ("for (int i = 0; i < n; i++) a[0] = b[i] + 1.0f;", ("output dependence", "a")),
    ("float s = 0, t = 0;\nfor (int i = 0; i < n; i++) { a[i] = s + t; t = s; }", ("flow dependence", "t")),
    ("for (int i = 0; i < n; i++) { if (b[i] < 0) break; a[i] = b[i]; }", ("control dependence", "break")),
    ("for (int i = 0; i < n; i++) a[i] = rand();", ("rand",)),
    ("for (int i = 0; i < n; i++) a[idx[i]] = b[i];", ("could not prove", "indirect")),
    ("for (int i = 0; i < n; i++) opaque(A);", ("unknown function opaque", "A")),
    ("for (int i = 0; i < n; i++) store_to(A, 0);", ("output dependence", "A")),
    ("for (int i = 0; i < n; i++) printf(\"%f\", a[i]);", ("I/O", "printf")),
    ("for (int i = 1; i < n; i++) a[i] = a[i - 1] + b[i];", ("flow dependence on a",)),
    ("for (int i = 0; i < n - 1; i++) a[i] = a[i + 1];", ("anti dependence on a",)),
    ("float s = 0;\nfor (int i = 0; i < n; i++) { s += b[i]; a[i] = s; }", ("scan", "s")),
    ("int i = 0;\nwhile (i < n) { a[i] = 0; i++; }", ("could not prove", "while")),
])
def test_traps_are_serial_with_a_reason(body, words):
    loop = one(body)
    assert loop["verdict"] == "serial"
    for w in words:
        assert w in loop["reason"], loop["reason"]


def test_a_same_file_helper_is_judged_by_its_accesses():
    # store_to(A, i) writes A[i]: one element per iteration, as if written in the loop
    assert one("for (int i = 0; i < n; i++) store_to(A, i);")["verdict"] == "parallel"
    assert one("for (int i = 0; i < n - 1; i++) store_to(A, i + 1);")["verdict"] == "parallel"


def test_reason_names_the_statement_line():
    loop = one("for (int i = 1; i < n; i++)\n  a[i] = a[i - 1];")
    assert "line" in loop["reason"] and str(loop["line"] + 1) in loop["reason"]


# ---- false "serial": parallel (or reduction) with privatized / assumptions filled ---------------
def test_body_declared_array_is_private():
    loop = loops_of("for (int i = 0; i < n; i++) {\n  float tmp[4];\n  for (int j = 0; j < 4; j++) tmp[j] = b[i] * j;\n"
                    "  a[i] = tmp[1] + tmp[3];\n}")[1]
    assert loop["verdict"] == "parallel" and "tmp" in loop["privatized"]


def test_scalar_written_before_read_is_private():
    loops = loops_of("int k, i, j;\nfor (j = 0; j < n; j++)\n  for (i = 0; i < n; i++) {\n"
                     "    k = i + n * j;\n    A[k] = B[k] * 2;\n  }")
    outer = loops[2]
    assert outer["verdict"] == "parallel"
    assert "k" in outer["privatized"] and "i" in outer["privatized"]
    assert "A and B do not overlap" in outer["assumptions"]


def test_fixed_element_temporary_array_is_private():
    loop = one("for (int i = 0; i < n; i++) { x[0] = b[i]; a[i] = x[0] * 2; }")
    assert loop["verdict"] == "parallel" and loop["privatized"] == ["x"]


def test_symbolic_offset_half_length():
    loop = one("int k = LEN / 2;\nfor (int i = 0; i < k; i++) a[i] = a[i + k] + 1;")
    assert loop["verdict"] == "parallel", loop["reason"]


def test_parameter_offset_with_bounds():
    loop = one("for (int i = 0; i < n; i++) A[i] = A[i + n];")
    assert loop["verdict"] == "parallel", loop["reason"]


def test_symmetric_stores_with_triangular_bounds():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = i; j < n; j++) {\n"
                     "    c[i][j] = b[i] * b[j];\n    c[j][i] = c[i][j];\n  }")
    assert loops[1]["verdict"] == "parallel", loops[1]["reason"]
    assert loops[2]["verdict"] == "parallel", loops[2]["reason"]


def test_literal_subscripts_are_affine():
    loop = one("for (int j = 0; j < n; j++) ey[0][j] = b[j];")
    assert loop["verdict"] == "parallel"


def test_linearised_subscripts_proven_by_the_column_bound_need_no_assumption():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < n; j++)\n    A[i*n + j] = A[i*n + j] + B[j*n + i];")
    assert loops[1]["verdict"] == loops[2]["verdict"] == "parallel"
    assert not any("row" in s for s in loops[1]["assumptions"])


def test_linearised_subscripts_with_an_unrelated_column_bound_assume_the_row():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < m; j++)\n    A[i*n + j] = B[j*n + i];",
                     params="float *A, float *B, int n, int m")
    assert loops[1]["verdict"] == loops[2]["verdict"] == "parallel"
    assert any("row of n elements" in s for s in loops[1]["assumptions"])


def test_linearised_stencil_along_a_row_is_serial_only_inside():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 1; j < n; j++)\n    A[i*n + j] = A[i*n + j - 1];")
    assert loops[1]["verdict"] == "parallel"
    assert loops[2]["verdict"] == "serial" and "flow dependence on A" in loops[2]["reason"]


def test_even_odd_stride_is_independent():
    loop = one("for (int i = 0; i < n; i += 2) A[i] = A[i + 1];")
    assert loop["verdict"] == "parallel", loop["reason"]


def test_pure_math_and_same_file_pure_function():
    assert one("for (int i = 0; i < n; i++) a[i] = sqrtf(b[i]) + square(b[i]);")["verdict"] == "parallel"
    assert one("for (int i = 0; i < n; i++) a[i] = pure_value(b[i]);")["verdict"] == "parallel"


# ---- reductions -----------------------------------------------------------------------------------
@pytest.mark.parametrize("body, op", [
    ("float s = 0;\nfor (int i = 0; i < n; i++) s += a[i] * b[i];", "+"),
    ("float s = 0;\nfor (int i = 0; i < n; i++) s = s + a[i];", "+"),
    ("float s = 1;\nfor (int i = 0; i < n; i++) s = a[i] * s;", "*"),
    ("float m = 0;\nfor (int i = 0; i < n; i++) m = fmaxf(m, a[i]);", "max"),
    ("float m = 0;\nfor (int i = 0; i < n; i++) m = a[i] < m ? a[i] : m;", "min"),
    ("int cnt = 0;\nfor (int i = 0; i < n; i++) cnt++;", "+"),
    ("int bits = 0;\nfor (int i = 0; i < n; i++) bits |= idx[i];", "|"),
])
def test_scalar_reductions(body, op):
    loop = one(body)
    assert loop["verdict"] == "reduction"
    assert loop["reductions"][0]["op"] == op


def test_subtraction_from_the_value_is_not_a_reduction():
    loop = one("float s = 0;\nfor (int i = 0; i < n; i++) s = a[i] - s;")
    assert loop["verdict"] == "serial"


def test_array_reduction_in_the_k_loop_only():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < n; j++)\n    for (int k = 0; k < n; k++)\n"
                     "      c[i][j] += A[i*n + k] * B[k*n + j];")
    assert loops[1]["verdict"] == loops[2]["verdict"] == "parallel"
    assert loops[3]["verdict"] == "reduction" and loops[3]["reductions"] == [{"name": "c", "op": "+"}]


def test_fixed_element_store_without_self_read_is_not_a_reduction():
    loop = one("for (int i = 0; i < n; i++) a[0] = b[i] + a[1];")
    assert loop["verdict"] == "serial"


# ---- aliasing -------------------------------------------------------------------------------------
def test_alias_assumption_listed_and_switchable():
    body = "for (int i = 0; i < n; i++) A[i] = B[i] + 1;"
    assert one(body)["assumptions"] == ["A and B do not overlap"]
    off = one(body, alias_assumption=False)
    assert off["verdict"] == "serial" and "could not prove A and B do not overlap" in off["reason"]


def test_distinct_global_arrays_need_no_assumption():
    loop = one("for (int i = 0; i < n; i++) a[i] = b[i];", alias_assumption=False)
    assert loop["verdict"] == "parallel" and loop["assumptions"] == []


# ---- output shape ---------------------------------------------------------------------------------
def test_every_loop_once_with_line_column_depth():
    text = ("void g(int n, float *a) {\n"
            "  for (int t = 0; t < 10; t++) {\n"
            "    for (int i = 0; i < n; i++) a[i] = a[i] * 2;\n"
            "    int k = 0;\n"
            "    do { k++; } while (k < 3);\n"
            "  }\n"
            "  while (n > 0) n--;\n"
            "}\n")
    doc = extract_source(text, "t.c")
    loops = [l for r in doc.regions for l in r.loops]
    assert [(l["line"], l["column"], l["depth"], l["kind"]) for l in loops] == [
        (2, 3, 0, "for"), (3, 5, 1, "for"), (5, 5, 1, "do"), (7, 3, 0, "while")]
    assert loops[0]["trip_count"] == 10 and loops[1]["trip_count"] is None
    assert loops[0]["verdict"] == "serial" and loops[1]["verdict"] == "parallel"
    assert doc.regions[0].parallel_level == "3:i"
    for l in loops:
        assert set(l) >= {"line", "column", "depth", "trip_count", "verdict", "reason", "privatized",
                          "reductions", "assumptions", "pragma", "agrees"}
        assert (l["reason"] is None) == (l["verdict"] != "serial")


def test_trip_counts_from_the_call_site():
    text = ("#define N 500\n"
            "static void kernel(int n, float *a) { for (int i = 0; i < n; i++) a[i] = 0; }\n"
            "int main(void) { static float a[N]; int size = N; kernel(size, a); kernel(N, a); return 0; }\n")
    loop = extract_source(text, "t.c").regions[0].loops[0]
    assert loop["trip_count"] == 500


def test_trip_counts_stay_unknown_when_call_sites_disagree():
    text = ("static void kernel(int n, float *a) { for (int i = 0; i < n; i++) a[i] = 0; }\n"
            "int main(void) { static float a[100]; kernel(10, a); kernel(20, a); return 0; }\n")
    assert extract_source(text, "t.c").regions[0].loops[0]["trip_count"] is None


# ---- OpenMP pragmas -------------------------------------------------------------------------------
PRAGMAS = """void h(int n, float *a, float *b) {
  float s = 0;
  #pragma omp parallel for \\
      reduction(+:s)
  for (int i = 0; i < n; i++)
    s += a[i];
  #pragma omp parallel for private(t)
  for (int i = 1; i < n; i++)
    a[i] = a[i - 1] + b[i];
  #pragma omp simd
  for (int i = 0; i < n; i++)
    a[i] = b[i];
}
"""


def test_pragmas_are_read_and_compared():
    doc = extract_source(PRAGMAS, "p.c")
    loops = {l["line"]: l for r in doc.regions for l in r.loops}
    assert loops[5]["pragma"] == "parallel for reduction(+:s)" and loops[5]["agrees"] is True
    assert loops[5]["verdict"] == "reduction"
    assert loops[8]["pragma"] == "parallel for private(t)" and loops[8]["agrees"] is False
    assert loops[8]["verdict"] == "serial"             # the pragma never overrides the analysis
    assert loops[11]["pragma"] == "simd" and loops[11]["agrees"] is True


def test_pragma_hiding_a_dependence_is_a_race_finding():
    doc = extract_source(PRAGMAS, "p.c")
    findings = doc.as_dict()["findings"]
    assert [(f["line"], f["rule"]) for f in findings] == [(8, "xapp/omp-race")]
    assert "possible data race" in findings[0]["message"] and "flow dependence on a" in findings[0]["message"]


def test_untrusted_sources_ignore_pragmas():
    doc = extract_source(PRAGMAS, "p.c", ParseOptions(untrusted=True))
    assert all(l["pragma"] is None for r in doc.regions for l in r.loops)


# ---- pointers and storage -------------------------------------------------------------------------
def test_static_local_is_shared_but_a_plain_local_is_private():
    loops = loops_of("for (int i = 0; i < n; i++) { static int calls = 0; calls = calls * 2 + 1; a[i] = calls; }\n"
                     "for (int i = 0; i < n; i++) { int calls = 0; calls = calls * 2 + 1; a[i] = calls; }")
    assert loops[1]["verdict"] == "serial" and "calls" in loops[1]["reason"]
    assert loops[2]["verdict"] == "parallel"


def test_pointers_declared_in_the_body_are_their_targets():
    loops = loops_of("for (int i = 0; i < n; i++) { float *p = &a[i]; *p = b[i]; }\n"
                     "for (int i = 0; i < n; i++) { float *row = c[i]; for (int j = 0; j < n; j++) row[j] = 0; }\n"
                     "for (int i = 0; i < n; i++) { float *q = A + i * n; q[1] = B[i]; }\n"
                     "for (int i = 0; i < n; i++) { float *p = A; *p = B[i]; }\n"
                     "for (int i = 0; i < n - 1; i++) { float *p = &a[i]; p[1] = b[i]; b[i] = *p; }")
    assert [loops[k]["verdict"] for k in (1, 2, 3)] == ["parallel"] * 3
    assert loops[4]["verdict"] == "serial" and "output dependence on A" in loops[4]["reason"]
    assert loops[5]["verdict"] == "serial" and "flow dependence on a" in loops[5]["reason"]


def test_secondary_induction_variable_in_the_header():
    loops = loops_of("int o = 0;\nfor (int q = 0; q < n; ++q, o++) A[o] = B[q];\n"
                     "int p = 0;\nfor (int q = 0; q < n; ++q, p++) A[q - p] = B[q];")
    assert loops[2]["verdict"] == "parallel"
    assert loops[4]["verdict"] == "serial" and "output dependence on A" in loops[4]["reason"]


def test_grid_stride_and_halving_loops():
    loops = loops_of("for (int i = n / 2; i < n; i += n / 8) A[i] = B[i];\n"
                     "for (int k = n; k > 0; k >>= 1) A[k] = A[k - 1];")
    assert loops[1]["verdict"] == "parallel"
    assert loops[2]["verdict"] == "serial"


# OpenMP data sharing in C: only the associated loops' iteration variables are predetermined private;
# a variable declared outside the loop and in no private clause is shared, even an inner loop index.
SHARING = """#define N 64
static double A[N][N], B[N][N], h[N], s;
static int key[N];
void shared_j(void) {
    int i, j;
    double t;
#pragma omp parallel for
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) {
            t = B[i][j];
            A[i][j] = t * t;
        }
}
void region_for(void) {
    int i, j;
#pragma omp parallel private(j)
    {
        double t;
#pragma omp for
        for (i = 0; i < N; i++)
            for (j = 0; j < N; j++) {
                t = B[i][j];
                A[i][j] = t;
            }
    }
}
void collapsed(void) {
    int i, j;
#pragma omp parallel for collapse(2)
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            A[i][j] = B[j][i];
}
void wrong_op(void) {
#pragma omp parallel for reduction(*:s)
    for (int i = 0; i < N; i++)
        s += h[i];
}
void max_of(void) {
#pragma omp parallel for reduction(max:s)
    for (int i = 0; i < N; i++)
        if (h[i] > s) s = h[i];
}
"""


def test_shared_temporaries_are_findings_of_their_own_rule():
    doc = extract_source(SHARING, "s.c")
    loops = {l["line"]: l for r in doc.regions for l in r.loops}
    findings = [(f["line"], f["rule"], f["message"].split(": ", 1)[1]) for f in doc.as_dict()["findings"]]
    shared = [(line, msg) for line, rule, msg in findings if rule == "xapp/omp-shared-private"]
    assert shared == [(8, "j is shared under the pragma but written in every iteration; add private(j)"),
                      (8, "t is shared under the pragma but written in every iteration; add private(t)")]
    assert loops[8]["verdict"] == "parallel" and loops[8]["agrees"] is False
    # j private on the enclosing parallel region, t declared inside it, i the loop's own variable
    assert loops[20]["agrees"] is True
    # collapse(2) makes j an iteration variable of the construct
    assert loops[30]["agrees"] is True


def test_a_reduction_needs_a_clause_with_a_matching_operator():
    doc = extract_source(SHARING, "s.c")
    loops = {l["line"]: l for r in doc.regions for l in r.loops}
    races = [f for f in doc.as_dict()["findings"] if f["rule"] == "xapp/omp-race"]
    assert [f["line"] for f in races] == [36]
    assert "s is a reduction (+)" in races[0]["message"] and "(it says *)" in races[0]["message"]
    assert loops[36]["agrees"] is False and loops[41]["agrees"] is True


# ---- memset / memcpy of one row per iteration -----------------------------------------------------
ROWS = "#include <string.h>\nfloat d[64][64], e[64][64];\n"


def row_loops(body: str) -> dict[int, dict]:
    doc = extract_source(ROWS + f"void f(float *p, int n) {{\n{body}\n}}\n", "r.c")
    return {l["line"] - 3: l for r in doc.regions for l in r.loops}


@pytest.mark.parametrize("body", [
    "for (int i = 0; i < 64; i++) memset(d[i], 0, sizeof(float) * 64);",
    "for (int i = 0; i < 64; i++) memcpy(&d[i][0], e[i], 64 * sizeof(float));",
    "for (int i = 0; i < 64; i++) memmove(d[i], e[i], 64 * sizeof(float));",
])
def test_row_copies_are_writes_of_that_row(body):
    (loop,) = row_loops(body).values()
    assert loop["verdict"] == "parallel", loop["reason"]


@pytest.mark.parametrize("body", [
    "for (int i = 0; i < 63; i++) memset(d[i], 0, sizeof(float) * 128);",   # two rows: overlaps the next
    "for (int i = 0; i < 63; i++) memcpy(d[i], d[i + 1], sizeof(float) * 64);",
    "for (int i = 0; i < 64; i++) memset(d[0], 0, sizeof(float) * 64);",
    "for (int i = 0; i < 64; i++) { memset(d[i], 0, sizeof(float) * 64); d[i + 1][0] = 1.0f; }",
    "for (int i = 0; i < 64; i++) memset(d[i], 0, (size_t)n);",               # unknown size
    "for (int i = 0; i < 64; i++) { memcpy(d[i], e[i], 64 * sizeof(float)); e[i][0] += 1.0f; }",   # source written
    "for (int i = 0; i < 64; i++) memset(p + i, 0, sizeof(float));",            # not a row of an array
])
def test_row_copies_that_may_collide_stay_serial(body):
    (loop,) = row_loops(body).values()
    assert loop["verdict"] == "serial"


def test_a_row_call_in_an_inner_loop_rewrites_the_same_row():
    loops = row_loops("for (int i = 0; i < 64; i++)\n  for (int j = 0; j < 4; j++)\n    memset(d[i], j, sizeof(float) * 64);")
    assert loops[1]["verdict"] == "parallel" and loops[2]["verdict"] == "serial"


# ---- a same-file function that writes a global at the index it is given ---------------------------
INDEXED = """float g[64], h[64];
static void put(int k, float v) { g[k] = v; }
static void put_next(int k, float v) { k = k + 1; g[k] = v; }
static float get(int k) { return h[k]; }
"""


def indexed_loops(body: str) -> dict[int, dict]:
    doc = extract_source(INDEXED + f"void f(void) {{\n{body}\n}}\n", "g.c")
    return {l["line"] - 5: l for r in doc.regions for l in r.loops}


def test_a_call_writing_the_global_element_it_is_given_the_loop_variable_is_parallel():
    loops = indexed_loops("for (int i = 0; i < 64; i++)\n  for (int j = 0; j < 4; j++)\n    put(i, h[i] * j);")
    assert loops[1]["verdict"] == "parallel", loops[1]["reason"]
    assert loops[2]["verdict"] == "serial" and "writes global g" in loops[2]["reason"]   # same g[i] every j


@pytest.mark.parametrize("body", [
    "for (int i = 0; i < 63; i++) put(i + 1, 1.0f);",
    "for (int i = 0; i < 64; i++) put(0, h[i]);",
    "for (int i = 0; i < 63; i++) { put(i, 1.0f); h[i] = g[i + 1]; }",
    "for (int i = 0; i < 63; i++) put_next(i, 1.0f);",
])
def test_indexed_global_writes_that_may_collide_stay_serial(body):
    (loop,) = indexed_loops(body).values()
    assert loop["verdict"] == "serial"


# ---- `x += 1`: the literal operand is not an IR node, the update is still a reduction ---------------
@pytest.mark.parametrize("body, name", [
    ("for (int i = 0; i < n; i++) { int c = (int)b[i]; c = c < 0 ? 0 : c; idx[c] += 1; }", "idx"),
    ("int cnt = 0;\nfor (int i = 0; i < n; i++) { if (b[i] > 0) cnt += 1; }\na[0] = cnt;", "cnt"),
])
def test_literal_increments_are_sum_reductions(body, name):
    loop = one(body)
    assert loop["verdict"] == "reduction" and loop["reductions"] == [{"name": name, "op": "+"}], loop


def test_a_histogram_bin_read_back_in_the_loop_is_not_a_reduction():
    loop = one("for (int i = 0; i < n; i++) { int c = (int)b[i]; idx[c] += 1; a[i] = idx[c]; }")
    assert loop["verdict"] == "serial"


SHADOWING_STEP = """
void step(int n, double *u, double *v) {
  for (int i = 1; i < n - 1; i++) v[i] = 0.5 * (u[i - 1] + u[i + 1]);
}
void run(int n, int steps, double *u, double *v) {
  for (int t = 0; t < steps; t++) { step(n, u, v); step(n, v, u); }
}
"""


def test_a_function_of_the_file_named_like_a_library_builtin_is_judged_by_its_body():
    """OpenCL's `step` is pure; a program's own `step` that writes through its arguments is not."""
    run = next(r for r in extract_source(SHADOWING_STEP, "t.c", ParseOptions()).regions if r.function == "run")
    (loop,) = run.loops
    assert loop["verdict"] == "serial"
    assert loop["reason"].startswith("call dependence: step() at line 6 writes through its argument ")


# ---- a dependence found without one of the inner loop's bounds is not proven ------------------------
RANGES = """#pragma omp parallel for
for (int k = 0; k < n; k++) {
  int start = offsets[k];
  for (int i = START; i < END; i++)
    A[i] = 1;
}"""


def test_ranges_read_from_memory_give_no_proven_dependence_and_no_race():
    # CSR-like (offset, length) ranges: disjoint or not, only the data can tell
    body = RANGES.replace("START", "start").replace("END", "start + lengths[k]")
    text = HEADER + f"void f(float *A, int *offsets, int *lengths, int n) {{\n{body}\n}}\n"
    (r,) = extract_source(text, "t.c", ParseOptions()).regions
    loop = r.loops[0]
    assert loop["verdict"] == "serial"
    assert "a bound of the loop over i is read from memory or is not a counted form" in loop["reason"]
    assert "output dependence" not in loop["reason"] and r.findings == []


def test_a_dependence_over_counted_bounds_stays_proven_and_flagged():
    body = RANGES.replace("START", "k").replace("END", "k + 2")
    text = HEADER + f"void f(float *A, int *offsets, int *lengths, int n) {{\n{body}\n}}\n"
    (r,) = extract_source(text, "t.c", ParseOptions()).regions
    assert "output dependence on A" in r.loops[0]["reason"]
    assert [f["rule"] for f in r.findings] == ["xapp/omp-race"]


# ---- a field of a struct variable is a parameter only where the loop does not change the variable ---
FIELDS = """typedef struct { int s0, s1; } int2;
int2 newpos(int x, int d);
void f(float *out, int n, int d, int2 q) {
  #pragma omp parallel for
  for (int i = 0; i < n; i++) {
    BODY
  }
}
"""


def test_a_field_of_a_struct_computed_in_the_iteration_is_no_proven_shared_element():
    # fluidSim's `int8 nPos = fma8(...)`, `of1234[nPos.s0].x = ...`: each iteration its own position
    (r,) = extract_source(FIELDS.replace("BODY", "int2 p = newpos(i, d);\n    out[p.s0] = 1.0f;"), "t.c",
                          ParseOptions()).regions
    assert r.loops[0]["verdict"] == "serial" and "output dependence" not in r.loops[0]["reason"]
    assert r.findings == []


def test_a_field_of_an_invariant_struct_is_one_element():
    (r,) = extract_source(FIELDS.replace("BODY", "out[q.s0] = 1.0f;"), "t.c", ParseOptions()).regions
    assert "output dependence on out" in r.loops[0]["reason"]
    assert [f["rule"] for f in r.findings] == ["xapp/omp-race"]


def test_the_same_field_of_two_struct_variables_is_two_values():
    # q.s0 and w.s0 are two unknowns: iteration i writes what iteration i + q.s0 - w.s0 writes
    # (read as one symbol `.s0`, the two stores looked like one element per iteration: parallel)
    text = FIELDS.replace("int2 q)", "int2 q, int2 w)").replace("BODY", "out[q.s0 + i] = 1.0f;\n    out[w.s0 + i] = 2.0f;")
    (r,) = extract_source(text, "t.c", ParseOptions()).regions
    assert r.loops[0]["verdict"] == "serial" and "output dependence on out" in r.loops[0]["reason"]
