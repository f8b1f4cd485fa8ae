"""`xapp label --generate`: serial C / CUDA port pairs from the family templates, and their manifests.

Writes ``DIR/pairs/<name>/{serial.c,port.cu}``, ``DIR/batches/batch_NNN.cu`` (64 ports per nvcc call)
and two manifests: ``manifest.toml`` (the port built
with nvcc, for a machine with a GPU) and ``manifest-cpu.toml`` (the port's algorithm built as C++ with
``-DXAPP_CPU``: it builds and verifies the pairs anywhere, and its times are not GPU labels).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .families import FAMILIES, Variant
from .templates import elements, port_program, serial_program

__all__ = ["Generated", "Pair", "generate", "make_pairs", "DEFAULT_COUNT"]

DEFAULT_COUNT = 400          # per family: six families give 2,400 pairs
BATCH = 64                   # ports per nvcc call

_CAMPAIGN = """{prebuild}
[campaign]
name = "generated-{mode}"
description = "xapp label --generate pairs: serial C vs {port}"
sources = "."
platform = "{platform}"
port_timing = "{timing}"
repetitions = 1     # each program repeats its region in-process (1 warm-up + REPS timed, median printed)
warmup = 0
timeout = 60

[vars]
CC = "cc"
CFLAGS = "-O2"
{port_vars}

