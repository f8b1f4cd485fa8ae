"""Calls that write through `&s`: harmless when s is the iteration's own scalar, a dependence when it is shared."""
from __future__ import annotations

import pytest

from xapp.features import ParseOptions, extract_source

HEADER = """
#include <stdint.h>
#include <stdlib.h>
double lcg(uint64_t *seed) { *seed = (2806196910506780709ULL * (*seed) + 1ULL) % 9223372036854775808ULL;
                             return (double)(*seed); }
"""


def verdicts(body: str, lang: str = "c") -> list[dict]:
    text = HEADER + f"void f(double *out, int *iout, int n, uint64_t *gs) {{\n{body}\n}}\n"
    doc = extract_source(text, f"t.{lang}", ParseOptions())
    return [l for r in doc.regions for l in r.loops]


def one(body: str, lang: str = "c") -> dict:
    loops = verdicts(body, lang)
    assert len(loops) == 1, loops
    return loops[0]


@pytest.mark.parametrize("body", [
    "for (int i = 0; i < n; i++) { uint64_t seed = 42; seed = seed + i; out[i] = lcg(&seed); }",
    "for (int i = 0; i < n; i++) { uint64_t seed = i * 7 + 1; out[i] = lcg(&seed) + lcg(&seed); }",
    "for (int i = 0; i < n; i++) { unsigned int s = i * 7; iout[i] = rand_r(&s); }",
    "for (int i = 0; i < n; i++) { unsigned short x[3]; x[0] = i; x[1] = 1; x[2] = 2; out[i] = erand48(x); }",
])
def test_state_of_the_iteration_is_no_dependence(body):
    loop = one(body)
    assert loop["verdict"] == "parallel", loop["reason"]


@pytest.mark.parametrize("body, words", [
    # the seed lives outside the loop: every iteration advances the same state
    ("uint64_t seed = 42;\nfor (int i = 0; i < n; i++) out[i] = lcg(&seed);", ("lcg", "seed")),
    ("unsigned int s = 1;\nfor (int i = 0; i < n; i++) iout[i] = rand_r(&s);", ("rand_r",)),
    # a pointer declared in the body may point at shared state
    ("for (int i = 0; i < n; i++) { uint64_t *p = gs; out[i] = lcg(p); }", ("gs",)),
    # `&s` is the address of the body's scalar only in exactly that form
    ("for (int i = 0; i < n; i++) { uint64_t s = 1; out[i] = lcg(gs + s); }", ("gs",)),
    # a static local is one object for every iteration
    ("for (int i = 0; i < n; i++) { static uint64_t seed = 1; out[i] = lcg(&seed); }", ("lcg", "seed")),
    ("for (int i = 0; i < n; i++) { unsigned int s = 1; iout[i] = rand_r(gs ? &s : (unsigned int *)gs); }",
     ("rand_r",)),
])
def test_shared_state_stays_serial(body, words):
    loop = one(body)
    assert loop["verdict"] == "serial"
    for w in words:
        assert w in loop["reason"], loop["reason"]


def test_a_reference_to_shared_state_is_not_the_iterations_own():
    body = "uint64_t g = 1;\nfor (int i = 0; i < n; i++) { uint64_t &s = g; out[i] = lcg(&s); }"
    loop = one(body, "cpp")
    assert loop["verdict"] == "serial"
    assert "lcg" in loop["reason"]


def test_a_scalar_declared_twice_is_not_trusted():
    # the name also names a variable outside the loop: which one `&seed` means is not followed
    body = ("uint64_t seed = 1;\nfor (int i = 0; i < n; i++) { { uint64_t seed = i; out[i] = seed; }"
            " out[i] += lcg(&seed); }")
    assert one(body)["verdict"] == "serial"


def test_a_call_before_the_declaration_names_the_outer_variable():
    # `&seed` before the body's own `seed` is declared is the parameter's address, shared by all iterations
    text = HEADER + ("void g(double *out, int n, uint64_t seed) {\n"
                     "for (int i = 0; i < n; i++) { out[i] = lcg(&seed); uint64_t seed = 1; out[i] += seed; }\n}\n")
    loops = [l for r in extract_source(text, "t.c", ParseOptions()).regions for l in r.loops]
    assert [l["verdict"] for l in loops] == ["serial"]
    assert "seed" in loops[0]["reason"]
