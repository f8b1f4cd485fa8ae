"""`.gitignore` files, matched by `pathspec` (gitignore(5) semantics: `!`, `/`, `**`, trailing `/`, escapes).

Matching runs on pathspec's RE2 backend (google-re2): RE2 matches in time linear in
the name, so a hostile line such as thirty `*` and an `x` cannot stall the walk
(Python's `re` backtracks exponentially on it: minutes for a 60-character name).
Where google-re2 cannot be imported, pathspec's Python backend is used and a
pattern with more than MAX_WILDCARDS wildcards is skipped, with a warning.

The rules that apply to a directory are those of the `.gitignore` files in the
walked tree down to it, plus those of the walked root's parent directories up to
the nearest one holding `.git`. Each file's patterns are matched against paths
relative to its own directory; deeper files are consulted after shallower ones
and the last file with a matching pattern decides (within one file, pathspec
applies git's last-match rule). Not read: `core.excludesFile` and
`.git/info/exclude`.
"""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import pathspec

__all__ = ["GitIgnore", "MAX_WILDCARDS"]

MAX_WILDCARDS = 3       # without RE2 only: Python's re needs 33 ms for 5 against a 60-character name, minutes for 8


@functools.lru_cache(maxsize=1)
def _backend() -> str:
    try:
        import re2  # noqa: F401  (google-re2: linear-time matching)
    except ImportError:
        return "simple"
    return "re2"


def _spec(lines: list[str], where: Path) -> pathspec.PathSpec:
    if _backend() == "simple":
        lines = [line for line in lines if not _too_wild(line, where)]
    return pathspec.PathSpec.from_lines("gitignore", lines, backend=_backend())


def _too_wild(line: str, where: Path) -> bool:
    if line.count("*") + line.count("?") <= MAX_WILDCARDS:
        return False
    print(f"xapp scan: warning: {where}: pattern with more than {MAX_WILDCARDS} wildcards skipped "
          "(install google-re2 to match it in linear time)", file=sys.stderr)
    return True


@dataclass(frozen=True)
class _Layer:
    base: Path
    spec: pathspec.PathSpec

    def verdict(self, path: Path, is_dir: bool) -> bool | None:
        """True ignored, False re-included, None: no pattern of this file speaks of `path`.

        git's rule, the last matching pattern decides: PathSpec's check (not GitIgnoreSpec's, which ranks
        a directory pattern below a file pattern, so `build/` after `!src/**` would not ignore the
        directory `src/build` as git does)."""
        try:
            rel = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        return self.spec.check_file(rel + "/" if is_dir else rel).include


class GitIgnore:
    """The .gitignore rules that apply to one directory of a walk."""

    def __init__(self, layers: tuple[_Layer, ...] = ()):
        self.layers = layers

    def with_file(self, directory: Path) -> "GitIgnore":
        """These rules plus those of `directory/.gitignore`, if there is one that can be read."""
        try:
            text = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return self
        spec = _spec(text.splitlines(), directory / ".gitignore")
        return GitIgnore(self.layers + (_Layer(directory, spec),))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for layer in self.layers:
            said = layer.verdict(path, is_dir)
            if said is not None:
                verdict = said
        return verdict

    @classmethod
    def for_root(cls, root: Path) -> "GitIgnore":
        """The rules of root's parent directories up to the nearest one holding `.git` (none without one)."""
        if (root / ".git").exists():
            return cls()           # the walk reads root's own .gitignore
        chain = []
        for parent in root.parents:
            chain.append(parent)
            if (parent / ".git").exists():
                break
        else:
            return cls()           # not inside a git work tree: only the walked tree's files apply
        ignore = cls()
        for directory in reversed(chain):
            ignore = ignore.with_file(directory)
        return ignore
