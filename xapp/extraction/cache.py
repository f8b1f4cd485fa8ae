"""Extracted features on disk, keyed by what they depend on, so a rescan of an unchanged tree (or a
second featurization of a training corpus) is fast.

The key is the sha256 of: the file's bytes, its parse options (flags, language,
header mode), `EXTRACTOR_VERSION` (and the names of the stored fields and
features, in case a change forgets to bump it), and the headers it includes. Headers are
found textually: every `#include "x"` / `#include <x>` line of the file and of
the headers found, looked up next to the including file (quote form) and in
the -I/-isystem/-iquote/-idirafter directories; each header found adds its
path and the sha256 of its bytes to the key, each one not found its name. So
editing a project header re-extracts the files that include it. Not seen: a
header reached through a computed `#include MACRO`, and system headers outside
the -I directories (the default hermetic mode does not read them).

A text with no file on disk (a training corpus row) has a `content_key`: its
bytes, options and name (which picks the language and names the diagnostics),
and no headers: none are looked for, so such a text must not include a header
that can change (corpus rows include none that a parse reads from disk).

A file's key also holds its real location (symbolic links resolved), so an
entry made for one checkout is never the answer for a file of another.

Entries are signed JSON files `<dir>/<key[:2]>/<key>.json` holding the features
(or the parse error) of one file; never pickles, so a cache directory cannot run
code. Where the directory is, which directories are trusted, and how entries are
written and verified is xapp.extraction.cache_store: per user by default, refused
when another user owns it or it holds a symbolic link, an entry used only when its
signature checks out. A parse error is cached (it is as deterministic as
features); a crash or timeout is not. An unreadable, stale or forged entry is a
miss and is overwritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import asdict, fields
from pathlib import Path

from ..features import (EXTRACTOR_VERSION, FEATURE_NAMES, Diagnostics, FileFeatures, ParseOptions, RegionFeatures,
                        language_for)
from ..analysis.workload import Workload
from .cache_store import CacheRefused, CacheStore, user_cache_root

__all__ = ["FeatureCache", "CachedError", "CacheRefused", "DEFAULT_CACHE_DIR", "include_closure", "user_cache_root"]

DEFAULT_CACHE_DIR = ":user:"     # FeatureCache's directory argument for the per-user cache (user_cache_root())
CACHE_FORMAT = 2
MAX_HEADERS = 4096
_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*(?:include|include_next|import)[ \t]*([<"])([^>"\r\n]+)[>"]', re.M)
_DIR_FLAGS = ("-isystem", "-iquote", "-idirafter")


# What an entry holds, in the key too: a field or feature added without a bump of
# EXTRACTOR_VERSION must not bring back entries written without it.
_SCHEMA = [f.name for f in fields(RegionFeatures)] + [f.name for f in fields(Diagnostics)] + list(FEATURE_NAMES)
_SCHEMA += [f.name for f in fields(Workload)]   # a new workload field re-extracts cached files
_SCHEMA += [f.name for f in fields(FileFeatures)]


class CachedError:
    """A parse error remembered for a key: status and message."""

    def __init__(self, status: str, message: str):
        self.status = status
        self.message = message


def _search_dirs(options: ParseOptions) -> list[Path]:
    dirs = [Path(d) for d in options.include_dirs]
    args = list(options.extra_args)
    for i, a in enumerate(args):
        if a in _DIR_FLAGS and i + 1 < len(args):
            dirs.append(Path(args[i + 1]))
    return dirs


def _forced_includes(options: ParseOptions) -> list[Path]:
    args = list(options.extra_args)
    return [Path(args[i + 1]) for i, a in enumerate(args) if a in ("-include", "-imacros") and i + 1 < len(args)]


class _HeaderMemo:
    """sha256 and include lines of each header read during one scan (shared by its threads)."""

    def __init__(self):
        self._data: dict[Path, tuple[str, list[tuple[bytes, bytes]]] | None] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> tuple[str, list[tuple[bytes, bytes]]] | None:
        with self._lock:
            if path in self._data:
                return self._data[path]
        try:
            data = path.read_bytes()
            value = (hashlib.sha256(data).hexdigest(), _INCLUDE.findall(data))
        except OSError:
            value = None
        with self._lock:
            self._data[path] = value
        return value


def include_closure(path: Path, data: bytes, options: ParseOptions, memo: _HeaderMemo | None = None) -> dict[str, str]:
    """Every header the file may include, transitively: resolved path (or 'missing:NAME') -> sha256."""
    memo = memo or _HeaderMemo()
    dirs = _search_dirs(options)
    closure: dict[str, str] = {}
    pending: list[tuple[Path, list[tuple[bytes, bytes]]]] = [(path.parent, _INCLUDE.findall(data))]
    for forced in _forced_includes(options):
        _visit(str(forced), forced, memo, closure, pending)
    while pending and len(closure) < MAX_HEADERS:
        here, includes = pending.pop()
        for quote, raw in includes:
            name = raw.decode("utf-8", "replace").strip()
            found = _find_header(name, ([here] if quote == b'"' else []) + dirs)
            key = os.path.normpath(found) if found else f"missing:{name}"
            if key not in closure:
                _visit(key, found, memo, closure, pending)
    return closure


def _find_header(name: str, candidates: list[Path]) -> Path | None:
    return next((c / name for c in candidates if (c / name).is_file()), None)


def _visit(key: str, found: Path | None, memo: _HeaderMemo, closure: dict[str, str],
           pending: list) -> None:
    """Record one header's digest under `key` and queue its own includes (a missing one has none)."""
    info = memo.get(found) if found else None
    closure[key] = info[0] if info else "missing"
    if info:
        pending.append((found.parent, info[1]))


