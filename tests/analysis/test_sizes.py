"""Sizes followed through a program: trip counts from expressions, locals, call chains and --size;
sizes read from input stay unknown whatever their initialiser says."""
from __future__ import annotations

import pytest

from xapp.errors import InputError
from xapp.features import ParseOptions, extract_source
from xapp.analysis.sizes import parse_size, sizes_for

SOURCE = r"""
#include <stdio.h>
#include <stdlib.h>
void kernel(int n, double *a, double *b) {
  int m = n - 1;
  for (int i = 0; i < m; i++) a[i] = b[i] * 2.0;
  for (int i = 0; i < n / 2; i++)
    for (int j = 0; j <= i; j++) a[i*n+j] += b[j];
}
void run(int n, double *a, double *b) { kernel(n, a, b); }
void readit(double *a, double *b) {
  int n = 0; FILE *fp = fopen("x", "r"); fscanf(fp, "%d", &n);
  for (int i = 0; i < n; i++) a[i] = b[i] + 1.0;
}
void orphan(int n, double *a) { for (int i = 0; i < n; i++) a[i] = 1.0; }
int main(int argc, char **argv) {
  int n = 1000; double *a = malloc(8*n*n), *b = malloc(8*n*n);
  run(n, a, b); readit(a, b);
  int k = atoi(argv[1]);
  for (int i = 0; i < k; i++) a[i] = 0.0;
  return 0;
}
"""


def _regions(**sizes):
    options = ParseOptions(sizes=tuple(sizes.items()))
    return {(r.function, r.line): r for r in extract_source(SOURCE, "sizes.c", options).regions}


def _trips(r):
    return [l["trip"] for l in r.loops]


def test_a_local_derived_from_a_parameter_fed_through_a_call_chain():
    r = _regions()[("kernel", 6)]
    assert r.workload is not None
    assert r.workload["iterations"] == 999           # m = n - 1 with n = 1000 from main -> run -> kernel


def test_a_halved_bound_and_a_triangular_inner_loop():
    w = _regions()[("kernel", 7)].workload
    assert w is not None
    assert w["iterations"] == sum(i + 1 for i in range(500))     # j <= i under i < n / 2


def test_sizes_read_from_input_are_unknown_not_their_initialiser():
    found = _regions()
    assert found[("readit", 13)].workload is None                 # int n = 0; fscanf(..., &n)
    assert found[("main", 20)].workload is None                   # int k = atoi(argv[1])
    assert found[("orphan", 15)].workload is None                 # no caller gives n


def test_size_option_binds_a_variable_or_a_function_parameter():
    found = _regions(**{"readit:n": 300, "k": 50, "orphan:n": 7})
    assert found[("readit", 13)].workload["iterations"] == 300
    assert found[("main", 20)].workload["iterations"] == 50
    assert found[("orphan", 15)].workload["iterations"] == 7
    # a plain name binds it in every function: kernel's n comes from the user, not from main
    assert _regions(n=10)[("kernel", 6)].workload["iterations"] == 9


def test_parse_size_and_its_errors():
    assert parse_size("n=4000") == ("n", 4000)
    assert parse_size("kernel:n=0x10") == ("kernel:n", 16)
    assert sizes_for("kernel", {"n": 1, "kernel:n": 2, "other:m": 3}) == {"n": 2}
    for bad in ("n", "=3", "n=x", "n=-1", "1n=3"):
        with pytest.raises(ValueError):
            parse_size(bad)
    with pytest.raises(InputError):
        ParseOptions(sizes=(("n m", 3),))


CALLED_WITH_INPUT = """
#include <stdio.h>
#include <stdlib.h>
void scale(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 2.0f * a[i]; }
void fill(float *a, int m) { for (int i = 0; i < m; i++) a[i] = 1.0f; }
static float buf[1024];
int main(int argc, char **argv) {
  int n = 0, m = atoi(argv[1]);
  FILE *fp = fopen("x", "r"); fscanf(fp, "%d", &n);
  scale(buf, n);
  fill(buf, m);
  return 0;
}
void other(float *a, int k) { scale(a, k); }
"""


def test_a_size_a_caller_reads_from_input_names_that_caller():
    regions = {r.function: r for r in extract_source(CALLED_WITH_INPUT, "t.c", ParseOptions()).regions}
    assert regions["scale"].unknown_sizes == {"n": "from the caller; main reads it from input"}
    assert regions["fill"].unknown_sizes == {"m": "from the caller; main reads it from input"}


def test_a_size_no_caller_reads_from_input_is_only_from_the_caller():
    src = "void scale(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 2.0f * a[i]; }\n"
    (r,) = extract_source(src, "t.c", ParseOptions()).regions
    assert r.unknown_sizes == {"n": "from the caller"}
