"""Which files a scan reads, and with which flags: a directory walk or a compile database.

Walk mode (`xapp scan DIR...`): every file with a C, C++ or OpenCL suffix
(`SOURCE_SUFFIXES`) under each directory, in sorted order, except

* what `--exclude GLOB` names. A glob is matched (as `fnmatch` does: `*` also
  crosses `/`) against the path relative to the walked directory and against
  each single name on that path, so `--exclude vendor` drops every `vendor/`
  folder and `--exclude 'src/gen/*.c'` one set of files. A matching directory
  is not entered.
* what `.gitignore` files say (unless `use_gitignore=False`): those found in
  the walked tree, plus those of its parent directories up to the nearest one
  holding `.git`. The subset of gitignore(5) honoured: `#` comments and blank
  lines; `!` re-includes; a trailing `/` matches directories only; a pattern
  with a `/` other than a trailing one is anchored to its `.gitignore`'s
  directory, one without matches a name at any depth; `*`, `?`, `[...]` and
  `**` (`**/x`, `x/**`, `a/**/b`). The last matching line wins and deeper files
  are read after shallower ones; an ignored directory is not entered, so its
  files cannot be re-included (as in git). Not honoured: `core.excludesFile`,
  `.git/info/exclude`, and trailing-space escapes.
* `.git` directories.

A file named on the command line is always scanned, whatever its suffix,
`--exclude` or `.gitignore` say.

Compile database mode (`-p BUILD_DIR`, as clang-tidy): `compile_commands.json`
in BUILD_DIR (or the file itself) gives the files and each file's flags. With
no PATH every entry with a source suffix is scanned (`--exclude` applies,
matched against the path relative to the current directory); with PATHs, the
files found there, each with its database flags when the database has an entry
for exactly that file and the command-line flags otherwise (xapp never guesses
a command from a neighbouring entry, as libclang's CompilationDatabase would).
The first entry of a file that is compiled twice wins.

From an entry's command xapp keeps what changes the AST it reads: `-D`, `-U`,
`-I`, `-isystem`, `-iquote`, `-idirafter`, `-include`, `-imacros` (relative
paths resolved against the entry's `directory`), `-std=`/`-cl-std=` and `-x`.
It drops argv[0], `-o X`, `-c`, the input file names and every other flag:
optimisation, warning, code generation, dependency and link flags do not change
the AST, and some (plugins, profile files, another compiler's options) make
libclang fail. Flags given on the command line are added after the database's:
their `-D` wins, `--std` and `--lang` replace the entry's.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from ..errors import InputError
from ..features import SOURCE_SUFFIXES, ParseOptions, parse_define

__all__ = ["ScanTarget", "GitIgnore", "CommandFlags", "CompileDatabase", "COMPILE_DB_NAME", "discover",
           "display_name", "excluded", "flags_from_command", "merge", "walk"]

COMPILE_DB_NAME = "compile_commands.json"
_SKIP_DIRS = frozenset({".git"})


@dataclass(frozen=True)
class ScanTarget:
    """One file to scan: where it is, how it is shown, how it is parsed."""

    path: Path                 # absolute
    display: str               # as reports show it (relative to the current directory when inside it)
    options: ParseOptions
    flags_from: str = "command line"     # or "compile_commands.json"


def display_name(path: Path, cwd: Path | None = None) -> str:
    cwd = cwd or Path.cwd()
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


# ---- .gitignore -----------------------------------------------------------------------------------
def _translate(glob: str) -> str:
    """A gitignore glob as a regular expression over '/'-separated paths."""
    out, i, n = [], 0, len(glob)
    while i < n:
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == n:
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[":
            j = i + 1
            if j < n and glob[j] in "!^":
                j += 1
            if j < n and glob[j] == "]":
                j += 1
            j = glob.find("]", j)
            if j < 0:
                out.append(re.escape("["))
                i += 1
                continue
            body = glob[i + 1:j]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j + 1
        elif glob[i] == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class _Rule:
    base: Path
    regex: re.Pattern
    negate: bool
    dir_only: bool
    anchored: bool

    def matches(self, path: Path, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        try:
            rel = path.relative_to(self.base).as_posix()
        except ValueError:
            return False
        return bool(self.regex.fullmatch(rel if self.anchored else path.name))


class GitIgnore:
    """The rules of the .gitignore files that apply to one directory (a documented subset)."""

    def __init__(self, rules: tuple[_Rule, ...] = ()):
        self.rules = rules

    @staticmethod
    def parse_lines(lines: Iterable[str], base: Path) -> tuple[_Rule, ...]:
        rules = []
        for raw in lines:
            line = raw.rstrip("\n").rstrip("\r").rstrip(" ")
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:]
            elif line.startswith("\\#") or line.startswith("\\!"):
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            if not line:
                continue
            anchored = "/" in line
            line = line.lstrip("/")
            rules.append(_Rule(base, re.compile(_translate(line)), negate, dir_only, anchored))
        return tuple(rules)

    def with_file(self, directory: Path) -> "GitIgnore":
        """These rules plus those of `directory/.gitignore`, if there is one."""
        f = directory / ".gitignore"
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return self
        return GitIgnore(self.rules + self.parse_lines(text.splitlines(), directory))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for rule in self.rules:
            if rule.matches(path, is_dir):
                verdict = not rule.negate
        return verdict

    @classmethod
    def for_root(cls, root: Path) -> "GitIgnore":
        """The rules of root's parent directories up to the nearest one holding `.git` (none without one)."""
        if (root / ".git").exists():
            return cls()           # the walk reads root's own .gitignore
        chain = [root]
        for parent in root.parents:
            chain.append(parent)
            if (parent / ".git").exists():
                break
        else:
            return cls()           # not inside a git work tree: only the walked tree's files apply
        ignore = cls()
        for d in reversed(chain[1:]):
            ignore = ignore.with_file(d)
        return ignore