def _expect(value, kind: type, what: str):
    if not isinstance(value, kind):
        raise ValueError(f"cache entry: {what} is not a {kind.__name__}")
    return value


def _decoded_error(error: dict, display: str) -> CachedError:
    status = _expect(error.get("status"), str, "error status")
    if status != "parse_error":                    # the only failure put() stores
        raise ValueError(f"cache entry: unexpected status {status!r}")
    message = _expect(error.get("message"), str, "error message")
    old = error.get("file")
    if isinstance(old, str) and old and message.startswith(old):
        message = display + message[len(old):]     # the same content may now live elsewhere
    return CachedError(status, message)


def _decoded(doc, display: str) -> FileFeatures | CachedError | None:
    """What `put` wrote, or ValueError/KeyError/TypeError for anything else."""
    _expect(doc, dict, "the entry")
    if doc.get("format") != CACHE_FORMAT or doc.get("extractor") != EXTRACTOR_VERSION:
        return None
    if "error" in doc:
        return _decoded_error(_expect(doc["error"], dict, "error"), display)
    f = _expect(doc["features"], dict, "features")
    regions = [RegionFeatures(**{**_expect(r, dict, "a region"), "file": display})
               for r in _expect(f["regions"], list, "regions")]
    for r in regions:
        _expect(r.features, dict, "a region's features")
    suppressed = [{**_expect(s, dict, "a suppressed region"), "file": display}
                  for s in _expect(f.get("suppressed", []), list, "suppressed")]
    return FileFeatures(display, regions, Diagnostics(**_expect(f["diagnostics"], dict, "diagnostics")),
                        suppressed=suppressed,
                        omp_unchecked=list(_expect(f.get("omp_unchecked", []), list, "omp_unchecked")),
                        findings=list(_expect(f.get("file_findings", []), list, "file_findings")),
                        links=_expect(f.get("links", {}), dict, "links"))


def _digest(data: bytes, options: ParseOptions, language: str, source: dict) -> str:
    """sha256 of what an entry depends on; `source` says where the text came from (a file's headers, or
    a text's name), and its field's name keeps the two kinds of key apart."""
    meta = {"format": CACHE_FORMAT, "extractor": EXTRACTOR_VERSION, "schema": _SCHEMA,
            "language": language, "options": asdict(options), **source}
    h = hashlib.sha256(json.dumps(meta, sort_keys=True).encode("utf-8"))
    h.update(b"\0")
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _directory(directory: str | Path | None) -> Path | None:
    if directory is None:
        return None
    return user_cache_root() if directory == DEFAULT_CACHE_DIR else Path(directory).expanduser().absolute()


class FeatureCache:
    """Features of sources (files on disk or texts), by key. `directory=None` disables it: every lookup
    misses; DEFAULT_CACHE_DIR is the per-user cache. `check()` refuses a directory that cannot be trusted
    (CacheRefused); `get` and `put` check it first too."""

    def __init__(self, directory: str | Path | None = DEFAULT_CACHE_DIR):
        self.directory = _directory(directory)
        self._store = CacheStore(self.directory) if self.directory is not None else None
        self._headers = _HeaderMemo()

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def check(self) -> None:
        """Make and check the directory now: CacheRefused when another user owns it or it holds a link."""
        if self._store is not None:
            self._store.open()

    def key(self, path: Path, data: bytes, options: ParseOptions) -> str:
        """The key of a file on disk: its real location, bytes, options and the headers it includes."""
        headers = sorted(include_closure(path, data, options, self._headers).items())
        return _digest(data, options, language_for(str(path), options),
                       {"headers": headers, "location": os.path.realpath(path)})

    def content_key(self, name: str, data: bytes, options: ParseOptions) -> str:
        """The key of a text with no file on disk: its bytes, options and name; no headers."""
        return _digest(data, options, language_for(name, options), {"name": name})

    def get(self, key: str, display: str) -> FileFeatures | CachedError | None:
        """The stored result under `key`, renamed to `display`; None on a miss. An entry that is not what
        `put` writes (forged, truncated, `null`, a list, a field of the wrong type) is a miss too, so the
        file is extracted again and the entry overwritten, instead of failing the same way on every scan."""
        if self._store is None:
            return None
        body = self._store.read(key)
        if body is None:
            return None
        try:
            return _decoded(body, display)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, display: str, result: FileFeatures | CachedError) -> None:
        if self._store is None:
            return
        doc = {"format": CACHE_FORMAT, "extractor": EXTRACTOR_VERSION}
        if isinstance(result, CachedError):
            doc["error"] = {"status": result.status, "message": result.message, "file": display}
        else:
            doc["features"] = result.as_dict()
        self._store.write(key, doc)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
