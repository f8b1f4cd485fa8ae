"""Issue 22, control: a call that ends the process (lulesh's `exit(VolumeError)` in a check loop)
orders no iterations; a jump out of the loop (longjmp, break) does."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source

from .marked_loops import by_marker

ENDS = """
#include <stdlib.h>
#include <setjmp.h>
jmp_buf env;
void check(const double *determ, double *v, int n) {
  for (int k = 0; k < n; k++) {            // EXIT
    if (determ[k] <= 0.0) exit(1);
    v[k] = 2.0 * determ[k];
  }
  for (int k = 0; k < n; k++) {            // ABORT
    if (determ[k] <= 0.0) abort();
  }
  for (int k = 0; k < n; k++) {            // JUMP
    if (determ[k] <= 0.0) longjmp(env, 1);
    v[k] = 1.0;
  }
  for (int k = 0; k < n; k++) {            // RACE
    if (determ[k] <= 0.0) exit(1);
    v[0] = determ[k];
  }
}
"""


def _loops() -> dict[str, dict]:
    return by_marker(extract_source(ENDS, "t.c", ParseOptions()), ENDS)


def test_a_call_that_ends_the_program_is_no_dependence_and_is_stated():
    loops = _loops()
    for marker, name in (("EXIT", "exit"), ("ABORT", "abort")):
        loop = loops[marker]
        assert loop["verdict"] == "parallel", (marker, loop["reason"])
        assert any(x.startswith(f"{name}() at line") and "ends the program" in x for x in loop["assumptions"])


def test_longjmp_and_other_dependences_still_serialise():
    loops = _loops()
    assert loops["JUMP"]["verdict"] == "serial" and "longjmp" in loops["JUMP"]["reason"]
    assert loops["RACE"]["verdict"] == "serial" and "output dependence on v" in loops["RACE"]["reason"]
