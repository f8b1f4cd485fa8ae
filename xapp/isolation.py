"""Run extraction in worker processes with limits, so a hostile or pathological file costs only its own result.

libclang can segfault on pathological input (a single expression of 50,000 `a+a+...`
terms does, in libclang 18), and a 500-byte macro bomb can hold a parser for half a
minute and gigabytes. Each `_Worker` is one process, talked to over a pipe:

* it runs under RLIMIT_AS (`memory_mb`) for its whole life, and under RLIMIT_CPU
  raised to `cpu_s` seconds past its CPU time so far before each task (the kernel
  kills it with SIGXCPU past that);
* the parent waits at most the task's wall-clock `timeout` and then kills it;
* a worker that dies, busy or idle (a crash, a limit, a SIGKILL from outside), is
  started again before the next task is handed to it, and a watcher thread
  restarts idle dead workers in the background, so `live` counts them truly.

Free workers are handed out first come, first served (a FIFO queue). With
`spare_after`, a task that finds every worker held by one task for longer than
that (macro bombs, say) runs on one spare worker started for it, so a short
request is not stuck behind long ones until they hit their limits.
"""
from __future__ import annotations

import multiprocessing
import queue
import resource
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from .errors import ExtractionCrash, ExtractionTimeout

__all__ = ["WorkerPool", "WorkerLimits", "DEFAULT_MEMORY_MB", "DEFAULT_CPU_S"]

DEFAULT_MEMORY_MB = 2048
DEFAULT_CPU_S = 5.0
_WATCH_EVERY_S = 0.2
_POLL_S = 0.25            # how often a waiting task looks whether every worker is stuck


@dataclass(frozen=True)
class WorkerLimits:
    memory_mb: int | None = DEFAULT_MEMORY_MB    # address space of one worker; None: unlimited
    cpu_s: float | None = DEFAULT_CPU_S          # CPU seconds of one task; None: unlimited


def _context():
    # forkserver: children start clean (no copied threads or locks of a server process). The server
    # imports the extractor (and libclang) once, so a worker started again after a crash is ready in
    # milliseconds instead of paying those imports each time.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["xapp.extraction.preload"])
    return ctx


def _limit_cpu(cpu_s: float | None) -> None:
    if cpu_s is None:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + cpu_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))


