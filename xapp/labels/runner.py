#!/usr/bin/env python3
"""The xapp timing runner: builds and times each job of a label plan, and writes a results file.

This file is self-contained (Python standard library only) so that it can be copied, with a plan
and the sources, to a machine that has the compilers and the GPU but not xapp:

    python3 runner.py plan.json --out results.json [--sources DIR] [--jobs N] [--only ID]

On that machine, every variable of the plan (``CC``, ``NVCC``, ``CFLAGS``, ...) can be set from the
environment. ``xapp label --ingest results.json --out corpus.csv`` turns the results into a corpus.

For each job the runner: builds (shell commands, run in the job's work folder); runs each named run
``warmup`` times untimed, then ``repetitions`` times, the runs alternating so that drift hits both
sides alike; reads each side's time (a regular expression on a run's output, or the run's wall time);
and verifies that the port computes what the serial code computes. A job that fails to build, crashes,
runs past its timeout (its whole process group is killed), prints no time or fails to verify is
recorded with its status and reason, and the campaign goes on.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RESULTS_FORMAT = "xapp-label-results/1"
PLAN_FORMAT = "xapp-label-plan/1"
_FLOAT = re.compile(rb"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)", re.IGNORECASE)
_OUTPUT_KEEP = 2000          # characters of a failed command's output kept in the results
# Runs marked exclusive (the GPU port) never overlap, even when --jobs runs several jobs at once: the
# serial baselines can share the CPU's cores while the one GPU is timed alone.
_EXCLUSIVE = threading.Lock()


class JobFailed(Exception):
    """A job cannot be labelled; ``status`` says at which step."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


# ---- machine -------------------------------------------------------------------------------------
def _output_lines(command: list[str]) -> list[str]:
    """The non-blank lines a command prints; none when it cannot run or fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in (done.stdout or "").splitlines() if line.strip()] if done.returncode == 0 else []


def _first_line(command: list[str]) -> str | None:
    lines = _output_lines(command)
    return lines[0] if lines else None


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _last_line(command: list[str]) -> str | None:
    lines = _output_lines(command)
    return lines[-1] if lines else None


def describe_machine(variables: dict[str, str]) -> dict:
    """The CPU, GPU, driver and compilers of this machine, as far as they can be asked."""
    gpu = _first_line(["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"])
    name, _, driver = (gpu or "").partition(",")
    cc = variables.get("CC", "cc").split()[0] if variables.get("CC", "cc").strip() else "cc"
    nvcc = variables.get("NVCC", "nvcc").split()[0] if variables.get("NVCC", "nvcc").strip() else "nvcc"
    return {
        "cpu": _cpu_name(), "cores": os.cpu_count() or 1, "os": platform.platform(),
        "gpu": name.strip() or None, "driver": driver.strip() or None,
        "cc": _first_line([cc, "--version"]), "nvcc": _last_line([nvcc, "--version"]) if gpu else None,
        "python": platform.python_version(), "hostname": platform.node(),
    }


# ---- substitution --------------------------------------------------------------------------------
class _Values(dict):
    def __missing__(self, key):
        raise JobFailed("plan_error", f"unknown variable {{{key}}} in a command")


def expand(template: str, values: dict[str, str]) -> str:
    """``template`` with ``{NAME}`` replaced from ``values``; ``{{`` and ``}}`` stay literal braces."""
    try:
        return template.format_map(_Values(values))
    except (ValueError, IndexError) as exc:
        raise JobFailed("plan_error", f"malformed command template {template!r}: {exc}") from None


def job_values(plan: dict, job: dict, workdir: Path, variables: dict[str, str]) -> dict[str, str]:
    defines = " ".join(f"-D{name}" if value is None else f"-D{name}={value}" for name, value in job["defines"])
    values = {"src": str(Path(plan["sources"]).resolve()), "workdir": str(workdir), "defines": defines,
              "nproc": str(os.cpu_count() or 1), "name": job["program"], **job.get("values", {})}
    values.update(variables)
    # Variables may name other variables or builtins ({CFLAGS} = "-O2 -I{src}"): expand once more.
    return {key: expand(value, values) if "{" in value else value for key, value in values.items()}


def plan_variables(plan: dict, environ: dict[str, str]) -> dict[str, str]:
    """The plan's variables, each overridden by an environment variable of the same name."""
    return {name: environ.get(name, str(default)) for name, default in plan.get("vars", {}).items()}


