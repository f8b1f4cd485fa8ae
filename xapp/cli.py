"""The xapp command line: argument parsing and output only; the work happens in the library.

Exit codes (every command): 0 done; 1 a file failed (features, predict) or a region
reached --fail-on (scan); 2 usage error, unusable input (a missing path, a file that is not
a source, no source at all, an unknown hint) or internal error.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Sequence

from .errors import InputError, XappError
from .features import LANGUAGES, ParseOptions, extract_source, parse_define, read_source
from .inputs import check_hint_names, diagnostics_warnings, expand_sources, unique, warning_lines
from .progress import tracked, wanted
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
    g.add_argument("--no-alias-assumption", dest="alias_assumption", action="store_false",
                   help="do not assume that distinct arrays and pointers never overlap: loops whose "
                        "verdict rests on it become serial")


def add_target_options(g) -> None:
    g.add_argument("--target", metavar="NAME", help="hardware target (`xapp targets` lists them; default h100)")
    g.add_argument("--target-file", metavar="FILE", help="a hardware target described in a TOML file "
                                                         "(the format of xapp/targets/profiles/*.toml)")


def target_from_args(args: argparse.Namespace):
    from .targets import get_target
    return get_target(args.target, args.target_file)


def parse_options(args: argparse.Namespace) -> ParseOptions:
    return ParseOptions(
        language=args.lang, defines=tuple(parse_define(d) for d in args.defines),
        include_dirs=tuple(args.include_dirs), std=args.std, header_mode=args.headers,
        resource_dir=args.resource_dir, alias_assumption=args.alias_assumption,
    )


def expand_paths(paths: Sequence[str], language: str | None = None) -> list[Path]:
    """Files as given; directories walked for C, C++ and OpenCL sources. A missing path, a non-source file
    (without --lang) or no source at all is a usage error (exit 2), as for `xapp scan`."""
    return expand_sources(paths, language)


def warn(warnings, fmt: str) -> list[dict]:
    """Say the input warnings on stderr (table mode); return them as JSON objects (json mode)."""
    warnings = unique(warnings)
    if fmt != "json":
        for line in warning_lines(warnings):
            print(line, file=sys.stderr)
    return [w.as_dict() for w in warnings]


def _file_warnings(path: Path, diagnostics: dict | None, args) -> list:
    return diagnostics_warnings(str(path), diagnostics, args.headers, path)


def _emit(text: str, out_path: str | None = None) -> None:
    if out_path:
        Path(out_path).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


# ---- features ----------------------------------------------------------------------------------
def cmd_features(args: argparse.Namespace) -> int:
    from .isolation import WorkerPool

    options = parse_options(args)
    files, failed, warnings = [], 0, []
    paths = expand_paths(args.paths, args.lang)
    with WorkerPool(workers=1, timeout=args.timeout) as pool:   # a file that crashes libclang loses only itself
        for path in tracked(paths, "features", wanted(args.quiet)):
            try:
                text = read_source(path)
                result = pool.run(extract_source, text, str(path.resolve()), options, str(path), label=str(path))
                files.append({**result.as_dict(), "error": None})
                warnings += _file_warnings(path, files[-1]["diagnostics"], args)
            except XappError as exc:
                failed += 1
                files.append({"file": str(path), "regions": [], "diagnostics": None, "error": str(exc)})
    if args.format == "json":
        regions = [r for f in files for r in f["regions"]]
        per_file = [{"file": f["file"], "diagnostics": f["diagnostics"], "error": f["error"]} for f in files]
        findings = [x for r in regions for x in r.get("findings", ())]
        _emit(json_report.dumps({"regions": regions, "files": per_file, "findings": findings,
                                 "warnings": warn(warnings, "json")}))
    else:
        _emit(table.features_table(files))
        warn(warnings, args.format)
    return EXIT_FAILED if failed else EXIT_OK


def _features_parser(sub) -> None:
    p = sub.add_parser("features", help="static features of each candidate region",
                       description="Find candidate regions (outermost loop nests, OpenCL kernels) and print "
                                   "their static features.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="source files or directories")
    _add_parse_options(p)
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per-file parse time limit")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=cmd_features)


# ---- predict -----------------------------------------------------------------------------------
def _error_entry(path, exc: XappError) -> dict:
    return {"file": str(path), "error": str(exc), "kind": type(exc).__name__}


def cmd_predict(args: argparse.Namespace) -> int:
    from .isolation import WorkerPool
    from .predict import PredictOptions, Predictor, parse_hint, parse_sweep

    options = PredictOptions(parse=parse_options(args), hints=tuple(parse_hint(h) for h in args.hints),
                             thresholds=tuple(args.thresholds) or None, top_reasons=args.reasons,
                             target=target_from_args(args))
    sweep = parse_sweep(args.sweep) if args.sweep else None
    paths = expand_paths(args.paths, args.lang)
    with WorkerPool(workers=1, timeout=args.timeout) as pool:
        predictor = Predictor.from_path(args.model, pool)
        predictor.thresholds_for(options.thresholds)          # refuse an unknown threshold before any work
        check_hint_names(options.hints, predictor.bundle.hint_names)      # ... and a hint it would ignore
        files, errors, sweeps, warnings = [], [], [], []
        for path in tracked(paths, "predicting", wanted(args.quiet)):
            try:
                text = read_source(path)
                files.append(predictor.predict_source(text, str(path.resolve()), options, display_name=str(path)))
                warnings += _file_warnings(path, files[-1].diagnostics, args)
                if sweep:
                    sweeps += predictor.sweep(text, str(path.resolve()), *sweep, options=options,
                                              display_name=str(path))
            except XappError as exc:
                errors.append(_error_entry(path, exc))
    if args.format == "json":
        doc = json_report.prediction_document(predictor.model_summary(options.target), files, errors)
        if sweep:
            doc["sweeps"] = [asdict(s) | {"summary": s.sentence()} for s in sweeps]
        doc["warnings"] = warn(warnings, "json")
        _emit(json_report.dumps(doc))
    else:
        _emit(table.predictions_table(predictor.model_summary(options.target), files, errors, sweeps))
        warn(warnings, args.format)
    return EXIT_FAILED if errors else EXIT_OK


def _predict_parser(sub) -> None:
    p = sub.add_parser("predict", help="probability that each region beats each GPU speed-up threshold",
                       description="For each candidate region: P(speed-up > T) per threshold, a speed-up band "
                                   "and the features that weighed most.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="source files or directories")
    _add_parse_options(p)
    p.add_argument("--model", metavar="DIR", help="model bundle directory (default: the shipped model)")
    p.add_argument("--threshold", dest="thresholds", type=float, action="append", default=[], metavar="T",
                   help="report only these thresholds (repeatable; default: all of the model's)")
    p.add_argument("--hint", dest="hints", action="append", default=[], metavar="NAME=VALUE",
                   help="a runtime fact known before porting, e.g. transfer=1048576 (bytes) or wgsize=256")
    p.add_argument("--sweep", metavar="NAME=LOW:HIGH",
                   help="what-if: vary a -D macro or a hint from LOW to HIGH and report where "
                        "P(speed-up > T) crosses 0.5 (T: the first --threshold)")
    p.add_argument("--reasons", type=int, default=3, metavar="K", help="reasons per region (default 3)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per-file parse time limit")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    add_target_options(p)
    p.set_defaults(run=cmd_predict)


# ---- train / evaluate ----------------------------------------------------------------------------
_CORPUS_FORMATS = ("auto", "xapp", "devmap", "clgen")


def _add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", metavar="CORPUS", help="labeled corpus: xapp CSV/JSONL, devmap CSV or CLgen CSV")
    p.add_argument("--corpus-format", choices=_CORPUS_FORMATS, default="auto",
                   help="auto recognises the public formats by their columns")
    p.add_argument("--thresholds", type=float, nargs="+", metavar="T", help="speed-up thresholds "
                                                                           "(default 1 2 4 8 16)")
    p.add_argument("--extra", metavar="CORPUS", help="extra training corpus (e.g. CLgen), never tested on")
    p.add_argument("--extra-format", choices=_CORPUS_FORMATS, default="auto")
    p.add_argument("--strict", action="store_true", help="stop at the first malformed corpus row")
    p.add_argument("-j", "--jobs", type=int, default=-1, help="extraction processes (default: all cores)")
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="featurize on a Dask cluster: tcp://HOST:PORT of a scheduler, or local:N worker processes "
                        "(needs pip install 'xapp[dask]'); fitting stays on this machine")
    add_target_options(p)


def _thresholds(args) -> tuple[float, ...]:
    from .models import DEFAULT_THRESHOLDS
    return tuple(args.thresholds) if args.thresholds else DEFAULT_THRESHOLDS


@contextlib.contextmanager
def _featurizing_cluster(address: str | None):
    """train/evaluate --cluster: corpus extraction on Dask within the block; its dashboard on stderr."""
    if not address:
        yield
        return
    from .cluster import map_ordered, open_cluster
    from .models.featurization import featurize_with

    with open_cluster(address) as session, featurize_with(functools.partial(map_ordered, session)):
        print(f"xapp: featurizing on {session.describe()}", file=sys.stderr)
        yield


def cmd_train(args: argparse.Namespace) -> int:
    with _featurizing_cluster(args.cluster):
        return _train(args)


def _train(args: argparse.Namespace) -> int:
    from .models import train_bundle

    result = train_bundle(args.corpus, args.corpus_format, _thresholds(args), args.out, extra=args.extra,
                          extra_fmt=args.extra_format, use_hints=not args.no_hints,
                          hint_dropout=not args.no_hint_dropout, folds=args.folds, seed=args.seed,
                          cross_validate=not args.no_cv, n_jobs=args.jobs, strict=args.strict,
                          target=target_from_args(args) if args.target or args.target_file else None)
    data = result.featurized
    print(f"trained on {len(data)} rows of {data.name}; bundle written to {result.bundle} "
          f"({result.seconds:.1f} s)", file=sys.stderr)
    for skipped in [*data.skipped_rows, *data.skipped]:
        print(f"skipped: {skipped}", file=sys.stderr)
    if result.evaluation is not None:
        _emit(json_report.dumps(result.evaluation.as_dict()) if args.format == "json"
              else table.evaluation_table(result.evaluation.as_dict()))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    with _featurizing_cluster(args.cluster):
        return _evaluate(args)


def _evaluate(args: argparse.Namespace) -> int:
    from .models import evaluate, load_featurized

    data = load_featurized(args.corpus, args.corpus_format, n_jobs=args.jobs, strict=args.strict)
    _check_corpus_target(args, data.platform)
    extra = load_featurized(args.extra, args.extra_format, n_jobs=args.jobs, strict=args.strict) \
        if args.extra else None
    for skipped in [*data.skipped_rows, *data.skipped]:
        print(f"skipped: {skipped}", file=sys.stderr)
    result = evaluate(data, cv=args.cv, folds=args.folds, seed=args.seed, use_hints=not args.no_hints,
                      thresholds=_thresholds(args), extra_training=extra)
    _emit(json_report.dumps(result.as_dict()) if args.format == "json" else table.evaluation_table(result.as_dict()))
    return EXIT_OK


def _check_corpus_target(args: argparse.Namespace, platform: str | None) -> None:
    """A corpus measures one platform: --target must name it (or be left out)."""
    from .models.combine import trained_for
    if not (args.target or args.target_file):
        return
    target = target_from_args(args)
    if not trained_for(platform, target.measured_corpus):
        raise InputError(f"target {target.name} is not the platform of this corpus ({platform}); "
                        "the labels measure that platform only")
    print(f"xapp: corpus labels are for target {target.name} ({target.description})", file=sys.stderr)


# ---- targets -----------------------------------------------------------------------------------
def cmd_targets(args: argparse.Namespace) -> int:
    from .targets import DEFAULT_TARGET, builtin_targets, load_target_file

    targets = dict(builtin_targets())
    for path in args.target_files:
        t = load_target_file(path)
        targets[t.name] = t
    if args.format == "json":
        _emit(json_report.dumps({"default": DEFAULT_TARGET, "targets": [asdict(t) for t in targets.values()]}))
    else:
        _emit(table.targets_table(list(targets.values()), DEFAULT_TARGET))
    return EXIT_OK


def _targets_parser(sub) -> None:
    p = sub.add_parser("targets", help="list the hardware targets and the spec-sheet numbers of each",
                       description="Each target is a CPU baseline and a GPU with the numbers the cost model "
                                   "uses; --format json also gives the public source of each number.")
    p.add_argument("--target-file", dest="target_files", action="append", default=[], metavar="FILE",
                   help="also show a target described in a TOML file (repeatable)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_targets)


def _train_parser(sub) -> None:
    p = sub.add_parser("train", help="train threshold classifiers on a labeled corpus and write a bundle",
                       description="Featurize a labeled corpus, cross-validate (stratified, 10 folds) and "
                                   "write a model bundle: XGBoost boosters plus a JSON model card.")
    _add_corpus_options(p)
    p.add_argument("--out", default="xapp-model", metavar="DIR", help="bundle directory (default xapp-model)")
    p.add_argument("--no-hints", action="store_true", help="train on static features only")
    p.add_argument("--no-hint-dropout", action="store_true",
                   help="do not also train on rows with their hints removed")
    p.add_argument("--no-cv", action="store_true", help="skip the cross-validation whose metrics go in the card")
    p.add_argument("--folds", type=int, default=10)
    p.add_argument("--seed", type=int, default=204)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_train)


def _evaluate_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="cross-validate xapp and two baselines on a labeled corpus",
                       description="Per threshold: accuracy, balanced accuracy and ROC AUC of xapp, the "
                                   "majority class and a Grewe-et-al.-style decision tree, in the same folds.")
    _add_corpus_options(p)
    p.add_argument("--cv", choices=("stratified", "grouped"), default="stratified",
                   help="grouped: no source in both a training and a test fold")
    p.add_argument("--folds", type=int, default=10)
    p.add_argument("--seed", type=int, default=204)
    p.add_argument("--no-hints", action="store_true", help="static features only (no transfer/wgsize)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_evaluate)


def _scan_parser(sub) -> None:
    from .scan import command as scan_command    # imports no model code until a scan runs
    scan_command.add_parser(sub)


def _serve_parser(sub) -> None:
    from .api.command import add_parser   # FastAPI is imported only when the service starts
    add_parser(sub)


def _label_parser(sub) -> None:
    from .labels.command import add_parser   # measuring needs no model code
    add_parser(sub)


_COMMANDS: list[Callable] = [_features_parser, _predict_parser, _scan_parser, _serve_parser, _train_parser,
                             _evaluate_parser, _label_parser, _targets_parser]


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
