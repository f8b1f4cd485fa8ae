"""The directory walk of `xapp scan DIR...`: source files in sorted order, and every entry it had to skip.

What is walked: every file with a C, C++ or OpenCL suffix (`SOURCE_SUFFIXES`)
under each directory, except what `--exclude GLOB` names (matched as `fnmatch`
does, `*` also crossing `/`, against the path relative to the walked directory
and against each single name on it, so `--exclude vendor` drops every `vendor/`
folder), what `.gitignore` files say (xapp.scan.ignore), and `.git` folders. An
excluded or ignored directory is not entered.

A symbolic link to a file is read like the file. A symbolic link to a directory
is not entered unless `follow_symlinks`; then every directory is entered once
(by device and inode), so a link back up the tree ends there. What cannot be
walked is never dropped silently and never ends the walk: each such entry comes
back in `Walk.skipped` with its reason (a link loop, a dangling link, a link to
a directory not followed, an unreadable directory, a source-named entry that is
not a regular file, such as a FIFO, which would block a reader).
"""
from __future__ import annotations

import errno
import fnmatch
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Sequence

from ..errors import InputError
from ..features import SOURCE_SUFFIXES
from .ignore import GitIgnore

__all__ = ["Walk", "Skipped", "walk", "excluded", "LINK_NOT_FOLLOWED"]

_SKIP_DIRS = frozenset({".git"})
LINK_NOT_FOLLOWED = "symbolic link to a directory, not followed (use --follow-symlinks)"


@dataclass(frozen=True)
class Skipped:
    path: Path          # as walked (under the root, not resolved)
    reason: str


@dataclass
class Walk:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    path: Path
    kind: str            # 'dir', 'file' or 'skip'
    reason: str = ""
    identity: tuple[int, int] | None = None    # (device, inode) of a directory


def excluded(rel: PurePosixPath, globs: Sequence[str]) -> bool:
    """True when a glob matches the whole relative path or any single name on it."""
    text = rel.as_posix()
    return any(fnmatch.fnmatchcase(text, g) or any(fnmatch.fnmatchcase(part, g) for part in rel.parts)
               for g in globs)


def _link_target(path: Path) -> os.stat_result | str:
    """What a symbolic link points to, or why it cannot be followed."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return "dangling symbolic link (its target does not exist)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"symbolic link that cannot be followed ({exc.strerror or exc})"


def _classify(entry: os.DirEntry, follow_symlinks: bool) -> _Entry:
    path = Path(entry.path)
    try:
        info = _link_target(path) if entry.is_symlink() else entry.stat(follow_symlinks=False)
    except OSError as exc:
        return _Entry(path, "skip", f"cannot be examined ({exc.strerror or exc})")
    if isinstance(info, str):
        return _Entry(path, "skip", info)
    if stat.S_ISDIR(info.st_mode):
        if entry.is_symlink() and not follow_symlinks:
            return _Entry(path, "skip", LINK_NOT_FOLLOWED)
        return _Entry(path, "dir", identity=(info.st_dev, info.st_ino))
    if stat.S_ISREG(info.st_mode):
        return _Entry(path, "file")
    return _Entry(path, "skip", "not a regular file (a FIFO, socket or device)")


def _worth_reporting(item: _Entry) -> bool:
    """A skipped entry that could have held sources: any directory-like one, or one with a source suffix."""
    return item.reason == LINK_NOT_FOLLOWED or "loop" in item.reason or item.path.suffix.lower() in SOURCE_SUFFIXES


class _Walker:
    def __init__(self, root: Path, excludes: Sequence[str], use_gitignore: bool, follow_symlinks: bool,
                 time_limit: float | None = None):
        self.root = root
        self.time_limit = time_limit
        self.deadline = None if time_limit is None else time.monotonic() + time_limit
        self.excludes = excludes
        self.use_gitignore = use_gitignore
        self.follow = follow_symlinks
        self.seen: set[tuple[int, int]] = set()
        self.out = Walk()

    def _kept(self, item: _Entry, ignore: GitIgnore) -> bool:
        if item.kind == "dir" and item.path.name in _SKIP_DIRS:
            return False
        if self.excludes and excluded(PurePosixPath(item.path.relative_to(self.root).as_posix()), self.excludes):
            return False
        is_dir = item.kind == "dir" or item.reason == LINK_NOT_FOLLOWED
        return not (self.use_gitignore and ignore.ignored(item.path, is_dir))

    def _entries(self, directory: Path) -> list[os.DirEntry] | None:
        try:
            with os.scandir(directory) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.out.skipped.append(Skipped(directory, f"unreadable directory ({exc.strerror or exc})"))
            return None

    def _enter(self, item: _Entry) -> bool:
        if item.identity in self.seen:
            self.out.skipped.append(Skipped(item.path, "symbolic link loop (a directory already walked)"))
            return False
        self.seen.add(item.identity)
        return True

    def _check_time(self, directory: Path) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise InputError(f"the walk of {self.root} ran past the scan's time limit ({self.time_limit:g} s, "
                             f"--timeout) at {directory}; scan a smaller folder or --exclude some")

    def run(self, start: GitIgnore) -> Walk:
        root_stat = os.stat(self.root)
        self.seen.add((root_stat.st_dev, root_stat.st_ino))
        stack = [(self.root, start)]
        while stack:
            directory, ignore = stack.pop()
            self._check_time(directory)
            if self.use_gitignore:
                ignore = ignore.with_file(directory)
            entries = self._entries(directory)
            subdirs = []
            for item in (_classify(e, self.follow) for e in entries or ()):
                if not self._kept(item, ignore):
                    continue
                if item.kind == "dir" and self._enter(item):
                    subdirs.append((item.path, ignore))
                elif item.kind == "file" and item.path.suffix.lower() in SOURCE_SUFFIXES:
                    self.out.files.append(item.path)
                elif item.kind == "skip" and _worth_reporting(item):
                    self.out.skipped.append(Skipped(item.path, item.reason))
            stack.extend(reversed(subdirs))
        self.out.files.sort()
        self.out.skipped.sort(key=lambda s: s.path)
        return self.out


def walk(root: Path, excludes: Sequence[str] = (), use_gitignore: bool = True,
         follow_symlinks: bool = False, time_limit: float | None = None) -> Walk:
    """Source files under `root`, sorted, and the entries skipped with their reasons; InputError when the
    walk runs past `time_limit` seconds."""
    root = Path(root).resolve()
    start = GitIgnore.for_root(root) if use_gitignore else GitIgnore()
    return _Walker(root, excludes, use_gitignore, follow_symlinks, time_limit).run(start)
