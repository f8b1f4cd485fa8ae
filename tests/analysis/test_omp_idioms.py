"""Loops that OpenMP programs mark parallel, proven so by idioms of issue 22 (atomics, clauses, private
per-iteration storage, row pointers, index scalars), each next to a racy variant that must stay serial."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source


def loops_in(text: str, filename: str = "t.cpp") -> dict[int, dict]:
    """Loops of a whole source text by line (1-based)."""
    doc = extract_source(text, filename, ParseOptions())
    return {l["line"]: l for r in doc.regions for l in r.loops}


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


# ---- a template's dependent call keeps its callee's name ----------------------------------------
TEMPLATE_MAX = """
template <typename T> T max(T a, T b) { return a > b ? a : b; }
template <typename T>
void run(T *g, long n) {
  for (long i = 0; i < n; ++i)   // L1
    g[2] = max(g[2], (T)i);
  for (long i = 0; i < n; ++i)   // L2
    g[3] = max(g[4], (T)i);
}
"""


def test_a_dependent_call_in_a_template_is_named_and_a_max_update_reduces():
    loops = loops_in(TEMPLATE_MAX)
    first, second = loops[line_of(TEMPLATE_MAX, "L1")], loops[line_of(TEMPLATE_MAX, "L2")]
    assert first["verdict"] == "reduction"
    assert first["reductions"] == [{"name": "g", "op": "max"}]
    # g[3] = max(g[4], i) is no update of one location: the last iteration's value wins
    assert second["verdict"] == "serial" and "output dependence on g" in second["reason"]
