"""The xapp command line: argument parsing and output only; the work happens in the library.

One module per command (features, predict, scan, serve, train/evaluate, label, targets, calibrate); the
arguments they share and their conversion to the library's options are in `options`, and the exit
codes with the one mapping from an error to an exit code in `exits`. Each command module imports
its heavy parts (XGBoost, FastAPI, Dask) inside `run`, so `xapp --help` stays fast.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from ..errors import EXIT_ERROR, XappError

from . import calibrate, features, label, predict, scan, serve, targets, train
from .config import apply_config
from .exits import run_command
from .version import VersionAction

__all__ = ["main", "build_parser", "COMMANDS"]

# The order of `xapp --help`.
COMMANDS: tuple[Callable, ...] = (features.add_parser, predict.add_parser, scan.add_parser, serve.add_parser,
                                  train.add_train_parser, train.add_evaluate_parser, label.add_parser,
                                  targets.add_parser, calibrate.add_parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xapp", description="Static GPU speed-up predictor for C, C++ and "
                                                              "OpenCL C loop nests.")
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = apply_config(parser, argv, parser.parse_args(argv))     # the command line over a settings file
    except SystemExit as exc:          # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    except XappError as exc:           # an unreadable settings file, an unknown key, a bad value
        print(f"xapp: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return run_command(args)
