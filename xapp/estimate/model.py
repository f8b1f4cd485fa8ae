"""The physical cost model: a region's workload on a CPU baseline and a target's GPU.

CPU (the baseline's cores, one for a serial C port; xapp.targets.baseline):
  compute = fp32/R32 + fp64/R64 + int/Rint + transcendental*c_tr/f + divisions*c_div/f
            (R = clock x SIMD flops/cycle x SIMD_EFFICIENCY when the loop vectorizes, else
            clock x scalar flops/cycle)
  chain   = (innermost iterations of a non-vectorized reduction x add latency + links of reductions
            kept in memory, an array element or a pointee, x store-to-load-and-add latency) / f:
            each add waits for the one before
  memory  = every load and store, charged at the bandwidth of the cache level its data lives in:
            a unit-stride walk at the level that holds what it walks before coming back to it
            (x the region's arrays sharing the cache; a walk never revisited: where the region's
            footprint fits), a strided walk a 64-byte line per access at the level that holds the
            lines of one pass of its inner loop (an element from L1 when they fit there; from DRAM
            when its rows are a multiple of 4 KiB apart: every line falls in the same cache sets),
            an access that stays put from L1
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
CONFLICT_STRIDE = 4096         # a 48 KiB 12-way L1 spans 4 KiB per way: rows this far apart share a set
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


def level_bandwidth(working_set: float, cpu: CpuSpec) -> float:
    """Bytes per second of the smallest cache level `working_set` bytes fit in (DRAM beyond them)."""
    levels = ((cpu.l1_kib * 1024, cpu.l1_gbs), (cpu.l2_kib * 1024, cpu.l2_gbs), (cpu.llc_mib * 2**20, cpu.llc_gbs))
    for capacity, gbs in levels:
        if working_set <= capacity:
            return gbs * 1e9
    return cpu.memory_bandwidth_gbs * 1e9


def _cpu_memory(w: Workload, cpu: CpuSpec) -> float:
    seconds = w.cpu_invariant_bytes / (cpu.l1_gbs * 1e9)
    for moved, walk in w.cpu_stream:
        seconds += moved / level_bandwidth(walk or w.footprint_bytes, cpu)
    for accesses, lines, *stride in w.cpu_strided:
        if stride and stride[0] and stride[0] % CONFLICT_STRIDE == 0 and lines > CONFLICT_STRIDE:
            # A column walk whose rows are a multiple of 4 KiB apart maps every line to the same few
            # sets of L1 and L2: they hold a handful of its lines, each access misses to DRAM.
            seconds += accesses * CACHE_LINE / (cpu.memory_bandwidth_gbs * 1e9)
        elif lines <= cpu.l1_kib * 1024:
            seconds += accesses * 8.0 / (cpu.l1_gbs * 1e9)
        else:
            seconds += accesses * CACHE_LINE / level_bandwidth(lines, cpu)
    return seconds


def cpu_seconds(w: Workload, cpu: CpuSpec) -> tuple[float, float]:
    """(compute seconds, memory seconds) of the baseline; compute includes a reduction's add chain."""
    hz = cpu.clock_ghz * 1e9 * cpu.cores
    r32, r64 = _cpu_rates(w, cpu)
    compute = (w.fp32_ops / r32 + w.fp64_ops / r64 + w.int_ops / (2 * hz * cpu.scalar_flops_per_cycle)
               + (w.transcendental * cpu.transcendental_cycles + w.divisions * cpu.division_cycles) / hz)
    chain = (w.cpu_chain_iterations * cpu.fp_add_latency_cycles
             + w.cpu_memory_chain_links * cpu.memory_chain_cycles) / hz
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
