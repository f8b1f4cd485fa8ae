"""Hardware targets: a GPU with the numbers the cost model needs.

Profiles are TOML data files (profiles/*.toml, one per target); each number cites
the public spec sheet it came from under [sources], or says "approximate". A user adds
a target with `--target-file FILE` in the same format. The CPU a port is compared with is
not part of a target: it is a baseline (xapp.targets.baseline, `--baseline`), the same for
every target unless a target's measured corpus was measured against its own (`baseline = NAME`).
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Mapping

from ..errors import InputError

__all__ = ["CpuSpec", "GpuSpec", "Target", "DEFAULT_TARGET", "PROFILE_DIR", "builtin_targets", "get_target",
           "load_target_file"]

DEFAULT_TARGET = "h100"
PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
# Every number of a profile lies in this range (the shipped ones: 0.109 to 3,350); outside it is a typo,
# or 1e308 and 1e-300, which overflow the cost model's products and quotients to infinity.
MIN_SPEC_VALUE, MAX_SPEC_VALUE = 1e-3, 1e6


@dataclass(frozen=True)
class CpuSpec:
    name: str
    cores: int                        # cores the baseline runs on (1: one core; devmap: 4, OpenCL)
    clock_ghz: float
    scalar_flops_per_cycle: float     # adds and multiplies per cycle without SIMD
    fp32_simd_flops_per_cycle: float
    fp64_simd_flops_per_cycle: float
    memory_bandwidth_gbs: float       # sustained by the baseline's cores together
    llc_mib: float
    transcendental_cycles: float      # one libm exp/sin/sqrt call
    division_cycles: float
    vectorizes_across_items: bool = False   # an OpenCL CPU runtime vectorizes every kernel
    # The cache levels and their sustained bandwidth for the baseline's cores (a working set is
    # charged at the level it fits in). Defaults only for a legacy [cpu] table in a user's target
    # file: the shipped baselines (xapp/targets/baselines) state and cite every one.
    l1_kib: float = 32
    l2_kib: float = 1024
    l1_gbs: float = 100
    l2_gbs: float = 50
    llc_gbs: float = 25
    fp_add_latency_cycles: float = 4  # a dependent floating-point add (a reduction chain)
    memory_chain_cycles: float = 6    # a dependent add through memory: store, forwarded load, add
    # Latencies of one dependent operation (a recurrence waits for each on its carried path).
    fp_mul_latency_cycles: float = 4
    division_latency_cycles: float = 14
    sqrt_latency_cycles: float = 18
    int_latency_cycles: float = 1     # an integer add: one cycle on every current core
    # Load-to-use latency of a load served by each level (a pointer chase), and the cost of one
    # line miss served there when the core keeps several in flight (latency / misses in flight):
    # what a walk that misses the level pays per access when that exceeds its bandwidth cost.
    l1_latency_cycles: float = 5
    l2_latency_cycles: float = 14
    llc_latency_cycles: float = 50
    dram_latency_cycles: float = 300
    l2_miss_cycles: float = 1.4
    llc_miss_cycles: float = 5
    dram_miss_cycles: float = 30
    # Associativity: a walk whose lines are a power-of-two multiple of a line apart uses only some
    # of a level's sets (its 4 KiB-apart rows all fall in one set of a 48 KiB 12-way L1).
    l1_ways: int = 12
    l2_ways: int = 16


@dataclass(frozen=True)
class GpuSpec:
    name: str
    fp32_tflops: float
    fp64_tflops: float
    memory_bandwidth_gbs: float
    l2_mib: float
    sms: int                          # SMs (NVIDIA) or compute units (AMD)
    max_threads_per_sm: int
    clock_ghz: float
    sfu_per_sm_per_clock: float       # fp32 transcendental results per SM per clock
    host_link_gbs: float              # one direction
    host_link_latency_us: float
    launch_latency_us: float

    @property
    def resident_threads(self) -> int:
        return self.sms * self.max_threads_per_sm


@dataclass(frozen=True)
class Target:
    """A GPU. The CPU it is compared with is a baseline (xapp.targets.baseline); `cpu` is only the
    legacy inline [cpu] table of a user's target file, which then serves as its baseline."""
    name: str
    description: str
    cpu: CpuSpec | None
    gpu: GpuSpec
    measured_corpus: str | None = None    # the platform of a measured corpus (a model card's platform)
    sources: tuple[tuple[str, str], ...] = ()
    baseline: str | None = None           # the baseline of its measured corpus (devmap's 4-core OpenCL CPU)

    def source(self, key: str) -> str | None:
        return dict(self.sources).get(key)


