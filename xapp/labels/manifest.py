"""Label manifests: the TOML file that says how to build, run, time and verify each program.

A manifest has a ``[campaign]`` table (name, default source root, repetitions, warm-up, timeout, how
the port is timed, a platform template), ``[vars]`` (compilers and flags, each overridable from the
environment where the runner runs), ``[sizes]`` (named ``-D`` sets), ``[defaults]`` (the build
commands, runs, timing, verification and region file shared by all programs) and one ``[[program]]``
table per program, whose keys override the defaults. docs/training.md (`xapp label`) describes one.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..inputs import is_macro_name   # the one rule for a macro name

__all__ = ["Campaign", "Program", "Manifest", "load_manifest", "parse_size"]

_PROGRAM_KEYS = frozenset({"name", "dir", "function", "source", "headers", "build", "runs", "timing", "verify",
                           "record", "sizes", "group", "transfer_bytes", "values", "repetitions", "warmup",
                           "timeout"})
_MERGED = ("runs", "timing", "verify", "record", "values")   # tables merged key by key with the defaults
_VERIFY_KINDS = {"checksum": ("runs",), "pattern": ("run", "regex", "expect"), "files": ("runs", "files")}


@dataclass(frozen=True)
class Campaign:
    name: str
    description: str = ""
    sources: str | list[str] | None = None   # default source root(s), relative to the manifest file: the first that exists
    platform: str = "{cpu} vs {gpu}"
    port_timing: str = ""                # how the port's time is taken (steady state or not), for the corpus
    repetitions: int = 3
    warmup: int = 1
    timeout: float = 120.0
    build_timeout: float = 600.0


@dataclass(frozen=True)
class Program:
    """One program with its defaults applied: everything a plan job needs but the size."""

    name: str
    function: str
    source: str                          # the serial region's file, relative to the source root
    build: tuple[str, ...]
    runs: dict[str, dict]
    timing: dict[str, dict]
    verify: dict
    sizes: dict[str, tuple[str, ...]]
    headers: tuple[str, ...] = ()
    record: dict[str, dict] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    group: str = ""
    transfer_bytes: float | None = None
    repetitions: int = 3
    warmup: int = 1
    timeout: float = 120.0


@dataclass(frozen=True)
class Manifest:
    path: Path
    campaign: Campaign
    vars: dict[str, str]
    programs: tuple[Program, ...]
    files: dict[str, str] = field(default_factory=dict)   # small helper sources written into each work folder
    prebuild: tuple[str, ...] = ()       # shared build commands, run once before the jobs ({shared}: their folder)

    @property
    def default_sources(self) -> Path | None:
        given = self.campaign.sources
        candidates = [given] if isinstance(given, str) else list(given or [])
        paths = [(self.path.parent / c).resolve() for c in candidates]
        return next((p for p in paths if p.is_dir()), paths[0] if paths else None)


def parse_size(items: Any, where: str) -> tuple[str, ...]:
    """A size: a list of ``NAME`` or ``NAME=VALUE`` strings (the ``-D`` set)."""
    if not isinstance(items, list) or not all(isinstance(item, str) and item for item in items):
        raise InputError(f"{where}: a size is a list of defines like [\"N=1024\"], got {items!r}")
    for item in items:
        if not is_macro_name(item.partition("=")[0]):
            raise InputError(f"{where}: {item!r} does not define a macro name")
    return tuple(items)


def _sizes(table: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict) or not table:
        raise InputError(f"{where}: sizes must be a table of named define lists")
    return {name: parse_size(items, f"{where}.{name}") for name, items in table.items()}


def _program_sizes(entry: dict, shared: dict[str, tuple[str, ...]], where: str) -> dict[str, tuple[str, ...]]:
    """A program's sizes: all shared ones, a list naming some of them, or a table of its own."""
    chosen = entry.get("sizes")
    if chosen is None:
        return shared
    if isinstance(chosen, dict):
        return _sizes(chosen, f"{where}.sizes")
    unknown = [name for name in chosen if name not in shared] if isinstance(chosen, list) else [chosen]
    if unknown:
        raise InputError(f"{where}: unknown size {unknown[0]!r} (the manifest has {', '.join(shared) or 'none'})")
    return {name: shared[name] for name in chosen}


def _fill(template: str, values: dict[str, str]) -> str:
    try:
        return template.format_map(values)
    except (KeyError, ValueError, IndexError) as exc:
        raise InputError(f"cannot fill {template!r}: unknown or malformed field {exc}") from None


def _check_regexes(p: Program, where: str) -> None:
    rules = [(f"timing.{side}", rule) for side, rule in p.timing.items()]
    rules += [(f"record.{name}", rule) for name, rule in p.record.items()] + [("verify", p.verify)]
    for label, rule in rules:
        pattern = rule.get("regex") if isinstance(rule, dict) else None
        if pattern is None:
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InputError(f"{where}: {label}.regex is not a regular expression: {exc}") from None


