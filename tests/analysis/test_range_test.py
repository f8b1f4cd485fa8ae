"""The range test for polynomial subscripts, loop-invariant loads as parameters, inlined index functions."""
from __future__ import annotations

import pytest

from xapp.analysis.rangetest import RangeFacts, digits, divide
from xapp.features import ParseOptions, extract_source

PARAMS = "float *u, float *v, int *dims, int n, int m, int nl, int nz, int hs, int sizex, int sizey, int Nmats"


def loops_of(body: str, header: str = "") -> dict[int, dict]:
    """Loops of `void f(PARAMS) { body }` keyed by line within `body` (first body line is 1)."""
    head = "#include <stdlib.h>\n" + header
    text = head + f"void f({PARAMS}, char **argv) {{\n{body}\n}}\n"
    offset = head.count("\n") + 1
    doc = extract_source(text, "t.c", ParseOptions())
    return {l["line"] - offset: l for r in doc.regions for l in r.loops}


def verdicts(body: str, header: str = "") -> list[str]:
    return [l["verdict"] for _, l in sorted(loops_of(body, header).items())]


# ---- the algebra ---------------------------------------------------------------------------------
def test_division_of_polynomials_is_exact_or_leaves_a_remainder():
    # (k + hs)*(nx + 2*hs) = k*nx + 2*k*hs + hs*nx + 2*hs*hs
    p = {("k", "nx"): 1, ("hs", "k"): 2, ("hs", "nx"): 1, ("hs", "hs"): 2}
    q, r = divide(p, {("nx",): 1, ("hs",): 2})
    assert q == {("k",): 1, ("hs",): 1} and r == {}
    q, r = divide({("N", "i"): 3, ("j",): 1}, {("N",): 1})
    assert q == {("i",): 3} and r == {("j",): 1}


def _is_loop(s: str) -> bool:
    return "#" in s


def test_digits_peel_the_lowest_digit_first_when_its_range_is_below_the_modulus():
    # ll*nz*hs + k*hs + s, both sides: every digit's range is below its modulus
    d = {("hs", "ll#s", "nz"): 1, ("hs", "ll#o", "nz"): -1, ("hs", "k#s"): 1, ("hs", "k#o"): -1,
         ("s#s",): 1, ("s#o",): -1}
    asked = []

    def bounded(low, modulus):
        asked.append((low, modulus))
        return True
    systems = digits(d, RangeFacts(_is_loop, bounded)).systems
    assert len(systems) == 1
    assert sorted(map(sorted, (e.items() for e in systems[0]))) == sorted([
        sorted({("ll#s",): 1, ("ll#o",): -1}.items()), sorted({("k#s",): 1, ("k#o",): -1}.items()),
        sorted({("s#s",): 1, ("s#o",): -1}.items())])
    assert ({("s#s",): 1, ("s#o",): -1}, {("hs",): 1}) in asked


def test_digits_that_may_carry_split_into_three_alternatives():
    # i*n + j against (n-1-i)*n + (n-1-j): the two columns add up to at most 2n - 2
    d = {("i#s", "n"): 1, ("j#s",): 1, ("n", "n"): -1, ("i#o", "n"): 1, ("j#o",): 1, (): 1}
    bounds = []

    def bounded(low, modulus):
        bounds.append(modulus)
        return modulus == {("n",): 2}
    systems = digits(d, RangeFacts(_is_loop, bounded)).systems
    assert bounds[:2] == [{("n",): 1}, {("n",): 2}]
    assert len(systems) == 3
    # the carry t moves n from the column to the row: i#s + i#o - n + t = 0 and j#s + j#o + 1 - t*n = 0
    for t, system in zip((-1, 0, 1), systems):
        row = {("i#s",): 1, ("i#o",): 1, ("n",): -1, (): t}
        column = {("j#s",): 1, ("j#o",): 1, (): 1, ("n",): -t}
        assert system == [{m: c for m, c in row.items() if c}, {m: c for m, c in column.items() if c}]


def test_digits_give_up_when_no_bound_holds():
    d = {("N", "i#s"): 1, ("N", "i#o"): -1, ("j#s",): 1, ("j#o",): -1}
    assert digits(d, RangeFacts(_is_loop, lambda low, modulus: False)) is None


def test_a_product_of_two_loop_variables_is_not_split():
    assert digits({("i#s", "j#s"): 1, ("i#o", "j#o"): -1}, RangeFacts(_is_loop, lambda *_: True)) is None


