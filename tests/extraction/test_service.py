"""The one extraction service (xapp.extraction.Extractor): same answers as the extractor, warmed once,
the only caller of `extract_source` outside xapp/features, and the one door to the feature cache."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from xapp.errors import ExtractionCrash, ParseError
from xapp.extraction import CachedError, Extractor, FeatureCache
from xapp.features import ParseOptions, extract_source

PACKAGE = Path(__file__).resolve().parents[2] / "xapp"
SAXPY = "void saxpy(int n, float a, float *x, float *y) {\n  for (int i = 0; i < n; i++) y[i] += a * x[i];\n}\n"


class CountingPool:
    """A WorkerPool stand-in that runs tasks in this process and counts them."""

    size = 3

    def __init__(self):
        self.labels: list[str] = []

    def run(self, fn, *args, label="task", timeout=None):
        self.labels.append(label)
        return fn(*args)

    def close(self):
        pass


def test_only_the_extraction_service_calls_the_extractor():
    callers = sorted(str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py")
                     if not p.is_relative_to(PACKAGE / "features")
                     and any(isinstance(n, ast.Name) and n.id == "extract_source" or
                             isinstance(n, ast.alias) and n.name == "extract_source"
                             for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert callers == ["xapp/extraction/service.py"]


def test_in_process_and_isolated_answers_equal_the_extractor():
    direct = extract_source(SAXPY, "saxpy.c", ParseOptions(), "saxpy.c").as_dict()
    assert Extractor(None).extract(SAXPY, "saxpy.c", ParseOptions(), "saxpy.c").as_dict() == direct
    with Extractor.isolated(workers=1, timeout=120) as extractor:
        assert extractor.extract(SAXPY, "saxpy.c", ParseOptions(), "saxpy.c").as_dict() == direct
        with pytest.raises(ParseError):
            # bracket nesting libclang refuses (as in tests/scan/tree.py): the same error as a direct call
            extractor.extract("int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }\n", "bad.c",
                              ParseOptions(), "bad.c")


def test_warm_up_runs_once_per_worker_and_once_per_extractor():
    pool = CountingPool()
    extractor = Extractor(pool)
    extractor.warm_up()
    extractor.warm_up()
    assert pool.labels == ["warm-up"] * 3
    extractor.extract(SAXPY, "saxpy.c", ParseOptions(), "s.c")
    assert pool.labels[-1] == "s.c"


def test_a_worker_that_fails_during_warm_up_does_not_stop_it():
    class Failing(CountingPool):
        def run(self, fn, *args, label="task", timeout=None):
            self.labels.append(label)
            raise ExtractionCrash("worker died")
    pool = Failing()
    Extractor(pool).warm_up()
    assert pool.labels == ["warm-up"] * 3


def test_of_wraps_what_a_caller_holds():
    pool = CountingPool()
    extractor = Extractor(pool)
    assert Extractor.of(extractor) is extractor
    assert Extractor.of(pool).pool is pool and Extractor.of(None).pool is None and Extractor.of(None).size == 1


def test_lookup_and_remember_go_through_the_extractors_cache(tmp_path):
    source = tmp_path / "saxpy.c"
    source.write_bytes(SAXPY.encode())
    extractor = Extractor(None, FeatureCache(tmp_path / "cache"))
    key, hit = extractor.lookup(source, source.read_bytes(), ParseOptions(), "saxpy.c")
    assert key is not None and hit is None
    features = extractor.extract(SAXPY, str(source), ParseOptions(), "saxpy.c")
    extractor.remember(key, "saxpy.c", features)
    key2, hit = extractor.lookup(source, source.read_bytes(), ParseOptions(), "moved/saxpy.c")
    assert key2 == key and hit.as_dict() == {**features.as_dict(), "file": "moved/saxpy.c",
                                             "regions": [{**r, "file": "moved/saxpy.c"}
                                                         for r in features.as_dict()["regions"]]}
    extractor.remember(key, "saxpy.c", None)          # a crash or a timeout: nothing is stored
    assert extractor.lookup(source, source.read_bytes(), ParseOptions(), "s.c")[1] is not None


def test_a_text_is_keyed_by_its_content_and_name_and_errors_are_remembered(tmp_path):
    extractor = Extractor(None, FeatureCache(tmp_path / "cache"))
    key, hit = extractor.lookup_text(SAXPY, "corpus/saxpy.c", ParseOptions())
    assert hit is None
    extractor.remember(key, "corpus/saxpy.c", CachedError("parse_error", "ParseError: corpus/saxpy.c: no"))
    again = extractor.lookup_text(SAXPY, "corpus/saxpy.c", ParseOptions())[1]
    assert (again.status, again.message) == ("parse_error", "ParseError: corpus/saxpy.c: no")
    assert extractor.lookup_text(SAXPY, "corpus/other.c", ParseOptions())[1] is None
    assert extractor.lookup_text(SAXPY, "corpus/saxpy.c", ParseOptions(defines=(("N", "8"),)))[1] is None
    assert extractor.lookup_text(SAXPY + "\n", "corpus/saxpy.c", ParseOptions())[1] is None


def test_without_a_cache_nothing_is_looked_up_or_written(tmp_path):
    extractor = Extractor(None)
    assert extractor.lookup_text(SAXPY, "s.c", ParseOptions()) == (None, None)
    assert extractor.lookup(tmp_path / "s.c", SAXPY.encode(), ParseOptions(), "s.c") == (None, None)
    extractor.remember(None, "s.c", extractor.extract(SAXPY, "s.c", ParseOptions()))
    assert list(tmp_path.iterdir()) == []
