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
