"""The physical cost model: a region's workload on a CPU baseline and a target's GPU.

CPU (the baseline's cores, one for a serial C port; xapp.targets.baseline):
  compute = fp32/R32 + fp64/R64 + int/Rint + transcendental*c_tr/f + divisions*c_div/f
            (R = clock x SIMD flops/cycle x SIMD_EFFICIENCY when the loop vectorizes, else
            clock x scalar flops/cycle)
  chain   = (innermost iterations of a non-vectorized reduction x add latency + links of reductions
            kept in memory, an array element or a pointee, x store-to-load-and-add latency
            + for each recurrence loop, its iterations x the latencies on its longest carried path
            (adds, multiplies, divisions, square roots, calls, integer adds; analysis/recurrence.py)) / f:
            each operation waits for the one before
  memory  = every load and store, charged at the bandwidth of the cache level its data lives in:
            a unit-stride walk at the level that holds what it walks before coming back to it
            (x the region's arrays sharing the cache; a walk never revisited: where the region's
            footprint fits), an access that stays put from L1, a strided walk an element from L1
            when the lines of one pass of its inner loop fit there, else a line per access from
            the level that holds them, at max(64 bytes / the level's bandwidth, the level's
            latency / the misses a core keeps in flight). In L1 and L2 a walk whose stride is a
            power-of-two multiple of a line uses only some sets: 4 KiB-apart rows all land in
            one set of a 48 KiB 12-way L1 (the last-level cache hashes its sets)
  cpu     = max(compute, chain, memory)
GPU:
  kernel  = max(compute, memory) / occupancy x (1 + divergent branch share), per launch
            compute: fp ops at peak x GPU_COMPUTE_EFFICIENCY, transcendentals on the SFUs (fp32)
                     or as ~20 fp64 operations, divisions as ~10 operations
            memory:  footprint / kernels per launch + 32-byte sectors for strided/indirect accesses, at
                     peak bandwidth x GPU_MEMORY_EFFICIENCY; coalesced re-reads at L2 speed
            occupancy = min(1, work-items / (SMs x resident threads per SM x 0.25))
  launch  = (launches of all kernels + a combining launch per launch of a cross-item reduction)
            x launch latency
  transfer = bytes crossing the host link / link bandwidth + link latency per direction
  serial  = serial share x cpu   (work in loops under no kernel level runs serially: at best
            as fast as the CPU baseline, Amdahl's law; charged to "parallelism")
  gpu     = kernel + launch + transfer + serial
The estimate is cpu / gpu; its bound is the largest GPU term ("parallelism" when the
kernel dominates at under half occupancy).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..analysis.workload import Workload
from ..targets import Baseline, CpuSpec, GpuSpec, Target, get_baseline

__all__ = ["Estimate", "estimate", "cpu_seconds", "gpu_terms", "level_bandwidth", "SIMD_EFFICIENCY", "GPU_COMPUTE_EFFICIENCY",
           "GPU_MEMORY_EFFICIENCY"]

SIMD_EFFICIENCY = 0.5          # compiled scalar C rarely sustains more than half of the SIMD peak
GPU_COMPUTE_EFFICIENCY = 0.5   # a straightforward port (no tiling) against the spec-sheet peak
GPU_MEMORY_EFFICIENCY = 0.8    # STREAM-like kernels reach about 80% of the spec-sheet bandwidth
L2_SPEEDUP = 3.0               # coalesced re-reads served from L2/L1, relative to DRAM bandwidth
SECTOR_FACTOR = 4.0            # a strided or indirect access moves a 32-byte sector for ~8 bytes used
CACHE_LINE = 64.0
GPU_TRANSCENDENTAL_FP64_OPS = 20.0
# Work-items needed to reach the throughput peaks, as a share of the resident-thread limit: with
# a few independent loads in flight per thread, a quarter of full occupancy saturates memory.
SATURATING_OCCUPANCY = 0.25
GPU_DIVISION_OPS = 10.0


@dataclass(frozen=True)
class Estimate:
    speedup: float
    bound: str                 # compute, memory, transfer, launch or parallelism
    cpu_seconds: float
    gpu_seconds: float
    transfer_seconds: float
    launch_seconds: float
    kernel_seconds: float
    occupancy: float
    baseline: str = ""         # the CPU baseline cpu_seconds is for
    plan: str = "as written"             # the port plan priced: "as written" or "reordered" (estimate/plans.py)
    plan_summary: str | None = None      # the reordered plan in a few words
    rejected: dict | None = None         # the other plan, with its price: why it was not chosen

    def as_dict(self) -> dict:
        return {k: (round(v, 9) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _cpu_rates(w: Workload, cpu: CpuSpec) -> tuple[float, float]:
    hz = cpu.clock_ghz * 1e9 * cpu.cores
    if w.cpu_vectorizable or cpu.vectorizes_across_items:
        return hz * cpu.fp32_simd_flops_per_cycle * SIMD_EFFICIENCY, hz * cpu.fp64_simd_flops_per_cycle * SIMD_EFFICIENCY
    return hz * cpu.scalar_flops_per_cycle, hz * cpu.scalar_flops_per_cycle


def _streamed(w: Workload, sweeps: float) -> float:
    """Bytes from DRAM: the footprint `sweeps` times (each launch streams its kernel's share), but
    never more than the accesses touch (many small launches each touch only a slice)."""
    return min(w.footprint_bytes * max(sweeps, 1.0), max(w.bytes_touched, w.footprint_bytes))


def _levels(cpu: CpuSpec) -> tuple[tuple[float, float, float], ...]:
    """(capacity bytes, bandwidth bytes/s, seconds per line miss served there) from L1 to DRAM (L1:
    its load latency, never used: a walk whose lines stay in L1 pays an element per access). The
    baseline's cores miss in parallel, as they compute."""
    hz = cpu.clock_ghz * 1e9 * cpu.cores
    return ((cpu.l1_kib * 1024, cpu.l1_gbs * 1e9, cpu.l1_latency_cycles / hz),
            (cpu.l2_kib * 1024, cpu.l2_gbs * 1e9, cpu.l2_miss_cycles / hz),
            (cpu.llc_mib * 2**20, cpu.llc_gbs * 1e9, cpu.llc_miss_cycles / hz),
            (math.inf, cpu.memory_bandwidth_gbs * 1e9, cpu.dram_miss_cycles / hz))


def level_bandwidth(working_set: float, cpu: CpuSpec) -> float:
    """Bytes per second of the smallest cache level `working_set` bytes fit in (DRAM beyond them)."""
    return next(bw for capacity, bw, _ in _levels(cpu) if working_set <= capacity)


def _set_share(stride: float, capacity: float, ways: int) -> float:
    """Share of a cache's sets a walk `stride` bytes apart uses (1 unless the stride is a multiple
    of a line that shares a power of two with the number of sets)."""
    sets = int(capacity // (CACHE_LINE * ways))
    if not stride or stride % CACHE_LINE or sets < 1:
        return 1.0
    return 1.0 / math.gcd(int(stride // CACHE_LINE), sets)


def _strided_seconds(accesses: float, lines: float, stride: float, cpu: CpuSpec) -> float:
    """A walk along the inner loop touching `lines` bytes of lines per pass (see the docstring)."""
    levels = _levels(cpu)
    if lines <= levels[0][0] * _set_share(stride, levels[0][0], cpu.l1_ways):
        return accesses * 8.0 / levels[0][1]         # the lines stay in L1: an element per access
    l2_share = _set_share(stride, levels[1][0], cpu.l2_ways)
    # Lines that conflicts evict from L2 come back at DRAM cost, not the L3's (2mm and gemm at
    # 1024, rows 8 KiB apart: 3.6 ns per access measured, the DRAM figure; docs/estimate.md).
    conflicted = l2_share < 1 and lines > levels[1][0] * l2_share
    _, bw, miss = next(level for level in levels[3 if conflicted else 1:] if lines <= level[0])
    return accesses * max(CACHE_LINE / bw, miss)


def _cpu_memory(w: Workload, cpu: CpuSpec) -> float:
    seconds = w.cpu_invariant_bytes / (cpu.l1_gbs * 1e9)
    for moved, walk in w.cpu_stream:
        seconds += moved / level_bandwidth(walk or w.footprint_bytes, cpu)
    for accesses, lines, *stride in w.cpu_strided:
        seconds += _strided_seconds(accesses, lines, stride[0] if stride else 0, cpu)
    return seconds


def _recurrence_cycles(w: Workload, cpu: CpuSpec) -> float:
    """Per loop, its iterations x the latencies of its longest carried path (analysis/recurrence.py)."""
    latency = (cpu.fp_add_latency_cycles, cpu.fp_mul_latency_cycles, cpu.division_latency_cycles,
               cpu.sqrt_latency_cycles, cpu.transcendental_cycles, cpu.int_latency_cycles)
    by_loop: dict[int, float] = {}
    for iterations, *ops, loop in w.cpu_recurrences:
        cycles = iterations * sum(n * c for n, c in zip(ops, latency))
        by_loop[loop] = max(by_loop.get(loop, 0.0), cycles)
    return sum(by_loop.values())


def cpu_seconds(w: Workload, cpu: CpuSpec) -> tuple[float, float]:
    """(compute seconds, memory seconds) of the baseline; compute includes the dependent chains."""
    hz = cpu.clock_ghz * 1e9 * cpu.cores
    r32, r64 = _cpu_rates(w, cpu)
    compute = (w.fp32_ops / r32 + w.fp64_ops / r64 + w.int_ops / (2 * hz * cpu.scalar_flops_per_cycle)
               + (w.transcendental * cpu.transcendental_cycles + w.divisions * cpu.division_cycles) / hz)
    chain = (w.cpu_chain_iterations * cpu.fp_add_latency_cycles
             + w.cpu_memory_chain_links * cpu.memory_chain_cycles + _recurrence_cycles(w, cpu)) / hz
    return max(compute, chain), _cpu_memory(w, cpu)


def _gpu_compute(w: Workload, gpu: GpuSpec) -> float:
    r32 = gpu.fp32_tflops * 1e12 * GPU_COMPUTE_EFFICIENCY
    r64 = gpu.fp64_tflops * 1e12 * GPU_COMPUTE_EFFICIENCY
    fp64_share = w.fp64_ops / (w.fp64_ops + w.fp32_ops) if w.fp64_ops + w.fp32_ops else 0.0
    div = w.divisions * GPU_DIVISION_OPS
    sfu = gpu.sms * gpu.sfu_per_sm_per_clock * gpu.clock_ghz * 1e9
    return ((w.fp32_ops + w.int_ops / 2 + div * (1 - fp64_share)) / r32
            + (w.fp64_ops + div * fp64_share + w.transcendental_fp64 * GPU_TRANSCENDENTAL_FP64_OPS) / r64
            + (w.transcendental - w.transcendental_fp64) / sfu)


def _gpu_memory(w: Workload, gpu: GpuSpec) -> float:
    bw = gpu.memory_bandwidth_gbs * 1e9
    dram = _streamed(w, w.launches / max(w.kernels, 1)) + (w.gpu_strided_bytes + w.gpu_indirect_bytes) * SECTOR_FACTOR
    return dram / (bw * GPU_MEMORY_EFFICIENCY) + w.gpu_coalesced_bytes / (bw * L2_SPEEDUP)


def gpu_terms(w: Workload, gpu: GpuSpec) -> dict[str, float]:
    saturating = gpu.resident_threads * SATURATING_OCCUPANCY
    occupancy = min(1.0, max(w.work_items, 1) / saturating)
    compute, memory = _gpu_compute(w, gpu), _gpu_memory(w, gpu)
    kernel = max(compute, memory) / occupancy * (1 + w.divergent_branches)
    directions = (w.transfer_in_bytes > 0) + (w.transfer_out_bytes > 0)
    transfer = w.transfer_bytes / (gpu.host_link_gbs * 1e9) + directions * gpu.host_link_latency_us * 1e-6
    launch = (w.launches + w.combine_launches) * gpu.launch_latency_us * 1e-6
    return {"compute": compute, "memory": memory, "kernel": kernel, "transfer": transfer, "launch": launch,
            "occupancy": occupancy}


def _bound(t: dict[str, float]) -> str:
    parts = {"transfer": t["transfer"], "launch": t["launch"], "kernel": t["kernel"], "serial": t["serial"]}
    top = max(parts, key=parts.get)
    if top == "serial":
        return "parallelism"
    if top != "kernel":
        return top
    if t["occupancy"] < 0.5:
        return "parallelism"
    return "compute" if t["compute"] >= t["memory"] else "memory"


def estimate(w: Workload, target: Target, baseline: Baseline | None = None, cpu: float | None = None) -> Estimate:
    """The estimated speed-up of a GPU port of the region on `target` against `baseline` (default:
    the target's own, else the reference core; xapp.targets.get_baseline); see the module docstring.
    `cpu`: the baseline's seconds when given (a reordered plan's port runs against the code as written)."""
    baseline = baseline or get_baseline(None, target)
    cpu = max(cpu_seconds(w, baseline.cpu)) if cpu is None else cpu
    t = {**gpu_terms(w, target.gpu), "serial": w.serial_share * cpu}
    gpu = t["kernel"] + t["launch"] + t["transfer"] + t["serial"]
    return Estimate(speedup=cpu / gpu if gpu > 0 else float("inf"), bound=_bound(t), cpu_seconds=cpu,
                    gpu_seconds=gpu, transfer_seconds=t["transfer"], launch_seconds=t["launch"],
                    kernel_seconds=t["kernel"], occupancy=t["occupancy"], baseline=baseline.name)
