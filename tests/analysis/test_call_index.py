"""The callers of a function are read once per file (sizes._call_index), never carried to the next file."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source

SCALE = "void scale(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 2.0f * a[i]; }\n"
READS = SCALE + ("#include <stdio.h>\nint main(void) { int n; float a[64]; scanf(\"%d\", &n); scale(a, n);\n"
                 "  for (int k = 0; k < n; k++) scale(a + k, n); return 0; }\n")
OTHER = SCALE + "extern int g;\nint main(void) { float a[64]; int n = g; scale(a, n); return 0; }\n"


def unknown(text: str) -> dict:
    return {r.function: r.unknown_sizes for r in extract_source(text, "t.c", ParseOptions()).regions}


def test_each_file_answers_from_its_own_callers():
    assert unknown(READS)["scale"] == {"n": "from the caller; main reads it from input"}
    # the same function names in the next file: its main passes an n it reads from no input
    assert unknown(OTHER)["scale"] == {"n": "from the caller"}
    assert unknown(READS)["scale"] == {"n": "from the caller; main reads it from input"}
