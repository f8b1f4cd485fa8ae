"""How cleanly a real C++ codebase parses: `xapp scan --format json` over HeCBench's OpenMP programs.

A benchmark, not a test: it prints figures. It runs the installed `xapp scan`
(a subprocess, so the time is the user's) over the `*-omp` folders of a HeCBench
checkout (default ../shared/data/hecbench-omp beside the repository), with no
compile database and no cache, and prints:

* files whose parse reported clang errors (count and share), and the first
  error of each class (messages grouped with names and numbers blanked out),
  most frequent class first;
* apart from those, the files not built in this configuration (`skipped`: their
  own #error fired, e.g. a TBB back end without -DMINIFE_HAVE_TBB);
* the scan's wall time;
* the pragma-marked loops (`#pragma omp ... for`, a loop's `pragma` in the JSON
  naming `for`) and the share of them xapp calls parallel or reduction, with
  the reasons of the serial ones grouped the same way.

    python bench/hecbench_parse.py [--root DIR] [-j 2] [--checkout] [--top 15]
                                   [--json OUT] [-- EXTRA SCAN FLAGS]
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "hecbench-omp"
_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\b\d+\b")
_PRAGMA_FOR = re.compile(r"\bfor\b")


def error_class(message: str) -> str:
    """'12:3: error: unknown type name 'uchar4'' -> "error: unknown type name '_'" (a class of messages)."""
    text = message.split(": ", 1)[1] if re.match(r"^\d+:\d+: ", message) else message
    return _NUMBER.sub("N", _QUOTED.sub("'_'", text))


def run_scan(root: Path, workers: int, extra: list[str], checkout: bool = False) -> tuple[dict, float]:
    folders = sorted(str(p) for p in root.glob("*-omp") if p.is_dir())
    if not folders:
        sys.exit(f"no *-omp folders under {root}")
    if checkout:
        # the same files, scanned as one checkout: its *-cuda folders (which the Makefiles name with
        # -I../NAME-cuda) are then inside the scanned tree, though their files are not analysed
        folders, extra = [str(root)], ["--exclude", "*-cuda", *extra]
    return scan_json([*extra, *folders], workers)


def scan_json(arguments: list[str], workers: int) -> tuple[dict, float]:
    """`xapp scan ARGUMENTS` (no cache, JSON): its report and its wall time in seconds."""
    xapp = Path(sys.executable).with_name("xapp")
    cmd = [str(xapp), "scan", "--format", "json", "--no-cache", "-q", "-j", str(workers), *arguments]
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if out.returncode not in (0, 1):
        sys.exit(f"xapp scan failed ({out.returncode}): {out.stderr[-2000:]}")
    return json.loads(out.stdout), seconds


NOT_BUILT = "not built in this configuration"


def not_built(doc: dict) -> list[dict]:
    """Files reported `skipped` because their own #error (or one in a header they include) fired: a build
    without the macros it asks for does not compile them either. Counted apart, neither clean nor errors."""
    return [f for f in doc["files"] if f["status"] == "skipped" and NOT_BUILT in (f.get("message") or "")]


def error_files(doc: dict) -> tuple[list[dict], collections.Counter, dict[str, str]]:
    """Files whose diagnostics count errors (or that are not ok, except those not built in this
    configuration); classes -> number of files; class -> first example."""
    bad, classes, first = [], collections.Counter(), {}
    skipped = {f["file"] for f in not_built(doc)}
    for f in doc["files"]:
        if f["file"] in skipped:
            continue
        diag = f.get("diagnostics") or {}
        counts = diag.get("counts") or {}
        if f["status"] != "ok" or counts.get("error") or counts.get("fatal"):
            bad.append(f)
            messages = diag.get("messages") or [f.get("message") or f["status"]]
            cls = error_class(messages[0])
            classes[cls] += 1
            first.setdefault(cls, f"{f['file']}: {messages[0]}")
    return bad, classes, first


def pragma_loops(doc: dict) -> list[dict]:
    regions = doc["results"] + doc["not_offloadable"]
    return [dict(loop, file=r["file"]) for r in regions for loop in r.get("loops", ())
            if loop.get("pragma") and _PRAGMA_FOR.search(loop["pragma"])]


def serial_classes(loops: list[dict]) -> collections.Counter:
    return collections.Counter(_NUMBER.sub("N", _QUOTED.sub("'_'", re.sub(r"\b[A-Za-z_]\w*\b(?= \()", "V",
                               loop.get("reason") or "?")))[:110] for loop in loops)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--top", type=int, default=15, help="error and serial-reason classes to print")
    ap.add_argument("--json", type=Path, help="also write the scan's JSON here")
    ap.add_argument("--checkout", action="store_true",
                    help="scan the root as one checkout, excluding its *-cuda folders (the same files)")
    ap.add_argument("extra", nargs="*", help="further `xapp scan` flags (after --)")
    args = ap.parse_args(argv)
    doc, seconds = run_scan(args.root, args.j, args.extra, args.checkout)
    if args.json:
        args.json.write_text(json.dumps(doc))
    files = doc["files"]
    bad, classes, first = error_files(doc)
    modes = collections.Counter((f.get("diagnostics") or {}).get("header_mode") for f in files)
    print(f"files: {len(files)}; with clang errors (or not ok): {len(bad)} ({100 * len(bad) / max(1, len(files)):.1f}%)")
    unbuilt = not_built(doc)
    print(f"not built in this configuration (skipped: their own #error fired): {len(unbuilt)}"
          + "".join(f"\n       {f['file']}" for f in unbuilt[: args.top]))
    print(f"statuses: {dict(collections.Counter(f['status'] for f in files))}; header modes: {dict(modes)}")
    print(f"scan wall time: {seconds:.1f} s (-j {args.j})")
    print(f"\nerror classes (files whose first error is of the class; {len(classes)} classes):")
    for cls, n in classes.most_common(args.top):
        print(f"{n:5d}  {cls[:100]}\n       e.g. {first[cls][:200]}")
    loops = pragma_loops(doc)
    good = [l for l in loops if l["verdict"] in ("parallel", "reduction")]
    print(f"\npragma-marked loops (#pragma omp ... for): {len(loops)}; parallel or reduction: {len(good)} "
          f"({100 * len(good) / max(1, len(loops)):.1f}%)")
    serial = [l for l in loops if l["verdict"] not in ("parallel", "reduction")]
    print("serial reasons:")
    for cls, n in serial_classes(serial).most_common(args.top):
        print(f"{n:5d}  {cls}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
