"""Corpus to feature matrix: xapp's extractor on each source, then the runtime hints.

Each distinct (source text, defines, language) is extracted once, however many
rows measure it (devmap: 680 rows, 247 sources), in worker processes for large
corpora. Per row one region is picked: the row's ``function`` (its kernel, else
its largest region), else the file's first kernel, else its largest region.

Hints become columns after the static features: ``hint_<name>_log2`` =
log2(1 + value), NaN where a row lacks the hint (XGBoost learns a direction
for missing values). A source that fails to parse is skipped, with its reason
and rows, never fatal.

Inside ``featurize_with(mapper)`` (``train``/``evaluate --cluster``) the
sources are extracted through the mapper instead (a Dask cluster, see
xapp.cluster.map_ordered); a source that keeps killing workers is skipped like
one that fails to parse.

With a ``cache`` (``train``/``evaluate --cache-dir``; none by default) each
source is first looked up in the extraction service's feature cache, keyed by
its text, options and name (xapp.extraction); only the misses are extracted,
wherever that runs, and their features and parse errors are stored by this
process afterwards (no cache object goes to a worker). A cached source gives
the row it gave when it was extracted.
"""
from __future__ import annotations

import contextlib
import math
import time
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
from joblib import Parallel, delayed

from xapp.errors import ParseError, XappError
from xapp.extraction import CachedError, Extractor, FeatureCache
from xapp.features import FEATURE_LABELS, FEATURE_NAMES, FileFeatures, ParseOptions
from xapp.models.corpus import Corpus, Instance, SkippedRow

__all__ = [
    "HINT_ORDER",
    "HINT_LABELS",
    "column_label",
    "SkippedSource",
    "FeaturizedCorpus",
    "featurize",
    "hint_names_of",
    "hint_column",
    "feature_row",
    "select_region",
    "NoRegionError",
    "featurize_with",
]

# Hints in a fixed order ahead of any others, so that bundles agree on columns.
HINT_ORDER = ("transfer", "wgsize")
# Measured on 2 cores: below a few hundred small sources, starting worker processes
# costs more than it saves (CLgen's 1,000 kernels: 2.0 s serial, 1.1-2.2 s on 2 workers).
_PARALLEL_MIN = 256
# Runs featurize()'s extractions elsewhere (train/evaluate --cluster: on Dask); None: on this machine.
# Called as mapper(fn, jobs, lost) -> [fn(job) for job in jobs], with lost(job, why) for a job that
# could not be run; models/ knows nothing of the engine behind it.
Mapper = Callable[[Callable, Sequence, Callable], list]
_MAPPER: ContextVar[Mapper | None] = ContextVar("xapp_featurize_mapper", default=None)


@contextlib.contextmanager
def featurize_with(mapper: Mapper):
    """Within the block, featurize() extracts its sources through `mapper` (e.g. xapp.cluster.map_ordered)."""
    token = _MAPPER.set(mapper)
    try:
        yield mapper
    finally:
        _MAPPER.reset(token)


@dataclass(frozen=True)
class SkippedSource:
    """A source the extractor could not use, and the corpus rows it took with it."""

    filename: str
    reason: str
    rows: tuple[int, ...]

    def __str__(self) -> str:
        rows = ", ".join(map(str, self.rows[:10])) + (", ..." if len(self.rows) > 10 else "")
        return f"{self.filename}: {self.reason} (rows {rows})"


