"""`.gitignore` files, matched by `pathspec` (gitignore(5) semantics: `!`, `/`, `**`, trailing `/`, escapes).

The rules that apply to a directory are those of the `.gitignore` files in the
walked tree down to it, plus those of the walked root's parent directories up to
the nearest one holding `.git`. Each file's patterns are matched against paths
relative to its own directory; deeper files are consulted after shallower ones
and the last file with a matching pattern decides (within one file, pathspec
applies git's last-match rule). Not read: `core.excludesFile` and
`.git/info/exclude`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pathspec

__all__ = ["GitIgnore"]


@dataclass(frozen=True)
class _Layer:
    base: Path
    spec: pathspec.GitIgnoreSpec

    def verdict(self, path: Path, is_dir: bool) -> bool | None:
        """True ignored, False re-included, None: no pattern of this file speaks of `path`.

        git's rule, the last matching pattern decides, applied pattern by pattern: GitIgnoreSpec's own
        check ranks a directory pattern below a file pattern, so `build/` after `!src/**` would not
        ignore the directory `src/build` as git does."""
        try:
            rel = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        target = rel + "/" if is_dir else rel
        verdict = None
        for pattern in self.spec.patterns:
            if pattern.include is not None and pattern.match_file(target) is not None:
                verdict = pattern.include
        return verdict


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
        spec = pathspec.GitIgnoreSpec.from_lines(text.splitlines())
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
