"""`xapp features`: the static features of each candidate region."""
from __future__ import annotations

import argparse

from ..errors import XappError
from ..inputs import expand_sources
from ..progress import tracked, wanted
from ..reports import json_report, table_report
from .exits import EXIT_FAILED, EXIT_OK
from .options import add_format_option, add_parse_options, add_quiet_option, emit, file_warnings, read_input, \
    parse_options, table_width, warn

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser("features", help="static features of each candidate region",
                       description="Find candidate regions (outermost loop nests, OpenCL kernels) and print "
                                   "their static features.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="source files or directories")
    add_parse_options(p)
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per-file parse time limit")
    add_format_option(p)
    add_quiet_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..extraction import Extractor

    options = parse_options(args)
    files, failed, warnings = [], 0, []
    paths = expand_sources(args.paths, args.lang)   # missing, non-source or none: exit 2, as scan
    with Extractor.isolated(workers=1, timeout=args.timeout) as extractor:   # a crash loses only its file
        extractor.warm_up()
        for path in tracked(paths, "features", wanted(args.quiet)):
            try:
                text, notes = read_input(path)
                result = extractor.extract(text, str(path.resolve()), options, str(path))
                files.append({**result.as_dict(), "error": None})
                warnings += file_warnings(path, files[-1]["diagnostics"], args, notes)
            except XappError as exc:
                failed += 1
                files.append({"file": str(path), "regions": [], "diagnostics": None, "error": str(exc)})
    _print(files, warnings, args.format)
    return EXIT_FAILED if failed else EXIT_OK


def _print(files: list[dict], warnings: list, fmt: str) -> None:
    if fmt == "json":
        regions = [r for f in files for r in f["regions"]]
        per_file = [{"file": f["file"], "diagnostics": f["diagnostics"], "error": f["error"],
                     "omp_unchecked": f.get("omp_unchecked", [])} for f in files]
        findings = [x for r in regions for x in r.get("findings", ())]
        findings += [x for f in files for x in f.get("file_findings", ())]
        suppressed = [s for f in files for s in f.get("suppressed", ())]
        emit(json_report.dumps(json_report.versioned({"regions": regions, "files": per_file, "findings": findings,
                                                      "suppressed": suppressed, "warnings": warn(warnings, "json")})))
    else:
        emit(table_report.features_table(files, table_width(None)))
        warn(warnings, fmt)
