"""From a runner's results to a corpus in xapp's format, plus a JSON log of every run.

Each measured job becomes one row; a job that failed to build, run or verify becomes no row and is
listed, with its reason, in the log and in the returned summary. The region's source file (and the
headers it needs) is copied under ``sources/<program>/`` next to the corpus, so the corpus's relative
``source`` paths resolve there; ``#include <h>`` of a copied header becomes ``#include "h"`` in the copy
so that xapp's parser finds it, and a CUDA region file is named ``.cu.cpp`` so that it parses as C++.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..frontend.options import SOURCE_SUFFIXES
from . import runner

__all__ = ["IngestSummary", "load_results", "write_corpus", "CORPUS_COLUMNS"]

CORPUS_COLUMNS = ("source", "function", "runtime_cpu", "runtime_gpu", "speedup", "defines", "group", "platform",
                  "transfer_bytes", "name", "size", "cpu_spread", "gpu_spread", "repetitions", "port_timing")


@dataclass
class IngestSummary:
    corpus: Path
    log: Path
    rows: int
    left_out: list[dict] = field(default_factory=list)     # {"id", "status", "reason"}


def load_results(path: str | Path) -> dict:
    path = Path(path)
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read results {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc}") from None
    if not isinstance(results, dict) or results.get("format") != runner.RESULTS_FORMAT:
        raise InputError(f"{path}: not an xapp label results file ({runner.RESULTS_FORMAT})")
    return results


def platform_text(template: str, machine: dict) -> str:
    fields = {key: ("none" if value is None else value) for key, value in machine.items()}
    try:
        return template.format_map(fields)
    except (KeyError, ValueError) as exc:
        raise InputError(f"platform template {template!r}: unknown field {exc}") from None


def _copy_region(job: dict, sources: Path, target: Path) -> str:
    """Copy the region file and its headers into ``target``; the region file's name there."""
    target.mkdir(parents=True, exist_ok=True)
    names = [Path(h).name for h in job["headers"]]
    for header in job["headers"]:
        (target / Path(header).name).write_bytes((sources / header).read_bytes())
    text = (sources / job["source"]).read_text(encoding="utf-8", errors="replace")
    name = _parseable_name(Path(job["source"]))
    (target / name).write_text(_quote_includes(text, names), encoding="utf-8")
    for header in names:
        path = target / header
        path.write_text(_quote_includes(path.read_text(encoding="utf-8", errors="replace"), names), encoding="utf-8")
    return name


def _parseable_name(source: Path) -> str:
    """The copy's name: CUDA's ``.cu`` becomes ``.cu.cpp``, which xapp parses as C++ (the host code)."""
    return source.name if source.suffix.lower() in SOURCE_SUFFIXES else source.name + ".cpp"


def _quote_includes(text: str, names: list[str]) -> str:
    for name in names:
        text = re.sub(rf"#(\s*)include\s*<{re.escape(name)}>", rf'#\1include "{name}"', text)
    return text


def _defines_text(pairs: list) -> str:
    return ";".join(name if value is None else f"{name}={value}" for name, value in pairs)


def _row(job: dict, record: dict, source: str, platform: str, port_timing: str) -> dict:
    cpu, gpu = record["timing"]["serial"], record["timing"]["port"]
    return {
        "source": source, "function": job["function"], "runtime_cpu": f"{cpu['median_s']:.9g}",
        "runtime_gpu": f"{gpu['median_s']:.9g}", "speedup": f"{cpu['median_s'] / gpu['median_s']:.9g}",
        "defines": _defines_text(job["defines"]), "group": job["group"], "platform": platform,
        "transfer_bytes": "" if job.get("transfer_bytes") is None else f"{job['transfer_bytes']:g}",
        "name": job["id"], "size": job["size"], "cpu_spread": f"{cpu['rel_spread']:.4f}",
        "gpu_spread": f"{gpu['rel_spread']:.4f}", "repetitions": len(cpu["times_s"]), "port_timing": port_timing,
    }


def write_corpus(results: dict, out: str | Path, *, sources: str | Path | None = None,
                 log: str | Path | None = None) -> IngestSummary:
    """Write the corpus CSV (and ``<out>.log.json``) from ``results``; failed jobs are listed, not written."""
    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise InputError(f"{out}: the corpus is written as CSV; give a .csv path")
    plan = results["plan"]
    root = Path(sources or plan["sources"])
    if not root.is_dir():
        raise InputError(f"source folder not found: {root} (pass --sources DIR, where the results' sources are)")
    out.parent.mkdir(parents=True, exist_ok=True)
    platform = platform_text(plan.get("platform", "{cpu} vs {gpu}"), results["machine"])
    jobs = {job["id"]: job for job in plan["jobs"]}
    rows, left_out = [], []
    for record in results["jobs"]:
        job = jobs[record["id"]]
        if record["status"] != "ok":
            left_out.append({"id": record["id"], "status": record["status"], "reason": record["reason"]})
            continue
        folder = Path("sources") / re.sub(r"[^A-Za-z0-9_.-]+", "_", job["program"])
        name = _copy_region(job, root, out.parent / folder)
        rows.append(_row(job, record, (folder / name).as_posix(), platform, plan.get("port_timing", "")))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CORPUS_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    log_path = Path(log) if log else out.with_suffix(".log.json")
    document = {"corpus": str(out), "rows": len(rows), "left_out": left_out, "platform": platform, **results}
    log_path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return IngestSummary(out, log_path, len(rows), left_out)
