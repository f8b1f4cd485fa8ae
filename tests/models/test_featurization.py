"""Corpus to feature matrix: one extraction per distinct source, region choice, hints, skipped sources."""
from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from xapp.extraction import FeatureCache
from xapp.features import FEATURE_NAMES, ParseOptions, extract_source
from xapp.models import featurization
from xapp.models.corpus import load_xapp_corpus
from xapp.models.featurization import NoRegionError, feature_row, featurize, select_region

from .paths import FIXTURES

pytestmark = pytest.mark.slow(3)   # seconds, serial, on the idle 2-core machine


@pytest.fixture(scope="module")
def fixture_features():
    return featurize(load_xapp_corpus(FIXTURES / "corpus.csv"), n_jobs=1)


def test_matrix_shape_names_and_hint_columns(fixture_features):
    data = fixture_features
    assert data.X.dtype == np.float32 and data.X.shape == (80, len(FEATURE_NAMES) + 2)
    assert data.feature_names == tuple(FEATURE_NAMES) + ("hint_transfer_log2", "hint_wgsize_log2")
    assert data.static_names == tuple(FEATURE_NAMES)
    assert data.hint_names == ("transfer", "wgsize") and data.skipped == [] and data.corpus_rows == 80
    transfer = data.X[:, -2]
    np.testing.assert_allclose(np.unique(transfer), [math.log2(1 + 8192), math.log2(1 + (1 << 24))], rtol=1e-6)
    serial = np.array([i.name.startswith("serial") for i in data.instances])
    assert np.isnan(data.X[serial, -1]).all()                       # no wgsize hint: NaN
    assert np.allclose(data.X[~serial, -1], math.log2(65))
    assert data.speedups[0] == pytest.approx(0.4) and data.groups[0] == "map0.cl"


def test_rows_hold_the_selected_regions_features(fixture_features):
    data = fixture_features
    for k in (0, 25, 79):
        instance = data.instances[k]
        regions = extract_source(instance.source, instance.filename, ParseOptions()).regions
        (region,) = [r for r in regions if r.function == instance.function]
        expected = [region.features[n] for n in FEATURE_NAMES]
        np.testing.assert_allclose(data.X[k, :len(FEATURE_NAMES)], expected, rtol=1e-6)
    kernels = data.X[:, FEATURE_NAMES.index("is_kernel")]
    assert kernels.sum() == 60  # 30 OpenCL kernels at two sizes; the 10 serial C loops are not


def test_each_distinct_source_is_extracted_once(monkeypatch):
    calls = []
    original = featurization._extract

    def counting(text, filename, options):
        calls.append(filename)
        return original(text, filename, options)

    monkeypatch.setattr(featurization, "_extract", counting)
    featurize(load_xapp_corpus(FIXTURES / "corpus.csv"), n_jobs=1)
    assert len(calls) == 40 == len(set(calls))


def test_parallel_extraction_gives_the_same_matrix(fixture_features, monkeypatch, tmp_path):
    monkeypatch.setattr(featurization, "_PARALLEL_MIN", 1)
    # The first 24 rows (12 sources) are enough to cross process boundaries; all 80 only cost time.
    lines = (FIXTURES / "corpus.csv").read_text().splitlines(keepends=True)
    (tmp_path / "corpus.csv").write_text("".join(lines[:25]))
    (tmp_path / "kernels").symlink_to(FIXTURES / "kernels")
    parallel = featurize(load_xapp_corpus(tmp_path / "corpus.csv"), n_jobs=2)
    assert parallel.X.shape[0] == 24
    assert np.array_equal(parallel.X, fixture_features.X[:24], equal_nan=True)


def test_defines_reach_the_extractor():
    data = featurize(load_xapp_corpus(FIXTURES / "inline.jsonl"), n_jobs=1)
    trip = data.X[:, FEATURE_NAMES.index("trip_count_log2")]
    assert trip[0] == pytest.approx(12.0) and trip[1] == pytest.approx(20.0)  # N=4096, N=1048576
    assert data.feature_names[-3:] == ("hint_transfer_log2", "hint_wgsize_log2", "hint_streams_log2")
    assert data.X[2, -1] == pytest.approx(math.log2(3)) and np.isnan(data.X[0, -1])


def test_unusable_sources_are_skipped_with_reasons(tmp_path):
    (tmp_path / "ok.c").write_text("void f(float *x) { for (int i = 0; i < 64; i++) x[i] = 1; }\n")
    (tmp_path / "broken.c").write_text("void f( { for (;;) }\n")
    (tmp_path / "nul.c").write_text("void f(void) {}\x00\n")
    (tmp_path / "c.csv").write_text("source,function,speedup\nok.c,,2\nbroken.c,,2\nbroken.c,,3\n"
                                    "nul.c,,1\nok.c,g,2\n")
    data = featurize(load_xapp_corpus(tmp_path / "c.csv"), n_jobs=1)
    assert len(data) == 1 and data.instances[0].row == 1
    reasons = {(s.filename.rsplit("/", 1)[-1], s.rows): s.reason for s in data.skipped}
    assert set(reasons) == {("broken.c", (2, 3)), ("nul.c", (4,)), ("ok.c", (5,))}
    assert reasons[("broken.c", (2, 3))].startswith("no kernel or loop region found (first error: 1:")
    assert reasons[("nul.c", (4,))].startswith("BinarySource:")
    assert reasons[("ok.c", (5,))] == "no kernel or loop region in function 'g'"
    assert str(data.skipped[0]).endswith("(rows 2, 3)")


