"""Project include folders and header contexts of a scan without a compile database.

A real project builds with flags a scan does not have: HeCBench's programs add
`-I../NAME-cuda` in their Makefiles, miniFE includes `<Box.hpp>` from a sibling
folder. For each file that the compile database (which keeps priority) does not
cover, this module finds:

* the `-I` folders its directory's build file names: the nearest `Makefile`,
  `makefile`, `GNUmakefile` or `CMakeLists.txt` at or above the file, inside the
  scanned root (`-I DIR`, `-IDIR`, `include_directories(...)`,
  `target_include_directories(... DIR ...)`; `$(VAR)`/`${VAR}` set in the same
  file expanded once, `${CMAKE_CURRENT_SOURCE_DIR}` and `${PROJECT_SOURCE_DIR}`
  meaning the build file's folder);
* for each include not found beside the file, in those folders or in `-I`: a
  unique file of the scanned tree whose path ends with the include's path; its
  folder is added as `-I`, and a note says so. Two or more matches stay a
  warning, with the candidates and the fix (`-I` one of them); none is left to
  the parser, which stands an empty stub in for it and says so;
* the header's context: a header that a scanned source includes is parsed in
  that source's language, after the text of that source up to the include line
  (its types, macros and earlier includes), once per scan (the first includer,
  sources before headers); a file included inside braces (an #include in a
  function body) is not parsed alone: its code is its includer's. A header
  nobody includes is parsed as C++ when the sources beside it are C++ or its
  own text is (`namespace`, `template`, `class`), and so is a `.c` file whose
  text is C++; else the suffix decides.

`project_roots` lists the folders outside the scanned tree that a scan reads as
well (the build files' `-I` folders): one place for a file system overlay to
expose read-only.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from ..features import ParseOptions, language_for
from ..frontend.headers import stub_header_names
from .configured import read_template, template_names

__all__ = ["IncludeFacts", "ProjectIncludes", "build_flags", "BuildFlags", "project_roots", "HEADER_SUFFIXES"]

HEADER_SUFFIXES = frozenset({".h", ".hh", ".hpp", ".hxx", ".cuh", ".inc", ".inl", ".tpp"})
_BUILD_FILES = ("Makefile", "makefile", "GNUmakefile", "CMakeLists.txt")
_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)
_MAKE_VAR = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*[:+?]?=[ \t]*(.*)$", re.M)
_MAKE_I = re.compile(r"(?:^|\s)-I[ \t]*([^\s'\";]+)")
_MAKE_D = re.compile(r"(?:^|\s)-D[ \t]*([A-Za-z_][A-Za-z0-9_]*)(?:=([^\s'\";$]*))?(?=\s|$)")
_CMAKE_DIRS = re.compile(r"\b(?:target_)?include_directories\s*\(([^)]*)\)", re.I)
_CMAKE_WORDS = frozenset({"PUBLIC", "PRIVATE", "INTERFACE", "SYSTEM", "BEFORE", "AFTER"})
# comments say nothing of the language (PhyML's m4.c: a comment line "class of ..." made it C++)
_COMMENTS = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)
_CXX_TEXT = re.compile(rb"^\s*(?:namespace\s+\w+\s*\{|template\s*<|class\s+\w+[\s:{]|using\s+namespace\b)", re.M)
# `#include <chrono>`: a C++ standard header (no suffix) says the file is C++ (HeCBench's hybridsort.c, built by icpx)
_CXX_INCLUDE = re.compile(rb"^\s*#\s*include\s*<(?:" + b"|".join(
    re.escape(h.encode()) for h in sorted(stub_header_names()) if "." not in h and not h.startswith("_")) + rb")>", re.M)
_CXX_SOURCES = frozenset({".cc", ".cpp", ".cxx", ".c++"})
_SKIP_DIRS = frozenset({".git", ".hg", ".svn"})
MAX_CHAIN = 8      # includers above a header's own that its parse reads first


@dataclass
class IncludeFacts:
    """What one file gets from its project: folders, notes, the language and context of a header."""

    include_dirs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    language: str | None = None
    context: tuple[str, str] | None = None     # (includer's path, its text before the include line)
    defines: list[tuple[str, str | None]] = field(default_factory=list)    # -D of the build file
    through: str | None = None     # 'FILE:LINE' when included inside a block there: analysed with that file
    outer: list[tuple[str, str]] = field(default_factory=list)    # the includer's includers' contexts, outermost first
    configured: list[tuple[str, str]] = field(default_factory=list)   # (include, text) made from a build template

    def applied(self, options: ParseOptions) -> ParseOptions:
        dirs = tuple(d for d in dict.fromkeys(self.include_dirs) if d not in options.include_dirs)
        return replace(options, include_dirs=options.include_dirs + dirs, defines=tuple(self.defines) + options.defines,
                       language=options.language or self.language, context=self.context,
                       outer_contexts=tuple(self.outer),
                       configured=tuple(dict([*options.configured, *self.configured]).items()))


def _expand(text: str, variables: dict[str, str], here: Path) -> str:
    text = text.replace("${CMAKE_CURRENT_SOURCE_DIR}", str(here)).replace("${PROJECT_SOURCE_DIR}", str(here))
    return re.sub(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]", lambda m: variables.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class BuildFlags:
    """What the nearest build file says: its path, the existing -I folders, the -D macros."""

    path: Path | None = None
    dirs: tuple[Path, ...] = ()
    defines: tuple[tuple[str, str | None], ...] = ()


def _build_flags(path: Path, text: str) -> BuildFlags:
    here = path.parent
    text = re.sub(r"#.*", "", text.replace("\\\n", " "))
    variables = {m.group(1): m.group(2).strip() for m in _MAKE_VAR.finditer(text)}
    expanded = _expand(text, variables, here)
    found = [m.group(1) for m in _MAKE_I.finditer(expanded)]
    for m in _CMAKE_DIRS.finditer(text):
        found += [w for w in _expand(m.group(1), variables, here).split() if w not in _CMAKE_WORDS]
    dirs = [Path(os.path.normpath(here / d)) for d in found if "$" not in d]
    defines = dict((m.group(1), m.group(2)) for m in _MAKE_D.finditer(expanded))
    return BuildFlags(path, tuple(d for d in dict.fromkeys(dirs) if d.is_dir()), tuple(defines.items()))


def build_flags(directory: Path, root: Path) -> BuildFlags:
    """The flags of the nearest build file at or above `directory`, not above `root`."""
    here = directory
    while True:
        for name in _BUILD_FILES:
            build = here / name
            if build.is_file():
                try:
                    return _build_flags(build, build.read_text(encoding="utf-8", errors="replace"))
                except OSError:
                    return BuildFlags(build)
        if here == root or here.parent == here or root not in here.parents:
            return BuildFlags()
        here = here.parent


def _includes(text: str) -> list[tuple[str, str, int]]:
    """(kind '<' or '"', name, line) of each #include in the text."""
    return [(m.group(1), m.group(2).strip(), text.count("\n", 0, m.start()) + 1) for m in _INCLUDE.finditer(text)]


