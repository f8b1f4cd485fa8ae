"""What a local scan lets the parser see of the host: the scanned tree and the folders the user named.

A scan may run inside a checkout nobody has reviewed, so the tree's contents do
not decide what the parser reads. `ScanTree` holds the folders the user named on
the command line: each PATH (a file's own folder), the build directory and, with
`-p`, the current directory (the project root `-p build` is run from, as for
clang-tidy), and every `-I` folder. Each file is
parsed behind a redirect-only overlay (xapp.frontend.headers.view_overlay) that
shows only these, as a `FileView`; `#include "/abs/path"` elsewhere is not found
and stubbed like any missing header. Symbolic links inside the tree that lead
outside it show as an empty file or folder (`links_leaving`).

A compile database is part of the tree, so it may not widen the view: an entry's
`-I`, `-isystem`, `-iquote` or `-idirafter` folder, or `-include` or `-imacros`
file, outside the tree is dropped from that file's flags (and named in a warning),
and an entry for a file outside the tree is skipped with its reason, unless the
user passes `--trust-compile-db`; then its folders join the view.
"""
from __future__ import annotations

import functools
import os
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..features import ParseOptions
from ..frontend.options import FileView

__all__ = ["ScanTree", "OUTSIDE_LINK", "OUTSIDE_FILE", "MAX_HIDDEN_LINKS"]

OUTSIDE_LINK = "symbolic link to a file outside the scanned tree (not read)"
OUTSIDE_FILE = "outside the scanned tree (a compile database entry; --trust-compile-db reads it)"
MAX_HIDDEN_LINKS = 10_000
_DIR_FLAGS = ("-isystem", "-iquote", "-idirafter")
_FILE_FLAGS = ("-include", "-imacros")


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _folders_of(options: ParseOptions) -> list[str]:
    """The folders a file's flags make clang read: -I and the other include folders, forced includes'."""
    args = list(options.extra_args)
    named = [args[i + 1] for i, a in enumerate(args[:-1]) if a in _DIR_FLAGS]
    forced = [os.path.dirname(args[i + 1]) for i, a in enumerate(args[:-1]) if a in _FILE_FLAGS]
    return [*options.include_dirs, *named, *forced]


def _pairs(args: Sequence[str]) -> list[list[str]]:
    """extra_args as units: a path flag with its value, or one argument."""
    out, i = [], 0
    while i < len(args):
        step = 2 if args[i] in _DIR_FLAGS + _FILE_FLAGS and i + 1 < len(args) else 1
        out.append(list(args[i:i + step]))
        i += step
    return out


# The named folders' real paths, asked for each of a scan's files (326 folders x 979 files of HeCBench:
# a million lookups, 20 s of system calls, when asked anew each time); a scan's folders do not move.
_realpath = functools.lru_cache(maxsize=4096)(os.path.realpath)


@dataclass(frozen=True)
class ScanTree:
    """The folders the user named (absolute, as named), and whether the compile database is trusted."""

    folders: tuple[str, ...]
    walked: tuple[str, ...] = ()         # those of the tree itself (not -I), searched for links leading out
    trust_compile_db: bool = False

    @classmethod
    def named(cls, paths: Sequence[str | Path], build_dir: str | Path | None, options: ParseOptions,
              trust_compile_db: bool = False) -> "ScanTree":
        tree = []
        for p in (Path(x).absolute() for x in paths):
            tree.append(p if p.is_dir() else p.parent)
        if build_dir is not None:
            tree.append(Path.cwd())
            b = Path(build_dir).absolute()
            tree.append(b if b.is_dir() or not b.exists() else b.parent)
        walked = tuple(dict.fromkeys(os.path.normpath(f) for f in tree))
        named = tuple(os.path.normpath(Path(d).absolute()) for d in options.include_dirs)
        return cls(tuple(dict.fromkeys(walked + named)), walked, trust_compile_db)

    @functools.cached_property
    def real(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_realpath(f) for f in self.folders))

    def inside(self, path: str | Path) -> bool:
        """True when the file or folder, links resolved, lies in one of the named folders."""
        real = os.path.realpath(path)
        return any(_within(real, r) for r in self.real)

    def confine(self, options: ParseOptions) -> tuple[ParseOptions, tuple[str, ...]]:
        """A database file's options without the folders and forced includes outside the tree, and the
        flags dropped (none when the database is trusted)."""
        if self.trust_compile_db:
            return options, ()
        kept_dirs = tuple(d for d in options.include_dirs if self.inside(d))
        dropped = [f"-I {d}" for d in options.include_dirs if d not in kept_dirs]
        extra: list[str] = []
        for unit in _pairs(options.extra_args):
            if len(unit) == 2 and not self.inside(unit[1]):
                dropped.append(" ".join(unit))
            else:
                extra += unit
        return replace(options, include_dirs=kept_dirs, extra_args=tuple(extra)), tuple(dropped)

    def view(self, options: ParseOptions, hidden: tuple[tuple[str, ...], tuple[str, ...]]) -> ParseOptions:
        """`options` with the FileView of this tree and of the file's own (checked) folders."""
        folders = [*self.folders, *(os.path.abspath(f) for f in _folders_of(options))]
        if any(_realpath(f) == os.sep for f in folders):
            return replace(options, view=None)     # `/` named (or trusted): the whole host is in view anyway
        pairs = []
        for f in dict.fromkeys(folders):
            real = _realpath(f)
            pairs += [(f, real)]
            if real != f:
                pairs.append((real, real))
        return replace(options, view=FileView(tuple(dict.fromkeys(pairs)), *hidden))

    def links_leaving(self, time_limit: float | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(files, folders): symbolic links inside the named folders that lead outside them, by the
        names clang would look them up under. InputError past `time_limit` s, or past MAX_HIDDEN_LINKS
        links (the overlay lists each; a tree with more is refused rather than shown in part)."""
        files: list[str] = []
        dirs: list[str] = []
        deadline = None if time_limit is None else time.monotonic() + time_limit
        for top in self.walked:
            for here, subdirs, names in os.walk(top):
                if deadline is not None and time.monotonic() > deadline:
                    raise InputError(f"the search of {top} for symbolic links ran past the scan's time limit "
                                     f"({time_limit:g} s, --timeout) at {here}; scan a smaller folder")
                subdirs[:] = [d for d in subdirs if d != ".git"]
                for name in [*subdirs, *names]:
                    _sort_link(os.path.join(here, name), self.inside, files, dirs)
                if len(files) + len(dirs) > MAX_HIDDEN_LINKS:
                    raise InputError(f"more than {MAX_HIDDEN_LINKS:,} symbolic links in {top} lead outside the "
                                     "scanned tree; scan a smaller folder")
        return tuple(files), tuple(dirs)


def _sort_link(path: str, inside, files: list[str], dirs: list[str]) -> None:
    if not os.path.islink(path) or inside(path):
        return
    try:
        is_dir = stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return                         # dangling or a loop: nothing to read behind it
    names = dict.fromkeys([path, os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))])
    (dirs if is_dir else files).extend(names)
