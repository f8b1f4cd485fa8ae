"""`xapp calibrate`: measure this machine's core and write a CPU baseline file (xapp.targets.baseline).

A small C probe (calibrate_probe.c, shipped with xapp) is compiled with the system C compiler at
`-O3 -march=native`, as the programs xapp judges would be, and run as a subprocess with a time
limit: triad bandwidth (loads and stores) at working sets inside L1, L2 and the last-level cache
and four times beyond it (cache sizes from /sys, else typical ones stated as such), at the same
working sets the latency of a dependent load (a pointer chase over random lines) and the cost of
independent loads over them (latency / the misses a core keeps in flight), vector and scalar
floating-point rates, the latency of a dependent add, multiply, division, square root and integer
add, and the cost of exp() and of a division. Every figure is the best of 25 short trials (a
shared machine slows some of them; the walks beyond the last-level cache: the best of 3).

The baseline file states its rates per nanosecond (clock_ghz = 1, so "cycles" are nanoseconds)
and says in `measured` where and when it was measured. Without a C compiler nothing is measured
and CalibrationUnavailable says why.
"""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import XappError

__all__ = ["CalibrationUnavailable", "Measurement", "find_compiler", "cache_sizes", "cache_ways", "working_sets",
           "measure", "baseline_toml", "PROBE"]

PROBE = Path(__file__).resolve().parent / "calibrate_probe.c"
TIME_LIMIT = 300.0
_TYPICAL = {1: 32 * 1024, 2: 1024 * 1024, 3: 16 * 1024 * 1024}   # when /sys does not say
_TYPICAL_WAYS = {1: 12, 2: 16}
CACHE_ROOT = Path("/sys/devices/system/cpu/cpu0/cache")


class CalibrationUnavailable(XappError):
    """The core cannot be measured here (no C compiler, or the probe failed)."""


def find_compiler() -> str | None:
    """$CC if set (None when it names no program), else cc, gcc or clang on PATH."""
    chosen = os.environ.get("CC")
    if chosen is not None:
        return shutil.which(chosen.split()[0]) and chosen
    return next((c for c in ("cc", "gcc", "clang") if shutil.which(c)), None)


def _cache_dirs(root: Path):
    """(level, index directory) of cpu0's data and unified caches."""
    for index in sorted(root.glob("index*")) if root.is_dir() else []:
        try:
            kind = (index / "type").read_text().strip()
            level = int((index / "level").read_text())
        except (OSError, ValueError):
            continue
        if kind in ("Data", "Unified"):
            yield level, index


def cache_sizes(root: Path = CACHE_ROOT) -> tuple[dict[int, int], bool]:
    """({level: bytes} of the data caches of cpu0, whether read from /sys); typical sizes otherwise."""
    found: dict[int, int] = {}
    for level, index in _cache_dirs(root):
        try:
            size = (index / "size").read_text().strip()
        except OSError:
            continue
        if size[:-1].isdigit():
            found[level] = int(size[:-1]) * {"K": 1024, "M": 1024 ** 2}.get(size[-1], 1)
    complete = all(level in found for level in (1, 2, 3))
    return ({**_TYPICAL, **found} if not complete else found), complete


def cache_ways(root: Path = CACHE_ROOT) -> tuple[dict[int, int], bool]:
    """({level: ways} of cpu0's L1 data and L2 caches, whether read from /sys); typical 12 and 16
    otherwise."""
    found: dict[int, int] = {}
    for level, index in _cache_dirs(root):
        try:
            ways = int((index / "ways_of_associativity").read_text())
        except (OSError, ValueError):
            continue
        if level in _TYPICAL_WAYS and ways > 0:
            found[level] = ways
    return {**_TYPICAL_WAYS, **found}, set(found) == set(_TYPICAL_WAYS)


def working_sets(caches: dict[int, int]) -> dict[str, int]:
    """Bytes the probe walks per level: half of each cache, and well beyond the last one."""
    return {"l1": caches[1] // 2, "l2": caches[2] // 2, "llc": caches[3] // 2,
            "dram": min(max(4 * caches[3], 64 * 1024 ** 2), 512 * 1024 ** 2)}


