"""Issue 22, calls: a same-file function that writes through its pointer parameter inside a counted
loop with constant bounds (`for (b = 0; b < 3; b++) pix[2 - b] = ...`) touches a known span of
elements at each call, judged by the dependence test like the loop's own statements."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source

from .marked_loops import by_marker

SPANS = """
void color(float f, unsigned char *pix) {
  for (int b = 0; b < 3; b++) pix[2 - b] = (unsigned char)(f * b);
}
void forces(const double s, double fx[]) {
  for (int i = 0; i < 8; i++) fx[i] = -s * i;
}
void wide(double *p, int n) {
  for (int i = 0; i < n; i++) p[i] = i;
}
void four(double *p) {
  for (int i = 0; i <= 3; i++) p[i] = i;
}
void run(unsigned char *img, double *fe, const double *sig, int n) {
  for (int x = 0; x < n; x++)              // COLOR
    color(0.5f * x, img + 3 * x);
  for (int k = 0; k < n; k++)              // FORCES
    forces(sig[k], &fe[k * 8]);
  for (int k = 0; k < n; k++)              // WIDE
    wide(&fe[k * 8], 8);
  for (int k = 0; k < n; k++)              // OVERLAP
    four(fe + 3 * k);
}
"""


def _loops() -> dict[str, dict]:
    return by_marker(extract_source(SPANS, "t.c", ParseOptions()), SPANS)


def test_a_callee_writing_a_constant_span_in_a_counted_loop_leaves_the_loop_parallel():
    loops = _loops()
    for marker in ("COLOR", "FORCES"):
        assert loops[marker]["verdict"] == "parallel", (marker, loops[marker]["reason"])


def test_a_span_with_a_variable_bound_or_one_that_overlaps_the_next_call_stays_serial():
    loops = _loops()
    assert loops["WIDE"]["verdict"] == "serial"
    assert "call dependence" in loops["WIDE"]["reason"]
    assert loops["OVERLAP"]["verdict"] == "serial"
    assert "output dependence on fe" in loops["OVERLAP"]["reason"], loops["OVERLAP"]["reason"]


# ---- a name declared in two kernels of one region (lulesh's `Real_t B[3][8]`) -----------------------
TWICE = """
void fill(double *b) { for (int i = 0; i < 8; i++) b[i] = i; }
void step(double *out, int n, int steps) {
  for (int t = 0; t < steps; t++) {
    for (int k = 0; k < n; k++) {          // FIRSTB
      double B[8];
      fill(B);
      out[k] = B[3];
    }
    for (int k = 0; k < n; k++) {          // SECONDB
      double B[8];
      fill(B);
      out[k] += B[2];
    }
  }
}
void enclosing(double *out, int n, int steps) {
  for (int t = 0; t < steps; t++) {
    double B[8];
    for (int k = 0; k < n; k++) {          // OUTERB
      fill(B);
      out[k] = B[3];
    }
    for (int k = 0; k < n; k++) {          // INNERB
      double B[8];
      fill(B);
      out[k] += B[1];
    }
  }
}
"""


def test_a_local_array_declared_in_two_kernels_of_a_region_is_each_kernels_own():
    doc = extract_source(TWICE, "t.c", ParseOptions())
    by_line = {l["line"]: l for r in doc.regions for l in r.loops}
    lines = TWICE.splitlines()
    at = {m: by_line[next(n for n, t in enumerate(lines, 1) if f"// {m}" in t)] for m in ("FIRSTB", "SECONDB", "OUTERB", "INNERB")}
    for marker in ("FIRSTB", "SECONDB", "INNERB"):
        assert at[marker]["verdict"] == "parallel", (marker, at[marker]["reason"])
    # OUTERB's B is declared in the loop around it: one B that every iteration writes
    assert at["OUTERB"]["verdict"] == "serial"


# ---- a `void *` parameter written as elements of one size (murmurhash3's `((uint64_t *)out)[1]`) ---
VOIDS = """
#include <stdint.h>
void hash(const void *key, int len, void *out) {
  const uint8_t *data = (const uint8_t *)key;
  uint64_t h1 = len, h2 = data[0];
  ((uint64_t *)out)[0] = h1;
  ((uint64_t *)out)[1] = h2;
}
void mixed(void *out) {
  for (int k = 0; k < 2; k++) ((uint64_t *)out)[k] = 1;
  ((uint32_t *)out)[3] = 2;
}
void run(const uint8_t *keys, uint64_t *d_out, int n) {
  for (int i = 0; i < n; i++)              // PAIRS
    hash(keys + i, 4, d_out + i * 2);
  for (int i = 0; i < n; i++)              // SHIFTED
    hash(keys + i, 4, d_out + i);
  for (int i = 0; i < n; i++)              // MIXED
    mixed(d_out + i * 2);
}
"""


def test_a_void_pointer_written_as_one_element_size_has_a_span():
    doc = extract_source(VOIDS, "t.c", ParseOptions())
    by_line = {l["line"]: l for r in doc.regions for l in r.loops}
    lines = VOIDS.splitlines()
    at = {m: by_line[next(n for n, t in enumerate(lines, 1) if f"// {m}" in t)] for m in ("PAIRS", "SHIFTED", "MIXED")}
    assert at["PAIRS"]["verdict"] == "parallel", at["PAIRS"]["reason"]
    assert at["SHIFTED"]["verdict"] == "serial" and "output dependence on d_out" in at["SHIFTED"]["reason"]
    assert at["MIXED"]["verdict"] == "serial" and "call dependence" in at["MIXED"]["reason"]


# ---- an argument offset in two steps (dslash's `d_lngbck + 4*mySite + dir`) -------------------------
STEPS = """
typedef struct { double re, im; } cplx;
typedef struct { cplx e[3][3]; } mat;
void adjoint(const mat *a, mat *b) {
  for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) { b->e[i][j].re = a->e[j][i].re; b->e[i][j].im = -a->e[j][i].im; }
}
void run(const mat *src, mat *dst, int n) {
  for (int s = 0; s < n; s++)              // TWOSTEP
    for (int d = 0; d < 4; d++) adjoint(src + 4 * s + d, dst + 4 * s + d);
  for (int s = 0; s < n; s++)              // STEPPAST
    for (int d = 0; d < 5; d++) adjoint(src + 4 * s + d, dst + 4 * s + d);
}
"""


def test_an_argument_offset_in_two_steps_points_into_its_array():
    doc = extract_source(STEPS, "t.c", ParseOptions())
    by_line = {l["line"]: l for r in doc.regions for l in r.loops}
    lines = STEPS.splitlines()
    at = {m: by_line[next(n for n, t in enumerate(lines, 1) if f"// {m}" in t)] for m in ("TWOSTEP", "STEPPAST")}
    assert at["TWOSTEP"]["verdict"] == "parallel", at["TWOSTEP"]["reason"]
    assert at["STEPPAST"]["verdict"] == "serial" and "dependence on dst" in at["STEPPAST"]["reason"]
