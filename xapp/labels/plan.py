"""From a manifest to a plan: one job per program and size, as JSON the standalone runner reads."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import runner
from .manifest import Manifest, Program

__all__ = ["Selection", "build_plan", "resolve_sources", "write_plan"]


@dataclass(frozen=True)
class Selection:
    """Which part of a manifest to run, and overrides of its campaign settings."""

    sizes: tuple[str, ...] = ()          # size names; empty: every size
    programs: tuple[str, ...] = ()       # program names; empty: every program
    repetitions: int | None = None
    warmup: int | None = None
    timeout: float | None = None


def resolve_sources(manifest: Manifest, given: str | Path | None) -> Path:
    """The source root: ``--sources`` when given, else the manifest's default; it must exist."""
    root = Path(given).resolve() if given else manifest.default_sources
    if root is None:
        raise InputError(f"{manifest.path}: the manifest names no source root; pass --sources DIR")
    if not root.is_dir():
        hint = "" if given else " (the manifest's default; pass --sources DIR)"
        raise InputError(f"source folder not found: {root}{hint}")
    return root


def _defines(items: tuple[str, ...]) -> list[list[str | None]]:
    pairs = []
    for item in items:
        name, eq, value = item.partition("=")
        pairs.append([name, value if eq else None])
    return pairs


def _job(program: Program, size: str, selection: Selection) -> dict:
    return {
        "id": f"{program.name}/{size}", "program": program.name, "size": size, "group": program.group,
        "defines": _defines(program.sizes[size]), "source": program.source, "function": program.function,
        "headers": list(program.headers), "values": program.values, "build": list(program.build),
        "runs": program.runs, "timing": program.timing, "verify": program.verify, "record": program.record,
        "transfer_bytes": program.transfer_bytes,
        "repetitions": selection.repetitions or program.repetitions,
        "warmup": program.warmup if selection.warmup is None else selection.warmup,
        "timeout": selection.timeout or program.timeout,
    }


def _selected(manifest: Manifest, selection: Selection) -> list[Program]:
    known = {p.name for p in manifest.programs}
    unknown = [name for name in selection.programs if name not in known]
    if unknown:
        raise InputError(f"{manifest.path}: no program named {unknown[0]!r}")
    all_sizes = {size for p in manifest.programs for size in p.sizes}
    missing = [size for size in selection.sizes if size not in all_sizes]
    if missing:
        raise InputError(f"{manifest.path}: no size named {missing[0]!r} (sizes: {', '.join(sorted(all_sizes))})")
    return [p for p in manifest.programs if not selection.programs or p.name in selection.programs]


def build_plan(manifest: Manifest, sources: Path, selection: Selection = Selection()) -> dict:
    """The plan document: campaign settings, variables and the jobs, sources checked to exist."""
    jobs = []
    for program in _selected(manifest, selection):
        for size in program.sizes:
            if not selection.sizes or size in selection.sizes:
                jobs.append(_job(program, size, selection))
    if not jobs:
        raise InputError(f"{manifest.path}: the selection leaves no job to run")
    absent = sorted({job["source"] for job in jobs if not (sources / job["source"]).is_file()})
    if absent:
        raise InputError(f"{manifest.path}: region source not found under {sources}: {absent[0]}")
    campaign = manifest.campaign
    return {
        "format": runner.PLAN_FORMAT, "campaign": campaign.name, "description": campaign.description,
        "manifest": str(manifest.path), "sources": str(sources), "vars": manifest.vars, "files": manifest.files,
        "prebuild": list(manifest.prebuild),
        "platform": campaign.platform, "port_timing": campaign.port_timing,
        "build_timeout": campaign.build_timeout, "jobs": jobs,
    }


def write_plan(plan: dict, path: str | Path) -> Path:
    """Write ``plan`` and, next to it, the runner script to copy with it; returns the runner's path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    script = path.parent / "runner.py"
    shutil.copyfile(runner.__file__, script)
    return script