def _serve(conn, limits: WorkerLimits) -> None:
    """The worker's loop: (fn, args, kwargs) in, ("ok", result) or ("error", exception) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    if limits.memory_mb is not None:
        size = limits.memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    while True:
        try:
            fn, args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        _limit_cpu(limits.cpu_s)
        try:
            answer = ("ok", fn(*args, **kwargs))
        except MemoryError:
            conn.send(("memory", None))
            return                                      # a worker that ran out of memory is not trusted again
        except Exception as exc:                        # noqa: BLE001 - the parent re-raises it
            answer = ("error", exc)
        try:
            conn.send(answer)
        except Exception as exc:                        # noqa: BLE001 - an unpicklable result or exception
            conn.send(("error", RuntimeError(f"worker could not send its answer: {type(exc).__name__}")))


class _Worker:
    def __init__(self, limits: WorkerLimits, max_tasks: int):
        self.limits = limits
        self.max_tasks = max_tasks
        self.lock = threading.Lock()     # held while the worker runs a task or is being restarted
        # Held while the process is stopped or started: the pool's close, the watcher and a task's thread
        # may all stop one worker at once, and two closes of one pipe race (EBADF, or another file's fd).
        self._life = threading.RLock()
        self.retired = False             # the pool closed: never start again
        self.busy_since: float | None = None
        self._start()

    def _start(self) -> None:
        ctx = _context()
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, self.limits), daemon=True, name="xapp-parser")
        self.process.start()
        child.close()
        self.tasks = 0

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        with self._life:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            self.conn.close()

    def restart(self) -> None:
        with self._life:
            self.stop()
            if not self.retired:
                self._start()

    def retire(self, wait: bool) -> None:
        with self._life:
            self.retired = True
            if wait:
                self.stop()
            else:
                self.process.kill()

    def call(self, fn: Callable[..., Any], args: tuple, kwargs: dict, timeout: float | None, label: str,
             limit: float | None = None) -> Any:
        """fn(*args, **kwargs) in this worker, waiting `timeout` seconds at most; `limit` is the time limit
        the caller was given (what a timeout message names), `timeout` what is left of it."""
        if not self.alive() or self.tasks >= self.max_tasks:
            self.restart()
        self.tasks += 1
        self.busy_since = time.monotonic()
        try:
            self.conn.send((fn, args, kwargs))
            ready = self.conn.poll(timeout)
            answer = self.conn.recv() if ready else None
        except (EOFError, OSError, BrokenPipeError):
            answer = ("died", None)
        finally:
            self.busy_since = None
        if answer is None:
            self.restart()
            raise ExtractionTimeout(f"{label}: parsing ran past the {limit if limit is not None else timeout:g} s limit")
        return self._result(answer, label)

    def _result(self, answer: tuple[str, Any], label: str) -> Any:
        kind, value = answer
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        self.process.join(2)
        code = self.process.exitcode
        self.restart()
        raise ExtractionCrash(f"{label}: {self._death(kind, code)}")

    def _death(self, kind: str, code: int | None) -> str:
        memory = f"{self.limits.memory_mb} MiB" if self.limits.memory_mb else None
        if kind == "memory":
            return f"the parser ran out of memory (limit {memory or 'none'} per worker)"
        if code == -signal.SIGXCPU:
            return f"the parser used more than its {self.limits.cpu_s:g} s of CPU time on this input"
        if code == -signal.SIGKILL:
            return "the parser process was killed"
        cause = f"libclang crashed, or reached the {memory} memory limit" if memory else "libclang crashed"
        return f"the parser process died on this input ({cause}; exit {code})"


class WorkerPool:
    """`workers` isolated processes; `run` blocks the calling thread until a worker is free."""

    def __init__(self, workers: int = 1, timeout: float | None = 60.0, max_tasks_per_child: int = 500,
                 limits: WorkerLimits | None = None, spare_after: float | None = None):
        self.timeout = timeout
        self.spare_after = spare_after
        self._spare = threading.BoundedSemaphore(1)
        # No limit but the wall clock unless asked: local scans of trusted code keep their --timeout;
        # the service passes its --worker-memory and --worker-cpu.
        self.limits = limits or WorkerLimits(memory_mb=None, cpu_s=None)
        self._workers = [_Worker(self.limits, max_tasks_per_child) for _ in range(max(1, workers))]
        self._free: queue.Queue[_Worker] = queue.Queue()
        for worker in self._workers:
            self._free.put(worker)
        self._closed = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="xapp-pool-watcher", daemon=True)
        self._watcher.start()

    @property
    def size(self) -> int:
        return len(self._workers)

    @property
    def live(self) -> int:
        """Workers whose process is running now."""
        return sum(w.alive() for w in self._workers)

    def _watch(self) -> None:
        """Restart idle workers that died (e.g. killed from outside), so none waits for a request to notice."""
        while not self._closed.wait(_WATCH_EVERY_S):
            for worker in self._workers:
                if worker.lock.acquire(blocking=False):
                    try:
                        if not worker.alive() and not self._closed.is_set():
                            worker.restart()
                    finally:
                        worker.lock.release()

    def run(self, fn: Callable[..., Any], *args, label: str = "task", timeout: float | None = None,
            **kwargs) -> Any:
        """fn(*args, **kwargs) in a worker; `timeout` (default the pool's) bounds the wait for a worker
        and the task together."""
        limit = self.timeout if timeout is None else timeout
        start = time.monotonic()
        worker = self._next_free(start, limit, label)
        left = None if limit is None else max(0.01, limit - (time.monotonic() - start))
        if worker is None:
            return self._run_spare(fn, args, kwargs, left, label, limit)
        try:
            with worker.lock:
                return worker.call(fn, args, kwargs, left, label, limit)
        finally:
            self._free.put(worker)

    def _stuck(self) -> bool:
        """Every worker has been on its current task for longer than spare_after."""
        now = time.monotonic()
        return self.spare_after is not None and all(
            w.busy_since is not None and now - w.busy_since > self.spare_after for w in self._workers)

    def _next_free(self, start: float, limit: float | None, label: str) -> _Worker | None:
        """The next free worker in arrival order, or None: run on the spare (every worker is stuck)."""
        while True:
            left = None if limit is None else limit - (time.monotonic() - start)
            if left is not None and left <= 0:
                raise ExtractionTimeout(f"{label}: no parser process came free within the {limit:g} s limit")
            wait = _POLL_S if self.spare_after is not None else left
            try:
                return self._free.get(timeout=wait if left is None else min(wait or left, left))
            except queue.Empty:
                if self._stuck() and self._spare.acquire(blocking=False):
                    return None

    def _run_spare(self, fn: Callable[..., Any], args: tuple, kwargs: dict, left: float | None, label: str,
                   limit: float | None) -> Any:
        spare = _Worker(self.limits, 1)
        try:
            return spare.call(fn, args, kwargs, left, label, limit)
        finally:
            spare.retire(wait=True)
            self._spare.release()

    def close(self, wait: bool = True) -> None:
        """Stop every worker; with wait, return only once they have exited (no orphans left)."""
        if self._closed.is_set():
            return
        self._closed.set()
        for worker in self._workers:
            worker.retire(wait)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
