"""Run extraction in worker processes, so a file that crashes libclang costs only its own result.

libclang can segfault on pathological input (a single expression of 50,000 `a+a+...`
terms does, in libclang 18) and a parse can run long. Each slot of a `WorkerPool`
is a one-process executor: a task that crashes its process or runs past the time
limit gets `ExtractionCrash` / `ExtractionTimeout`, its slot is killed and
replaced, and tasks on the other slots go on untouched.
"""
from __future__ import annotations

import multiprocessing
import queue
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from .errors import ExtractionCrash, ExtractionTimeout

__all__ = ["WorkerPool"]


def _context():
    # forkserver: children start clean (no copied threads or locks of a server process).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Slot:
    def __init__(self, max_tasks: int):
        self.max_tasks = max_tasks
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=_context(), max_tasks_per_child=self.max_tasks)

    def replace(self) -> None:
        old = self.executor
        for proc in list(getattr(old, "_processes", {}).values()):
            if proc.is_alive():
                proc.kill()
        old.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()


class WorkerPool:
    """`workers` isolated processes; `run` blocks the calling thread until a slot is free."""

    def __init__(self, workers: int = 1, timeout: float | None = 60.0, max_tasks_per_child: int = 500):
        self.timeout = timeout
        self._free: queue.Queue[_Slot] = queue.Queue()
        self._slots = [_Slot(max_tasks_per_child) for _ in range(max(1, workers))]
        for slot in self._slots:
            self._free.put(slot)
        self._closed = False
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return len(self._slots)

    def run(self, fn: Callable[..., Any], *args, label: str = "task", **kwargs) -> Any:
        slot = self._free.get()
        try:
            future = slot.executor.submit(fn, *args, **kwargs)
            try:
                return future.result(timeout=self.timeout)
            except FutureTimeout:
                slot.replace()
                raise ExtractionTimeout(f"{label}: parsing ran past the {self.timeout:g} s limit") from None
            except BrokenProcessPool:
                slot.replace()
                raise ExtractionCrash(f"{label}: the parser process crashed on this input "
                                      "(libclang died; the file is likely pathological)") from None
        finally:
            self._free.put(slot)

    def close(self, wait: bool = True) -> None:
        """Stop every worker; with wait, return only once they have exited (no orphans left)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for slot in self._slots:
            slot.executor.shutdown(wait=wait, cancel_futures=True)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