def _spec(cls, table: Mapping, where: str):
    if not isinstance(table, Mapping):
        raise InputError(f"{where}: expected a table")
    names = {f.name: f for f in fields(cls)}
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}")
    values = {}
    for name, f in names.items():
        if name not in table:
            if f.default is not MISSING:
                continue
            raise InputError(f"{where}: missing field {name!r}")
        values[name] = _checked(table[name], f.type, f"{where}.{name}")
    return cls(**values)


def _checked(value, kind: str, where: str):
    if kind == "str":
        if not isinstance(value, str):
            raise InputError(f"{where}: expected a string")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError(f"{where}: expected true or false")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{where}: expected a positive number, got {value!r}")
    number = int(value) if kind == "int" else float(value)      # checked after conversion: 0.5 -> 0
    if not (number >= 1 if kind == "int" else number >= MIN_SPEC_VALUE) or number > MAX_SPEC_VALUE:
        low = "1" if kind == "int" else f"{MIN_SPEC_VALUE:g}"
        raise InputError(f"{where}: expected a positive number from {low} to {MAX_SPEC_VALUE:,.0f}, got {value!r}")
    return number


def checked_sources(doc: Mapping, where: str, required: tuple[str, ...], cited: str) -> dict[str, str]:
    """The [sources] table of a target or baseline file, once its required keys are known present."""
    for key in required:
        if key not in doc:
            raise InputError(f"{where}: missing {key!r}")
    sources = doc.get("sources", {})
    if not isinstance(sources, Mapping) or not all(isinstance(v, str) for v in sources.values()):
        raise InputError(f"{where}: [sources] must map {cited} to a citation string")
    return sources


def parse_target(doc: Mapping, where: str) -> Target:
    sources = checked_sources(doc, where, ("name", "description", "gpu"), "'gpu.field' or 'cpu.field'")
    corpus, baseline = doc.get("measured_corpus"), doc.get("baseline")
    return Target(name=_checked(doc["name"], "str", f"{where}: name"),
                  description=_checked(doc["description"], "str", f"{where}: description"),
                  cpu=_spec(CpuSpec, doc["cpu"], f"{where}: [cpu]") if "cpu" in doc else None,
                  gpu=_spec(GpuSpec, doc["gpu"], f"{where}: [gpu]"),
                  measured_corpus=None if corpus is None else _checked(corpus, "str", f"{where}: measured_corpus"),
                  sources=tuple(sorted(sources.items())),
                  baseline=None if baseline is None else _checked(baseline, "str", f"{where}: baseline"))


def load_target_file(path: str | Path) -> Target:
    """A target from a TOML file; InputError naming the file and the field when it is malformed."""
    path = Path(path)
    return parse_target(read_toml(path, "target"), str(path))


def read_toml(path: Path, kind: str) -> dict:
    """A profile file's TOML; InputError naming the file when it cannot be read or parsed."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read {kind} file ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid TOML {kind} file ({exc})") from None


_BUILTIN: dict[str, Target] | None = None


def builtin_targets() -> dict[str, Target]:
    """Name -> target of every shipped profile, read once."""
    global _BUILTIN
    if _BUILTIN is None:
        loaded = [load_target_file(p) for p in sorted(PROFILE_DIR.glob("*.toml"))]
        _BUILTIN = {t.name: t for t in loaded}
    return _BUILTIN


def get_target(name: str | None = None, target_file: str | Path | None = None) -> Target:
    """The target a user named (default DEFAULT_TARGET), or the one a target file describes."""
    if target_file:
        return load_target_file(target_file)
    known = builtin_targets()
    name = name or DEFAULT_TARGET
    if name not in known:
        raise InputError(f"unknown target {name!r}; known targets: {', '.join(sorted(known))} "
                         "(or describe one in a TOML file with --target-file)")
    return known[name]