# ---- --exclude ------------------------------------------------------------------------------------
def excluded(rel: PurePosixPath, globs: Sequence[str]) -> bool:
    """True when a glob matches the whole relative path or any single name on it."""
    text = rel.as_posix()
    return any(fnmatch.fnmatchcase(text, g) or any(fnmatch.fnmatchcase(part, g) for part in rel.parts)
               for g in globs)


def walk(root: Path, excludes: Sequence[str] = (), use_gitignore: bool = True) -> list[Path]:
    """Source files under `root`, sorted, honouring --exclude globs and .gitignore files."""
    root = root.resolve()
    found: list[Path] = []
    stack = [(root, GitIgnore.for_root(root) if use_gitignore else GitIgnore())]
    while stack:
        directory, ignore = stack.pop()
        if use_gitignore:
            ignore = ignore.with_file(directory)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            path = Path(entry.path)
            is_dir = entry.is_dir()
            if is_dir and entry.name in _SKIP_DIRS:
                continue
            if excludes and excluded(PurePosixPath(path.relative_to(root).as_posix()), excludes):
                continue
            if use_gitignore and ignore.ignored(path, is_dir):
                continue
            if is_dir:
                if not entry.is_symlink():
                    subdirs.append((path, ignore))
            elif path.suffix.lower() in SOURCE_SUFFIXES and entry.is_file():
                found.append(path)
        stack.extend(reversed(subdirs))
    return sorted(found)


# ---- compile_commands.json ------------------------------------------------------------------------
_KEEP_PATH = ("-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros")
_DROP_WITH_VALUE = frozenset({
    "-o", "-MF", "-MT", "-MQ", "-MJ", "-Xclang", "-Xlinker", "-Xpreprocessor", "-Xassembler", "-arch",
    "-target", "-isysroot", "--sysroot", "-L", "-T", "-u", "-z", "-e", "-aux-info", "--param",
    "-dependency-file", "-install_name", "-main-file-name", "-gcc-toolchain", "-B", "-F", "-framework",
    "--serialize-diagnostics", "-resource-dir", "-ivfsoverlay", "-iprefix", "-iwithprefix", "-mllvm",
    "-Xarch_host", "-Xarch_device", "-Xcuda-ptxas", "-Xopenmp-target",
})
_X_LANG = {"c": "c", "c-header": "c", "c++": "c++", "c++-header": "c++", "cl": "opencl"}
_MACRO = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STD = re.compile(r"[A-Za-z0-9+.\-]+")


@dataclass(frozen=True)
class CommandFlags:
    defines: tuple[tuple[str, str | None], ...] = ()
    include_dirs: tuple[str, ...] = ()
    std: str | None = None
    language: str | None = None
    extra_args: tuple[str, ...] = ()


def _resolve(value: str, directory: Path) -> str:
    p = Path(value)
    return str(p if p.is_absolute() else (directory / p).resolve())


def _split(arg: str, flags: Sequence[str]) -> tuple[str, str | None] | None:
    """('-I', 'inc') for '-Iinc'; ('-I', None) for '-I' (value in the next argument); None otherwise."""
    for f in flags:
        if arg == f:
            return f, None
        if arg.startswith(f) and not arg.startswith(f + "-"):
            return f, arg[len(f):]
    return None


