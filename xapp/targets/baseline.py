"""CPU baselines: the CPU a GPU port is compared with, chosen apart from the GPU target.

A baseline is a TOML file (baselines/*.toml ships two; `xapp calibrate --out FILE` writes one
measured on this machine): `name`, `description`, a [cpu] table (the fields of CpuSpec) and
[sources] citing each number ("cpu.FIELD" = "..."), or `measured` saying how it was measured.
The default is DEFAULT_BASELINE, one reference server core, for every target, so comparing
targets compares GPUs; a target whose measured corpus was taken against its own CPU names it
(`baseline = NAME` in the target profile), and a legacy target file with an inline [cpu] table
uses that.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..errors import InputError
from .profile import CpuSpec, Target, _checked, _spec, checked_sources, read_toml

__all__ = ["Baseline", "DEFAULT_BASELINE", "BASELINE_DIR", "builtin_baselines", "load_baseline_file",
           "parse_baseline", "get_baseline"]

DEFAULT_BASELINE = "server-core"
BASELINE_DIR = Path(__file__).resolve().parent / "baselines"


@dataclass(frozen=True)
class Baseline:
    name: str
    description: str
    cpu: CpuSpec
    sources: tuple[tuple[str, str], ...] = ()
    measured: str | None = None       # how and where it was measured (xapp calibrate), else None

    def source(self, key: str) -> str | None:
        return dict(self.sources).get(key)


def parse_baseline(doc: Mapping, where: str) -> Baseline:
    sources = checked_sources(doc, where, ("name", "description", "cpu"), "'cpu.field'")
    measured = doc.get("measured")
    return Baseline(name=_checked(doc["name"], "str", f"{where}: name"),
                    description=_checked(doc["description"], "str", f"{where}: description"),
                    cpu=_spec(CpuSpec, doc["cpu"], f"{where}: [cpu]"), sources=tuple(sorted(sources.items())),
                    measured=None if measured is None else _checked(measured, "str", f"{where}: measured"))


def load_baseline_file(path: str | Path) -> Baseline:
    path = Path(path)
    return parse_baseline(read_toml(path, "baseline"), str(path))


_BUILTIN: dict[str, Baseline] | None = None


def builtin_baselines() -> dict[str, Baseline]:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = {b.name: b for b in (load_baseline_file(p) for p in sorted(BASELINE_DIR.glob("*.toml")))}
    return _BUILTIN


def _named(name: str) -> Baseline:
    known = builtin_baselines()
    if name not in known:
        raise InputError(f"unknown baseline {name!r}; known baselines: {', '.join(sorted(known))} "
                         "(or a TOML file, e.g. one written by `xapp calibrate --out FILE`)")
    return known[name]


def get_baseline(choice: str | None = None, target: Target | None = None) -> Baseline:
    """The baseline `--baseline NAME|FILE` names; without one, the target's own (its measured corpus's,
    or a legacy inline [cpu] table), else DEFAULT_BASELINE."""
    if choice:
        looks_like_file = choice.endswith(".toml") or "/" in choice or Path(choice).is_file()
        return load_baseline_file(choice) if looks_like_file else _named(choice)
    if target is not None and target.baseline:
        return _named(target.baseline)
    if target is not None and target.cpu is not None:
        return Baseline(target.cpu.name, f"the [cpu] table of target {target.name}", target.cpu,
                        tuple((k, v) for k, v in target.sources if k.startswith("cpu.")))
    return _named(DEFAULT_BASELINE)