def _check_program(p: Program, where: str) -> None:
    if not p.build:
        raise InputError(f"{where}: no build commands")
    _check_timing(p, where)
    for name, run in p.runs.items():
        if not isinstance(run, dict) or not isinstance(run.get("cmd"), str):
            raise InputError(f"{where}: run {name!r} needs a cmd")
    _check_verify(p, where)
    _check_regexes(p, where)


def _check_timing(p: Program, where: str) -> None:
    for side in ("serial", "port"):
        rule = p.timing.get(side)
        if not isinstance(rule, dict) or rule.get("run") not in p.runs:
            raise InputError(f"{where}: timing.{side} must name one of the runs ({', '.join(p.runs)})")
        if not rule.get("wall") and not rule.get("regex"):
            raise InputError(f"{where}: timing.{side} needs a regex (group 1: the time) or wall = true")


def _check_verify(p: Program, where: str) -> None:
    needed = _VERIFY_KINDS.get(p.verify.get("kind"))
    if needed is None:
        raise InputError(f"{where}: verify.kind must be one of {', '.join(_VERIFY_KINDS)}")
    missing = [key for key in needed if key not in p.verify]
    if missing:
        raise InputError(f"{where}: verify ({p.verify['kind']}) needs {', '.join(missing)}")
    named = p.verify.get("runs", [p.verify.get("run")])
    if any(run not in p.runs for run in named):
        raise InputError(f"{where}: verify names a run that does not exist ({named})")


def _program(entry: dict, defaults: dict, campaign: Campaign, sizes: dict, number: int) -> Program:
    where = f"program {number} ({entry.get('name', '?')})"
    unknown = sorted(set(entry) - _PROGRAM_KEYS)
    if unknown:
        raise InputError(f"{where}: unknown key {unknown[0]!r}")
    merged = {**defaults, **entry}
    for key in _MERGED:
        merged[key] = {**defaults.get(key, {}), **entry.get(key, {})}
    for key in ("name", "function"):
        if not isinstance(merged.get(key), str) or not merged[key]:
            raise InputError(f"{where}: {key} is required")
    fields = {"name": merged["name"], "dir": merged.get("dir", ""), **merged["values"]}
    program = Program(
        name=merged["name"], function=merged["function"],
        source=_fill(merged.get("source", "{dir}/{name}.c"), fields),
        build=tuple(merged.get("build", ())), runs=merged["runs"], timing=merged["timing"],
        verify=merged["verify"], sizes=_program_sizes(entry, sizes, where),
        headers=tuple(_fill(h, fields) for h in merged.get("headers", ())), record=merged["record"],
        values={key: str(value) for key, value in fields.items()}, group=str(merged.get("group") or merged["name"]),
        transfer_bytes=merged.get("transfer_bytes"),
        repetitions=int(merged.get("repetitions", campaign.repetitions)),
        warmup=int(merged.get("warmup", campaign.warmup)), timeout=float(merged.get("timeout", campaign.timeout)),
    )
    _check_program(program, where)
    return program


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read manifest {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None


def _programs(doc: dict, campaign: Campaign, path: Path) -> tuple[Program, ...]:
    """The [[program]] tables with the defaults and sizes applied; names are unique."""
    entries = doc.get("program", [])
    if not entries:
        raise InputError(f"{path}: no [[program]] tables")
    sizes = _sizes(doc["sizes"], f"{path}: sizes") if "sizes" in doc else {"default": ()}
    try:
        programs = tuple(_program(e, doc.get("defaults", {}), campaign, sizes, n)
                         for n, e in enumerate(entries, start=1))
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    names = [p.name for p in programs]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise InputError(f"{path}: two programs are named {duplicate!r}")
    return programs


def load_manifest(path: str | Path) -> Manifest:
    """Read and check a manifest; InputError names the file and the first problem."""
    path = Path(path)
    doc = _read_toml(path)
    try:
        campaign = Campaign(**doc.get("campaign", {}))
    except TypeError as exc:
        raise InputError(f"{path}: [campaign]: {exc}") from None
    programs = _programs(doc, campaign, path)
    files = doc.get("files", {})
    if not all(isinstance(text, str) and "/" not in name for name, text in files.items()):
        raise InputError(f"{path}: [files] maps plain file names to their text")
    prebuild = doc.get("prebuild", [])
    if not isinstance(prebuild, list) or not all(isinstance(cmd, str) for cmd in prebuild):
        raise InputError(f"{path}: prebuild is a list of commands")
    return Manifest(path, campaign, {k: str(v) for k, v in doc.get("vars", {}).items()}, programs, files,
                    tuple(prebuild))
