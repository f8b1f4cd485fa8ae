"""Pointers stepped like induction variables and pointers into arrays of another element size."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source

# a template's `auto` pointer: clang leaves its type undeduced; its value `T* + offset` says pointer
TEMPLATE = """template <typename T>
void rows(T* out, const T* in, int n, int m) {
  for (int r = 0; r < n; r++) {
    auto p = out + r * m;
    for (int c = 0; c < m; c++) { *p = in[c]; p++; }
  }
}
template void rows<float>(float*, const float*, int, int);
"""

# memtest's shape: two uint views of one byte buffer, `(uint*)(ptr + i*B)` and `(uint*)(ptr + i*B + B/2)`
VIEWS = """#define B 4096
void move(char* ptr, unsigned long n) {
  unsigned int half = B / sizeof(unsigned int) / 2;
  for (int i = 0; i < n; i++) {
    unsigned int* lo = (unsigned int*)(ptr + i * B);
    unsigned int* hi = (unsigned int*)(ptr + i * B + B / 2);
    for (int j = 0; j < half; j++)
      hi[j] = lo[j];
  }
}
"""


def loops(text: str, name: str) -> dict[str, dict]:
    doc = extract_source(text, name, ParseOptions())
    return {l["var"]: l for r in doc.regions for l in r.loops}


def test_an_auto_pointer_of_a_template_is_stepped_along_its_row():
    found = loops(TEMPLATE, "t.cpp")
    assert found["r"]["verdict"] == "parallel", found["r"]["reason"]
    assert found["c"]["verdict"] == "parallel", found["c"]["reason"]


def test_the_same_rows_one_element_apart_are_not_parallel():
    found = loops(TEMPLATE.replace("out + r * m", "out + r"), "t.cpp")
    assert found["r"]["verdict"] == "serial"


def test_views_of_other_element_size_are_not_rebased_onto_the_byte_buffer():
    # the offset counts bytes and the subscript uints: rebased, the two would make a false
    # "flow dependence on ptr"; kept as the two views, the alias assumption says what is assumed
    found = loops(VIEWS, "t.c")
    assert found["j"]["verdict"] == "parallel"
    assert "hi and lo do not overlap" in found["j"]["assumptions"]
    assert "dependence on ptr" not in (found["i"]["reason"] or "")
