"""Inner loops stepped by a loop-invariant symbol (analysis/strides.py)."""
from __future__ import annotations

import pytest

from xapp.features import ParseOptions, extract_source

# thomas: column tid walks down its own column N elements at a time, forward then back
THOMAS = """void solve(const float *L, const float *D, float *U, float *R, int N, int M) {
  for (int tid = 0; tid < TIDS; tid++) {
    int first = tid;
    int last = N*(M-1) + tid;
    U[first] /= D[first];
    for (int i = first + N; i < last; i += STEP)
      U[i] /= D[i] - L[i] * U[i-N];
    R[last] = R[last] - U[last-N];
    for (int i = last - N; i >= first; i -= N)
      R[i] -= U[i] * R[i+N];
  }
}
"""


def tid_loop(tids: str = "N", step: str = "N", text: str = THOMAS) -> dict:
    doc = extract_source(text.replace("TIDS", tids).replace("STEP", step), "t.c", ParseOptions())
    return next(l for r in doc.regions for l in r.loops if l["var"] == "tid")


def test_columns_walked_by_the_row_length_are_distinct():
    loop = tid_loop()
    assert loop["verdict"] == "parallel", loop["reason"]


@pytest.mark.parametrize("tids, step", [("2*N", "N"), ("N", "N-1"), ("N", "1")])
def test_columns_that_overlap_are_not_parallel(tids, step):
    # 2N columns share elements N apart; a step of N-1 or 1 runs into the next column
    assert tid_loop(tids, step)["verdict"] == "serial"


def test_a_step_count_without_a_linear_bound_proves_no_dependence():
    loop = tid_loop("2*N")
    assert "a bound of the loop over i is not linear" in loop["reason"]
    assert "dependence on U" not in loop["reason"]


def test_a_loop_variable_written_in_the_body_is_not_read_as_strided():
    text = THOMAS.replace("U[i] /= D[i] - L[i] * U[i-N];", "{ if (i > 5) i++; U[i] /= D[i] - L[i] * U[i-N]; }")
    assert tid_loop(text=text)["verdict"] == "serial"


def test_a_step_the_loop_changes_is_not_read_as_strided():
    text = THOMAS.replace("U[i] /= D[i] - L[i] * U[i-N];", "{ U[i] /= D[i]; N = N + 1; }")
    assert tid_loop(text=text)["verdict"] == "serial"
