"""Scalars the loop changes, used in subscripts: an unknown per side, bounded by what is assigned."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source


def loops_of(body: str) -> dict[int, dict]:
    """Loops of `void f(...) { body }` keyed by line within `body` (first body line is 1)."""
    text = f"void f(float *u, const float *v, const int *idx, int n, int m) {{\n{body}\n}}\n"
    doc = extract_source(text, "t.c", ParseOptions())
    return {l["line"] - 1: l for r in doc.regions for l in r.loops}


# testSNAP's ulisttot[natom + N*jju]: jju stepped inside the loop (here under a condition, so it has no
# closed form), the column is the loop's own variable
STEPPED = ("for (int i = 0; i < n; i++) {\n"
           "  int jj = 0;\n"
           "  for (int a = 0; a < m; a++) {\n"
           "    u[SUBSCRIPT] = v[a];\n"
           "    if (v[a] > 0) jj += 2;\n"
           "  }\n"
           "}")


def test_a_changing_row_does_not_matter_when_the_column_is_the_loop_variable():
    loop = loops_of(STEPPED.replace("SUBSCRIPT", "i + n*jj"))[1]
    assert loop["verdict"] == "parallel", loop["reason"]


def test_a_changing_value_alone_is_no_proof():
    loop = loops_of(STEPPED.replace("SUBSCRIPT", "i + jj"))[1]
    assert loop["verdict"] == "serial"
    assert "the subscript uses jj, which changes inside the loop" in loop["reason"]
    # rows one shorter than the column's range: i = n-1 in row jj is i = 0 in row jj + 1
    loop = loops_of(STEPPED.replace("SUBSCRIPT", "i + (n-1)*jj"))[1]
    assert loop["verdict"] == "serial"
    assert "the subscript uses jj, which changes inside the loop" in loop["reason"]


def test_a_value_stepped_after_its_use_in_an_inner_loop_is_not_its_first_value():
    # `int jj = 0` holds only in the first iteration of the inner loop: jj is no index scalar there
    # (this was called parallel: iteration i = 2 writes u[2], which i = 0 writes once jj is 2)
    loop = loops_of(STEPPED.replace("SUBSCRIPT", "i + jj"))[1]
    assert loop["verdict"] == "serial"


# mcpr's probs[i*K + maxind]: maxind is K-1 or a k below K-1, so it stays in its row
ARGMAX = ("for (int i = 0; i < n; i++) {\n"
          "  for (int k = 0; k < m; k++) u[i*m + k] = 0;\n"
          "  int best;\n"
          "  best = START;\n"
          "  for (int k = 1; k < m; k++) if (v[i*m + k] > v[i*m + best]) best = k;\n"
          "  u[i*m + best] += 1;\n"
          "}")


def test_a_value_chosen_among_the_row_stays_in_the_row():
    loop = loops_of(ARGMAX.replace("START", "0"))[1]
    # the zeroing stores never meet another row's update; the updates themselves are a sum
    assert loop["verdict"] == "reduction", loop["reason"]
    assert loop["assumptions"] == [] or all("row" not in a for a in loop["assumptions"])


def test_a_value_that_may_leave_the_row_is_no_proof():
    # best = m is the next row's first element, which the next iteration zeroes
    loop = loops_of(ARGMAX.replace("START", "m"))[1]
    assert loop["verdict"] == "serial"
    assert "the subscript uses best, which changes inside the loop" in loop["reason"]


# s8n's slot of the iteration's row: comparisons of loaded data (0 or 1) and a mask pick one of 8
SLOTS = ("for (int i = 0; i < n; i++) {\n"
         "  for (int j = 0; j < m; j++) {\n"
         "    int hi = (v[j] > v[i]);\n"
         "    int lo = idx[j] & MASK;\n"
         "    int t = hi * 4 + lo;\n"
         "    u[i * 8 + t] = v[j];\n"
         "  }\n"
         "}")


def test_truth_values_and_masks_of_loaded_data_are_bounded_slots_of_the_row():
    loops = loops_of(SLOTS.replace("MASK", "3"))
    assert loops[1]["verdict"] == "parallel", loops[1]["reason"]
    # the inner loop writes the same row from every j: still serial, and not said to be proven
    assert loops[2]["verdict"] == "serial" and "could not prove" in loops[2]["reason"]


def test_a_slot_that_can_reach_the_next_row_stays_serial():
    for mask in ("7", "n"):        # hi*4 + 7 = 11 > 7; a mask by a size has no literal bound
        loop = loops_of(SLOTS.replace("MASK", mask))[1]
        assert loop["verdict"] == "serial" and "could not prove" in loop["reason"], (mask, loop["reason"])
