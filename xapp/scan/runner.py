"""Extraction of many files in parallel, where one bad file costs only its own result.

Two phases. First, in threads: read each file, refuse binary or oversized
content, and look it up in the feature cache through the scan's `Extractor`
(xapp.extraction, which holds the cache). Then the misses, largest file
first, go to an isolated `Extractor` of N one-process slots driven by N threads
(started only when some file missed): one libclang index per worker process. A
file that segfaults its worker comes back `crashed`, one past the time limit
`timeout` (its slot is killed and replaced; the next file on that slot also pays
the new worker's start, about a second), one that libclang cannot parse
`parse_error`; the other slots go on untouched. With a Dask cluster the second
phase runs on its workers instead (xapp.scan.dask_stage); the first, the cache and
the outcomes stay here: features and parse errors are remembered, crashes and
timeouts are not.

Statuses: ok, partial (parsed, but clang reported errors: the statements around
them are missing, loops with them), parse_error, crashed, timeout, binary,
too_large, unreadable, skipped (not read: a link loop, a FIFO; or not built in
this configuration: the file's own #error fired), and error (the extractor raised something unexpected: a
bug in xapp, reported with the file rather than ending the scan).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from ..errors import BinarySource, SourceTooLarge
from ..extraction import CachedError, CacheResult, Extractor, FeatureCache
from ..features import DEFAULT_MAX_BYTES, FileFeatures, decode_source
from ..isolation import WorkerLimits
from ..progress import Progress, ProgressLike, progress_bar
from .discovery import ScanTarget
from .parse_job import Extracted, PendingParse, analysed_status, extract_one, parse_name

if TYPE_CHECKING:       # Dask is imported only when a scan runs on a cluster
    from ..cluster import ClusterSession

__all__ = ["FileOutcome", "Extracted", "STATUSES", "ANALYSED_STATUSES", "FAILED_STATUSES", "analysed_status", "extract_all",
           "extract_one", "Progress"]

STATUSES = ("ok", "partial", "parse_error", "crashed", "timeout", "binary", "too_large", "unreadable", "skipped", "error")
ANALYSED_STATUSES = frozenset({"ok", "partial"})     # features exist; partial: some code was lost to errors
FAILED_STATUSES = frozenset(STATUSES) - ANALYSED_STATUSES


@dataclass
class FileOutcome:
    target: ScanTarget
    status: str
    features: FileFeatures | None = None
    message: str | None = None
    cached: bool = False
    seconds: float = 0.0


def _prepare(i: int, target: ScanTarget, service: Extractor, max_bytes: int | None) -> FileOutcome | PendingParse:
    """Read, decode and look up one file; an outcome when no parse is needed."""
    try:
        return _read_and_look_up(i, target, service, max_bytes)
    except Exception as exc:          # a bug (say, in the cache): this file's status, not the end of the scan
        return FileOutcome(target, "error", message=f"{target.display}: internal error: {type(exc).__name__}: {exc}")


def _read_and_look_up(i: int, target: ScanTarget, service: Extractor, max_bytes: int | None) -> FileOutcome | PendingParse:
    if target.skipped:             # discovery could not walk it (a link loop, a FIFO, ...): reported, never read
        return FileOutcome(target, "skipped", message=f"{target.display}: {target.skipped}")
    if target.through:             # its text is part of a function of its includer: analysed there, not alone
        return FileOutcome(target, "ok", message=f"{target.display}: included inside a block at {target.through}; "
                                                  "its code is analysed with that file")
    try:
        data = target.path.read_bytes()
    except OSError as exc:
        return FileOutcome(target, "unreadable", message=f"{target.display}: cannot read ({exc.strerror or exc})")
    notes: list[str] = []
    try:
        text = decode_source(data, target.display, max_bytes, notes)
    except SourceTooLarge as exc:
        return FileOutcome(target, "too_large", message=str(exc))
    except BinarySource as exc:
        return FileOutcome(target, "binary", message=str(exc))
    key, hit = service.lookup(target.path, data, target.options, target.display)
    if isinstance(hit, CachedError):
        return FileOutcome(target, hit.status, message=hit.message, cached=True)
    note = notes[0] if notes else None
    if hit is not None:
        return FileOutcome(target, analysed_status(hit), features=hit, message=note, cached=True)
    return PendingParse(i, text, key, note)


def _cacheable(result: Extracted) -> CacheResult:
    """What the cache keeps of a parse: features, or a parse error (as deterministic); never a crash or a
    timeout, which may not happen again."""
    if result.status in ANALYSED_STATUSES:
        return result.features
    return CachedError(result.status, result.message) if result.status == "parse_error" else None


def _finish(p: PendingParse, target: ScanTarget, result: Extracted, service: Extractor) -> FileOutcome:
    """The file's outcome, after the service remembers what the cache keeps of it."""
    service.remember(p.key, target.display, _cacheable(result))
    message = result.message or p.note      # a decoding note stays the file's message when all went well
    return FileOutcome(target, result.status, result.features, message, False, result.seconds)


def _extract_locally(pending: list[PendingParse], targets: Sequence[ScanTarget], workers: int, timeout: float | None,
                     limits: WorkerLimits | None, threads: ThreadPoolExecutor,
                     finish: Callable[[PendingParse, Extracted], None]) -> None:
    with Extractor.isolated(workers=min(workers, len(pending)), timeout=timeout, limits=limits) as extractor:
        extractor.warm_up(threads)      # before the per-file clock starts

        def run(p: PendingParse) -> None:
            t = targets[p.index]
            finish(p, extract_one(extractor, p.text, parse_name(t.path), t.options, t.display))
        list(threads.map(run, pending))


def extract_all(targets: Sequence[ScanTarget], *, workers: int = 1, timeout: float | None = 60.0,
                cache: FeatureCache | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                progress: bool | ProgressLike = False, cluster: "ClusterSession | None" = None,
                limits: WorkerLimits | None = None) -> list[FileOutcome]:
    """One outcome per target, in the targets' order; never raises for a single file's failure.

    `limits`: memory and CPU of each parser process (None: the wall-clock `timeout` only); a file past
    them comes back `crashed`, with the limit it hit as its message.

    With `cluster`, the parses run on its Dask workers (xapp.scan.dask_stage); reading, the cache and
    the outcomes stay here."""
    service = Extractor(None, cache)     # lookups and stores, in this process; parses go to a pool or the cluster
    workers = max(1, workers)
    bar = progress_bar(len(targets), enabled=progress) if isinstance(progress, bool) else progress
    outcomes: list[FileOutcome | None] = [None] * len(targets)

    def finish(p: PendingParse, result: Extracted) -> None:
        outcomes[p.index] = _finish(p, targets[p.index], result, service)
        bar.advance()
    try:
        with ThreadPoolExecutor(workers) as threads:
            pending = []
            for i, result in enumerate(threads.map(lambda it: _prepare(*it, service, max_bytes), enumerate(targets))):
                if isinstance(result, PendingParse):
                    pending.append(result)
                else:
                    outcomes[i] = result
                    bar.advance()
            if pending:
                pending.sort(key=lambda p: -len(p.text))
                if cluster is not None:
                    from .dask_stage import extract_on_cluster
                    extract_on_cluster(cluster, pending, targets, timeout, finish, limits)
                else:
                    _extract_locally(pending, targets, workers, timeout, limits, threads, finish)
    finally:
        bar.close()
    return outcomes  # type: ignore[return-value]