def flags_from_command(argv: Sequence[str], directory: Path) -> CommandFlags:
    """The AST-relevant flags of one compile command (see the module docstring)."""
    defines, includes, extra = [], [], []
    std = language = None
    args = list(argv[1:])
    i = 0
    while i < len(args):
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        step = 1
        if a in _DROP_WITH_VALUE:
            step = 2
        elif a.startswith("-std="):
            std = a.split("=", 1)[1] if _STD.fullmatch(a.split("=", 1)[1]) else std
        elif a.startswith("-cl-std="):
            std = a.split("=", 1)[1] if _STD.fullmatch(a.split("=", 1)[1]) else std
        elif (kv := _split(a, ("-D", "-U"))) is not None:
            flag, value = kv
            if value is None:
                value, step = nxt, 2
            if value:
                name, val = parse_define(value) if flag == "-D" else (value, None)
                if flag == "-D" and _MACRO.fullmatch(name):
                    defines.append((name, val))
                else:
                    extra.append(f"{flag}{value}")
        elif (kv := _split(a, ("-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-I"))) is not None:
            flag, value = kv
            if value is None:
                value, step = nxt, 2
            if value:
                resolved = _resolve(value, directory)
                if flag == "-I":
                    includes.append(resolved)
                else:
                    extra += [flag, resolved]
        elif a == "-x" and nxt is not None:
            language = _X_LANG.get(nxt, language)
            step = 2
        elif a.startswith("-x") and len(a) > 2:
            language = _X_LANG.get(a[2:], language)
        i += step
    return CommandFlags(tuple(defines), tuple(includes), std, language, tuple(extra))


class CompileDatabase:
    """The entries of one compile_commands.json: absolute file path -> the flags xapp keeps."""

    def __init__(self, path: Path, entries: dict[Path, CommandFlags]):
        self.path = path
        self.entries = entries

    @classmethod
    def load(cls, build_dir: str | Path) -> "CompileDatabase":
        p = Path(build_dir)
        path = p if p.is_file() else p / COMPILE_DB_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"no {COMPILE_DB_NAME} in {p} (-p takes the build directory that holds it)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read the compile database ({exc})") from None
        if not isinstance(data, list):
            raise InputError(f"{path}: a compile database is a JSON array of entries")
        entries: dict[Path, CommandFlags] = {}
        for n, entry in enumerate(data):
            file, flags = cls._entry(entry, path, n)
            entries.setdefault(file, flags)
        return cls(path.resolve(), entries)

    @staticmethod
    def _entry(entry, path: Path, n: int) -> tuple[Path, CommandFlags]:
        if not isinstance(entry, dict) or not isinstance(entry.get("directory"), str) \
                or not isinstance(entry.get("file"), str):
            raise InputError(f"{path}: entry {n} needs string 'directory' and 'file' fields")
        directory = Path(entry["directory"])
        if not directory.is_absolute():
            directory = (path.parent / directory)
        directory = directory.resolve()
        if isinstance(entry.get("arguments"), list):
            argv = [str(a) for a in entry["arguments"]]
        elif isinstance(entry.get("command"), str):
            try:
                argv = shlex.split(entry["command"])
            except ValueError as exc:
                raise InputError(f"{path}: entry {n}: cannot split its command ({exc})") from None
        else:
            raise InputError(f"{path}: entry {n} has neither 'arguments' nor 'command'")
        file = Path(_resolve(entry["file"], directory))
        return file, flags_from_command(argv, directory)

    def flags_for(self, file: Path) -> CommandFlags | None:
        """The entry of exactly this file, or None: never a command guessed from another entry."""
        return self.entries.get(file.resolve())


def merge(base: ParseOptions, flags: CommandFlags) -> ParseOptions:
    """Database flags first, then the command line's (its -D wins; --std and --lang replace)."""
    defines = dict(flags.defines)
    defines.update(dict(base.defines))
    return replace(base, defines=tuple(defines.items()),
                   include_dirs=flags.include_dirs + base.include_dirs,
                   std=base.std or flags.std, language=base.language or flags.language,
                   extra_args=flags.extra_args + base.extra_args)


# ---- the one entry point --------------------------------------------------------------------------
def discover(paths: Sequence[str | Path], options: ParseOptions, *, build_dir: str | Path | None = None,
             excludes: Sequence[str] = (), use_gitignore: bool = True) -> list[ScanTarget]:
    """The files to scan, each with its parse options, in a stable order, without duplicates."""
    if not paths and build_dir is None:
        raise InputError("nothing to scan: give PATH... or -p BUILD_DIR")
    db = CompileDatabase.load(build_dir) if build_dir is not None else None
    cwd = Path.cwd()
    files: list[Path] = []
    if paths:
        for raw in paths:
            p = Path(raw)
            if p.is_dir():
                files.extend(walk(p, excludes, use_gitignore))
            elif p.exists() or (db is not None and db.flags_for(p.absolute()) is not None):
                files.append(p.absolute())
            else:
                raise InputError(f"{raw}: no such file or directory")
    else:
        for f in db.entries:
            if f.suffix.lower() not in SOURCE_SUFFIXES:
                continue
            rel = PurePosixPath(display_name(f, cwd).lstrip("/"))
            if excludes and excluded(rel, excludes):
                continue
            files.append(f)
    targets, seen = [], set()
    for f in files:
        key = os.path.normpath(f)
        if key in seen:
            continue
        seen.add(key)
        flags = db.flags_for(f) if db is not None else None
        opts, origin = (merge(options, flags), COMPILE_DB_NAME) if flags is not None else (options, "command line")
        targets.append(ScanTarget(Path(key), display_name(Path(key), cwd), opts, origin))
    return targets