@dataclass
class FeaturizedCorpus:
    """A corpus as a feature matrix: one row per usable instance."""

    name: str
    X: np.ndarray
    feature_names: tuple[str, ...]
    hint_names: tuple[str, ...]
    speedups: np.ndarray
    groups: np.ndarray
    instances: list[Instance]
    platform: str | None = None
    corpus_rows: int = 0
    skipped: list[SkippedSource] = field(default_factory=list)
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    seconds: float = 0.0
    sources: int = 0             # distinct sources extracted or read from the cache
    cached_sources: int = 0      # of those, read from the feature cache

    def __len__(self) -> int:
        return self.X.shape[0]

    @property
    def static_names(self) -> tuple[str, ...]:
        return tuple(n for n in self.feature_names if not n.startswith("hint_"))

    @property
    def hint_indices(self) -> tuple[int, ...]:
        """Positions of the hint columns in X."""
        return tuple(i for i, n in enumerate(self.feature_names) if n.startswith("hint_"))

    def columns(self, names: Sequence[str]) -> np.ndarray:
        """The matrix with columns in the order of ``names``; NaN for a column it lacks."""
        index = {n: i for i, n in enumerate(self.feature_names)}
        out = np.full((len(self), len(names)), np.nan, dtype=np.float32)
        for j, name in enumerate(names):
            if name in index:
                out[:, j] = self.X[:, index[name]]
        return out

    def without_hints(self) -> "FeaturizedCorpus":
        """The same rows with the static features only."""
        names = self.static_names
        return replace(self, X=self.columns(names), feature_names=names, hint_names=())


def hint_names_of(instances: Iterable[Instance]) -> tuple[str, ...]:
    """The hints some instance has: the known ones first, then the others sorted."""
    present = set()
    for instance in instances:
        present.update(instance.hints)
    return tuple(n for n in HINT_ORDER if n in present) + tuple(sorted(present - set(HINT_ORDER)))


def hint_column(name: str) -> str:
    """The model column of hint ``name``."""
    return f"hint_{name}_log2"


# Human names of the hint columns, for tables and the HTML page (xapp.features.FEATURE_LABELS has the features').
HINT_LABELS = {"transfer": "log2 bytes transferred", "wgsize": "log2 work-group size"}


def column_label(column: str) -> str:
    """The human name of a model column: a feature's label, a hint's, else the column's own name."""
    if column in FEATURE_LABELS:
        return FEATURE_LABELS[column]
    hint = next((h for h in HINT_LABELS if column == hint_column(h)), None)
    return HINT_LABELS[hint] if hint else column


def _log2(value: float | None) -> float:
    if value is None or not math.isfinite(value):
        return math.nan
    return math.copysign(math.log2(1.0 + abs(value)), value)


def feature_row(features: Mapping[str, float], hints: Mapping[str, float],
                hint_names: Sequence[str]) -> list[float]:
    """One model input row: the static features in FEATURE_NAMES order, then the hint columns.

    The prediction side builds its rows with this too, so training and
    prediction agree on every column.
    """
    return [float(features[n]) for n in FEATURE_NAMES] + [_log2(hints.get(n)) for n in hint_names]


class NoRegionError(LookupError):
    """A source has no region that a corpus row can measure."""


def _region_size(region: Any) -> float:
    features = region.features
    if "statements" in features:
        return float(features["statements"])
    return float(region.end_line - region.line)


def select_region(regions: Sequence[Any], function: str | None) -> Any:
    """The region a row measures: see the module docstring."""
    candidates = list(regions)
    if function is not None:
        candidates = [r for r in candidates if r.function == function]
        if not candidates:
            raise NoRegionError(f"no kernel or loop region in function {function!r}")
    if not candidates:
        raise NoRegionError("no kernel or loop region found")
    kernels = [r for r in candidates if r.kind == "kernel"]
    if kernels:
        return kernels[0]
    return max(candidates, key=_region_size)  # max keeps the first of equals


def _first_error(result: Any) -> str:
    messages = getattr(getattr(result, "diagnostics", None), "messages", None) or []
    errors = [m for m in messages if "error" in m]
    return errors[0] if errors else ""


# In this process: the corpus's parallelism and isolation are joblib's or Dask's (`featurize_with`).
_EXTRACTOR = Extractor(None)
# What one source gave: features, a parse error (both cacheable), or why there is nothing (not cached).
Extraction = FileFeatures | CachedError | str


def _extract(text: str, filename: str, options: ParseOptions) -> Extraction:
    """The features of one source, or why there are none; never raises for a bad source."""
    try:
        return _EXTRACTOR.extract(text, filename, options)
    except ParseError as exc:  # as deterministic as features: the cache keeps it
        return CachedError("parse_error", f"{type(exc).__name__}: {exc}")
    except XappError as exc:
        return f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # an extractor bug costs this source, not the whole corpus
        return f"extractor error (please report): {type(exc).__name__}: {exc}"


