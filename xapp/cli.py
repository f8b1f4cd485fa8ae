"""The xapp command line: argument parsing and output only; the work happens in the library.

Exit codes (every command): 0 done; 1 a file failed (features, predict) or a region
reached --fail-on (scan); 2 usage error, unusable input or internal error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from .errors import XappError
from .features import LANGUAGES, SOURCE_SUFFIXES, ParseOptions, extract_file, parse_define
from .reports import json_report, table

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _add_parse_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("parsing")
    g.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]",
                   help="define a macro, as for the compiler (problem sizes: -D N=4096)")
    g.add_argument("-I", dest="include_dirs", action="append", default=[], metavar="DIR",
                   help="add an include directory")
    g.add_argument("--std", help="language standard, e.g. c99, c++17, CL2.0")
    g.add_argument("--lang", choices=LANGUAGES, help="parse every file as this language (default: by suffix)")
    g.add_argument("--headers", choices=("hermetic", "system"), default="hermetic",
                   help="hermetic: xapp's stub headers (default); system: a clang resource directory "
                        "and the host's headers, falling back to the stubs")
    g.add_argument("--resource-dir", help="clang resource directory for --headers system "
                                          "(else XAPP_CLANG_RESOURCE_DIR, clang -print-resource-dir, known paths)")


def parse_options(args: argparse.Namespace) -> ParseOptions:
    return ParseOptions(
        language=args.lang, defines=tuple(parse_define(d) for d in args.defines),
        include_dirs=tuple(args.include_dirs), std=args.std, header_mode=args.headers,
        resource_dir=args.resource_dir,
    )


def expand_paths(paths: Sequence[str]) -> list[Path]:
    """Files as given; directories walked for C, C++ and OpenCL sources."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES))
        else:
            out.append(p)
    return out


def _emit(text: str, out_path: str | None = None) -> None:
    if out_path:
        Path(out_path).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


# ---- features ----------------------------------------------------------------------------------
def cmd_features(args: argparse.Namespace) -> int:
    options = parse_options(args)
    files, failed = [], 0
    for path in expand_paths(args.paths):
        try:
            result = extract_file(path, options)
            files.append({**result.as_dict(), "error": None})
        except XappError as exc:
            failed += 1
            files.append({"file": str(path), "regions": [], "diagnostics": None, "error": str(exc)})
    if args.format == "json":
        regions = [r for f in files for r in f["regions"]]
        per_file = [{"file": f["file"], "diagnostics": f["diagnostics"], "error": f["error"]} for f in files]
        _emit(json_report.dumps({"regions": regions, "files": per_file}))
    else:
        _emit(table.features_table(files))
    return EXIT_FAILED if failed else EXIT_OK


def _features_parser(sub) -> None:
    p = sub.add_parser("features", help="static features of each candidate region",
                       description="Find candidate regions (outermost loop nests, OpenCL kernels) and print "
                                   "their static features.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="source files or directories")
    _add_parse_options(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_features)


_COMMANDS: list[Callable] = [_features_parser]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xapp", description="Static GPU speed-up predictor for C, C++ and "
                                                              "OpenCL C loop nests.")
    parser.add_argument("--version", action="version", version=f"xapp {__import__('xapp').__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:          # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return args.run(args)
    except XappError as exc:
        print(f"xapp: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