# ---- verdicts: polynomial subscripts ---------------------------------------------------------------
def test_three_level_linearised_subscript_is_parallel_at_every_level():
    loops = verdicts("for (int ll = 0; ll < nl; ll++)\n for (int k = 0; k < nz; k++)\n  for (int s = 0; s < hs; s++)\n"
                     "   u[ll*nz*hs + k*hs + s] = 2*u[ll*nz*hs + k*hs + s];")
    assert loops == ["parallel"] * 3


def test_permuted_order_the_tested_loop_is_the_lowest_digit():
    loops = loops_of("for (int mat = 0; mat < Nmats; mat++)\n for (int j = 0; j < sizey; j++)\n"
                     "  for (int i = 0; i < sizex; i++)\n   v[(i+sizex*j)*Nmats+mat] = v[(i+sizex*j)*Nmats+mat] + 1;")
    assert [loops[k]["verdict"] for k in (1, 2, 3)] == ["parallel"] * 3
    assert not any("row" in a for l in loops.values() for a in l["assumptions"])


def test_a_column_that_runs_past_its_row_is_not_parallel():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < n + 1; j++)\n    u[i*n + j] = v[j];")
    assert loops[1]["verdict"] == "serial" and "output dependence on u" in loops[1]["reason"]
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j <= n; j++)\n    u[i*n + j] = u[i*n + j] + 1;")
    assert loops[1]["verdict"] == "serial" and loops[2]["verdict"] == "parallel"


def test_a_stride_that_may_be_zero_is_not_parallel():
    loop = loops_of("for (int i = 0; i < n; i++) u[i*m] = v[i];")[1]
    assert loop["verdict"] == "serial", loop


def test_a_coefficient_that_may_be_negative_or_small_is_not_parallel():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < m; j++)\n    u[i*(n - m) + j] = v[j];")
    assert loops[1]["verdict"] == "serial"
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < n; j++)\n    u[-n*i + j] = v[j];")
    assert loops[1]["verdict"] == "parallel"       # rows walked backwards are still distinct rows


def test_stencils_flow_and_anti_pairs_of_the_same_array_are_decided():
    loops = loops_of("for (int k = 0; k < n - 1; k++)\n  for (int j = 0; j < m; j++)\n    u[k*m + j] = u[(k+1)*m + j];")
    assert loops[1]["verdict"] == "serial" and "anti dependence on u" in loops[1]["reason"]
    assert loops[2]["verdict"] == "parallel"
    loops = loops_of("for (int k = 0; k < n - 1; k++)\n  for (int j = 0; j < m; j++)\n    u[k*m + j] = v[(k+1)*m + j];")
    assert loops[1]["verdict"] == "parallel" and not any("row" in a for a in loops[1]["assumptions"])


def test_a_polynomial_row_length_with_halo():
    body = ("for (int k = 0; k < nz; k++)\n for (int j = 0; j < n + 2*hs; j++)\n"
            "  u[(k+hs)*(n+2*hs) + j] = v[(k+hs)*(n+2*hs) + j];")
    loops = loops_of(body)
    assert loops[1]["verdict"] == loops[2]["verdict"] == "parallel"
    body = body.replace("j < n + 2*hs", "j < n + 3*hs")
    assert loops_of(body)[1]["verdict"] == "serial"


# ---- loop-invariant loads are parameters ------------------------------------------------------------
def test_a_size_read_before_the_loop_is_a_parameter():
    loops = loops_of("const int x = atoi(argv[1]);\nfor (int i = 0; i < n; i++)\n  for (int j = 0; j < x; j++)\n"
                     "    u[i*x + j] = v[i*x + j];")
    assert loops[2]["verdict"] == loops[3]["verdict"] == "parallel"


def test_a_size_loaded_in_the_subscript_is_a_parameter_when_the_loop_never_stores_it():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < dims[1]; j++)\n    u[i*dims[1] + j] = 1;")
    assert loops[1]["verdict"] == "parallel"
    assert "dims and u do not overlap" in loops[1]["assumptions"]


def test_a_varying_load_stays_indirect():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < m; j++)\n    u[dims[i]*m + j] = 0;")
    assert loops[1]["verdict"] == "serial" and "indirect" in loops[1]["reason"]
    assert loops[2]["verdict"] == "parallel"


