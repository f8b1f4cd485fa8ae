"""Sizes across the translation units of a scan (xapp.scan.codebase): a kernel in one file gets the
size its caller in another file passes, with and without a compile database; disagreeing callers,
sizes read from input, static functions and names defined twice stay unknown with their reason."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.scan.tree import inside

pytestmark = pytest.mark.slow(3)   # seconds, serial, on the idle 2-core machine: four small scans

LOOP = """    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            b[i * n + j] = 2.0f * a[i * n + j] + 1.0f;
"""
TREE = {
    # main.c -> run in driver.c -> scale in kernel.c, ten times per run
    "chain/main.c": "void run(int n, float *a, float *b);\nstatic float a[1000000], b[1000000];\n"
                    "int main(void) {\n    for (int t = 0; t < 10; t++)\n        run(1000, a, b);\n"
                    "    return 0;\n}\n",
    "chain/driver.c": "void scale(int n, float *a, float *b);\nvoid run(int n, float *a, float *b) {\n"
                      "    scale(n, a, b);\n}\n",
    "chain/kernel.c": "void scale(int n, float *a, float *b) {\n" + LOOP + "}\n",
    # an entry and the helper it calls four times, called three times from main
    "helper/main.c": "void entry(int n, float *a);\nstatic float a[100000];\nint main(void) {\n"
                     "    for (int t = 0; t < 3; t++)\n        entry(256, a);\n    return 0;\n}\n",
    "helper/lib.c": "void helper(int n, float *a) {\n    for (int i = 0; i < n * n; i++)\n        a[i] = a[i] + 1.0f;\n}\n"
                    "void entry(int n, float *a) {\n    for (int t = 0; t < 4; t++)\n        helper(n, a);\n}\n",
    # two callers passing different sizes
    "disagree/a.c": "void blur(int n, float *a, float *b);\nstatic float a[1000000], b[1000000];\n"
                    "int main(void) {\n    blur(1000, a, b);\n    return 0;\n}\n",
    "disagree/b.c": "void blur(int n, float *a, float *b);\nvoid other(float *a, float *b) {\n"
                    "    blur(500, a, b);\n}\n",
    "disagree/kernel.c": "void blur(int n, float *a, float *b) {\n" + LOOP + "}\n",
    # a size read from the command line
    "input/main.c": "int atoi(const char *s);\nvoid smooth(int n, float *a, float *b);\n"
                    "static float a[1000000], b[1000000];\nint main(int argc, char **argv) {\n"
                    "    int n = atoi(argv[1]);\n    smooth(n, a, b);\n    return 0;\n}\n",
    "input/kernel.c": "void smooth(int n, float *a, float *b) {\n" + LOOP + "}\n",
    # the only definition of shift is static: main.c cannot call it
    "static/main.c": "void shift(int n, float *a, float *b);\nstatic float a[1000000], b[1000000];\n"
                     "int main(void) {\n    shift(1000, a, b);\n    return 0;\n}\n",
    "static/kernel.c": "static void shift(int n, float *a, float *b) {\n" + LOOP + "}\n",
    # fold defined in two files of the caller's folder
    "twice/main.c": "void fold(int n, float *a, float *b);\nstatic float a[1000000], b[1000000];\n"
                    "int main(void) {\n    fold(1000, a, b);\n    return 0;\n}\n",
    "twice/k1.c": "void fold(int n, float *a, float *b) {\n" + LOOP + "}\n",
    "twice/k2.c": "void fold(int n, float *a, float *b) {\n" + LOOP + "}\n",
}


def _write(root: Path, with_db: bool) -> Path:
    for name, text in TREE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    if with_db:
        db = [{"directory": str(root), "file": name, "command": f"cc -O2 -c {name}"} for name in TREE]
        (root / "compile_commands.json").write_text(json.dumps(db))
    return root


def _regions(report) -> dict[str, object]:
    return {r.function: r for r in [*report.ranked, *report.not_offloadable]}


@pytest.fixture(scope="module", params=["walk", "compile_commands.json"])
def scanned(request, tmp_path_factory, shared_predictor):
    from xapp.scan import ScanOptions, scan

    root = _write(tmp_path_factory.mktemp(request.param.replace(".", "_")), request.param != "walk")
    options = ScanOptions(paths=() if request.param != "walk" else (".",), workers=1,
                          build_dir=str(root) if request.param != "walk" else None,
                          cache_dir=str(root / ".cache"))
    with inside(root):
        first = scan(options, shared_predictor)
        again = scan(options, shared_predictor)       # every file, the re-extracted ones too, from the cache
    return first, again


def test_a_kernel_called_through_two_other_files_gets_its_size_its_source_and_its_call_count(scanned):
    report, _ = scanned
    scale = _regions(report)["scale"]
    assert scale.estimate is not None and scale.size_unknown is None
    assert scale.size_sources == {"n": "1000 from chain/driver.c:3"}
    assert scale.estimate["calls_per_run"] == 10.0 and scale.estimate["calls_known"] is True
    summary = dict(report.options["sizes_across_files"])
    assert summary.pop("seconds") > 0
    assert summary == {"rounds": 2, "files_re_extracted": 3, "sizes_bound": 3}


def test_a_helper_of_an_entry_gets_the_entrys_size_and_its_runs_per_call_times_the_entrys_calls(scanned):
    helper = _regions(scanned[0])["helper"]
    assert helper.size_sources == {"entry:n": "256 from helper/main.c:5"}
    assert helper.estimate["calls_per_run"] == 12.0


def test_callers_that_disagree_leave_the_size_unknown_and_say_who_passes_what(scanned):
    blur = _regions(scanned[0])["blur"]
    assert blur.estimate is None or blur.estimate.get("speedup") is None
    assert blur.size_unknown["names"] == {
        "n": "from the caller; callers disagree: disagree/a.c:4 passes 1000, disagree/b.c:3 passes 500"}
    assert blur.size_sources == {}


def test_a_size_read_from_input_stays_unknown_and_names_the_file_reading_it(scanned):
    smooth = _regions(scanned[0])["smooth"]
    assert smooth.size_unknown["names"] == {"n": "from the caller; input/main.c:6 reads it from input"}
    assert smooth.size_sources == {}


def test_a_static_function_is_not_bound_from_another_file(scanned):
    shift = _regions(scanned[0])["shift"]
    assert shift.size_unknown["names"] == {"n": "from the caller"}
    assert shift.size_sources == {}


def test_a_name_defined_in_two_files_is_ambiguous_and_left_unknown(scanned):
    report, _ = scanned
    folds = [r for r in [*report.ranked, *report.not_offloadable] if r.function == "fold"]
    assert len(folds) == 2
    for fold in folds:
        assert fold.size_unknown["names"] == {
            "n": "from the caller; fold is defined in twice/k1.c, twice/k2.c: ambiguous; "
                 "the call at twice/main.c:4 is not followed"}


def test_a_second_scan_reads_the_bound_files_from_the_cache_and_answers_the_same(scanned):
    first, again = scanned
    assert again.counts["cached"] == again.counts["files"]
    assert _regions(again)["scale"].size_sources == _regions(first)["scale"].size_sources
    assert _regions(again)["scale"].estimate == _regions(first)["scale"].estimate
