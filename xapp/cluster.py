"""Dask distributed plumbing shared by `scan --cluster` and `train/evaluate --cluster`.

`--cluster tcp://HOST:PORT` joins a running scheduler; `--cluster local:N`
starts a `distributed.LocalCluster` of N single-threaded worker processes on
loopback for this run, speaking TLS with credentials made for this run alone
(`Security.temporary()`: a fresh CA and key in memory, mutual TLS required), so
another user of the machine who finds the port cannot join it, submit work to
it or read from it; its dashboard is not started. A remote scheduler is trusted
fully: its workers receive the scanned sources, and what they send back is
unpickled in this process (docs/security.md). Dask is an optional extra (`pip install 'xapp-gpu[dask]'`);
without it `--cluster` is a usage error that says so.

`map_batches` sends items in batches (one task per batch, so the scheduler's
few milliseconds per task stay small next to the batch's work) and gets one
result per item back, in any order, through a callback. Fault handling, in
layers: a worker that dies is Dask's business first (its tasks go to another
worker, up to `distributed.scheduler.allowed-failures` deaths per task); a batch
that still fails (KilledWorker, or an exception) is split and its items sent
one by one; an item that fails again (maybe only because it was on the worker
the culprit killed) is run once more at the end with nothing else in flight,
and if it fails alone it gets the caller's `lost` result (for a scan: status
`crashed`). So no item is ever dropped, and one poison file cannot take its
batch-mates with it.

Workers must run the same xapp (EXTRACTOR_VERSION is checked on connect): the
functions sent are xapp's own, pickled by reference.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .errors import InputError

__all__ = ["ClusterSpec", "ClusterSession", "INSTALL_HINT", "batches", "map_batches", "map_ordered", "open_cluster"]

INSTALL_HINT = ("--cluster needs Dask distributed: pip install 'xapp-gpu[dask]' (from a checkout: pip install "
                "'.[dask]'; or pip install 'dask[distributed]')")
CONNECT_TIMEOUT_S = 30.0
TASKS_PER_WORKER = 2        # of what is left: batches shrink as the work runs out
MIN_BATCH = 4               # average items: a task's round trip (a few ms) stays small next to 4 parses
MAX_BATCH = 64
TASK_RETRIES = 1            # an exception in a batch (not a worker death: Dask reschedules those itself)


@dataclass(frozen=True)
class ClusterSpec:
    """What --cluster names: a scheduler address, or a local cluster of `local_workers` processes."""

    address: str | None = None
    local_workers: int = 0

    @classmethod
    def parse(cls, text: str) -> "ClusterSpec":
        text = text.strip()
        if text == "local" or text.startswith("local:"):
            count = text.partition(":")[2] or str(os.cpu_count() or 1)
            if not count.isdigit() or int(count) < 1:
                raise InputError(f"--cluster {text!r}: expected local:N with N >= 1 worker processes")
            return cls(local_workers=int(count))
        if "://" not in text and text.count(":") == 1:
            text = f"tcp://{text}"
        scheme, _, rest = text.partition("://")
        if scheme not in ("tcp", "tls", "inproc", "ucx", "ws", "wss") or not rest:
            raise InputError(f"--cluster {text!r}: expected a scheduler address tcp://HOST:PORT or local:N")
        return cls(address=text)


class ClusterSession:
    """A connected Dask client (and the local cluster it started, if any); close() ends what it started."""

    def __init__(self, client: Any, local: Any = None, config: Any = None):
        self.client, self._local, self._config = client, local, config

    @property
    def address(self) -> str:
        return self.client.scheduler.address

    @property
    def slots(self) -> int:
        """Worker threads the scheduler knows now (a local cluster: one per process)."""
        return max(1, sum(self.client.nthreads().values()))

    @property
    def dashboard(self) -> str | None:
        if self._local is not None:
            return None                 # a local cluster serves no dashboard (its HTTP server has no routes)
        services = self.client.scheduler_info().get("services", {})
        return self.client.dashboard_link if "dashboard" in services else None

    def describe(self) -> str:
        board = f"; dashboard {self.dashboard}" if self.dashboard else "; no dashboard"
        return f"Dask cluster {self.address}: {self.slots} worker threads{board}"

    def close(self) -> None:
        self.client.close()
        if self._local is not None:
            self._local.close()
        if self._config is not None:
            self._config.__exit__(None, None, None)

    def __enter__(self) -> "ClusterSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return distributed


def _temporary_security(distributed):
    """Mutual-TLS credentials for one local cluster (needs `cryptography`, part of xapp-gpu[dask])."""
    try:
        return distributed.Security.temporary()
    except ImportError:
        raise InputError("--cluster local:N needs the cryptography package for its temporary TLS "
                         "credentials: pip install 'xapp-gpu[dask]' (from a checkout: pip install '.[dask]')") from None


def open_cluster(spec: ClusterSpec | str) -> ClusterSession:
    """Connect to (or start) the cluster; InputError when Dask is missing or no worker can be reached."""
    spec = ClusterSpec.parse(spec) if isinstance(spec, str) else spec
    distributed = _import_distributed()
    import dask

    if spec.local_workers:
        # Non-daemonic workers may start child processes: each then isolates libclang as the local runner does.
        # No statistical profiler: its sampling thread takes CPU from the parses on this machine.
        # No HTTP routes: the scheduler's and workers' HTTP servers (plain HTTP, no credentials) serve nothing.
        config = dask.config.set({"distributed.worker.daemon": False, "distributed.worker.profile.enabled": False,
                                  "distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []})
        try:
            security = _temporary_security(distributed)
            local = distributed.LocalCluster(n_workers=spec.local_workers, threads_per_worker=1, processes=True,
                                             host="127.0.0.1", protocol="tls://", security=security,
                                             dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                                             silence_logs=logging.ERROR)
        except BaseException:
            config.__exit__(None, None, None)
            raise
        session = ClusterSession(distributed.Client(local, security=security), local, config)
    else:
        try:
            client = distributed.Client(spec.address, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {spec.address}: {exc}") from None
        session = ClusterSession(client)
    try:
        _check_workers(session)
    except BaseException:
        session.close()
        raise
    return session


def _extractor_version() -> str:
    from .features import EXTRACTOR_VERSION
    return str(EXTRACTOR_VERSION)


def _check_workers(session: ClusterSession) -> None:
    try:
        session.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
    except TimeoutError:
        raise InputError(f"no Dask worker joined {session.address} within {CONNECT_TIMEOUT_S:g} s") from None
    try:
        versions = session.client.run(_extractor_version)
    except Exception as exc:       # a worker without xapp cannot unpickle the function
        raise InputError(f"the Dask workers of {session.address} cannot run xapp ({type(exc).__name__}: {exc}); "
                         "install the same xapp on every worker") from None
    ours = _extractor_version()
    stale = sorted(w for w, v in versions.items() if v != ours)
    if stale:
        raise InputError(f"Dask workers {', '.join(stale)} run another xapp extractor version than this client "
                         f"({ours}); install the same xapp on every worker")


def batches(weights: Sequence[float], slots: int) -> list[list[int]]:
    """Consecutive index groups, one task each: each takes about 1/(TASKS_PER_WORKER * slots) of the weight
    left (guided self-scheduling: few tasks, yet the last ones are short, so no worker idles long while
    another finishes a big one), at least MIN_BATCH average items' weight, at most MAX_BATCH items.
    Weights are a cost guess (a file's size): by count alone, a first batch of the largest files could
    outweigh all the others."""
    left = float(sum(weights))
    floor = MIN_BATCH * left / max(1, len(weights))
    groups: list[list[int]] = []
    i = 0
    while i < len(weights):
        quota, group, taken = max(floor, left / max(1, slots * TASKS_PER_WORKER)), [], 0.0
        while i < len(weights) and len(group) < MAX_BATCH and (not group or taken + weights[i] <= quota):
            group.append(i)
            taken += weights[i]
            i += 1
        groups.append(group)
        left -= taken
    return groups


def _run_batch(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """On a worker: one result per item, in order."""
    return [fn(item) for item in items]


def _why(future: Any) -> str:
    """Why a task failed, e.g. `KilledWorker: ... (its workers died 4 times)`."""
    try:
        exc = future.exception()
    except BaseException as cancelled:      # a cancelled future has no exception to give
        exc = cancelled
    return f"{type(exc).__name__}: {exc}" if exc is not None else f"the task ended {future.status}"


def map_batches(session: ClusterSession, fn: Callable[[Any], Any], items: Sequence[Any], *,
                done: Callable[[int, Any], None], lost: Callable[[Any, str], Any],
                weights: Sequence[float] | None = None, batch: int | None = None) -> None:
    """`done(i, fn(items[i]))` for every item, on this thread, as results arrive; see the module docstring.

    Batches follow `batches(weights)` (equal weights by default), or hold `batch` items each."""
    distributed = _import_distributed()
    client = session.client
    if batch:
        chunks = [list(range(s, min(s + batch, len(items)))) for s in range(0, len(items), batch)]
    else:
        chunks = batches(weights if weights is not None else [1.0] * len(items), session.slots)

    def submit(indices: list[int]):
        return client.submit(_run_batch, fn, [items[i] for i in indices], pure=False, retries=TASK_RETRIES)

    futures = {submit(chunk): chunk for chunk in chunks}
    queue = distributed.as_completed(list(futures))
    suspects: list[int] = []
    for future in queue:
        indices = futures.pop(future)
        if future.status == "finished":
            for i, result in zip(indices, future.result()):
                done(i, result)
        elif len(indices) > 1:           # split: find the item that fails, let the others through
            for i in indices:
                single = submit([i])
                futures[single] = [i]
                queue.add(single)
        else:
            suspects.append(indices[0])
        future.release()
    # A worker's death fails every task it held, so an item that failed next to the culprit is tried
    # again with nothing else in flight: only an item that fails alone is lost.
    for i in suspects:
        future = submit([i])
        distributed.wait(future)
        done(i, future.result()[0] if future.status == "finished" else lost(items[i], _why(future)))
        future.release()


def map_ordered(session: ClusterSession, fn: Callable[[Any], Any], items: Sequence[Any],
                lost: Callable[[Any, str], Any], label: str = "featurizing") -> list[Any]:
    """[fn(item) for item in items], computed on the cluster, with a progress bar on stderr (a terminal)."""
    from .progress import progress_bar, wanted

    results: list[Any] = [None] * len(items)
    bar = progress_bar(len(items), label, wanted())

    def done(i: int, result: Any) -> None:
        results[i] = result
        bar.advance()
    try:
        map_batches(session, fn, items, done=done, lost=lost)
    finally:
        bar.close()
    return results