def test_a_size_loaded_from_memory_the_loop_writes_is_not_a_parameter():
    loop = loops_of("for (int i = 0; i < n; i++) {\n  dims[1 + i] = 0;\n  u[i*dims[0]] = 1;\n}")[1]
    assert loop["verdict"] == "serial" and "elements of u" in loop["reason"] and "indirect" in loop["reason"]


def test_a_scalar_loaded_inside_the_loop_stays_indirect():
    loop = loops_of("for (int i = 0; i < n; i++) {\n  int x = dims[i];\n  u[x] = 1;\n}")[1]
    assert loop["verdict"] == "serial" and "indirect" in loop["reason"]


# ---- small index functions are inlined ----------------------------------------------------------------
INDEX = "static inline int ind(int i, int j, int w) { return i*w + j; }\nint sq(int i) { return i*i; }\n"


def test_an_index_function_is_inlined():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < m; j++)\n    u[ind(i, j, m)] = v[ind(i, j, m)];", INDEX)
    assert loops[1]["verdict"] == loops[2]["verdict"] == "parallel"


def test_an_inlined_index_function_is_judged_honestly():
    loops = loops_of("for (int i = 1; i < n; i++)\n  for (int j = 0; j < m; j++)\n    u[ind(i, j, m)] = u[ind(i - 1, j, m)];", INDEX)
    assert loops[1]["verdict"] == "serial" and "flow dependence on u" in loops[1]["reason"]
    assert loops[2]["verdict"] == "parallel"
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < m + 1; j++)\n    u[ind(i, j, m)] = 0;", INDEX)
    assert loops[1]["verdict"] == "serial"


@pytest.mark.parametrize("helper", [
    "int ind(int i, int j, int w) { int k = i*w; return k + j; }",       # more than one statement
    "int ind(int i, int j, int w) { return i*w + j + dims_g[0]; }",     # reads memory
])
def test_a_function_that_is_not_one_plain_return_is_not_inlined(helper):
    loop = loops_of("for (int i = 0; i < n; i++)\n  u[ind(i, 0, 1)] = 0;", "int dims_g[4];\n" + helper + "\n")[1]
    assert loop["verdict"] == "serial"


MACRO_ROW = "#define W 8\n#define H 4\nstatic inline int at(int x, int y, int z) { return x + y*W + z*W*H; }\n"


def test_an_index_function_whose_row_length_is_a_macro_is_inlined():
    # the literal of `y*W` is kept by the front end, so the function reads as x + 8*y + 32*z
    body = "for (int z = 0; z < n; z++)\n for (int y = 0; y < H; y++)\n  for (int x = 0; x < XS; x++)\n   u[at(x, y, z)] = v[at(x, y, z)];"
    loops = loops_of(body.replace("XS", "W"), MACRO_ROW)
    assert [loops[k]["verdict"] for k in (1, 2, 3)] == ["parallel"] * 3
    # a column one past the row: (x = 8, y) is (x = 0, y + 1), a real output dependence on y
    loops = loops_of(body.replace("XS", "W + 1"), MACRO_ROW)
    assert loops[2]["verdict"] == "serial" and "output dependence on u" in loops[2]["reason"]


def test_rows_apart_by_a_product_of_sizes_are_split_by_a_factor():
    # u[i] and u[(m-1)*n + i] (first and last row, burger's boundary loop): the difference n - n*m
    # + i - i' is n*(1 - m) + (i - i') with |i - i'| < n, so m = 1 and i = i'
    body = "for (int i = 0; i < N; i++) {\n  u[i] = 1;\n  u[(m-1)*n + i] = 2;\n}"
    loop = loops_of(body.replace("N", "n"))[1]
    assert loop["verdict"] == "parallel" and loop["assumptions"] == [], loop
    # a column one past the row: i = n in the first row is i = 0 of the second (m = 2)
    loop = loops_of(body.replace("N", "n + 1"))[1]
    assert loop["verdict"] == "serial" and "could not prove" in loop["reason"]


# ---- invariant operations and higher degrees --------------------------------------------------------
def test_a_four_factor_subscript_with_a_product_size():
    loops = loops_of("const int C = nz * hs;\nfor (int i = 0; i < n; i++)\n for (int c = 0; c < C; c++)\n"
                     "  for (int s = 0; s < m; s++)\n   u[(i * C + c) * m + s] = v[(i * C + (c % nz) * hs + c / nz) * m + s];")
    assert [loops[k]["verdict"] for k in (2, 3, 4)] == ["parallel"] * 3


