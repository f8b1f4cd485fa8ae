"""The parse stage of a scan on a Dask cluster: what a worker receives, runs and sends back.

The client (xapp.scan.runner) reads every file, refuses binary and oversized
ones and consults the feature cache through its `Extractor` (xapp.extraction);
only the misses travel, as `ParseJob`s holding the source text, the file's
parse options and its name (a name for diagnostics, the language and quote
includes, not a path the worker must have). Results come back as `Extracted`;
the runner's `Extractor` remembers them in the cache (no cache travels to a
worker) and the runner makes the outcomes, as for a local scan, so the reports
match.

On a worker that may start processes (`local:N` clusters, `dask worker
--no-nanny`, or `distributed.worker.daemon: false`), each parse runs in a
one-process isolated `Extractor` as in a local scan: a libclang segfault costs one
file and comes back `crashed`, a parse past --timeout `timeout`. On a daemonic
worker (the default for `dask worker` with its nanny) the parse runs in the
worker itself: a segfault kills the worker, Dask retries the batch elsewhere,
xapp.cluster splits it, and the one file that keeps killing workers is
reported `crashed`; --timeout is not enforced there.
"""
from __future__ import annotations

import contextlib
import multiprocessing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

try:                    # the optional extra: this module is imported only when a scan runs on Dask
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:     # pragma: no cover
    _WorkerPlugin = object

from ..features import ParseOptions
from ..extraction import Extractor
from ..isolation import WorkerLimits
from .parse_job import Extracted, PendingParse, extract_one, parse_name

if TYPE_CHECKING:
    from ..cluster import ClusterSession
    from .discovery import ScanTarget

__all__ = ["ParseJob", "parse_on_worker", "extract_on_cluster"]


@dataclass(frozen=True)
class ParseJob:
    """Everything a worker needs to parse one file."""

    text: str
    name: str
    options: ParseOptions
    display: str
    timeout: float | None
    limits: WorkerLimits | None = None


# per worker process, by time limit and process limits; kept for later scans
_EXTRACTORS: dict[tuple[float | None, WorkerLimits | None], Extractor] = {}


def _extractor_for(timeout: float | None, limits: WorkerLimits | None = None) -> Extractor:
    """An isolated Extractor where this process may have children; else one that parses in this process."""
    if multiprocessing.current_process().daemon:
        return Extractor(None)
    if (timeout, limits) not in _EXTRACTORS:
        _EXTRACTORS[timeout, limits] = Extractor.isolated(workers=1, timeout=timeout, limits=limits)
    return _EXTRACTORS[timeout, limits]


def parse_on_worker(job: ParseJob) -> Extracted:
    """Runs on a Dask worker: one file's parse, named with its status like a local scan's."""
    return extract_one(_extractor_for(job.timeout, job.limits), job.text, job.name, job.options, job.display)


def _warm(timeout: float | None, limits: WorkerLimits | None = None) -> None:
    """On each worker before the first batch: start its parse process and load libclang there."""
    _extractor_for(timeout, limits).warm_up()


def _close_pools() -> None:
    while _EXTRACTORS:
        _EXTRACTORS.popitem()[1].close()


class _PoolCloser(_WorkerPlugin):
    """Stops a worker's parse processes when the worker stops (they stay between scans: another client
    may be using them), so none outlives it and its shutdown does not wait on them."""

    def teardown(self, worker) -> None:
        _close_pools()


def _register(client, plugin, name: str) -> None:
    """Once per cluster (Dask keeps one plugin per name); register_worker_plugin before distributed 2023.9."""
    if hasattr(client, "register_plugin"):
        client.register_plugin(plugin, name=name)
    else:
        client.register_worker_plugin(plugin, name=name)


def _lost(job: ParseJob, why: str) -> Extracted:
    return Extracted("crashed", message=f"{job.display}: the parse kept failing on the Dask workers "
                                        f"(libclang likely killed them; the file is likely pathological): {why}")


def extract_on_cluster(session: "ClusterSession", pending: "list[PendingParse]", targets: "Sequence[ScanTarget]",
                       timeout: float | None, finish: "Callable[[PendingParse, Extracted], None]",
                       limits: WorkerLimits | None = None) -> None:
    """Parse every pending file on the cluster; `finish` is called once per file, on this thread."""
    from ..cluster import map_batches

    _register(session.client, _PoolCloser(), "xapp-parse-pools")
    with contextlib.suppress(Exception):            # warming is an optimisation: a worker lost now is Dask's
        session.client.run(_warm, timeout, limits)
    jobs = [ParseJob(p.text, parse_name(targets[p.index].path), targets[p.index].options, targets[p.index].display,
                     timeout, limits) for p in pending]
    map_batches(session, parse_on_worker, jobs, done=lambda i, result: finish(pending[i], result), lost=_lost,
                weights=[len(job.text) for job in jobs])       # parse time grows with the text
