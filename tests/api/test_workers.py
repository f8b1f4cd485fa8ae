"""The parser pool on its own: memory and CPU limits, replacement of workers that die busy or idle."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from xapp.errors import ExtractionCrash, ExtractionTimeout
from xapp.isolation import WorkerLimits, WorkerPool

pytestmark = pytest.mark.slow(6)   # seconds, serial, on the idle 2-core machine


def spin(seconds: float) -> int:
    """Burn CPU for `seconds` of CPU time."""
    end = time.process_time() + seconds
    n = 0
    while time.process_time() < end:
        n += 1
    return n


def allocate(mib: int) -> int:
    return len(bytearray(mib << 20))


def pid() -> int:
    return os.getpid()


def wait_until(predicate, within_s: float = 20.0) -> bool:
    deadline = time.monotonic() + within_s
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)
    return predicate()


def test_a_task_past_its_cpu_time_is_killed_and_the_worker_replaced():
    with WorkerPool(1, timeout=120, limits=WorkerLimits(memory_mb=None, cpu_s=1)) as pool:
        first = pool.run(pid)
        with pytest.raises(ExtractionCrash, match="more than its 1 s of CPU time"):
            pool.run(spin, 30.0, label="spin")
        assert pool.run(spin, 0.05) > 0 and pool.run(pid) != first


def test_a_task_past_the_memory_limit_fails_alone():
    with WorkerPool(1, timeout=120, limits=WorkerLimits(memory_mb=512, cpu_s=None)) as pool:
        with pytest.raises(ExtractionCrash, match="out of memory.*512 MiB"):
            pool.run(allocate, 1024, label="hog")
        assert pool.run(allocate, 16) == 16 << 20


def test_an_idle_worker_killed_from_outside_is_replaced_without_a_request():
    with WorkerPool(2, timeout=60) as pool:
        pids = {pool.run(pid) for _ in range(2)}
        assert pool.live == 2
        victim = pool._workers[0].process.pid
        os.kill(victim, signal.SIGKILL)
        assert wait_until(lambda: pool.live == 2 and pool._workers[0].process.pid != victim)
        assert all(pool.run(pid) != victim for _ in range(4))
    assert pids


def test_a_wall_clock_timeout_is_its_own_error_and_names_the_limit():
    with WorkerPool(1, timeout=0.5, limits=WorkerLimits(memory_mb=None, cpu_s=None)) as pool:
        with pytest.raises(ExtractionTimeout, match="0.5 s limit"):
            pool.run(time.sleep, 10, label="sleep")
        assert pool.run(pid, timeout=60) > 0         # a fresh worker, given time to start


def test_closing_stops_every_worker_and_starts_none_again():
    pool = WorkerPool(2, timeout=60)
    processes = [w.process for w in pool._workers]
    pool.close()
    assert not any(p.is_alive() for p in processes) and pool.live == 0
    time.sleep(0.5)                    # the watcher must not bring them back
    assert pool.live == 0


def test_health_degrades_to_503_when_no_parser_is_alive():
    from .helpers import running_app

    with running_app(workers=1) as client:
        assert client.get("/v1/health").json()["live_workers"] == 1
        client.app.state.service.pool.close()          # every worker stopped, none started again
        response = client.get("/v1/health")
        assert response.status_code == 503
        assert response.json()["status"] == "degraded" and response.json()["live_workers"] == 0


def test_a_task_behind_workers_stuck_on_long_tasks_runs_on_a_spare():
    from xapp.errors import XappError

    with WorkerPool(1, timeout=120, limits=WorkerLimits(memory_mb=None, cpu_s=None), spare_after=0.5) as pool:
        held = pool.run(pid)

        def block() -> None:
            try:
                pool.run(time.sleep, 60)
            except XappError:          # killed when the pool closes
                pass

        blocker = threading.Thread(target=block)
        blocker.start()
        assert wait_until(lambda: pool._workers[0].busy_since is not None)
        spare = pool.run(pid)
        assert spare not in (held, os.getpid()) and blocker.is_alive()     # answered while the worker is held
    blocker.join(30)