def test_a_halved_size_is_a_symbol_tied_to_its_numerator():
    body = ("for (int j = 0; j < m; j++)\n for (int mat = 0; mat < Nmats / 2; mat++)\n"
            "  u[j*Nmats + mat + Nmats/2] = u[j*Nmats + mat];")
    loops = loops_of(body)
    assert loops[1]["verdict"] == "parallel" and loops[1]["assumptions"] == []
    assert loops[2]["verdict"] == "parallel"
    # past the half the two halves meet: mat + Nmats/2 reaches what mat reads
    loops = loops_of(body.replace("mat < Nmats / 2", "mat < Nmats / 2 + 1"))
    assert loops[2]["verdict"] == "serial"


def test_a_division_of_the_loop_variable_is_no_symbol():
    loops = loops_of("for (int i = 0; i < n; i++)\n  for (int j = 0; j < m; j++)\n    u[(i / 2) * m + j] = v[j];")
    assert loops[1]["verdict"] == "serial" and loops[2]["verdict"] == "parallel"


# ---- an index recovered by / and % -------------------------------------------------------------------
RECOVERED = ("for (int index = 0; index < n * m * nz; index++) {\n"
             "  int k = index % m;\n  int j = (index - k) / m % nz;\n  int i = (index - m * j - k) / (nz * m);\n"
             "  SUBSCRIPT = v[index] + 1;\n}")


def test_an_index_recovered_by_division_and_remainder_is_parallel():
    loop = loops_of(RECOVERED.replace("SUBSCRIPT", "u[nz * m * i + m * j + k]"))[1]
    assert loop["verdict"] == "parallel", loop["reason"]
    assert "the divisor m of the index arithmetic is positive" in loop["assumptions"]


@pytest.mark.parametrize("subscript", [
    "u[m * j + k]",              # drops the highest digit: index and index + nz*m write one element
    "u[k]",                      # one digit only
    "u[(index / m) * m]",        # the remainder dropped
    "u[nz * m * i + k]",         # the middle digit dropped
])
def test_a_subscript_that_drops_a_digit_is_not_parallel(subscript):
    loop = loops_of(RECOVERED.replace("SUBSCRIPT", subscript))[1]
    assert loop["verdict"] == "serial"


def test_digits_of_a_variable_that_may_be_negative_are_not_read():
    body = RECOVERED.replace("SUBSCRIPT", "u[nz * m * i + m * j + k]").replace("index = 0", "index = -5")
    loop = loops_of(body)[1]
    assert loop["verdict"] == "serial" and "could not prove" in loop["reason"]


def test_a_remainder_by_a_negative_constant_is_not_read():
    loop = loops_of("for (int index = 0; index < n; index++)\n  u[(index / -4) * 4 + index % -4] = 0;")[1]
    assert loop["verdict"] == "serial"
    loop = loops_of("for (int index = 0; index < n; index++)\n  u[(index / 4) * 4 + index % 4] = 0;")[1]
    assert loop["verdict"] == "parallel" and loop["assumptions"] == []


def test_an_invariant_column_is_a_column_whose_row_is_assumed():
    # every i writes out[i*m + c] (c fixed in the loop): distinct rows if c stays inside its row
    loop = loops_of("int c = dims[0];\nfor (int i = 0; i < n; i++)\n  u[i*m + c] = v[i];")[2]
    assert loop["verdict"] == "parallel"
    assert "linearised subscripts stay within their row of m elements" in loop["assumptions"]


def test_digits_of_a_bounded_variable_keep_its_bounds():
    # j < 4 read as j = 2*(j/2) + j%2 makes j/2 <= 1, so 4*i + 2*(j/2) + j%2 stays in i's own four
    body = "for (int i = 0; i < n; i++)\n  for (int j = 0; j < J; j++)\n    u[(2*i + j / 2) * 2 + j % 2] = v[j];"
    loop = loops_of(body.replace("J", "4"))[1]
    assert loop["verdict"] == "parallel", loop["reason"]
    # j = 4 is j/2 = 2: (i, 4) writes what (i + 1, 0) writes
    loop = loops_of(body.replace("J", "5"))[1]
    assert loop["verdict"] == "serial" and "output dependence on u" in loop["reason"]


# resize: iter read as (plane, row, column) by / and % of two sizes, out_idx stepped by a plane per channel
RESIZE = ("for (int iter = 0; iter < n; iter++) {\n"
          "  int plane = nz * m;\n"
          "  const int c0 = (iter / plane) * 4;\n  const int y = (iter % plane) / m;\n  const int x = iter % m;\n"
          "  int out = OUT;\n"
          "  for (int c = 0; c < 4; c++) {\n    u[out] = v[c];\n    out += plane;\n  }\n}")


