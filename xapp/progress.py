"""Progress over many files on stderr: count, rate and ETA on one rewritten terminal line.

One bar for every front end that works through many files (`scan`, `predict`,
`features`, and the Dask path of scan and train), drawn by tqdm (no dependencies
of its own; rich would bring a renderer for one line). Data goes to stdout, so a
bar never mixes with a report; it is shown only when stderr is a terminal and
`--quiet` was not given, so logs and pipes get no carriage returns.
"""
from __future__ import annotations

import sys
import threading
from typing import Iterator, Protocol, Sequence, TextIO, TypeVar

T = TypeVar("T")

__all__ = ["Progress", "ProgressLike", "NoProgress", "progress_bar", "tracked", "wanted"]

_FORMAT = "{desc} {n_fmt}/{total_fmt} files [{bar:30}] {rate_fmt} ETA {remaining}"


class ProgressLike(Protocol):
    def advance(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


class NoProgress:
    """What a quiet run advances: nothing is drawn."""

    def advance(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class Progress:
    """`scanning 37/120 files [###...] 12.0 files/s ETA 00:07`; safe to advance from several threads."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "scanning"):
        from tqdm import tqdm     # only when a bar is drawn

        self._bar = tqdm(total=total, desc=label, file=stream or sys.stderr, bar_format=_FORMAT,
                         unit="files", ascii=" #", mininterval=0.1, dynamic_ncols=False, leave=True)
        self._lock = threading.Lock()

    @property
    def done(self) -> int:
        return int(self._bar.n)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._bar.update(n)

    def close(self) -> None:
        with self._lock:
            self._bar.close()


def wanted(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """True when a bar should be drawn: not --quiet, and the stream (stderr) is a terminal."""
    stream = stream or sys.stderr
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


def progress_bar(total: int, label: str = "scanning", enabled: bool = True) -> Progress | NoProgress:
    """A bar on stderr when `enabled` and there is something to count; else one that draws nothing."""
    return Progress(total, label=label) if enabled and total else NoProgress()


def tracked(items: Sequence[T], label: str, enabled: bool = True) -> Iterator[T]:
    """The items, one by one, advancing a bar as each is done (a single item draws none)."""
    bar = progress_bar(len(items), label, enabled and len(items) > 1)
    try:
        for item in items:
            yield item
            bar.advance()
    finally:
        bar.close()
