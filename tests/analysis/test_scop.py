"""SCoP extraction: statements, iteration domains and access relations in ISL, and why a region is not one."""
from __future__ import annotations

import islpy as isl
import pytest

from xapp.analysis.region_facts import function_context, region_facts, unit_facts
from xapp.analysis.regions import find_regions
from xapp.analysis.schedule import new_context
from xapp.analysis.scop import NotAffine, extract_scop
from xapp.frontend.lower import lower
from xapp.frontend.options import ParseOptions
from xapp.frontend.parse import parse


def _facts(src: str):
    ir = lower(parse(src, "t.c", ParseOptions()))
    whole = unit_facts(ir)
    (region,) = find_regions(ir)
    return region_facts(region, ir, function_context(region.owner, whole), True)


def scop(src: str):
    ctx = new_context()
    return extract_scop(_facts(src), ctx)


def _set(text: str, ctx) -> isl.Set:
    return isl.Set.read_from_str(ctx, text)


def test_triangular_and_parametric_bounds_become_a_parametric_domain():
    s = scop("void f(int n, double A[][100]) { for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) "
             "A[i][j] = A[j][i]; }")
    (st,) = s.statements
    assert s.params == ("P_n",)
    assert st.domain.is_equal(_set("[P_n] -> { S0[i0, i1] : 0 <= i0 and i0 < i1 < P_n }", s.ctx))
    (read,) = [m for b, m in st.reads if b == "A"]
    assert read.is_equal(isl.Map.read_from_str(s.ctx, "[P_n] -> { S0[i0, i1] -> A_A[i1, i0] : "
                                                       "0 <= i0 and i0 < i1 < P_n }"))


def test_tiled_loops_with_min_bounds_and_strided_steps():
    s = scop("#define MIN(a,b) ((a) < (b) ? (a) : (b))\nfloat x[1000];\n"
             "void f(void) { for (int t = 0; t < 1000; t += 16) for (int i = t; i < MIN(t + 16, 1000); i++) "
             "x[i] = 2 * x[i]; }")
    (st,) = s.statements
    want = "{ S0[t, i] : exists (e: t = 16e) and 0 <= t < 1000 and t <= i < t + 16 and i < 1000 }"
    assert st.domain.is_equal(_set(want, s.ctx))


def test_a_linearised_subscript_with_an_unknown_row_length_is_delinearised():
    s = scop("void f(int n, float *a) { for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) "
             "a[i * n + j] = 0; }")
    (st,) = s.statements
    (write,) = [m for _, m in st.writes]
    assert write.is_equal(isl.Map.read_from_str(
        s.ctx, "[P_n] -> { S0[i0, i1] -> A_a[i0, i1] : 0 <= i0 < P_n and 0 <= i1 < P_n }"))


def test_an_affine_if_restricts_the_domain_and_a_data_dependent_one_makes_a_may_write():
    s = scop("float a[100], b[100];\nvoid f(void) { for (int i = 0; i < 100; i++) { if (i % 2 == 0) a[i] = 1; "
             "if (b[i] > 0) a[i] = 2; } }")
    first, second = s.statements
    assert first.domain.is_equal(_set("{ S0[i] : 0 <= i < 100 and i mod 2 = 0 }", s.ctx))
    assert not first.conditional and second.conditional


def test_a_reduction_statement_is_marked_and_a_recurrence_is_not():
    s = scop("float a[100], s;\nvoid f(void) { for (int i = 1; i < 100; i++) { s += a[i]; a[i] += a[i - 1]; } }")
    red, rec = s.statements
    assert red.reduction == "s" and rec.reduction is None


@pytest.mark.parametrize("src, why", [
    ("int b[10]; float a[10];\nvoid f(void) { for (int i = 0; i < 10; i++) a[b[i]] = 0; }", "indirect"),
    ("float a[10];\nvoid f(void) { int i = 0; while (i < 10) { a[i] = 0; i++; } }", "while loop"),
    ("float a[10];\nvoid g(float *);\nvoid f(void) { for (int i = 0; i < 10; i++) g(a); }", "a call to g"),
    ("float a[10];\nvoid f(void) { for (int i = 0; i < 10; i++) { a[i] = 0; if (a[i] > 1) break; } }", "break"),
    ("float a[100];\nvoid f(void) { for (int i = 0; i < 10; i++) for (int j = 0; j < 10; j++) a[i * j] = 0; }",
     "multiplies loop variables"),
])
def test_what_is_not_affine_says_why(src, why):
    with pytest.raises(NotAffine, match=why):
        scop(src)
