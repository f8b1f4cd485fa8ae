"""Per-loop parallelism verdicts against hand labels: PolyBench-ACC (held out) and the test fixtures.

PolyBench-ACC: every loop of <sources>/OpenMP/**/*.c is labelled by reading in
bench/data/polybench_loops.toml. Each file is copied to a temporary directory with its
`#pragma omp` lines blanked (line numbers kept), so the pragmas cannot leak into the verdicts,
and `xapp features --format json` runs on the copies. Fixtures: tests/fixtures/loops, labels
from the `// xapp: ...` comments. Not a test: it prints counts, rates and every disagreement.

    PYTHONPATH=. python bench/loop_verdicts.py [--sources DIR] [--only polybench|fixtures]

Bars (issue 8): labelled serial but called parallel/reduction <= 2% of the loops called
parallel/reduction; labelled parallel/reduction but called serial <= 10% of those loops.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = ROOT.parent / "shared" / "data" / "polybench-acc"
LABELS_TOML = ROOT / "bench" / "data" / "polybench_loops.toml"
FIXTURES = ROOT / "tests" / "fixtures" / "loops"
FIXTURE_LABEL = re.compile(r"//\s*xapp:\s*(parallel|reduction|serial)\b(\s+assumes-noalias)?")
OMP_PRAGMA = re.compile(r"^\s*#\s*pragma\s+omp\b")
PARALLEL_KINDS = ("parallel", "reduction")


@dataclass(frozen=True)
class Label:
    file: str        # path relative to the labelled tree
    line: int
    verdict: str     # parallel | reduction | serial
    why: str = ""
    assumes_noalias: bool = False   # parallel only if pointer parameters do not overlap


@dataclass
class Outcome:
    label: Label
    loop: dict | None    # the one loop entry reported at the label's line, None if not exactly one

    @property
    def verdict(self) -> str:
        return self.loop["verdict"] if self.loop else "missing"


def polybench_labels(path: Path = LABELS_TOML) -> list[Label]:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    labels = []
    for file, lines in doc["files"].items():
        for line, text in lines.items():
            verdict, _, why = text.partition(":")
            labels.append(Label(file, int(line), verdict.strip(), why.strip()))
    return labels


def fixture_labels(root: Path = FIXTURES) -> list[Label]:
    labels = []
    for path in sorted(root.glob("*.c")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = FIXTURE_LABEL.search(text)
            if found:
                labels.append(Label(path.name, number, found.group(1), assumes_noalias=bool(found.group(2))))
    return labels


def strip_omp(src: Path, dst: Path) -> None:
    """Copy `src` to `dst` with every `#pragma omp` line blanked, so line numbers stay put."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text("".join("\n" if OMP_PRAGMA.match(line) else line for line in lines), encoding="utf-8")


def child_env() -> dict[str, str]:
    """Children run in the fixture folder (from ROOT, `-m` would load ./xapp whatever PYTHONPATH says),
    so relative PYTHONPATH entries are made absolute here."""
    entries = [str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(entries)}


