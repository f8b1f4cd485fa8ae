"""`xapp targets`: the hardware targets and the spec-sheet numbers of each."""
from __future__ import annotations

import argparse
from dataclasses import asdict

from ..reports import json_report, table_report
from .exits import EXIT_OK
from .options import add_format_option, emit

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser("targets", help="list the hardware targets and the spec-sheet numbers of each",
                       description="Each target is a CPU baseline and a GPU with the numbers the cost model "
                                   "uses; --format json also gives the public source of each number.")
    p.add_argument("--target-file", dest="target_files", action="append", default=[], metavar="FILE",
                   help="also show a target described in a TOML file (repeatable)")
    add_format_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..targets import DEFAULT_TARGET, builtin_targets, load_target_file

    targets = dict(builtin_targets())
    for path in args.target_files:
        t = load_target_file(path)
        targets[t.name] = t
    if args.format == "json":
        from ..targets import DEFAULT_BASELINE, builtin_baselines

        emit(json_report.dumps(json_report.versioned({"default": DEFAULT_TARGET,
                                                      "targets": [asdict(t) for t in targets.values()],
                                                      "default_baseline": DEFAULT_BASELINE,
                                                      "baselines": [asdict(b) for b in builtin_baselines().values()]})))
    else:
        emit(table_report.targets_table(list(targets.values()), DEFAULT_TARGET))
    return EXIT_OK
