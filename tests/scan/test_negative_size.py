"""A negative constant one file passes another is no size: the scan goes on and says why (nauty passes
`hint = -1` to the function whose loop bound reads it; the scan of the whole tree used to stop with
"bad size ...=-1")."""
from __future__ import annotations

import pytest

from tests.scan.tree import inside

pytestmark = pytest.mark.slow(2)   # seconds, serial, on the idle 2-core machine: one small scan

TREE = {
    "main.c": "int fill(int n, float *a);\nstatic float a[1000];\nint main(void) {\n    int r = fill(-1, a);\n"
              "    return r;\n}\n",
    "kernel.c": "int fill(int n, float *a) {\n    for (int i = 0; i < n; i++)\n        a[i] = 2.0f * i;\n"
                "    return 0;\n}\n",
}


def test_a_negative_argument_leaves_the_size_unknown_with_its_reason(tmp_path, shared_predictor):
    from xapp.scan import ScanOptions, scan

    for name, text in TREE.items():
        (tmp_path / name).write_text(text)
    with inside(tmp_path):
        report = scan(ScanOptions(paths=(".",), workers=1, cache_dir=str(tmp_path / ".cache")), shared_predictor)
    (fill,) = [r for r in [*report.ranked, *report.not_offloadable] if r.function == "fill"]
    assert fill.size_sources in (None, {})
    assert fill.size_unknown is not None
    assert "main.c:4 passes -1, not a size" in str(fill.size_unknown)