class _TreeIndex:
    """Every file under the scanned roots, by base name, for lookups by path suffix."""

    def __init__(self, roots: Iterable[Path]):
        self.by_name: dict[str, list[Path]] = defaultdict(list)
        for root in roots:
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
                for f in files:
                    self.by_name[f].append(Path(folder) / f)

    def matches(self, include: str) -> list[Path]:
        parts = PurePosixPath(include).parts
        if not parts or ".." in parts:
            return []
        return sorted(p for p in self.by_name.get(parts[-1], ()) if p.parts[-len(parts):] == parts)


class ProjectIncludes:
    """The include facts of every file of one scan (see the module docstring)."""

    def __init__(self, roots: Sequence[Path], files: Sequence[Path], stub_names: frozenset[str],
                 trust_build_files: bool = False):
        self.roots = [Path(r).resolve() for r in roots]
        self.trusted = trust_build_files
        self.index = _TreeIndex(r for r in self.roots if r.is_dir())
        self.stub_names = stub_names
        self.texts = {f: _read(f) for f in files}
        self.builds: dict[Path, BuildFlags] = {}
        self.listing: dict[Path, frozenset[str]] = {}     # folder -> its file names
        self.includers = self._includers(files)
        self.languages: dict[Path, str | None] = {}
        self.memo: dict[Path, IncludeFacts] = {}
        self.order: dict[Path, list[tuple[Path, int]]] | None = None    # header -> how a build first reaches it
        self.scoped: dict[Path, list[tuple[str, str, int]]] = {}         # file -> its includes outside braces
        self.source_orders: dict[Path, dict[Path, list[tuple[Path, int]]]] = {}    # source -> its own walk

    def _root_of(self, path: Path) -> Path:
        return next((r for r in self.roots if r == path or r in path.parents), path.parent)

    def _build(self, directory: Path) -> BuildFlags:
        if directory not in self.builds:
            self.builds[directory] = build_flags(directory, self._root_of(directory))
        return self.builds[directory]

    def _inside(self, folder: Path) -> bool:
        real = folder.resolve()
        return any(real == r or r in real.parents for r in self.roots)

    def _build_dirs(self, build: BuildFlags, facts: IncludeFacts) -> list[Path]:
        """The build file's folders a parse may use: those inside the scanned tree, and those outside it
        only when the checkout's build files are trusted (a Makefile's -I/etc would otherwise show the
        host's files to clang); the others are named in a warning with the fix."""
        outside = [d for d in build.dirs if not self._inside(d)]
        if outside and not self.trusted:
            facts.notes.append(f"warning: {build.path} names include folders outside the scanned tree, not used: "
                               f"{', '.join(map(str, outside))} (pass -I for each, or --trust-compile-db to trust "
                               "the checkout's build files)")
            return [d for d in build.dirs if d not in outside]
        return list(build.dirs)

    def _resolve(self, path: Path, kind: str, name: str, dirs: Sequence[Path]) -> Path | None:
        here = [path.parent] if kind == '"' else []
        for d in (*here, *dirs):
            if (d / name).is_file():
                return Path(os.path.normpath(d / name))
        return None

    def _includers(self, files: Sequence[Path]) -> dict[Path, list[tuple[Path, int]]]:
        """Header -> the scanned files that include it directly (sources first, then by path) and the line."""
        scanned = set(files)
        out: dict[Path, list[tuple[Path, int]]] = defaultdict(list)
        for f in files:
            dirs = self._build(f.parent).dirs
            for kind, name, line in _includes(self.texts[f]):
                found = self._resolve(f, kind, name, dirs) or self._in_tree(f, name)
                if found is not None and found in scanned and found != f:
                    out[found].append((f, line))
        for k in out:
            out[k].sort(key=lambda fl: (fl[0].suffix.lower() in HEADER_SUFFIXES, str(fl[0])))
        return out

    def _in_tree(self, path: Path, name: str) -> Path | None:
        """Where the scan will find an include its folders miss: beside the file, or the one tree match."""
        if (path.parent / name).is_file():
            return Path(os.path.normpath(path.parent / name))
        found = self._candidates(path, name, [])
        return found[0] if len(found) == 1 else None

    def _candidates(self, path: Path, name: str, known: Sequence[Path]) -> list[Path]:
        """The files of the includer's own scanned root that `name` may mean, only the best: one in a folder
        already on the include path; else the nearest to the includer (its own program's, in a checkout
        of many), and of those the ones in folders that are not a copy of the includer's folder (miniFE's
        basic/ beside src/: the same headers, another variant of the program)."""
        root = self._root_of(path)
        found = [p for p in self.index.matches(name) if root == p or root in p.parents]
        if len(found) < 2:
            return found
        on_path = [p for p in found if any(Path(str(p)[: -len(name)].rstrip("/")) == k for k in known)]
        if on_path:
            return on_path
        # the includer's own program first: the match sharing the longest folder prefix with it
        shared = {p: len(os.path.commonpath([p.parent, path.parent])) for p in found}
        found = [p for p in found if shared[p] == max(shared.values())]
        overlap = {p: self._shared_names(path.parent, p.parent) for p in found}
        least = min(overlap.values())
        return [p for p in found if overlap[p] == least]

    def _shared_names(self, a: Path, b: Path) -> int:
        """How many file names two folders share (a folder that copies the includer's is another variant)."""
        def names(folder: Path) -> frozenset[str]:
            if folder not in self.listing:
                try:
                    self.listing[folder] = frozenset(p.name for p in folder.iterdir() if p.is_file())
                except OSError:
                    self.listing[folder] = frozenset()
            return self.listing[folder]
        return len(names(a) & names(b))

    def facts(self, path: Path, options: ParseOptions) -> IncludeFacts:
        """The file's own facts, plus, for a file parsed in its includer's context, the includer's folders
        (the headers the context includes are found as they are there)."""
        facts = self._own_facts(path, options)
        if facts.context is not None:
            dirs = list(facts.include_dirs)
            configured = list(facts.configured)
            for includer, _ in reversed([*facts.outer, facts.context]):     # the nearest includer's first
                own = self._own_facts(Path(includer), options)
                dirs += [d for d in own.include_dirs if d not in dirs]
                configured += [c for c in own.configured if c not in configured]
            facts = replace(facts, include_dirs=dirs, configured=configured)
        return facts

    def _own_facts(self, path: Path, options: ParseOptions) -> IncludeFacts:
        if path not in self.memo:
            self.memo[path] = self._facts(path, options)
        return self.memo[path]

    def _facts(self, path: Path, options: ParseOptions) -> IncludeFacts:
        facts = IncludeFacts()
        build = self._build(path.parent)
        dirs = self._build_dirs(build, facts)
        if dirs:
            facts.include_dirs += [str(d) for d in dirs]
            facts.notes.append(f"include folders from {build.path}: {', '.join(str(d) for d in dirs)}")
        given = {name for name, _ in options.defines}
        facts.defines = [(n, v) for n, v in build.defines if n not in given]
        if facts.defines:
            shown = " ".join(f"-D{n}" + ("" if v is None else f"={v}") for n, v in facts.defines)
            facts.notes.append(f"macros from {build.path}: {shown}")
        known = [*dirs, *(Path(d) for d in options.include_dirs)]
        self._look_up_all(path, facts, known)
        self._language_and_context(path, options, facts)
        return facts

    def _look_up_all(self, path: Path, facts: IncludeFacts, known: list[Path]) -> None:
        """Look up the file's includes, and those of the scanned project headers they lead to (a header
        that driver.hpp includes needs its folder on the path of main.cpp's parse too)."""
        todo, seen = [path], {path}
        while todo:
            here = todo.pop()
            for kind, name, _ in _includes(self.texts.get(here, "")):
                if kind == "<" and name in self.stub_names:
                    continue
                found = self._resolve(here, kind, name, known) or self._look_up(here, name, kind, facts, known)
                # only the scanned files, read already (never a FIFO or a file outside the tree)
                if found is not None and found not in seen and found in self.texts:
                    seen.add(found)
                    todo.append(found)

    def _look_up(self, path: Path, name: str, kind: str, facts: IncludeFacts, known: list[Path]) -> Path | None:
        found = self._candidates(path, name, known)
        if kind == "<" and (path.parent / name).is_file():
            found = [Path(os.path.normpath(path.parent / name))]   # <x.h> beside the file: its own folder
        if not found and not self._configured(path, name, facts, known) \
                and (installed := self._installed(path, name, facts)) is not None:
            return installed
        if kind == "<" and not found:
            return None                 # a system header the stubs lack: the parser stubs it and says so
        if len(found) == 1:
            folder = Path(str(found[0])[: -len(name)].rstrip("/") or "/")
            facts.include_dirs.append(str(folder))
            known.append(folder)
            facts.notes.append(f"{kind}{name}{'>' if kind == '<' else kind} found in the scanned tree at {found[0]}; "
                               f"added -I {folder}")
            return found[0]
        if len(found) > 1:
            shown = ", ".join(str(p) for p in found[:4]) + (" ..." if len(found) > 4 else "")
            facts.notes.append(f"warning: {name} matches {len(found)} files in the scanned tree ({shown}); "
                               f"none used: pass -I with the folder of the right one, or -p BUILD_DIR")

    def _configured(self, path: Path, name: str, facts: IncludeFacts, known: list[Path]) -> bool:
        """A missing include that the build generates from a template in the tree (config.h from
        config.h.in): the template filled as configure would here stands in for it (scan/configured.py)."""
        if any(n == name for n, _ in facts.configured):
            return True
        for template in template_names(name):
            found = [path.parent / template] if (path.parent / template).is_file() else \
                self._candidates(path, template, known)
            if len(found) == 1 and (made := read_template(found[0])) is not None:
                facts.configured.append((name, made.text))
                shown = ", ".join(made.defined) or "nothing"
                facts.notes.append(f"{name} is generated by the build: stood in for by {found[0]} as configure would "
                                   f"fill it on glibc/x86-64, defining {shown}; the build's other choices undefined")
                return True
        return False

    def _installed(self, path: Path, name: str, facts: IncludeFacts) -> Path | None:
        """`<gsl/gsl_vector.h>` where the source tree keeps it as vector/gsl_vector.h (its build links the
        headers into gsl/): the one file of the includer's scanned root with that base name stands in,
        included by its path, and a note says so. None when the include names no folder, or the name is
        not unique there (then it stays missing, as before)."""
        parts = PurePosixPath(name).parts
        if len(parts) < 2 or ".." in parts:
            return None
        root = self._root_of(path)
        found = [p for p in self.index.by_name.get(parts[-1], ()) if root in p.parents and p != path]
        if len(found) != 1:
            return None
        facts.configured.append((name, f'#include "{found[0]}"\n'))
        facts.notes.append(f"{name} is not in the scanned tree, but its only {parts[-1]} is {found[0]} (a build "
                           f"that installs or links headers puts it there): included from there")
        return found[0]

    def _language_and_context(self, path: Path, options: ParseOptions, facts: IncludeFacts) -> None:
        if options.language:
            return
        includers = self.includers.get(path)
        if includers:
            source, line = includers[0]
            if _inside_block(self._prefix(source, line)):
                facts.through = f"{source}:{line}"
                return
            chain = self._context_chain(path, source, line, options)
        else:
            chain = self._borrowed_chain(path, options) if path.suffix.lower() in HEADER_SUFFIXES else []
            if chain and self.language(chain[0][0], options) != self.language(path, options):
                chain = []      # a C++ header beside C sources (libsharp's sharp_cxx.h): its own language, alone
        if chain:
            self._set_context(facts, chain, self.language(chain[0][0], options), bool(includers))
        elif self.language(path, options) != language_for(str(path), options):
            facts.language = self.language(path, options)
            facts.notes.append(f"parsed as {facts.language} (C++ in its text, or a header beside C++ sources)")

    def _set_context(self, facts: IncludeFacts, chain: list[tuple[Path, int]], language: str, included: bool) -> None:
        contexts = [(str(f), _closed(self._prefix(f, n))) for f, n in chain[-MAX_CHAIN - 1:]]
        facts.context, facts.outer, facts.language = contexts[-1], contexts[:-1], language
        source, line = chain[-1]
        above = "".join(f"{c} -> " for c, _ in facts.outer)
        how = "its includer" if included else "where its first project header is first included (no scanned file " \
                                                "includes it)"
        facts.notes.append(f"analysed in the context of {how} {above}{source}:{line} ({language})")

    def _prefix(self, source: Path, line: int) -> str:
        # lines as the preprocessor counts them: "\n" only (str.splitlines also breaks at a form feed, which
        # GNU-style C puts between pages, and cut the context short of the include)
        text = self.texts[source]
        end = -1
        for _ in range(line - 1):
            end = text.find("\n", end + 1)
            if end < 0:
                return text
        return text[: end + 1]

    def _context_chain(self, path: Path, includer: Path, line: int, options: ParseOptions) -> list[tuple[Path, int]]:
        """The includes a header is parsed after, outermost first: its first includer when that is a source;
        else the build order's chain (_build_order), else its includers' own first includers."""
        if includer.suffix.lower() not in HEADER_SUFFIXES:
            first = self._source_order(includer, options).get(path)
            if first and len(first) > 1 and first[0][1] < line:
                # an earlier include of the source brought it already (studio.h -> ... -> list.h): parsed
                # where that chain reaches it, not alone after its guard hid it at the source's own line
                return first
            return [(includer, line)]
        chain = self._build_order(options).get(path) or [*self._includer_chain(includer, path), (includer, line)]
        if chain[0][0].suffix.lower() in HEADER_SUFFIXES:      # no source reaches it: borrow its outermost's place
            chain = [*self._borrowed_chain(chain[0][0], options), *chain]
        return chain

    def _borrowed_chain(self, header: Path, options: ParseOptions) -> list[tuple[Path, int]]:
        """For a header that no source reaches: the build order's chain of its first project header, i.e.
        the place where the program first includes what this header needs first (miniFE's orphan
        GetNodesCoords.hpp is parsed where main.cpp's chain includes simple_mesh_description.hpp, after Box)."""
        for kind, name, _ in _includes(self.texts.get(header, "")):
            if kind == "<" and name in self.stub_names:
                continue
            found = self._resolve(header, kind, name, self._build(header.parent).dirs) or self._in_tree(header, name)
            if found is not None and found in self.texts and found != header:
                return [link for link in self._build_order(options).get(found, []) if link[0] != header]
        return []

    def _includer_chain(self, includer: Path, header: Path) -> list[tuple[Path, int]]:
        """For a header no source reaches: its includer's first includers up, outermost first, while each is
        included at file scope (stops at a cycle and after MAX_CHAIN)."""
        chain: list[tuple[Path, int]] = []
        seen, here = {header, includer}, includer
        while len(chain) < MAX_CHAIN and self.includers.get(here):
            source, line = self.includers[here][0]
            if source in seen or _inside_block(self._prefix(source, line)):
                break
            chain.append((source, line))
            seen.add(source)
            here = source
        return chain[::-1]

    def _build_order(self, options: ParseOptions) -> dict[Path, list[tuple[Path, int]]]:
        """Header -> the includes by which a build first reaches it: [(source, line), (header, line), ...].
        The sources are walked in path order, each through its own include folders, depth first, a header
        once per source (its guard hides it after that): so BoxIterator.hpp is parsed after main.cpp up to
        driver.hpp, driver.hpp up to assemble_FE_data.hpp ..., with the Box that main.cpp included first."""
        if self.order is None:
            self.order = {}          # while it is computed: a source's own facts never ask for it
            order: dict[Path, list[tuple[Path, int]]] = {}
            for source in sorted(f for f in self.texts if f.suffix.lower() not in HEADER_SUFFIXES):
                dirs = [Path(d) for d in (*self._own_facts(source, options).include_dirs, *options.include_dirs)]
                self._walk(source, dirs, [], {source}, order)
            self.order = order
        return self.order

    def _source_order(self, source: Path, options: ParseOptions) -> dict[Path, list[tuple[Path, int]]]:
        """Header -> the includes by which this one source first reaches it (_build_order for one source)."""
        if source not in self.source_orders:
            self.source_orders[source] = {}
            dirs = [Path(d) for d in (*self._own_facts(source, options).include_dirs, *options.include_dirs)]
            self._walk(source, dirs, [], {source}, self.source_orders[source])
        return self.source_orders[source]

    def _walk(self, here: Path, dirs: list[Path], chain: list[tuple[Path, int]], seen: set[Path],
              order: dict[Path, list[tuple[Path, int]]]) -> None:
        for kind, name, line in self._file_scope_includes(here):
            if kind == "<" and name in self.stub_names:
                continue
            found = self._resolve(here, kind, name, dirs)
            if found is None or found in seen or found not in self.texts or len(chain) >= 4 * MAX_CHAIN:
                continue
            seen.add(found)
            order.setdefault(found, [*chain, (here, line)])
            self._walk(found, dirs, [*chain, (here, line)], seen, order)

    def _file_scope_includes(self, path: Path) -> list[tuple[str, str, int]]:
        """The file's includes outside braces (read once per scan: every source's walk passes its headers)."""
        if path not in self.scoped:
            text = self.texts.get(path, "")
            self.scoped[path] = [inc for inc in _includes(text) if not _inside_block(self._prefix(path, inc[2]))]
        return self.scoped[path]

    def language(self, path: Path, options: ParseOptions) -> str:
        """A file's language: its first includer's (followed up the chain), else its own suffix's."""
        if path not in self.languages:
            self.languages[path] = None          # a cycle of includes ends here
            includers = self.includers.get(path)
            own = language_for(str(path), options)
            if own == "c" and self._cxx_text(path):
                own = "c++"
            up = self.language(includers[0][0], options) if includers else None
            self.languages[path] = up or own
        return self.languages[path] or language_for(str(path), options)

    def _cxx_text(self, path: Path) -> bool:
        """A .c or .h file that is C++: its own text says so (namespace, template, class, a C++ standard
        header such as <vector>), or, for a .h,
        the sources beside it are C++."""
        if path.suffix.lower() not in (".c", ".h"):
            return False
        raw = self.texts.get(path, "").encode("utf-8", "replace")
        raw = _COMMENTS.sub(lambda m: b"\n" * m.group().count(b"\n"), raw)
        if _CXX_TEXT.search(raw) or _CXX_INCLUDE.search(raw):
            return True
        if path.suffix.lower() == ".c":
            return False
        try:
            return any(p.suffix.lower() in _CXX_SOURCES for p in path.parent.iterdir())
        except OSError:
            return False