# ---- processes -----------------------------------------------------------------------------------
def run_command(command: str, cwd: Path, env: dict[str, str], timeout: float, log_name: str) -> dict:
    """Run ``command`` in a shell, in its own process group; kill the group at the timeout."""
    out_path, err_path = cwd / f"{log_name}.out", cwd / f"{log_name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, shell=True, cwd=cwd, env=env, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            _kill_group(process)
            code, timed_out = process.wait(), True
        wall = time.perf_counter() - start
    return {"command": command, "returncode": code, "timed_out": timed_out, "wall_s": wall,
            "stdout": str(out_path), "stderr": str(err_path)}


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _tail(path: str) -> str:
    data = Path(path).read_bytes()[-_OUTPUT_KEEP:]
    return data.decode("utf-8", "replace")


def check_finished(result: dict, step: str, timeout: float) -> None:
    """Raise JobFailed when a command timed out, crashed or exited non-zero."""
    if result["timed_out"]:
        raise JobFailed("timeout", f"{step} ran past the {timeout:g} s timeout and was killed")
    code = result["returncode"]
    if code == 0:
        return
    signal_number = -code if code < 0 else code - 128 if code > 128 else 0   # a shell reports 128 + signal
    what = f"killed by signal {signal_number} (status {code})" if signal_number else f"exited with status {code}"
    output = (_tail(result["stderr"]) or _tail(result["stdout"])).strip()
    status = "build_failed" if step.startswith("build") else "run_failed"
    raise JobFailed(status, f"{step} {what}" + (f": {output[-600:]}" if output else ""))


# ---- timing and verification ---------------------------------------------------------------------
def read_time(side: dict, result: dict) -> float:
    """Seconds of one run, from its output (``regex``) or its wall time (``wall``)."""
    if side.get("wall"):
        return result["wall_s"]
    text = Path(result[side.get("stream", "stdout")]).read_text(errors="replace")
    match = re.search(side["regex"], text, re.MULTILINE)
    if not match:
        raise JobFailed("no_time", f"run {side['run']!r} printed no time matching {side['regex']!r}")
    try:
        value = float(match.group(1)) * float(side.get("scale", 1.0))
    except (IndexError, ValueError):
        raise JobFailed("no_time", f"run {side['run']!r}: {match.group(0)!r} is not a time") from None
    if not math.isfinite(value) or value <= 0:
        raise JobFailed("no_time", f"run {side['run']!r} reported a time of {value!r}")
    return value


def checksum(path: str, skip_regex: str | None = None) -> dict:
    """Count and three sums of the numbers in a file: enough to see two outputs differ."""
    data = Path(path).read_bytes()
    if skip_regex:
        data = re.sub(skip_regex.encode(), b"", data, flags=re.MULTILINE)
    count, total, absolute, weighted = 0, 0.0, 0.0, 0.0
    for match in _FLOAT.finditer(data):
        value = float(match.group())
        count += 1
        total += value
        absolute += abs(value)
        weighted += value * (count % 97 + 1)
    return {"count": count, "sum": total, "abs_sum": absolute, "weighted_sum": weighted}


def _close(key: str, ref: dict, got: dict, rtol: float, atol: float) -> bool:
    """Sums agree within rtol of the reference's magnitude (sums may cancel, so never of the sum itself)."""
    a, b = ref[key], got[key]
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    weight = 98.0 if key == "weighted_sum" else 1.0
    return abs(a - b) <= atol * ref["count"] * weight + rtol * ref["abs_sum"] * weight


def verify_checksums(verify: dict, results: dict[str, dict]) -> dict:
    reference, port = verify["runs"]
    stream = verify.get("stream", "stdout")
    sums = {name: checksum(results[name][stream], verify.get("ignore")) for name in (reference, port)}
    ref, got = sums[reference], sums[port]
    if ref["count"] == 0:
        raise JobFailed("verify_failed", f"run {reference!r} printed no numbers on {stream} to compare")
    if ref["count"] != got["count"]:
        raise JobFailed("verify_failed", f"{reference} printed {ref['count']} numbers, {port} {got['count']}")
    rtol, atol = float(verify.get("rtol", 1e-6)), float(verify.get("atol", 1e-9))
    for key in ("sum", "abs_sum", "weighted_sum"):
        if not _close(key, ref, got, rtol, atol):
            raise JobFailed("verify_failed", f"outputs differ: {key} {ref[key]!r} ({reference}) vs "
                                             f"{got[key]!r} ({port}), rtol {rtol:g}")
    return {"kind": "checksum", "checksums": sums}


def verify_pattern(verify: dict, results: dict[str, dict]) -> dict:
    """The program checks itself: a regex on its output must capture the expected text."""
    text = Path(results[verify["run"]][verify.get("stream", "stdout")]).read_text(errors="replace")
    found = re.findall(verify["regex"], text, re.MULTILINE)
    if not found:
        raise JobFailed("verify_failed", f"no verification line matching {verify['regex']!r}")
    bad = [value for value in found if value != verify["expect"]]
    if bad:
        raise JobFailed("verify_failed", f"verification printed {bad[0]!r}, expected {verify['expect']!r}")
    return {"kind": "pattern", "matches": len(found)}


