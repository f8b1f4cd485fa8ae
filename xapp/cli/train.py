"""`xapp train` and `xapp evaluate`: fit threshold classifiers on a labeled corpus, or cross-validate them."""
from __future__ import annotations

import argparse
import contextlib
import functools
import sys

from ..errors import InputError
from ..reports import json_report, table_report
from .exits import EXIT_OK
from .options import add_format_option, add_target_options, emit, target_from_args

__all__ = ["add_train_parser", "add_evaluate_parser", "run_train", "run_evaluate"]

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
                        "(needs pip install 'xapp-gpu[dask]'); fitting stays on this machine")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="feature cache: read each source's features from DIR when an entry for its text, "
                        "flags and name exists, and store those extracted (default: no cache, every source "
                        "is extracted)")
    add_target_options(p)
    p.add_argument("--folds", type=int, default=10)
    p.add_argument("--seed", type=int, default=204)
    add_format_option(p)


def add_train_parser(sub) -> None:
    p = sub.add_parser("train", help="train threshold classifiers on a labeled corpus and write a bundle",
                       description="Featurize a labeled corpus, cross-validate (stratified, 10 folds) and "
                                   "write a model bundle: XGBoost boosters plus a JSON model card.")
    _add_corpus_options(p)
    p.add_argument("--out", default="xapp-model", metavar="DIR", help="bundle directory (default xapp-model)")
    p.add_argument("--no-hints", action="store_true", help="train on static features only")
    p.add_argument("--no-hint-dropout", action="store_true",
                   help="do not also train on rows with their hints removed")
    p.add_argument("--no-cv", action="store_true", help="skip the cross-validation whose metrics go in the card")
    p.set_defaults(run=run_train)


def add_evaluate_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="cross-validate xapp and two baselines on a labeled corpus",
                       description="Per threshold: accuracy, balanced accuracy and ROC AUC of xapp, the "
                                   "majority class and a Grewe-et-al.-style decision tree, in the same folds.")
    _add_corpus_options(p)
    p.add_argument("--cv", choices=("stratified", "grouped"), default="stratified",
                   help="grouped: no source in both a training and a test fold")
    p.add_argument("--no-hints", action="store_true", help="static features only (no transfer/wgsize)")
    p.set_defaults(run=run_evaluate)


def _thresholds(args) -> tuple[float, ...]:
    from ..models import DEFAULT_THRESHOLDS
    return tuple(args.thresholds) if args.thresholds else DEFAULT_THRESHOLDS


@contextlib.contextmanager
def _featurizing_cluster(address: str | None):
    """train/evaluate --cluster: corpus extraction on Dask within the block; its dashboard on stderr."""
    if not address:
        yield
        return
    from ..cluster import map_ordered, open_cluster
    from ..models.featurization import featurize_with

    with open_cluster(address) as session, featurize_with(functools.partial(map_ordered, session)):
        print(f"xapp: featurizing on {session.describe()}", file=sys.stderr)
        yield


def _print_evaluation(evaluation: dict, fmt: str) -> None:
    emit(json_report.dumps(json_report.versioned(evaluation)) if fmt == "json"
         else table_report.evaluation_table(evaluation))


def _print_skipped(data) -> None:
    for skipped in [*data.skipped_rows, *data.skipped]:
        print(f"skipped: {skipped}", file=sys.stderr)


def _print_cached(args: argparse.Namespace, data) -> None:
    if args.cache_dir:
        print(f"xapp: {data.cached_sources} of {data.sources} sources of {data.name} read from the feature "
              f"cache in {args.cache_dir}", file=sys.stderr)


def run_train(args: argparse.Namespace) -> int:
    with _featurizing_cluster(args.cluster):
        return _train(args)


def _train(args: argparse.Namespace) -> int:
    from ..models import train_bundle

    result = train_bundle(args.corpus, args.corpus_format, _thresholds(args), args.out, extra=args.extra,
                          extra_fmt=args.extra_format, use_hints=not args.no_hints,
                          hint_dropout=not args.no_hint_dropout, folds=args.folds, seed=args.seed,
                          cross_validate=not args.no_cv, n_jobs=args.jobs, strict=args.strict,
                          target=target_from_args(args) if args.target or args.target_file else None,
                          cache_dir=args.cache_dir)
    data = result.featurized
    print(f"trained on {len(data)} rows of {data.name}; bundle written to {result.bundle} "
          f"({result.seconds:.1f} s)", file=sys.stderr)
    _print_skipped(data)
    _print_cached(args, data)
    if result.evaluation is not None:
        _print_evaluation(result.evaluation.as_dict(), args.format)
    return EXIT_OK


def run_evaluate(args: argparse.Namespace) -> int:
    with _featurizing_cluster(args.cluster):
        return _evaluate(args)


def _evaluate(args: argparse.Namespace) -> int:
    from ..models import evaluate, load_featurized

    data = load_featurized(args.corpus, args.corpus_format, n_jobs=args.jobs, strict=args.strict,
                           cache_dir=args.cache_dir)
    _check_corpus_target(args, data.platform)
    extra = load_featurized(args.extra, args.extra_format, n_jobs=args.jobs, strict=args.strict,
                            cache_dir=args.cache_dir) if args.extra else None
    _print_skipped(data)
    _print_cached(args, data)
    result = evaluate(data, cv=args.cv, folds=args.folds, seed=args.seed, use_hints=not args.no_hints,
                      thresholds=_thresholds(args), extra_training=extra)
    _print_evaluation(result.as_dict(), args.format)
    return EXIT_OK


def _check_corpus_target(args: argparse.Namespace, platform: str | None) -> None:
    """A corpus measures one platform: --target must name it (or be left out)."""
    from ..models.combine import trained_for
    if not (args.target or args.target_file):
        return
    target = target_from_args(args)
    if not trained_for(platform, target.measured_corpus):
        raise InputError(f"target {target.name} is not the platform of this corpus ({platform}); "
                        "the labels measure that platform only")
    print(f"xapp: corpus labels are for target {target.name} ({target.description})", file=sys.stderr)