def test_a_plane_row_and_column_recovered_by_two_divisors_are_digits():
    loop = loops_of(RESIZE.replace("OUT", "c0 * plane + y * m + x"))[1]
    assert loop["verdict"] == "parallel", loop["reason"]
    # the column dropped: every x of a row writes the same element
    loop = loops_of(RESIZE.replace("OUT", "c0 * plane + y * m"))[1]
    assert loop["verdict"] == "serial"


def test_a_dependence_found_without_a_loop_bound_is_not_called_proven():
    # c runs over q's own m elements, but c >= q*m is no linear constraint: dropped, ISL finds a
    # solution no iteration has, which must not be reported as an output dependence
    loop = loops_of("for (int q = 0; q < n; q++)\n  for (int c = q*m; c < q*m + m; c++)\n    u[c] = 0;")[1]
    assert loop["verdict"] == "serial"
    assert "output dependence" not in loop["reason"] and "a bound of the loop over c is not linear" in loop["reason"]


# glu: index read as (i, j, k) by two successive divisions and a remainder of a quotient
GLU = ("for (int index = 0; index < n * S * N; index++) {\n"
       "  const int i = index / S / N;\n  const int j = index / N % S;\n  const int k = index % N;\n"
       "  u[SUBSCRIPT] = v[index];\n}")


@pytest.mark.parametrize("subscript", ["i * (S * N) + j * N + k", "i * (S * N) + k * S + j"])
def test_digits_of_a_quotient_divided_again_are_one_split(subscript):
    # index / S / N is index / (S*N); index / N % S is the row inside that plane (row < S)
    loop = loops_of(GLU.replace("SUBSCRIPT", subscript))[1]
    assert loop["verdict"] == "parallel", loop["reason"]
    assert "the divisor N*S of the index arithmetic is positive" in loop["assumptions"]


@pytest.mark.parametrize("subscript", ["i * (S * N) + k", "j * N + k", "i * (S * N) + j * N", "i * S + j * N + k"])
def test_a_plane_subscript_that_drops_or_folds_a_digit_is_not_parallel(subscript):
    assert loops_of(GLU.replace("SUBSCRIPT", subscript))[1]["verdict"] == "serial"


def test_a_row_taken_modulo_another_size_is_not_a_digit():
    body = GLU.replace("index / N % S", "index / N % (S + 1)").replace("SUBSCRIPT", "i * (S * N) + j * N + k")
    assert loops_of(body)[1]["verdict"] == "serial"


# zoom: image b starts b*pitch elements in; its rows are oh*width + ow, a polynomial below the pitch
IMAGES = ("for (int b = 0; b < nb; b++)\n  for (int oh = 0; oh < OH; oh++)\n    for (int ow = 0; ow < width; ow++)\n"
          "      u[SUBSCRIPT] = v[ow];")


def test_images_a_pitch_apart_are_parallel_when_each_image_is_assumed_inside_its_pitch():
    loop = loops_of(IMAGES.replace("OH", "height").replace("SUBSCRIPT", "b * pitch + oh * width + ow"))[1]
    assert loop["verdict"] == "parallel", loop["reason"]
    assert "linearised subscripts stay within their row of pitch elements" in loop["assumptions"]


@pytest.mark.parametrize("oh, subscript", [
    ("pitch", "b * pitch + oh * width + ow"),      # the rows' own bound names the pitch: nothing assumed
    ("height", "b * width + oh * width + ow"),     # image b's row 1 is image b+1's row 0
    ("height", "b * pitch + oh * pitch + ow"),     # rows a pitch apart: image b's row 1 is image b+1's row 0
])
def test_images_that_may_overlap_are_not_parallel(oh, subscript):
    loop = loops_of(IMAGES.replace("OH", oh).replace("SUBSCRIPT", subscript))[1]
    assert loop["verdict"] == "serial"


def test_a_digit_bounded_by_a_size_is_never_assumed_below_it():
    # j < S is a digit's bound: that j*N + k stays below S is no row assumption but false
    loop = loops_of(GLU.replace("SUBSCRIPT", "i * S + j * N + k"))[1]
    assert loop["verdict"] == "serial" and not any("row of" in a for a in loop["assumptions"])
