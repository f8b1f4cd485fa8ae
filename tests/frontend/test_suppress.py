"""Inline suppression comments: which lines carry one, and which regions they take out."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source
from xapp.frontend.suppress import ignored_lines, is_suppressed

SOURCE = """\
void a(float *x, int n) {
    // xapp: ignore
    for (int i = 0; i < n; i++) x[i] = 2 * x[i];
}
void b(float *x, int n) {
    for (int i = 0; i < n; i++) /* xapp: ignore */ x[i] += 1;
}
void c(float *x, const char *t, int n) {
    const char *s = "// xapp: ignore";
    for (int i = 0; i < n; i++) x[i] = s[0] + t[i];
}
void d(float *x, int n) {
    /*xapp:ignore*/
#pragma omp parallel for
    for (int i = 0; i < n; i++) x[i] = 0;
}
void e(float *x, int n) {
    // xapp: ignored is another word; xapp: ignore only opens a comment
    for (int i = 0; i < n; i++) x[i] = 1;
}
void f(float *x, int n) {
    // xapp: ignore  (a reason may follow)

    for (int i = 0; i < n; i++) x[i] = 3;
}
"""


def test_comment_lines_both_styles_and_not_in_strings():
    assert ignored_lines(SOURCE) == {2, 6, 13, 22}
    assert ignored_lines('char *s = "/* xapp: ignore */";\n\'"\'; // xapp: ignore\n') == {2}


def test_the_line_of_the_loop_or_the_line_above_it_across_pragmas():
    lines = SOURCE.splitlines()
    ignored = ignored_lines(SOURCE)
    assert [n for n in (3, 6, 10, 15, 19, 24) if is_suppressed(n, ignored, lines)] == [3, 6, 15]


def test_suppressed_regions_are_left_out_and_listed():
    result = extract_source(SOURCE, "s.c", ParseOptions())
    assert [r.function for r in result.regions] == ["c", "e", "f"]
    assert result.suppressed == [{"file": "s.c", "line": 3, "function": "a"},
                                 {"file": "s.c", "line": 6, "function": "b"},
                                 {"file": "s.c", "line": 15, "function": "d"}]
    assert result.as_dict()["suppressed"] == result.suppressed
