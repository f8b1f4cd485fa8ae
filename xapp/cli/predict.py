"""`xapp predict`: P(speed-up > T) per region and threshold, a speed-up band and the reasons."""
from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from ..errors import XappError
from ..inputs import check_request, expand_sources, parse_sweep
from ..progress import tracked, wanted
from ..reports import json_report, sarif_report, table_report
from .exits import EXIT_FAILED, EXIT_OK
from .options import add_hint_option, add_model_option, add_parse_options, add_quiet_option, add_target_options, \
    baseline_from_args, emit, file_warnings, hints_from, output_format, parse_options, read_input, table_width, target_from_args, warn

__all__ = ["add_parser", "run", "FORMATS"]

FORMATS = ("table", "json", "sarif")


def add_parser(sub) -> None:
    p = sub.add_parser("predict", help="probability that each region beats each GPU speed-up threshold",
                       description="For each candidate region: P(speed-up > T) per threshold, a speed-up band "
                                   "and the features that weighed most.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="source files or directories")
    add_parse_options(p)
    add_model_option(p)
    p.add_argument("--threshold", dest="thresholds", type=float, action="append", default=[], metavar="T",
                   help="report only these thresholds (repeatable; default: all of the model's)")
    add_hint_option(p, "a runtime fact known before porting, e.g. transfer=1048576 (bytes) or wgsize=256")
    p.add_argument("--sweep", metavar="NAME=LOW:HIGH",
                   help="what-if: vary a -D macro or a hint from LOW to HIGH and report where "
                        "P(speed-up > T) crosses 0.5 (T: the first --threshold)")
    p.add_argument("--reasons", type=int, default=3, metavar="K", help="reasons per region (default 3)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per-file parse time limit")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: from the -o suffix .json/.sarif, else table)")
    p.add_argument("-o", dest="output", metavar="FILE", help="write the report to FILE instead of stdout")
    add_quiet_option(p)
    add_target_options(p)
    p.set_defaults(run=run)


def _error_entry(path, exc: XappError) -> dict:
    return {"file": str(path), "error": str(exc), "kind": type(exc).__name__}


def run(args: argparse.Namespace) -> int:
    from ..extraction import Extractor
    from ..predict import PredictOptions, Predictor

    target = target_from_args(args)
    options = PredictOptions(parse=parse_options(args), hints=hints_from(args),
                             thresholds=tuple(args.thresholds) or None, top_reasons=args.reasons,
                             target=target, baseline=baseline_from_args(args, target))
    fmt = output_format(args.format, args.output, FORMATS)
    sweep = parse_sweep(args.sweep) if args.sweep else None
    paths = expand_sources(args.paths, args.lang)   # missing, non-source or none: exit 2, as scan
    with Extractor.isolated(workers=1, timeout=args.timeout) as extractor:
        predictor = Predictor.from_path(args.model, extractor)
        check_request(predictor.bundle, options.thresholds, options.hints)     # before any work
        extractor.warm_up()
        files, errors, sweeps, warnings = [], [], [], []
        for path in tracked(paths, "predicting", wanted(args.quiet)):
            try:
                text, notes = read_input(path)
                files.append(predictor.predict_source(text, str(path.resolve()), options, display_name=str(path)))
                warnings += file_warnings(path, files[-1].diagnostics, args, notes)
                if sweep:
                    sweeps += predictor.sweep(text, str(path.resolve()), *sweep, options=options,
                                              display_name=str(path))
            except XappError as exc:
                errors.append(_error_entry(path, exc))
    threshold = (options.thresholds or predictor.bundle.thresholds)[0]
    _print(predictor.model_summary(options.target, options.baseline), files, errors, sweeps if sweep else None, warnings, fmt,
           threshold, args.output)
    if args.output:
        print(f"xapp predict: wrote {fmt} report to {args.output}", file=sys.stderr)
    return EXIT_FAILED if errors else EXIT_OK


def _print(summary, files: list, errors: list, sweeps: list | None, warnings: list, fmt: str, threshold: float,
           output: str | None) -> None:
    """`sweeps` is None without --sweep (JSON then has no `sweeps` key)."""
    from ..predict import program_summary

    program = program_summary([r for f in files for r in f.results])
    if fmt == "json":
        doc = json_report.prediction_document(summary, files, errors, warn(warnings, "json"))
        doc["summary"] = program
        if sweeps is not None:
            doc["sweeps"] = [asdict(s) | {"summary": s.sentence()} for s in sweeps]
        emit(json_report.dumps(doc), output)
    elif fmt == "sarif":      # the scan's writer, over a report of these answers
        from ..scan.report import ScanReport
        report = ScanReport.from_predictions(summary, threshold, files, errors)
        emit(json_report.dumps(sarif_report.sarif_log(report)), output)
        warn(warnings, fmt)
    else:
        emit(table_report.predictions_table(summary, files, errors, sweeps or [], table_width(output), program), output)
        warn(warnings, fmt)