def verify_files(verify: dict, results: dict[str, dict]) -> dict:
    """Two runs wrote files (paths relative to the work folder): compare their numbers."""
    workdir = Path(results[verify["runs"][0]]["stdout"]).parent
    fake = {name: {"file": str(workdir / path)} for name, path in zip(verify["runs"], verify["files"])}
    missing = [v["file"] for v in fake.values() if not Path(v["file"]).is_file()]
    if missing:
        raise JobFailed("verify_failed", f"output file not written: {missing[0]}")
    return verify_checksums({**verify, "stream": "file"}, fake) | {"kind": "files"}


_VERIFIERS = {"checksum": verify_checksums, "pattern": verify_pattern, "files": verify_files}


def spread(times: list[float]) -> dict:
    median = statistics.median(times)
    return {"median_s": median, "min_s": min(times), "max_s": max(times), "times_s": times,
            "rel_spread": (max(times) - min(times)) / median,
            "stdev_s": statistics.stdev(times) if len(times) > 1 else 0.0}


# ---- one job -------------------------------------------------------------------------------------
def _environment(run: dict, values: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update({name: expand(str(value), values) for name, value in run.get("env", {}).items()})
    return env


def build(job: dict, workdir: Path, values: dict[str, str], timeout: float, steps: list[dict]) -> None:
    """Run the build commands in order, recording each into ``steps`` (a failed one too)."""
    for number, template in enumerate(job["build"]):
        result = run_command(expand(template, values), workdir, dict(os.environ), timeout, f"build{number}")
        steps.append({**result, "output": _tail(result["stderr"])[-600:]})
        check_finished(result, f"build step {number + 1}", timeout)


def time_runs(job: dict, workdir: Path, values: dict[str, str]) -> tuple[dict, dict]:
    """Warm-up and timed repetitions of every run; the times of each side and the first timed outputs."""
    timeout = float(job["timeout"])
    times: dict[str, list[float]] = {side: [] for side in job["timing"]}
    first: dict[str, dict] = {}
    for rep in range(int(job["warmup"]) + int(job["repetitions"])):
        timed = rep >= int(job["warmup"])
        for name, run in job["runs"].items():
            tag = f"{name}.{rep}"
            with _EXCLUSIVE if run.get("exclusive") else contextlib.nullcontext():
                result = run_command(expand(run["cmd"], values), workdir, _environment(run, values), timeout, tag)
            check_finished(result, f"run {name!r}", timeout)
            if timed:
                first.setdefault(name, result)
                for side, rule in job["timing"].items():
                    if rule["run"] == name:
                        times[side].append(read_time(rule, result))
    return {side: spread(values_) for side, values_ in times.items()}, first


def run_job(plan: dict, job: dict, root: Path, variables: dict[str, str]) -> dict:
    workdir = root / re.sub(r"[^A-Za-z0-9_.-]+", "_", job["id"])
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    record: dict = {"id": job["id"], "status": "ok", "reason": None, "workdir": str(workdir)}
    started = time.perf_counter()
    try:
        for name, text in plan.get("files", {}).items():
            (workdir / name).write_text(text, encoding="utf-8")
        values = job_values(plan, job, workdir, variables)
        record["build"] = []
        build(job, workdir, values, float(plan.get("build_timeout", 600)), record["build"])
        record["timing"], outputs = time_runs(job, workdir, values)
        record["verify"] = _VERIFIERS[job["verify"]["kind"]](job["verify"], outputs)
        record["extra"] = _extra_numbers(job, outputs)
    except JobFailed as failure:
        record.update(status=failure.status, reason=failure.reason)
    except OSError as exc:
        record.update(status="run_failed", reason=f"cannot run: {exc}")
    except Exception as exc:     # a malformed hand-written plan loses its own job, never the campaign
        record.update(status="runner_error", reason=f"{type(exc).__name__}: {exc}")
    record["seconds"] = time.perf_counter() - started
    return record


def _extra_numbers(job: dict, outputs: dict[str, dict]) -> dict:
    """Numbers the plan asks to record apart (e.g. GPU start-up time), each from a run's output."""
    extra = {}
    for name, rule in job.get("record", {}).items():
        text = Path(outputs[rule["run"]][rule.get("stream", "stdout")]).read_text(errors="replace")
        match = re.search(rule["regex"], text, re.MULTILINE)
        extra[name] = float(match.group(1)) if match else None
    return extra


# ---- the campaign --------------------------------------------------------------------------------
def load_plan(path: str | Path) -> dict:
    plan = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
        raise SystemExit(f"runner: {path} is not an xapp label plan ({PLAN_FORMAT})")
    return plan


def prebuild(plan: dict, shared: Path, variables: dict[str, str], workers: int) -> list[dict]:
    """The plan's shared build commands (e.g. one nvcc call per batch of ports), run once, in parallel."""
    shutil.rmtree(shared, ignore_errors=True)
    shared.mkdir(parents=True)
    values = {"src": str(Path(plan["sources"]).resolve()), "shared": str(shared),
              "nproc": str(os.cpu_count() or 1), **variables}
    timeout = float(plan.get("build_timeout", 600))

    def one(numbered):
        number, template = numbered
        try:
            command = expand(template, values)
        except JobFailed as failure:
            return {"command": template, "status": "failed", "output": failure.reason}
        result = run_command(command, shared, dict(os.environ), timeout, f"prebuild{number}")
        failed = result["timed_out"] or result["returncode"] != 0
        return {**result, "status": "failed" if failed else "ok", "output": _tail(result["stderr"])[-600:]}

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, enumerate(plan.get("prebuild", []))))


