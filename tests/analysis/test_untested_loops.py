"""An inner loop that never tests its own variable (`for (k = 0; x; k++)`): its variable is unbounded,
which stops a proof only where a subscript reads it (deps._untested_loop)."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source

from .marked_loops import by_marker

TEXT = """
void bits(const unsigned long *data, char *out, int n) {
  for (int i = 0; i < n; i++) {            // COUNTER
    char count;
    unsigned long x = data[i];
    for (count = 0; x; count++) x &= x - 1;
    out[i] = count;
  }
}
void place(const unsigned long *data, char *out, int n) {
  for (int i = 0; i < n; i++) {            // SUBSCRIPT
    int k;
    unsigned long x = data[i];
    for (k = 0; x; k++) x >>= 1;
    int at = k * 2;
    out[at] = 1;
  }
}
"""


def _loops() -> dict[str, dict]:
    return by_marker(extract_source(TEXT, "t.c", ParseOptions()), TEXT)


def test_an_inner_counter_no_subscript_reads_leaves_the_loop_parallel():
    loop = _loops()["COUNTER"]
    assert loop["verdict"] == "parallel", loop["reason"]


def test_an_inner_counter_that_a_subscript_reads_through_a_scalar_stays_unproven():
    loop = _loops()["SUBSCRIPT"]
    assert loop["verdict"] == "serial" and "never tests its variable k" in loop["reason"]
