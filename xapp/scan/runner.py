"""Extraction of many files in parallel, where one bad file costs only its own result.

Two phases. First, in threads: read each file, refuse binary or oversized
content, compute its cache key and look it up. Then the misses, largest file
first, go to a `WorkerPool` of N one-process slots driven by N threads: one
libclang index per worker process. A file that segfaults its worker comes back
`crashed`, one past the time limit `timeout` (its slot is killed and replaced;
the next file on that slot also pays the new worker's start, about a second),
one that libclang cannot parse `parse_error`; the other slots go on untouched.

Statuses: ok, parse_error, crashed, timeout, binary, too_large, unreadable, and
error (the extractor raised something unexpected: a bug in xapp, reported with
the file rather than ending the scan).
"""
from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Sequence, TextIO

from ..errors import BinarySource, ExtractionCrash, ExtractionTimeout, ParseError, SourceTooLarge, XappError
from ..features import DEFAULT_MAX_BYTES, FileFeatures, ParseOptions, decode_source, extract_source
from ..isolation import WorkerPool
from .cache import CachedError, FeatureCache
from .discovery import ScanTarget

__all__ = ["FileOutcome", "STATUSES", "FAILED_STATUSES", "extract_all", "Progress"]

STATUSES = ("ok", "parse_error", "crashed", "timeout", "binary", "too_large", "unreadable", "skipped", "error")
FAILED_STATUSES = frozenset(STATUSES) - {"ok"}


@dataclass
class FileOutcome:
    target: ScanTarget
    status: str
    features: FileFeatures | None = None
    message: str | None = None
    cached: bool = False
    seconds: float = 0.0


@dataclass
class _Pending:
    index: int
    text: str
    key: str | None
    note: str | None = None      # e.g. "not UTF-8; decoded as cp1252", kept as the file's message


class Progress:
    """`  37/120 files [#####.....]  12.0 files/s` on one rewritten line of a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "scanning"):
        self.total, self.done, self.label = total, 0, label
        self.stream = stream or sys.stderr
        self.started = self._last = time.perf_counter()
        self._lock = threading.Lock()

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            now = time.perf_counter()
            if now - self._last >= 0.1 or self.done >= self.total:
                self._last = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        width = 30
        filled = int(width * self.done / max(1, self.total))
        rate = self.done / max(now - self.started, 1e-9)
        self.stream.write(f"\r{self.label} {self.done:>{len(str(self.total))}}/{self.total} files "
                          f"[{'#' * filled}{'.' * (width - filled)}] {rate:6.1f} files/s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _warm(pool: WorkerPool, threads: ThreadPoolExecutor) -> None:
    """Start every worker (and load libclang in it) before the per-file clock starts."""
    def one(_):
        try:   # a module-level function of xapp.features: the worker imports nothing more than a task would
            pool.run(extract_source, "int xapp_warm_up;\n", "warm-up.c", ParseOptions(), label="warm-up")
        except XappError:
            pass
    list(threads.map(one, range(pool.size)))


def _prepare(i: int, target: ScanTarget, cache: FeatureCache, max_bytes: int | None) -> FileOutcome | _Pending:
    """Read, decode and look up one file; an outcome when no parse is needed."""
    try:
        return _read_and_look_up(i, target, cache, max_bytes)
    except Exception as exc:          # a bug (say, in the cache): this file's status, not the end of the scan
        return FileOutcome(target, "error", message=f"{target.display}: internal error: {type(exc).__name__}: {exc}")


def _read_and_look_up(i: int, target: ScanTarget, cache: FeatureCache, max_bytes: int | None) -> FileOutcome | _Pending:
    if target.skipped:             # discovery could not walk it (a link loop, a FIFO, ...): reported, never read
        return FileOutcome(target, "skipped", message=f"{target.display}: {target.skipped}")
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
    key = cache.key(target.path, data, target.options) if cache.enabled else None
    hit = cache.get(key, target.display) if key else None
    if isinstance(hit, CachedError):
        return FileOutcome(target, hit.status, message=hit.message, cached=True)
    note = notes[0] if notes else None
    if hit is not None:
        return FileOutcome(target, "ok", features=hit, message=note, cached=True)
    return _Pending(i, text, key, note)


def _extract(p: _Pending, target: ScanTarget, pool: WorkerPool, cache: FeatureCache) -> FileOutcome:
    started = time.perf_counter()
    status, features, message = "ok", None, p.note
    try:
        features = pool.run(extract_source, p.text, str(target.path), target.options, target.display,
                            label=target.display)
    except ExtractionTimeout as exc:
        status, message = "timeout", str(exc)
    except ExtractionCrash as exc:
        status, message = "crashed", str(exc)
    except ParseError as exc:
        status, message = "parse_error", str(exc)
    except BinarySource as exc:
        status, message = "binary", str(exc)
    except Exception as exc:          # a bug in the extractor: report it with the file, go on with the rest
        status, message = "error", f"{target.display}: internal error in the extractor: {type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    if message:
        message = message.replace(str(target.path), target.display)   # reports name files as they show them
    if p.key and status == "ok":
        cache.put(p.key, target.display, features)
    elif p.key and status == "parse_error":
        cache.put(p.key, target.display, CachedError(status, message))
    return FileOutcome(target, status, features, message, False, seconds)


def extract_all(targets: Sequence[ScanTarget], *, workers: int = 1, timeout: float | None = 60.0,
                cache: FeatureCache | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                progress: bool = False) -> list[FileOutcome]:
    """One outcome per target, in the targets' order; never raises for a single file's failure."""
    cache = cache or FeatureCache(None)
    workers = max(1, workers)
    bar = Progress(len(targets)) if progress and targets else None
    outcomes: list[FileOutcome | None] = [None] * len(targets)
    try:
        with ThreadPoolExecutor(workers) as threads:
            pending = []
            for i, result in enumerate(threads.map(lambda it: _prepare(*it, cache, max_bytes), enumerate(targets))):
                if isinstance(result, _Pending):
                    pending.append(result)
                else:
                    outcomes[i] = result
                    if bar:
                        bar.advance()
            if pending:
                pending.sort(key=lambda p: -len(p.text))
                with WorkerPool(workers=min(workers, len(pending)), timeout=timeout) as pool:
                    _warm(pool, threads)

                    def run(p: _Pending) -> None:
                        outcomes[p.index] = _extract(p, targets[p.index], pool, cache)
                        if bar:
                            bar.advance()
                    list(threads.map(run, pending))
    finally:
        if bar:
            bar.close()
    return outcomes  # type: ignore[return-value]
