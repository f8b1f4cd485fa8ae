"""ISL's second look at loops the hand-written tests call serial: tiled loops with min() bounds."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source

TILED = """#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define N 1000
double A[N][N], B[N][N];
void scale(void) {
  #pragma omp parallel for
  for (int t = 0; t < N; t += 16)
    for (int i = t; i < MIN(t + 16, N); i++)
      for (int j = 0; j < N; j++)
        B[i][j] = 2.0 * A[i][j];
}
"""


def _region(src: str):
    (r,) = extract_source(src, "t.c", ParseOptions()).regions
    return r


def test_a_tiled_race_free_loop_is_parallel_and_not_flagged():
    r = _region(TILED)
    tile = next(l for l in r.loops if l["line"] == 6)
    assert tile["verdict"] == "parallel" and r.findings == []
    assert any("ISL" in x for x in tile["assumptions"])


def test_overlapping_tiles_stay_serial_and_flagged():
    # each tile reaches one row past its end: tile t writes row t+16, which tile t+16 writes too
    src = TILED.replace("i < MIN(t + 16, N)", "i <= MIN(t + 16, N - 1)")
    r = _region(src)
    tile = next(l for l in r.loops if l["line"] == 6)
    assert tile["verdict"] == "serial" and [f["rule"] for f in r.findings] == ["xapp/omp-race"]
    # the pair test went without the min() bound (no proof); ISL's exact dataflow proved it carried
    assert tile["reason"].startswith("dependence on B carried by t")


def test_a_loop_serial_for_a_scalar_keeps_the_hand_written_verdict():
    src = TILED.replace("B[i][j] = 2.0 * A[i][j];", "{ B[i][j] = 2.0 * A[i][j]; last = j; }").replace(
        "double A[N][N], B[N][N];", "double A[N][N], B[N][N]; int last;")
    tile = next(l for l in _region(src).loops if l["line"] == 6)
    assert tile["verdict"] == "serial"
