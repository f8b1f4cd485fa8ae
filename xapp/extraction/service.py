"""The one way xapp turns a source into features: `Extractor`.

Every front end parses through it: `xapp features` and `xapp predict` (through `Predictor`), the
local path of `xapp scan`, the HTTP service, and the featurization of a training corpus. It holds

- where parses run: isolated `WorkerPool` processes (a source that crashes libclang or runs past
  its time limit costs only itself, `ExtractionCrash`/`ExtractionTimeout`), or this process for a
  caller that has its own isolation (training under joblib or Dask);
- the warm-up, done once: every worker starts and loads libclang before the first real parse, so
  that start-up is not charged to the first file's time limit;
- the feature cache (xapp.extraction.cache; off unless a caller gives one): `lookup` keys a file on
  disk by its bytes, options and the headers it includes, `lookup_text` keys a text with no file
  (a corpus row) by the text, options and its name; `remember` stores what a parse gave.

`extract` parses and never consults the cache: callers that parse elsewhere (a scan's pool or its
Dask cluster, training's joblib workers) look up before dispatching and remember after, in the
process that holds the cache, so no cache object travels to a worker.

It raises what `extract_source` raises (ParseError, BinarySource, ...), so each front end keeps its
own statuses.
"""
from __future__ import annotations

import threading
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Union

from ..errors import XappError
from ..features import FileFeatures, ParseOptions, extract_source
from ..isolation import WorkerPool
from .cache import CachedError, FeatureCache

__all__ = ["CacheResult", "Extractor", "WARM_UP_SOURCE"]

WARM_UP_SOURCE = "void xapp_warm_up(float *x, int n) {\n  for (int i = 0; i < n; i++) x[i] = 2.0f * x[i];\n}\n"

# What the cache holds for a key: features, a remembered parse error, or None (a miss).
CacheResult = Union[FileFeatures, CachedError, None]


class Extractor:
    """Parses sources in isolated worker processes (or in this process when `pool` is None), through
    `cache` when given (default: none, every lookup misses)."""

    def __init__(self, pool: WorkerPool | None = None, cache: FeatureCache | None = None):
        self.pool = pool
        self.cache = cache if cache is not None else FeatureCache(None)
        self._warmed = False
        self._lock = threading.Lock()

    @classmethod
    def isolated(cls, workers: int = 1, timeout: float | None = 60.0, cache: FeatureCache | None = None,
                 **pool_options: Any) -> "Extractor":
        """`workers` parser processes; `pool_options` are WorkerPool's (limits, spare_after, ...)."""
        return cls(WorkerPool(workers=workers, timeout=timeout, **pool_options), cache)

    @classmethod
    def of(cls, runner: "Extractor | WorkerPool | None") -> "Extractor":
        """An Extractor for what a caller holds: one already, a bare WorkerPool, or None (this process)."""
        return runner if isinstance(runner, Extractor) else cls(runner)

    @property
    def size(self) -> int:
        """How many parses can run at once (1 in this process)."""
        return self.pool.size if self.pool is not None else 1

    def extract(self, text: str, name: str, options: ParseOptions, display: str | None = None,
                timeout: float | None = None) -> FileFeatures:
        """The features of one source; `timeout` (default: the pool's) bounds the wait and the parse."""
        if self.pool is None:
            return extract_source(text, name, options, display)
        return self.pool.run(extract_source, text, name, options, display, label=display or name, timeout=timeout)

    def lookup(self, path: Path, data: bytes, options: ParseOptions, display: str) -> tuple[str | None, CacheResult]:
        """(key, what the cache holds) for a file on disk; (None, None) with no cache. The key covers the
        file's bytes, its options and the headers it includes; a hit is named `display`."""
        if not self.cache.enabled:
            return None, None
        key = self.cache.key(path, data, options)
        return key, self.cache.get(key, display)

    def lookup_text(self, text: str, name: str, options: ParseOptions,
                    display: str | None = None) -> tuple[str | None, CacheResult]:
        """(key, what the cache holds) for a text with no file on disk, keyed by the text, options and
        `name` (no headers are read); (None, None) with no cache."""
        if not self.cache.enabled:
            return None, None
        key = self.cache.content_key(name, text.encode("utf-8", "surrogatepass"), options)
        return key, self.cache.get(key, display or name)

    def remember(self, key: str | None, display: str, result: CacheResult) -> None:
        """Store what a parse gave under a key from `lookup`; nothing for no key (no cache) or no result
        (a crash or a timeout, which may not happen again)."""
        if key is not None and result is not None:
            self.cache.put(key, display, result)

    def warm_up(self, threads: Executor | None = None) -> None:
        """Start every worker and load libclang in it, once per Extractor (later calls return at once).

        With `threads` the workers warm in parallel; without, one after the other (the pool hands out
        workers first in, first out, so each is used once)."""
        with self._lock:
            if self._warmed or self.pool is None:
                self._warmed = True
                return
            if threads is None:
                for _ in range(self.size):
                    self._warm_one()
            else:
                list(threads.map(lambda _: self._warm_one(), range(self.size)))
            self._warmed = True

    def _warm_one(self) -> None:
        try:
            self.extract(WARM_UP_SOURCE, "warm-up.c", ParseOptions(), "warm-up")
        except XappError:     # a worker that cannot start says so again on the first real file
            pass

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
