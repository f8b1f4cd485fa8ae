"""`dask scheduler` and `dask worker` as separate processes on loopback: a worker killed mid-scan
loses no file, and the scan's results equal a local -j 2 extraction of the same tree."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import xapp
from xapp.cluster import open_cluster
from xapp.features import ParseOptions
from xapp.scan import discover, extract_all

from .tree import CRASH_TERMS

pytestmark = pytest.mark.slow(4)   # seconds, serial, on the idle 2-core machine

pytest.importorskip("distributed")

START_TIMEOUT_S = 60.0
FILES = 24


def _kill_tree(proc: subprocess.Popen) -> None:
    """Kill a process this test started and what it started (a worker's parse processes)."""
    import psutil        # a dependency of distributed

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.kill()
    proc.wait()
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


def _dask(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dask", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _scheduler_address(path: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            return json.loads(path.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    raise AssertionError("dask scheduler did not write its address")


@pytest.fixture()
def dask_processes(tmp_path):
    """(scheduler address, {pid: worker process}): one scheduler and two nanny-less worker processes."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(xapp.__file__).resolve().parents[1]),
                                                         os.environ.get("PYTHONPATH", "")])}
    started = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(tmp_path / "scheduler.json"), env=env)]
    try:
        address = _scheduler_address(tmp_path / "scheduler.json")
        workers = [_dask("worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host",
                         "127.0.0.1", "--name", f"w{i}", env=env) for i in range(2)]
        started += workers
        yield address, {w.pid: w for w in workers}
    finally:
        for proc in started:
            _kill_tree(proc)


def _write_sources(root: Path) -> None:
    for i in range(FILES):
        d = root / f"part{i % 3}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"k{i}.c").write_text(
            f"void k{i}(float *a, const float *b, int n) {{\n"
            f"    for (int i = 0; i < n; i++)\n"
            f"        for (int j = 0; j < {i + 2}; j++)\n"
            f"            a[i * {i + 2} + j] = b[i] * {i}.0f + a[i * {i + 2} + j];\n}}\n")
    (root / "crash.c").write_text("int f(int a) { return " + "+".join(["a"] * CRASH_TERMS) + "; }\n")


class _KillOneWorker:
    """A progress bar whose first advance kills a worker that is running a batch (by its pid)."""

    def __init__(self, session, workers: dict):
        self.session, self.workers, self.killed, self.done_at_kill = session, workers, None, None
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.killed is None:
            busy = [w for w, keys in self.session.client.processing().items() if keys]
            pids = self.session.client.run(os.getpid, workers=busy or None)
            victim = self.workers[next(iter(pids.values()))]
            _kill_tree(victim)
            self.killed, self.done_at_kill = victim.pid, self.done

    def close(self) -> None:
        pass


def test_a_worker_killed_mid_scan_loses_no_file(dask_processes, tmp_path):
    address, workers = dask_processes
    _write_sources(tmp_path / "src")
    targets = discover([str(tmp_path / "src")], ParseOptions())
    reference = extract_all(targets, workers=2)
    with open_cluster(address) as session:
        session.client.wait_for_workers(2, timeout=START_TIMEOUT_S)
        killer = _KillOneWorker(session, workers)
        outcomes = extract_all(targets, workers=2, cluster=session, progress=killer)
    assert killer.killed is not None and workers[killer.killed].returncode is not None
    assert killer.done_at_kill < len(targets)                # the kill came before the scan ended
    assert [o.target for o in outcomes] == targets           # every file present, in order
    assert {o.target.path.name: o.status for o in outcomes if o.status != "ok"} == {"crash.c": "crashed"}
    assert sum(o.status == "ok" for o in outcomes) == FILES
    assert [(o.status, o.message) for o in outcomes] == [(r.status, r.message) for r in reference]
    assert [o.features.as_dict() for o in outcomes if o.features] == \
           [r.features.as_dict() for r in reference if r.features]