def _regions(result: Extraction) -> tuple[list | None, str]:
    """(regions, first compiler error) of a source, or (None, why)."""
    if isinstance(result, FileFeatures):
        return list(result.regions), _first_error(result)
    return None, result.message if isinstance(result, CachedError) else result


def _options(instance: Instance) -> ParseOptions:
    return ParseOptions(language=instance.language, defines=instance.defines)


def _source_key(instance: Instance) -> tuple:
    """Rows with equal keys share one extraction (the suffix decides the language)."""
    return (instance.source, instance.defines, instance.language, instance.filename.rpartition(".")[2])


def _extract_job(job: tuple[str, str, ParseOptions]) -> Extraction:
    return _extract(*job)


def _lost(job: tuple[str, str, ParseOptions], why: str) -> str:
    return f"the extractor kept failing on this source (it likely killed its workers): {why}"


def _extract_all(jobs: Sequence[tuple[str, str, ParseOptions]], n_jobs: int) -> list[Extraction]:
    mapper = _MAPPER.get()
    if mapper is not None and jobs:
        return mapper(_extract_job, jobs, _lost)
    if n_jobs != 1 and len(jobs) >= _PARALLEL_MIN:
        return Parallel(n_jobs=n_jobs, batch_size="auto")(delayed(_extract)(*job) for job in jobs)
    return [_extract(*job) for job in jobs]


def _extract_through(service: Extractor, jobs: Sequence[tuple[str, str, ParseOptions]],
                     n_jobs: int) -> tuple[list[Extraction], int]:
    """(each job's result, how many came from the cache): hits read here, misses extracted by
    `_extract_all` (here, joblib or the mapper), then remembered here."""
    looked = [service.lookup_text(*job) for job in jobs]
    misses = [i for i, (_, hit) in enumerate(looked) if hit is None]
    results: list[Extraction] = [hit for _, hit in looked]
    for i, result in zip(misses, _extract_all([jobs[i] for i in misses], n_jobs)):
        service.remember(looked[i][0], jobs[i][1], None if isinstance(result, str) else result)
        results[i] = result
    return results, len(jobs) - len(misses)


def featurize(corpus: Corpus, *, n_jobs: int = -1, cache: FeatureCache | None = None) -> FeaturizedCorpus:
    """Extract features for every instance of ``corpus``, through ``cache`` when given; see the module
    docstring."""
    started = time.perf_counter()
    keys: dict[tuple, int] = {}
    jobs: list[tuple[str, str, ParseOptions]] = []
    for instance in corpus.instances:
        if _source_key(instance) not in keys:
            keys[_source_key(instance)] = len(jobs)
            jobs.append((instance.source, instance.filename, _options(instance)))
    extracted, cached = _extract_through(Extractor(None, cache), jobs, n_jobs)
    results = [_regions(result) for result in extracted]

    hint_names = hint_names_of(corpus.instances)
    rows, kept, failures = [], [], {}
    for instance in corpus.instances:
        index = keys[_source_key(instance)]
        regions, note = results[index]
        try:
            if regions is None:
                raise NoRegionError(note)
            region = select_region(regions, instance.function)
        except NoRegionError as exc:
            reason = f"{exc} (first error: {note})" if regions is not None and note else str(exc)
            failures.setdefault((jobs[index][1], reason), []).append(instance.row)
            continue
        rows.append(feature_row(region.features, instance.hints, hint_names))
        kept.append(instance)

    names = tuple(FEATURE_NAMES) + tuple(hint_column(n) for n in hint_names)
    return FeaturizedCorpus(
        name=corpus.name,
        X=np.asarray(rows, dtype=np.float32).reshape(len(rows), len(names)),
        feature_names=names,
        hint_names=hint_names,
        speedups=np.asarray([i.speedup for i in kept], dtype=float),
        groups=np.asarray([i.group for i in kept], dtype=object),
        instances=kept,
        platform=corpus.platform,
        corpus_rows=corpus.rows,
        skipped=[SkippedSource(f, reason, tuple(r)) for (f, reason), r in failures.items()],
        skipped_rows=list(corpus.skipped),
        seconds=time.perf_counter() - started,
        sources=len(jobs),
        cached_sources=cached,
    )
