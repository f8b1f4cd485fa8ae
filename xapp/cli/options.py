"""The arguments several commands share, and their conversion to the library's typed options."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..features import LANGUAGES, ParseOptions, parse_define, read_source
from ..inputs import decoding_warnings, diagnostics_warnings, unique, warning_lines

__all__ = ["add_parse_options", "add_target_options", "baseline_from_args", "sizes_from", "add_model_option", "add_hint_option", "add_format_option",
           "add_quiet_option", "parse_options", "target_from_args", "hints_from", "warn",
           "read_input", "file_warnings", "emit", "output_format", "table_width", "probability", "positive", "count"]


# ---- argument groups ---------------------------------------------------------------------------
def add_parse_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("parsing")
    g.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]",
                   help="define a macro, as for the compiler (problem sizes: -D N=4096)")
    g.add_argument("-I", dest="include_dirs", action="append", default=[], metavar="DIR",
                   help="add an include directory")
    g.add_argument("--std", help="language standard, e.g. c99, c++17, CL2.0")
    g.add_argument("--lang", choices=LANGUAGES, help="parse every file as this language (default: by suffix)")
    g.add_argument("--headers", choices=("hermetic", "system"), default="hermetic",
                   help="hermetic: xapp's stub headers (default); system: a clang resource directory "
                        "(else the host compiler's builtin headers) and the host's headers, "
                        "falling back to the stubs")
    g.add_argument("--resource-dir", help="clang resource directory for --headers system "
                                          "(else XAPP_CLANG_RESOURCE_DIR, clang -print-resource-dir, known paths)")
    g.add_argument("--no-alias-assumption", dest="alias_assumption", action="store_false",
                   help="do not assume that distinct arrays and pointers never overlap: loops whose "
                        "verdict rests on it become serial")
    g.add_argument("--size", dest="sizes", action="append", default=[], metavar="[FUNCTION:]NAME=VALUE",
                   help="a problem size the program does not fix statically: a variable or parameter NAME "
                        "(in every function, or only in FUNCTION) takes VALUE, e.g. --size n=4000 or "
                        "--size kernel:n=4000 (repeatable; macros keep -D). Sizes read from input "
                        "(scanf, atoi(argv[..]), ...) or passed by no caller are otherwise unknown, and "
                        "such a region reports its break-even size instead of an estimate")


def add_target_options(g) -> None:
    g.add_argument("--target", metavar="NAME", help="hardware target (`xapp targets` lists them; default h100)")
    g.add_argument("--target-file", metavar="FILE", help="a hardware target described in a TOML file "
                                                         "(the format of xapp/targets/profiles/*.toml)")
    g.add_argument("--baseline", metavar="NAME|FILE",
                   help="the CPU a GPU port is compared with: a shipped baseline (server-core, the default for "
                        "every target so that targets compare GPUs; i7-3820-opencl, devmap's CPU and the "
                        "default of its targets) or a TOML file, e.g. one `xapp calibrate --out FILE` measured "
                        "on this machine")


def add_model_option(g) -> None:
    g.add_argument("--model", metavar="DIR", help="model bundle directory (default: the shipped model)")


def add_hint_option(g, help: str) -> None:
    g.add_argument("--hint", dest="hints", action="append", default=[], metavar="NAME=VALUE", help=help)


def add_format_option(g, choices: Sequence[str] = ("table", "json"), **kwargs) -> None:
    kwargs.setdefault("default", choices[0])
    g.add_argument("--format", choices=choices, **kwargs)


def add_quiet_option(g) -> None:
    g.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")


# ---- argument types ----------------------------------------------------------------------------
def probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a probability between 0 and 1, got {text!r}")
    return value


def positive(kind):
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value
    return convert


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return value


# ---- conversion --------------------------------------------------------------------------------
def parse_options(args: argparse.Namespace) -> ParseOptions:
    return ParseOptions(
        language=args.lang, defines=tuple(parse_define(d) for d in args.defines),
        include_dirs=tuple(args.include_dirs), std=args.std, header_mode=args.headers,
        resource_dir=args.resource_dir, alias_assumption=args.alias_assumption,
        sizes=sizes_from(getattr(args, "sizes", [])),
    )


def sizes_from(texts) -> tuple[tuple[str, int], ...]:
    """--size values; a malformed one is an InputError naming it."""
    from ..analysis.sizes import parse_size
    from ..errors import InputError

    out = []
    for text in texts:
        try:
            out.append(parse_size(text))
        except ValueError as exc:
            raise InputError(str(exc)) from None
    return tuple(out)


def baseline_from_args(args: argparse.Namespace, target=None):
    from ..targets import get_baseline
    return get_baseline(getattr(args, "baseline", None), target)


def target_from_args(args: argparse.Namespace):
    from ..targets import get_target
    return get_target(args.target, args.target_file)


def hints_from(args: argparse.Namespace) -> tuple[tuple[str, float], ...]:
    from ..inputs import parse_hint
    return tuple(parse_hint(h) for h in args.hints)


# ---- output ------------------------------------------------------------------------------------
def warn(warnings, fmt: str, prog: str = "xapp") -> list[dict]:
    """Say the input warnings on stderr (table mode); return them as JSON objects (json mode)."""
    warnings = unique(warnings)
    if fmt != "json":
        for line in warning_lines(warnings, prog=prog):
            print(line, file=sys.stderr)
    return [w.as_dict() for w in warnings]


def read_input(path: Path) -> tuple[str, list[str]]:
    """A source's text and the notes its decoding left (not UTF-8: read as cp1252 or Latin-1)."""
    notes: list[str] = []
    return read_source(path, notes=notes), notes


def file_warnings(path: Path, diagnostics: dict | None, args: argparse.Namespace, notes: Sequence[str] = ()) -> list:
    """What the run says about one file: its decoding notes, then what its parse diagnostics call for."""
    return decoding_warnings(str(path), notes) + diagnostics_warnings(str(path), diagnostics, args.headers, path)


def emit(text: str, out_path: str | None = None) -> None:
    """The report on stdout, or in `out_path` (-o FILE); a file that cannot be written is an InputError."""
    if not text.endswith("\n"):
        text += "\n"
    if not out_path:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(out_path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out_path}: {exc.strerror or exc}") from None


def table_width(output: str | None) -> int | None:
    """The width to fit a table to: the terminal's (COLUMNS overrides it, as shutil reads it) when the table
    goes to a terminal, else None (no limit). A table piped into a file, grep or a CI log keeps every
    character: nothing there wraps lines, and a cut reason would be lost. (COLUMNS alone is no sign of a
    terminal: pytest-xdist's workers, for one, run with COLUMNS=80 and a pipe.)"""
    if output is None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


_SUFFIX_FORMAT = {".txt": "table", ".json": "json", ".csv": "csv", ".sarif": "sarif", ".html": "html",
                  ".htm": "html"}


def output_format(fmt: str | None, output: str | None, choices: Sequence[str]) -> str:
    """--format, else the format the -o file's suffix names (`.sarif.json` is SARIF), else table."""
    if fmt:
        return fmt
    if not output:
        return "table"
    name = output.lower()
    by_suffix = "sarif" if name.endswith(".sarif.json") else _SUFFIX_FORMAT.get(Path(name).suffix, "table")
    if by_suffix not in choices:
        raise InputError(f"-o {output}: this command writes {', '.join(choices)}, not {by_suffix}; "
                         "use --format or another suffix")
    return by_suffix