def run_xapp(files: list[Path], flags: list[str]) -> dict:
    """`python -m xapp features --format json` in a child process; xapp comes from PYTHONPATH or the install."""
    cmd = [sys.executable, "-m", "xapp", "features", *map(str, files), "--format", "json", *flags]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=FIXTURES, env=child_env())
    if not done.stdout.strip():
        sys.exit(f"xapp features failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    doc = json.loads(done.stdout)
    for entry in doc["files"]:
        if entry["error"]:
            print(f"  note: {entry['file']}: {entry['error']}")
    return doc


def reported(doc: dict, base: Path) -> dict[tuple[str, int], list[dict]]:
    places: dict[tuple[str, int], list[dict]] = {}
    for region in doc["regions"]:
        path = Path(region["file"]).resolve()
        if not path.is_relative_to(base.resolve()):     # a loop in an included header: not labelled here
            continue
        file = path.relative_to(base.resolve()).as_posix()
        for loop in region.get("loops", []):
            places.setdefault((file, loop["line"]), []).append(loop)
    return places


def match(labels: list[Label], places: dict) -> tuple[list[Outcome], list[str]]:
    outcomes = []
    for label in labels:
        entries = places.get((label.file, label.line), [])
        outcomes.append(Outcome(label, entries[0] if len(entries) == 1 else None))
    known = {(label.file, label.line) for label in labels}
    extra = sorted(f"{file}:{line}" for file, line in places if (file, line) not in known)
    return outcomes, extra


def rate(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else f"{part}/0"


def row(outcome: Outcome) -> str:
    label, loop = outcome.label, outcome.loop or {}
    why = f" ({label.why})" if label.why else ""
    return (f"    {label.file}:{label.line}  label={label.verdict}{why}  verdict={outcome.verdict}  "
            f"reason={loop.get('reason')!r}")


def report(title: str, outcomes: list[Outcome], extra: list[str]) -> None:
    found = [o for o in outcomes if o.loop]
    called = [o for o in found if o.verdict in PARALLEL_KINDS]
    positives = [o for o in found if o.label.verdict in PARALLEL_KINDS]
    false_parallel = [o for o in called if o.label.verdict == "serial"]
    false_serial = [o for o in positives if o.verdict == "serial"]
    races = [o for o in found if o.label.verdict == "reduction" and o.verdict == "parallel"]
    kind_miss = [o for o in found if o.label.verdict == "parallel" and o.verdict == "reduction"]
    print(f"\n== {title}")
    print(f"  loops labelled:                 {len(outcomes)}")
    print(f"  found once at their line:       {len(found)}")
    print(f"  called parallel or reduction:   {len(called)}")
    print(f"  false parallel (bar <= 2%):     {rate(len(false_parallel), len(called))} of loops called parallel")
    print(f"  false serial   (bar <= 10%):    {rate(len(false_serial), len(positives))} of loops labelled parallel")
    if called:
        print(f"  precision:                      {1 - len(false_parallel) / len(called):.3f}")
    if positives:
        print(f"  recall:                         {1 - len(false_serial) / len(positives):.3f}")
    print(f"  reductions called parallel:     {len(races)}   parallel called reduction: {len(kind_miss)}")
    sections = [("not found exactly once", [o for o in outcomes if not o.loop]), ("false parallel", false_parallel),
                ("reductions called parallel", races), ("false serial", false_serial)]
    for name, rows in sections:
        if rows:
            print(f"  -- {name}:")
            print("\n".join(row(o) for o in rows))
    if extra:
        print(f"  -- loops reported at unlabelled lines: {extra}")


def polybench(sources: Path) -> None:
    omp = sources / "OpenMP"
    if not omp.is_dir():
        sys.exit(f"error: {omp} not found; pass --sources DIR (the polybench-acc checkout holding OpenMP/)")
    labels = polybench_labels()
    files = sorted({label.file for label in labels})
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for file in files:
            strip_omp(omp / file, Path(tmp) / file)
            copies.append(Path(tmp) / file)
        includes = sorted({str((omp / file).parent) for file in files} | {str(omp / "utilities")})
        flags = [flag for inc in includes for flag in ("-I", inc)] + ["-D", "STANDARD_DATASET"]
        doc = run_xapp(copies, flags)
        outcomes, extra = match(labels, reported(doc, Path(tmp)))
    report(f"PolyBench-ACC OpenMP, pragmas removed ({len(files)} files)", outcomes, extra)


def fixtures() -> None:
    labels = fixture_labels()
    files = sorted(FIXTURES.glob("*.c"))
    outcomes, extra = match(labels, reported(run_xapp(files, []), FIXTURES))
    report(f"tests/fixtures/loops ({len(files)} files)", outcomes, extra)
    # Without the non-overlap assumption every `assumes-noalias` loop must fall back to serial.
    strict, _ = match(labels, reported(run_xapp(files, ["--no-alias-assumption"]), FIXTURES))
    assuming = [o for o in strict if o.label.assumes_noalias]
    kept = [o for o in assuming if o.verdict != "serial"]
    print(f"  --no-alias-assumption: {len(assuming) - len(kept)}/{len(assuming)} assumes-noalias loops serial")
    if kept:
        print("\n".join(row(o) for o in kept))


def xapp_location() -> str:
    """Which xapp the child processes load, so a printed figure says which code it measured."""
    done = subprocess.run([sys.executable, "-c", "import xapp; print(xapp.__file__)"],
                          capture_output=True, text=True, cwd=FIXTURES, env=child_env())
    return done.stdout.strip() or done.stderr.strip()[-300:]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                    help=f"polybench-acc directory holding OpenMP/ (default {DEFAULT_SOURCES})")
    ap.add_argument("--only", choices=("polybench", "fixtures"), help="run one of the two sets")
    args = ap.parse_args(argv)
    print(f"xapp measured: {xapp_location()}")
    if args.only != "fixtures":
        polybench(args.sources)
    if args.only != "polybench":
        fixtures()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