def run_plan(plan: dict, work: Path, *, sources: str | None = None, jobs: int = 1, only: list[str] | None = None,
             environ: dict[str, str] | None = None, progress=None, build_jobs: int | None = None,
             deadline: float | None = None) -> dict:
    """Run every job of ``plan`` (those in ``only`` when given) and return the results document."""
    if sources:
        plan = {**plan, "sources": sources}
    if not Path(plan["sources"]).is_dir():
        raise SystemExit(f"runner: source folder not found: {plan['sources']} (pass --sources DIR)")
    variables = plan_variables(plan, dict(os.environ if environ is None else environ))
    selected = [job for job in plan["jobs"] if not only or job["id"] in only or job["program"] in only]
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    shared = work / "_shared"
    prebuilt = prebuild(plan, shared, variables, build_jobs or os.cpu_count() or 1)
    for step in prebuilt:
        if step["status"] != "ok":
            print(f"prebuild failed: {step['command']}: {step['output'][-300:]}", file=sys.stderr, flush=True)
    variables = {**variables, "shared": str(shared.resolve())}

    def one(job):
        if deadline is not None and time.time() - started > deadline:
            record = {"id": job["id"], "status": "not_run", "reason": f"campaign deadline ({deadline:g} s) reached"}
        else:
            record = run_job(plan, job, work, variables)
        if progress:
            progress(record)
        return record

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        records = list(pool.map(one, selected))
    return {"format": RESULTS_FORMAT, "plan": plan, "variables": variables,
            "machine": describe_machine(variables), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                             time.gmtime(started)),
            "seconds": time.time() - started, "prebuild": prebuilt, "jobs": records}


def headline(reason: str) -> str:
    """A failure's first line, and its first compiler ``error:`` line if that is another: for consoles."""
    lines = [line.strip() for line in reason.splitlines() if line.strip()]
    error = next((line for line in lines[1:] if "error" in line.lower()), None)
    return lines[0] + (f" ... {error}" if error else "") if lines else reason


def print_progress(record: dict) -> None:
    if record["status"] == "ok":
        timing = record["timing"]
        text = ", ".join(f"{side} {t['median_s']:.3g} s" for side, t in timing.items())
        print(f"ok      {record['id']}: {text}", file=sys.stderr, flush=True)
    else:
        print(f"{record['status']:<7} {record['id']}: {headline(record['reason'])}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build, time and verify the jobs of an xapp label plan.")
    parser.add_argument("plan", help="plan.json written by `xapp label MANIFEST --plan-only`")
    parser.add_argument("--out", required=True, help="results file to write (JSON)")
    parser.add_argument("--sources", help="source root on this machine (default: the plan's)")
    parser.add_argument("--work", default="xapp-label-work", help="build and output folder")
    parser.add_argument("--jobs", type=int, default=1,
                        help="jobs at once (default 1; runs marked exclusive, e.g. GPU ports, still run one at a time)")
    parser.add_argument("--build-jobs", type=int, help="shared build commands at once (default: all cores)")
    parser.add_argument("--only", action="append", help="run only this job id or program (repeatable)")
    parser.add_argument("--deadline", type=float, metavar="S",
                        help="start no job after S seconds (prebuild included); the rest are recorded as not_run")
    args = parser.parse_args(argv)
    results = run_plan(load_plan(args.plan), Path(args.work), sources=args.sources, jobs=args.jobs,
                       only=args.only, progress=print_progress, build_jobs=args.build_jobs,
                       deadline=args.deadline)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    ok = sum(record["status"] == "ok" for record in results["jobs"])
    print(f"{ok} of {len(results['jobs'])} jobs measured; results in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
