"""Which files a scan reads, and with which flags: the one entry point, `discover`.

    walk.py        the directory walk (`xapp scan DIR...`): --exclude, .gitignore, symbolic links, skipped entries
    ignore.py      .gitignore rules (pathspec)
    compile_db.py  compile_commands.json (`-p BUILD_DIR`): the files of a build and each one's flags
    tree_view.py   the folders the user named: what each parse may see of the host, links leading out,
                   compile database entries that reach outside the tree

A file named on the command line is always scanned, whatever its suffix,
`--exclude` or `.gitignore` say (unless it is not a regular file: a FIFO would
block the reader). Entries the walk could not read come back as targets with a
`skipped` reason, so every report lists them; they are never parsed.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence

from ..errors import InputError
from ..features import SOURCE_SUFFIXES, ParseOptions
from .compile_db import COMPILE_DB_NAME, CommandFlags, CompileDatabase, flags_from_command, merge
from .ignore import GitIgnore
from .tree_view import OUTSIDE_FILE, OUTSIDE_LINK, ScanTree
from .walk import Skipped, Walk, excluded, walk

__all__ = ["ScanTarget", "GitIgnore", "CommandFlags", "CompileDatabase", "COMPILE_DB_NAME", "Skipped", "Walk",
           "discover", "display_name", "excluded", "flags_from_command", "merge", "walk"]


@dataclass(frozen=True)
class ScanTarget:
    """One file to scan: where it is, how it is shown, how it is parsed."""

    path: Path                 # absolute
    display: str               # as reports show it (relative to the current directory when inside it)
    options: ParseOptions
    flags_from: str = "command line"     # or "compile_commands.json"
    skipped: str | None = None           # why the file is not read at all (a link loop, a FIFO, ...)
    dropped_flags: tuple[str, ...] = ()  # compile database flags reaching outside the tree, not used


def display_name(path: Path, cwd: Path | None = None) -> str:
    cwd = cwd or Path.cwd()
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _not_regular(path: Path) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None           # read later, and reported unreadable with the reason then
    return None if stat.S_ISREG(mode) else "not a regular file (a FIFO, socket or device)"


def _named(paths: Sequence[str | Path], db: CompileDatabase | None, excludes: Sequence[str], use_gitignore: bool,
           follow_symlinks: bool, time_limit: float | None) -> tuple[list[Path], list[Skipped]]:
    files: list[Path] = []
    skipped: list[Skipped] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = walk(p, excludes, use_gitignore, follow_symlinks, time_limit)
            files += found.files
            skipped += found.skipped
        elif p.exists() or (db is not None and db.flags_for(p.absolute()) is not None):
            reason = _not_regular(p)
            if reason:
                skipped.append(Skipped(p.absolute(), reason))
            else:
                files.append(p.absolute())
        else:
            raise InputError(f"{raw}: no such file or directory")
    return files, skipped


def _from_database(db: CompileDatabase, excludes: Sequence[str], cwd: Path) -> list[Path]:
    files = []
    for f in db.entries:
        if f.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        if excludes and excluded(PurePosixPath(display_name(f, cwd).lstrip("/")), excludes):
            continue
        files.append(f)
    return files


def _outside(f: Path, tree: ScanTree, db: CompileDatabase | None) -> str | None:
    """Why a file found is not read: it leads outside the tree (a link, or a database entry)."""
    if tree.inside(f):
        return None
    if db is not None and db.flags_for(f) is not None and not os.path.islink(f):
        return None if tree.trust_compile_db else OUTSIDE_FILE
    return OUTSIDE_LINK


def discover(paths: Sequence[str | Path], options: ParseOptions, *, build_dir: str | Path | None = None,
             excludes: Sequence[str] = (), use_gitignore: bool = True,
             follow_symlinks: bool = False, trust_compile_db: bool = False,
             time_limit: float | None = None) -> list[ScanTarget]:
    """The files to scan, each with its parse options and the view of the host it is parsed behind
    (xapp.scan.tree_view), in a stable order, without duplicates; entries that cannot be scanned come
    last, each with its `skipped` reason. A directory walk past `time_limit` seconds raises InputError."""
    if not paths and build_dir is None:
        raise InputError("nothing to scan: give PATH... or -p BUILD_DIR")
    db = CompileDatabase.load(build_dir) if build_dir is not None else None
    tree = ScanTree.named(paths, build_dir, options, trust_compile_db)
    cwd = Path.cwd()
    if paths:
        files, skipped = _named(paths, db, excludes, use_gitignore, follow_symlinks, time_limit)
    else:
        files, skipped = _from_database(db, excludes, cwd), []
    hidden = tree.links_leaving(time_limit)
    targets, seen = [], set()
    for f in files:
        key = os.path.normpath(f)
        if key in seen:
            continue
        seen.add(key)
        if (why := _outside(f, tree, db)) is not None:
            skipped.append(Skipped(Path(key), why))
            continue
        flags = db.flags_for(f) if db is not None else None
        opts, origin = (merge(options, flags), COMPILE_DB_NAME) if flags is not None else (options, "command line")
        opts, dropped = tree.confine(opts) if flags is not None else (opts, ())
        targets.append(ScanTarget(Path(key), display_name(Path(key), cwd), tree.view(opts, hidden), origin,
                                  dropped_flags=dropped))
    for s in skipped:
        targets.append(ScanTarget(s.path, display_name(s.path, cwd), options, skipped=s.reason))
    return targets