def project_roots(facts: Iterable[IncludeFacts], scanned: Sequence[Path]) -> list[Path]:
    """The folders outside the scanned roots that the scan's files include from (read-only roots of an overlay)."""
    roots = [Path(r).resolve() for r in scanned]
    out: list[Path] = []
    for f in facts:
        for d in map(Path, f.include_dirs):
            if not any(d == r or r in d.parents for r in roots) and d not in out:
                out.append(d)
    return out


_CODE_NOISE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


_EXTERN_C = re.compile(r"\bextern\s*\{")     # `extern "C" {` once the string is blanked


def _inside_block(prefix: str) -> bool:
    """True when the text ends inside braces (an #include in a function body): comments, strings and
    character literals aside, more '{' than '}'. A C header's `extern "C" {` (under #ifdef __cplusplus)
    opens no block: the includes after it are at file scope."""
    code = _EXTERN_C.sub(" ", _CODE_NOISE.sub(" ", prefix))
    return code.count("{") > code.count("}")


_CONDITIONAL = re.compile(r"^[ \t]*#[ \t]*(if|ifdef|ifndef|endif)\b", re.M)


def _closed(prefix: str) -> str:
    """A context prefix that ends where it is cut: each `extern "C" {` still open gets its `}` (for C++ only,
    as the brace itself most often is: a C source parses none), then each open #if its #endif."""
    code = _CODE_NOISE.sub(" ", prefix)
    externs = min(len(_EXTERN_C.findall(code)), max(0, code.count("{") - code.count("}")))
    return prefix + "#ifdef __cplusplus\n}\n#endif\n" * externs + "#endif\n" * _open_conditionals(prefix)


def _open_conditionals(prefix: str) -> int:
    """How many #if blocks are open where the prefix ends (an #include inside #ifdef): each needs its #endif."""
    depth = 0
    for m in _CONDITIONAL.finditer(_CODE_NOISE.sub(" ", prefix)):
        depth = max(0, depth - 1) if m.group(1) == "endif" else depth + 1
    return depth


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
