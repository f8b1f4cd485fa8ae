"""Port plans of the canonical kernels: ISL time per region and the estimate as written and chosen.

For each C file (default: tests/fixtures/canonical/*.c) at the given -D sizes, on one target:
milliseconds of the polyhedral model (SCoP + dataflow) and of the scheduler plus mapping, the
estimate of the plan as written, the estimate chosen (the better plan) and the plan in words.
Not a test: it prints a table (timings depend on the machine and its load).

    PYTHONPATH=. python bench/port_plans.py [--target h100] [-D N=2000 ...] [FILE ...]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from xapp.analysis.launch import launch_structure
from xapp.analysis.polyhedral import polyhedral_model
from xapp.analysis.portplan import region_plans
from xapp.analysis.region_facts import function_context, region_facts, unit_facts
from xapp.analysis.regions import find_regions
from xapp.estimate import region_estimate
from xapp.features import ParseOptions, extract_source
from xapp.frontend.lower import lower
from xapp.frontend.parse import parse
from xapp.targets import get_target

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = ("N=2000", "M=2000", "T=100", "NR=256", "NQ=256", "NP=256")


def _timings(path: Path, options: ParseOptions) -> list[tuple[float, float]]:
    """(model ms, schedule + mapping ms) per region."""
    ir = lower(parse(path.read_text(), str(path), options))
    whole, out = unit_facts(ir), []
    for region in find_regions(ir):
        a = region_facts(region, ir, function_context(region.owner, whole), True)
        start = time.perf_counter()
        a.polyhedral = polyhedral_model(a)
        mid = time.perf_counter()
        region_plans(a, launch_structure(a))
        out.append(((mid - start) * 1e3, (time.perf_counter() - mid) * 1e3))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("-D", dest="defines", action="append")
    ap.add_argument("--target", default="h100")
    args = ap.parse_args(argv)
    files = [Path(f) for f in args.files] or sorted((ROOT / "tests" / "fixtures" / "canonical").glob("*.c"))
    defines = tuple(tuple(d.split("=", 1)) for d in (args.defines or DEFAULT_SIZES))
    options, target = ParseOptions(defines=defines), get_target(args.target)
    print(f"{'file':<16} {'model ms':>8} {'sched ms':>8} {'as written':>10} {'chosen':>9}  plan")
    for path in files:
        regions = extract_source(path.read_text(), str(path), options).regions
        for r, (model_ms, sched_ms) in zip(regions, _timings(path, options)):
            written = region_estimate(r.workload, {}, target)
            chosen = region_estimate(r.workload, {}, target, r.plan)
            plan = (r.plan or {}).get("reordered") or {}
            words = plan.get("summary") or (r.plan or {}).get("fallback") or "-"
            fmt = lambda e: f"{e.speedup:.3g}x" if e else "-"   # noqa: E731
            print(f"{path.name:<16} {model_ms:8.1f} {sched_ms:8.1f} {fmt(written):>10} {fmt(chosen):>9}  "
                  f"{(chosen.plan if chosen else '-')}: {words}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
