"""OpenMP race findings against hand labels, one verdict per file, as data-race benchmarks score tools.

Each C/C++ file of the set (default: tests/fixtures/omp, written for xapp, labels in its labels.toml)
is labelled racy or race-free. A file is "flagged" when `xapp features` reports any race finding in
it (rules xapp/omp-race and xapp/omp-shared-private). Prints every file's label and outcome, then
precision, recall and accuracy, and the OpenMP constructs xapp listed as not checked.

    PYTHONPATH=. python bench/omp_races.py [--set DIR] [--labels FILE]

Another suite can be scored the same way with a labels file of the same shape (`["name.c"] racy = true`).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SET = ROOT / "tests" / "fixtures" / "omp"
RACE_RULES = frozenset({"xapp/omp-race", "xapp/omp-shared-private"})


def child_env() -> dict[str, str]:
    entries = [str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(entries)}


def run_xapp(files: list[Path], cwd: Path) -> dict:
    cmd = [sys.executable, "-m", "xapp", "features", *map(str, files), "--format", "json"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=child_env())
    if not done.stdout.strip():
        sys.exit(f"xapp features failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def outcomes(doc: dict) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str]]:
    """(file name -> race messages, file name -> unchecked constructs, file name -> error)."""
    races: dict[str, list[str]] = {}
    unchecked: dict[str, list[str]] = {}
    for x in doc["findings"]:           # regions' findings and those of parallel blocks outside regions
        if x["rule"] in RACE_RULES:
            races.setdefault(Path(x["file"]).name, []).append(f"line {x['line']}: {x['message']}")
    for region in doc["regions"]:
        unchecked.setdefault(Path(region["file"]).name, []).extend(region.get("omp_unchecked", ()))
    errors = {Path(f["file"]).name: f["error"] for f in doc.get("files", []) if f.get("error")}
    for f in doc.get("files", []):
        unchecked.setdefault(Path(f["file"]).name, []).extend(f.get("omp_unchecked") or ())
    return races, unchecked, errors


def scores(labels: dict[str, bool], flagged: set[str]) -> dict[str, float]:
    tp = sum(1 for f, racy in labels.items() if racy and f in flagged)
    fp = sum(1 for f, racy in labels.items() if not racy and f in flagged)
    fn = sum(1 for f, racy in labels.items() if racy and f not in flagged)
    tn = len(labels) - tp - fp - fn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "accuracy": (tp + tn) / len(labels) if labels else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="folder of labelled C/C++ files")
    ap.add_argument("--labels", type=Path, help="labels TOML (default: labels.toml in the folder)")
    args = ap.parse_args(argv)
    folder = args.set.resolve()
    doc_labels = tomllib.loads((args.labels or folder / "labels.toml").read_text(encoding="utf-8"))
    labels = {name: bool(entry["racy"]) for name, entry in doc_labels.items()}
    races, unchecked, errors = outcomes(run_xapp([folder / name for name in sorted(labels)], folder))
    flagged = {name for name, found in races.items() if found}
    for name in sorted(labels):
        racy = labels[name]
        verdict = ("TP" if name in flagged else "FN") if racy else ("FP" if name in flagged else "TN")
        notes = f"  unchecked: {', '.join(dict.fromkeys(unchecked.get(name, [])))}" if unchecked.get(name) else ""
        print(f"{verdict}  {'racy' if racy else 'free'}  {name}{notes}")
        if verdict in ("FP", "TP") and races.get(name):
            print(f"      {races[name][0]}")
        if name in errors:
            print(f"      error: {errors[name]}")
    s = scores(labels, flagged)
    print(f"\nfiles: {len(labels)} ({sum(labels.values())} racy, {len(labels) - sum(labels.values())} race-free)")
    print(f"TP {s['tp']}  FP {s['fp']}  FN {s['fn']}  TN {s['tn']}")
    print(f"precision {s['precision']:.3f}  recall {s['recall']:.3f}  accuracy {s['accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