[defaults]
source = "{{dir}}/serial.c"
build = [
  "{{CC}} {{CFLAGS}} {{defines}} {{src}}/{{dir}}/serial.c -o serial",
  "{port_build}",
]
runs.serial = {{ cmd = "./serial" }}
runs.port = {{ cmd = "{port_run}", exclusive = true }}   # never timed while another port runs
timing.serial = {{ run = "serial", regex = '^xapp-time: (\\S+)' }}
timing.port = {{ run = "port", regex = '^xapp-time: (\\S+)' }}
record.kernel_s = {{ run = "port", regex = '^xapp-kernel-time: (\\S+)' }}
record.startup_s = {{ run = "port", regex = '^xapp-startup: (\\S+)' }}
verify = {{ kind = "checksum", runs = ["serial", "port"], stream = "stderr", rtol = 1e-9, atol = 0.0 }}
"""

_MODES = {
    "cuda": {"port": "its CUDA port", "platform": "{gpu} (driver {driver}, {nvcc}) vs {cpu}",
             "timing": "steady state: warm-up repetition first, CUDA events over copies in + launches + copies "
                       "out; start-up (cudaFree(0)) recorded apart",
             "port_vars": 'NVCC = "nvcc"\nNVFLAGS = "-O3 -arch=native"',
             # the ports are compiled in batches (one nvcc call per BATCH ports, all batches in parallel,
             # before any job); a job only checks that its batch built
             "port_build": "test -x {shared}/{batch} || {{ echo 'batch {batch} did not build' >&2; exit 1; }}",
             "port_run": "{shared}/{batch} {name}"},
    "cpu": {"port": "the port's algorithm on the CPU (verification build, not a GPU label)",
            "platform": "CPU emulation of the CUDA port on {cpu} vs serial on {cpu}",
            "timing": "CPU build of the port (-DXAPP_CPU): the grid as a loop; not a GPU time",
            "port_vars": 'CXX = "c++"',
            "port_build": "{CXX} {CFLAGS} -x c++ -DXAPP_CPU {defines} {src}/{dir}/port.cu -o port",
            "port_run": "./port"},
}


@dataclass(frozen=True)
class Pair:
    name: str
    group: str                   # the source text's identity: every size of one variant shares it
    function: str
    variant: Variant

    @property
    def defines(self) -> list[str]:
        return [f"{key}={value}" for key, value in self.variant.sizes.items()]

    @property
    def transfer_bytes(self) -> int:
        """Bytes copied to and from the device per repetition, as the port does it."""
        v = self.variant
        size = {"double": 8, "float": 4}[v.dtype]
        width = {"real": size, "index": 8, "sum": 8}
        moved = 0
        for a in v.arrays:
            copies = (a.role in ("in", "inout") or a.kind == "sum") + (a.role != "in")
            moved += copies * width[a.kind] * elements(a, v.sizes)
        return moved


@dataclass(frozen=True)
class Generated:
    folder: Path
    manifest: Path
    cpu_manifest: Path
    pairs: int


def _families(names: tuple[str, ...]) -> list[str]:
    if not names or names == ("all",):
        return list(FAMILIES)
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        raise InputError(f"unknown family {unknown[0]!r}; choose from {', '.join(FAMILIES)} or all")
    return list(names)


def make_pairs(families: tuple[str, ...], count: int, seed: int) -> list[Pair]:
    """``count`` distinct pairs per family (fewer only if the family has fewer distinct variants)."""
    pairs: list[Pair] = []
    for family in _families(families):
        rng = random.Random(f"{seed}:{family}")
        seen: set[str] = set()
        for _ in range(count * 50):
            if len(seen) >= count:
                break
            variant = FAMILIES[family](rng, rng.choice(("float", "double")))
            group = f"{family}-{variant.key}-{variant.dtype}"
            name = group + "".join(f"-{k.lower()}{v}" for k, v in variant.sizes.items())
            if name not in seen:
                seen.add(name)
                pairs.append(Pair(name, group, f"{family}_region", variant))
    return pairs


def _program_entry(pair: Pair, number: int) -> str:
    defines = ", ".join(json.dumps(d) for d in pair.defines)
    return (f'[[program]]\nname = "{pair.name}"\ndir = "pairs/{pair.name}"\nfunction = "{pair.function}"\n'
            f'group = "{pair.group}"\ntransfer_bytes = {pair.transfer_bytes}\nsizes = {{ default = [{defines}] }}\n'
            f'values = {{ batch = "{_batch_name(number // BATCH)}" }}\nverify = {{ rtol = {pair.variant.rtol:g} }}\n')


def _batch_name(number: int) -> str:
    return f"batch_{number:03d}"


def _prebuild(mode: str, batches: int) -> str:
    if mode != "cuda":
        return ""
    commands = "".join(f'  "{{NVCC}} {{NVFLAGS}} {{src}}/batches/{_batch_name(b)}.cu -o {_batch_name(b)}",\n'
                       for b in range(batches))
    return f"prebuild = [\n{commands}]\n"


def _manifest(mode: str, pairs: list[Pair]) -> str:
    batches = (len(pairs) + BATCH - 1) // BATCH
    header = _CAMPAIGN.format(mode=mode, prebuild=_prebuild(mode, batches), **_MODES[mode])
    return header + "\n" + "\n".join(_program_entry(p, n) for n, p in enumerate(pairs))


def batch_source(pairs: list[Pair]) -> str:
    """One CUDA translation unit holding several ports, each in its own namespace, and a main that runs
    the port named by its argument: nvcc runs once per batch instead of once per port."""
    parts = ["/* Generated by xapp label --generate: ports compiled together; run as ./batch PAIR-NAME. */\n"
             "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <time.h>\n"
             "#define main run\n"]
    for number, pair in enumerate(pairs):
        parts.append(f'namespace p{number} {{\n#include "../pairs/{pair.name}/port.cu"\n}}\n#undef N\n#undef T\n')
    parts.append("#undef main\n\nint main(int argc, char **argv)\n{\n")
    parts += [f'  if (argc == 2 && strcmp(argv[1], "{pair.name}") == 0)\n    return p{number}::run();\n'
              for number, pair in enumerate(pairs)]
    parts.append('  fprintf(stderr, "usage: %s PAIR (one of the %d ports of this batch)\\n", argv[0], '
                 f"{len(pairs)});\n  return 2;\n}}\n")
    return "".join(parts)


def generate(families: tuple[str, ...], out: Path, *, count: int | None = None, seed: int = 0) -> Generated:
    """Write the pairs of ``families`` (all when empty) and both manifests under ``out``."""
    pairs = make_pairs(families, DEFAULT_COUNT if count is None else count, seed)
    if not pairs:
        raise InputError("--count must be at least 1")
    for pair in pairs:
        folder = out / "pairs" / pair.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "serial.c").write_text(serial_program(pair.variant, pair.function), encoding="utf-8")
        (folder / "port.cu").write_text(port_program(pair.variant, pair.function), encoding="utf-8")
    (out / "batches").mkdir(parents=True, exist_ok=True)
    for start in range(0, len(pairs), BATCH):
        text = batch_source(pairs[start:start + BATCH])
        (out / "batches" / f"{_batch_name(start // BATCH)}.cu").write_text(text, encoding="utf-8")
    manifest, cpu_manifest = out / "manifest.toml", out / "manifest-cpu.toml"
    manifest.write_text(_manifest("cuda", pairs), encoding="utf-8")
    cpu_manifest.write_text(_manifest("cpu", pairs), encoding="utf-8")
    return Generated(out, manifest, cpu_manifest, len(pairs))