@dataclass(frozen=True)
class Measurement:
    values: dict[str, float]          # the probe's NAME VALUE lines
    caches: dict[int, int]
    caches_from_sys: bool
    ways: dict[int, int]
    ways_from_sys: bool
    compiler: str
    flags: str


def _compile(cc: str, out: Path, extra: list[str]) -> None:
    cmd = [*cc.split(), "-O3", "-march=native", *extra, str(PROBE), "-o", str(out), "-lm"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise CalibrationUnavailable(f"calibration unavailable: {' '.join(cmd)} failed: "
                                     f"{(done.stderr or done.stdout).strip()[:400]}")


def _run(binary: Path, args: list[str], limit: float) -> dict[str, float]:
    try:
        done = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        raise CalibrationUnavailable(f"calibration unavailable: the probe ran past {limit:.0f} s") from None
    if done.returncode != 0:
        raise CalibrationUnavailable(f"calibration unavailable: the probe failed: {done.stderr.strip()[:400]}")
    out = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        if value:
            out[name] = float(value)
    return out


def _no_vectorize(cc: str) -> list[str]:
    """Flags that turn auto-vectorization off, for the scalar rates (GCC's or clang's spelling)."""
    version = subprocess.run([*cc.split(), "--version"], capture_output=True, text=True, timeout=30).stdout
    return ["-fno-vectorize", "-fno-slp-vectorize"] if "clang" in version else ["-fno-tree-vectorize"]


def measure(compiler: str | None = None, limit: float = TIME_LIMIT, trials: int | None = None) -> Measurement:
    """Compile and run the probe; CalibrationUnavailable without a C compiler or if the probe fails.
    `trials` overrides the probe's 25 trials per figure (a quick, rougher measurement)."""
    cc = compiler or find_compiler()
    if not cc:
        raise CalibrationUnavailable("calibration unavailable: no C compiler found (set CC, or install cc, gcc "
                                     "or clang); use a shipped baseline instead (--baseline server-core)")
    caches, from_sys = cache_sizes()
    sets = working_sets(caches)
    with tempfile.TemporaryDirectory(prefix="xapp-calibrate-") as tmp:
        vec, scalar = Path(tmp) / "probe", Path(tmp) / "probe_scalar"
        extra = [f"-DTRIALS={int(trials)}"] if trials else []
        _compile(cc, vec, extra)
        _compile(cc, scalar, [*extra, "-DXAPP_SCALAR", *_no_vectorize(cc)])
        values = _run(vec, [str(x) for pair in sets.items() for x in pair], limit)
        values.update(_run(scalar, [], limit))
    ways, ways_from_sys = cache_ways()
    return Measurement(values, caches, from_sys, ways, ways_from_sys, cc, "-O3 -march=native")


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(round(value, 4))
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def baseline_toml(m: Measurement, name: str | None = None) -> str:
    """The baseline file for a measurement (rates per nanosecond: clock_ghz = 1)."""
    v = m.values
    host = platform.node() or "this machine"
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpu_name = _cpu_model() or platform.processor() or "this machine's CPU"
    load = _load()
    how = f"measured by xapp calibrate on {host} at {when} ({m.compiler} {m.flags}; best of 25 trials; {load})"
    caches = "from /sys" if m.caches_from_sys else "typical sizes (the machine did not report its caches)"
    ways = "from /sys" if m.ways_from_sys else "typical (the machine did not report it)"
    cpu = {
        "name": f"{cpu_name}, one core (measured)", "cores": 1, "clock_ghz": 1.0,
        "scalar_flops_per_cycle": v["scalar_flops"] / 1e9, "fp32_simd_flops_per_cycle": v["fp32_simd_flops"] / 1e9,
        "fp64_simd_flops_per_cycle": v["fp64_simd_flops"] / 1e9, "memory_bandwidth_gbs": v["dram_bytes_per_s"] / 1e9,
        "llc_mib": m.caches[3] / 2 ** 20, "transcendental_cycles": v["exp_ns"], "division_cycles": v["division_ns"],
        "l1_kib": m.caches[1] / 1024, "l2_kib": m.caches[2] / 1024, "l1_gbs": v["l1_bytes_per_s"] / 1e9,
        "l2_gbs": v["l2_bytes_per_s"] / 1e9, "llc_gbs": v["llc_bytes_per_s"] / 1e9,
        "fp_add_latency_cycles": v["add_latency_ns"], "memory_chain_cycles": v["memory_chain_ns"],
        "fp_mul_latency_cycles": v["mul_chain_ns"], "division_latency_cycles": v["div_chain_ns"],
        "sqrt_latency_cycles": v["sqrt_chain_ns"], "int_latency_cycles": v["int_chain_ns"],
        **{f"{level}_latency_cycles": v[f"{level}_latency_ns"] for level in ("l1", "l2", "llc", "dram")},
        **{f"{level}_miss_cycles": v[f"{level}_gather_ns"] for level in ("l2", "llc", "dram")},
        "l1_ways": m.ways[1], "l2_ways": m.ways[2],
    }
    sources = {
        "cpu.clock_ghz": "by definition: rates below are per nanosecond, cycles are nanoseconds",
        "cpu.scalar_flops_per_cycle": "measured: 8 dependent multiply-adds per element, vectorization off",
        "cpu.fp32_simd_flops_per_cycle": "measured: 8 dependent multiply-adds per float element, -O3 -march=native",
        "cpu.fp64_simd_flops_per_cycle": "measured: 8 dependent multiply-adds per double element, -O3 -march=native",
        "cpu.memory_bandwidth_gbs": "measured: triad a[i] = b[i] + s*c[i] (loads and stores) beyond the last-level cache",
        "cpu.llc_gbs": "measured: triad at half the last-level cache",
        "cpu.l2_gbs": "measured: triad at half the L2 cache",
        "cpu.l1_gbs": "measured: triad at half the L1 data cache",
        "cpu.llc_mib": f"cache size {caches}", "cpu.l1_kib": f"cache size {caches}", "cpu.l2_kib": f"cache size {caches}",
        "cpu.transcendental_cycles": "measured: ns per libm exp() call in a loop",
        "cpu.division_cycles": "measured: ns per double division in a loop, vectorization off",
        "cpu.fp_add_latency_cycles": "measured: ns per link of a dependent dot product s += x[i] * y[i] (a fused "
                                     "multiply-add at -march=native)",
        "cpu.memory_chain_cycles": "measured: ns per acc[0] += x[i] through pointers that may alias",
        "cpu.fp_mul_latency_cycles": "measured: ns per link of a dependent chain x = x * k",
        "cpu.division_latency_cycles": "measured: ns per link of a dependent chain x = x / k",
        "cpu.sqrt_latency_cycles": "measured: ns per link of x = sqrt(x) + k, less one add",
        "cpu.int_latency_cycles": "measured: ns per link of a dependent integer add (one cycle of this core)",
        **{f"cpu.{level}_latency_cycles": f"measured: ns per load of a pointer chase over random lines of "
                                          f"{size} (a TLB miss included where the pages outrun the TLB)"
           for level, size in _sizes(m).items()},
        **{f"cpu.{level}_miss_cycles": f"measured: ns per load of independent loads over the same random lines of "
                                       f"{size} (latency / the misses the core keeps in flight)"
           for level, size in _sizes(m).items() if level != "l1"},
        "cpu.l1_ways": f"ways of associativity {ways}", "cpu.l2_ways": f"ways of associativity {ways}",
    }
    lines = [f"# A CPU baseline {how}.", "# Use it with --baseline FILE.",
             f"name = {_fmt(name or 'calibrated-' + host)}", f"description = {_fmt('one core of ' + cpu_name + ', measured')}",
             f"measured = {_fmt(how)}", "", "[cpu]"]
    lines += [f"{k} = {_fmt(val)}" for k, val in cpu.items()]
    lines += ["", "[sources]"] + [f"{_fmt(k)} = {_fmt(val)}" for k, val in sources.items()]
    return "\n".join(lines) + "\n"


def _sizes(m: Measurement) -> dict[str, str]:
    return {level: f"{size / 1024:.0f} KiB" if size < 2 ** 20 else f"{size / 2 ** 20:.0f} MiB"
            for level, size in working_sets(m.caches).items()}


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load not known"
    return f"load average {one:.2f} on {os.cpu_count()} CPUs"
