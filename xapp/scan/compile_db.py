"""compile_commands.json: which files a build compiles, and the flags of each that change the AST.

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

import json
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..features import ParseOptions
from ..inputs import is_macro_name, parse_define

__all__ = ["CommandFlags", "CompileDatabase", "COMPILE_DB_NAME", "flags_from_command", "merge"]

COMPILE_DB_NAME = "compile_commands.json"
_KEEP_PATH = ("-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros")
_DROP_WITH_VALUE = frozenset({
    "-o", "-MF", "-MT", "-MQ", "-MJ", "-Xclang", "-Xlinker", "-Xpreprocessor", "-Xassembler", "-arch",
    "-target", "-isysroot", "--sysroot", "-L", "-T", "-u", "-z", "-e", "-aux-info", "--param",
    "-dependency-file", "-install_name", "-main-file-name", "-gcc-toolchain", "-B", "-F", "-framework",
    "--serialize-diagnostics", "-resource-dir", "-ivfsoverlay", "-iprefix", "-iwithprefix", "-mllvm",
    "-Xarch_host", "-Xarch_device", "-Xcuda-ptxas", "-Xopenmp-target",
})
_X_LANG = {"c": "c", "c-header": "c", "c++": "c++", "c++-header": "c++", "cl": "opencl"}
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


_PATH_FLAGS = ("-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-I")


@dataclass
class _Collected:
    """The flags kept so far while reading one command."""

    defines: list = field(default_factory=list)
    includes: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    std: str | None = None
    language: str | None = None

    def flags(self) -> CommandFlags:
        return CommandFlags(tuple(self.defines), tuple(self.includes), self.std, self.language, tuple(self.extra))


def flags_from_command(argv: Sequence[str], directory: Path) -> CommandFlags:
    """The AST-relevant flags of one compile command (see the module docstring)."""
    out = _Collected()
    args = list(argv[1:])
    i = 0
    while i < len(args):
        i += _take(args[i], args[i + 1] if i + 1 < len(args) else None, directory, out)
    return out.flags()


def _take(a: str, nxt: str | None, directory: Path, out: _Collected) -> int:
    """Record what argument `a` sets; the number of arguments it used (2 when its value is `nxt`)."""
    if a in _DROP_WITH_VALUE:
        return 2
    if a.startswith(("-std=", "-cl-std=")):
        value = a.split("=", 1)[1]
        out.std = value if _STD.fullmatch(value) else out.std
        return 1
    if (kv := _split(a, ("-D", "-U"))) is not None:
        return _take_macro(*kv, nxt, out)
    if (kv := _split(a, _PATH_FLAGS)) is not None:
        return _take_path(*kv, nxt, directory, out)
    if a == "-x" and nxt is not None:
        out.language = _X_LANG.get(nxt, out.language)
        return 2
    if a.startswith("-x") and len(a) > 2:
        out.language = _X_LANG.get(a[2:], out.language)
    return 1


def _take_macro(flag: str, value: str | None, nxt: str | None, out: _Collected) -> int:
    """-D NAME[=VALUE] with a valid name becomes a define; -U and anything else pass through as text."""
    step = 1
    if value is None:
        value, step = nxt, 2
    if value:
        name, val = parse_define(value) if flag == "-D" else (value, None)
        if flag == "-D" and is_macro_name(name):
            out.defines.append((name, val))
        else:
            out.extra.append(f"{flag}{value}")
    return step


def _take_path(flag: str, value: str | None, nxt: str | None, directory: Path, out: _Collected) -> int:
    """-I DIR is an include directory; the other path flags stay as they are, with the path resolved."""
    step = 1
    if value is None:
        value, step = nxt, 2
    if value:
        resolved = _resolve(value, directory)
        if flag == "-I":
            out.includes.append(resolved)
        else:
            out.extra += [flag, resolved]
    return step


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