def region(function, kind, statements, line=1):
    return SimpleNamespace(function=function, kind=kind, line=line, end_line=line + 1,
                           features={"statements": statements})


def test_select_region_rules():
    loops = [region("a", "loop", 3), region("b", "loop", 9), region("b", "loop", 4)]
    kernels = [region("k1", "kernel", 1), region("k2", "kernel", 50)]
    assert select_region(loops + kernels, None) is kernels[0]       # first kernel
    assert select_region(loops, None) is loops[1]                   # else the largest region
    assert select_region(loops + kernels, "b") is loops[1]          # the named function's largest
    assert select_region(loops + kernels, "k2") is kernels[1]
    with pytest.raises(NoRegionError, match="no kernel or loop region in function 'zz'"):
        select_region(loops, "zz")


def test_feature_row_puts_hints_after_the_static_features():
    features = {n: float(i) for i, n in enumerate(FEATURE_NAMES)}
    row = feature_row(features, {"wgsize": 255.0}, ("transfer", "wgsize"))
    assert row[:len(FEATURE_NAMES)] == [float(i) for i in range(len(FEATURE_NAMES))]
    assert math.isnan(row[-2]) and row[-1] == 8.0


# ---- the feature cache (xapp.extraction): consulted and filled by this process only -----------------------
NESTING = "int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }\n"    # libclang refuses it: ParseError


def _cacheable_corpus(tmp_path):
    """12 fixture sources (24 rows), one that libclang refuses and one binary source (never cached)."""
    tmp_path.mkdir()
    lines = (FIXTURES / "corpus.csv").read_text().splitlines(keepends=True)
    (tmp_path / "kernels").symlink_to(FIXTURES / "kernels")
    (tmp_path / "nesting.c").write_text(NESTING)
    (tmp_path / "nul.c").write_text("void f(void) {}\x00\n")
    (tmp_path / "corpus.csv").write_text("".join(lines[:25]) + "nesting.c,,2,,,,nest\nnul.c,,1,,,,nul\n")
    return load_xapp_corpus(tmp_path / "corpus.csv")


def _same_result(a, b):
    assert np.array_equal(a.X, b.X, equal_nan=True) and np.array_equal(a.speedups, b.speedups)
    assert a.feature_names == b.feature_names and [i.row for i in a.instances] == [i.row for i in b.instances]
    assert [str(s) for s in a.skipped] == [str(s) for s in b.skipped]


def test_refeaturizing_through_the_cache_reads_it_and_gives_the_same_matrix(tmp_path):
    corpus = _cacheable_corpus(tmp_path / "corpus")
    first = featurize(corpus, n_jobs=1, cache=FeatureCache(tmp_path / "cache"))
    assert (first.sources, first.cached_sources, len(first)) == (14, 0, 24)
    reasons = sorted(s.reason.split(":")[0] for s in first.skipped)
    assert reasons == ["BinarySource", "ParseError"]
    entries = [json.loads(p.read_text()) for p in (tmp_path / "cache").rglob("??/*.json")]
    # features of 12 sources and one parse error; the binary source is refused before any parse
    assert sorted("error" in e["body"] for e in entries) == [False] * 12 + [True]      # (signed entries: key, body, mac)

    second = featurize(corpus, n_jobs=1, cache=FeatureCache(tmp_path / "cache"))
    assert (second.sources, second.cached_sources) == (14, 13)
    _same_result(second, first)
    _same_result(featurize(corpus, n_jobs=1), first)          # and the same as without a cache


def test_workers_and_the_mapper_get_only_the_misses_and_never_the_cache(tmp_path, monkeypatch):
    corpus = _cacheable_corpus(tmp_path / "corpus")
    first = featurize(corpus, n_jobs=1, cache=FeatureCache(tmp_path / "cache"))
    monkeypatch.setattr(featurization, "_PARALLEL_MIN", 1)
    dispatched = []

    def mapper(fn, jobs, lost):
        dispatched.append(list(jobs))
        return [fn(job) for job in jobs]
    with featurization.featurize_with(mapper):
        there = featurize(corpus, n_jobs=2, cache=FeatureCache(tmp_path / "cache"))
    (jobs,) = dispatched
    assert [name.rsplit("/", 1)[-1] for _, name, _ in jobs] == ["nul.c"]     # the one source never cached
    assert all(type(part) in (str, ParseOptions) for job in jobs for part in job)
    _same_result(there, first)
