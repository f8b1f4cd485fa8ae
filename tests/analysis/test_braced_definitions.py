"""`size_t work = {COUNT};`: an integer defined with braces has the value inside them (nest._definition)."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source

TEXT = """#include <vector>
#define COUNT 4096
void box(float *r, int steps) {
  unsigned long work = {COUNT};
  for (int g = 0; g < work; g++)
    for (int k = 0; k < steps; k++)
      r[g + k * COUNT] = 2.0f * r[g + k * COUNT];
}
void unknown(float *r, int steps, unsigned long work) {
  for (int g = 0; g < work; g++)
    for (int k = 0; k < steps; k++)
      r[g + k * COUNT] = 2.0f * r[g + k * COUNT];
}
void vec(float *r) {
  std::vector<int> v = {8};
  for (int g = 0; g < v.size(); g++) r[g] = 1.0f;
}
"""


def _loops() -> dict[int, dict]:
    doc = extract_source(TEXT, "t.cpp", ParseOptions())
    return {l["line"]: l for r in doc.regions for l in r.loops}


def test_a_braced_integer_bounds_the_loop_and_separates_its_rows():
    loop = _loops()[5]
    assert loop["verdict"] == "parallel" and loop["trip_count"] == 4096, loop["reason"]


def test_without_the_definition_the_rows_may_meet():
    loop = _loops()[10]
    assert loop["verdict"] == "serial" and "dependence on r" in loop["reason"]


def test_a_class_built_from_braces_is_no_integer_value():
    assert _loops()[16]["trip_count"] is None


# a size read once by a call (colorwheel's main: `const int size = atoi(argv[2]);`) and an index scalar
# declared in two nests: the size is a symbol of the subscript, not a call that hides it
SIZED_BY_CALL = """#include <stdlib.h>
static void paint(float a, unsigned char *pix) { for (int b = 0; b < 3; b++) pix[2 - b] = (unsigned char)(a * b); }
int main(int argc, char **argv) {
  const int size = atoi(argv[1]);
  unsigned char *pix = (unsigned char *)malloc((size_t)size * size * 3);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++) {
      size_t idx = ((size_t)y * size + x) * 3;
      paint(1.0f, pix + idx);
    }
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++) {
      size_t idx = ((size_t)y * size + x) * 2;
      paint(2.0f, pix + idx);
    }
  return pix[0];
}
"""


def test_a_size_defined_by_a_call_is_a_symbol_of_the_index_scalar():
    loops = {l["line"]: l for r in extract_source(SIZED_BY_CALL, "m.c", ParseOptions()).regions for l in r.loops}
    assert loops[6]["verdict"] == "parallel", loops[6]["reason"]
    # three bytes per pixel at a stride of two: neighbouring pixels overlap
    assert loops[11]["verdict"] == "serial" and "output dependence on pix" in loops[11]["reason"]
