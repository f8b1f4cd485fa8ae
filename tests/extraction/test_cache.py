"""The feature cache: JSON entries keyed by content, flags, headers and extractor version."""
from __future__ import annotations

import json

from xapp.features import ParseOptions
from xapp.scan import FeatureCache, discover, extract_all

from tests.scan.tree import inside, write_tree


def _scan(root, cache_dir):
    with inside(root):
        targets = [t for t in discover([], ParseOptions(), build_dir="build", excludes=["vendor", "crash.c"])]
        return {o.target.display: o for o in extract_all(targets, workers=2, cache=FeatureCache(cache_dir),
                                                         max_bytes=150_000)}


def test_rescan_hits_the_cache_and_a_change_is_re_extracted(tmp_path):
    tree = write_tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    first = _scan(tree.root, cache)
    assert not any(o.cached for o in first.values())
    second = _scan(tree.root, cache)
    cached = {f for f, o in second.items() if o.cached}
    # Features and parse errors are cached; files refused before parsing never reach the cache.
    assert cached == {"src/dense/matmul.c", "src/dense/saxpy.c", "src/io/missing.c", "src/serial/prefix.c",
                      "src/stencil/heat.c", "src/bad/nesting.c"}
    for f in cached:
        assert second[f].status == first[f].status
        if first[f].features is not None:
            assert second[f].features.as_dict() == first[f].features.as_dict()
    # Entries are plain JSON, never pickles, signed, next to a cache directory tag.
    entries = [p for p in cache.rglob("*.json")]
    assert len(entries) == 6
    assert all({"key", "body", "mac"} <= set(json.loads(p.read_text())) for p in entries)
    assert all(p.stat().st_mode & 0o077 == 0 for p in entries)
    assert (cache / "CACHEDIR.TAG").is_file()

    (tree / "src/dense/saxpy.c").write_text("void saxpy(float *y) { for (int i = 0; i < 64; i++) y[i] = 0; }\n")
    third = _scan(tree.root, cache)
    assert {f for f, o in third.items() if not o.cached and o.status in ("ok", "parse_error")} == {
        "src/dense/saxpy.c"}
    assert third["src/dense/saxpy.c"].features.regions[0].features["trip_count_log2"] == 6

    # Editing a header re-extracts exactly the files that include it.
    (tree / "include/params.h").write_text("#define M 128\n")
    fourth = _scan(tree.root, cache)
    assert {f for f, o in fourth.items() if not o.cached and o.status == "ok"} == {"src/dense/matmul.c",
                                                                                  "src/stencil/heat.c"}


def test_key_depends_on_flags_and_content(tmp_path):
    f = tmp_path / "a.c"
    f.write_text("int x;\n")
    cache = FeatureCache(tmp_path / "c")
    data = f.read_bytes()
    base = cache.key(f, data, ParseOptions())
    assert base == FeatureCache(tmp_path / "other").key(f, data, ParseOptions())     # stable across runs
    assert base != cache.key(f, data, ParseOptions(defines=(("N", "8"),)))
    assert base != cache.key(f, b"int y;\n", ParseOptions())
    assert base != cache.key(tmp_path / "a.cl", data, ParseOptions())                # parsed as OpenCL


def test_no_cache_reads_and_writes_nothing(tmp_path):
    tree = write_tree(tmp_path / "tree")
    with inside(tree.root):
        targets = discover(["src/dense"], ParseOptions())
        outcomes = extract_all(targets, cache=FeatureCache(None))
        outcomes2 = extract_all(targets, cache=FeatureCache(None))
    assert not any(o.cached for o in outcomes + outcomes2)
    assert not (tree.root / ".xapp-cache").exists()


def test_entries_the_cache_did_not_write_are_re_extracted_and_overwritten(tmp_path):
    src = tmp_path / "a.c"
    src.write_text("void f(float *y) { for (int i = 0; i < 64; i++) y[i] = 0; }\n")
    cache = FeatureCache(tmp_path / "cache")
    targets = discover([str(src)], ParseOptions())
    (first,) = extract_all(targets, cache=cache)
    (entry,) = (tmp_path / "cache").rglob("??/*.json")
    good = json.loads(entry.read_text())
    body = good["body"]
    broken = ["null", "[]", '"text"', "{", json.dumps({**good, "body": {**body, "features": None}}),
              json.dumps({**good, "body": {**body, "features": {**body["features"], "regions": [None]}}}),
              json.dumps({**good, "body": {"format": body["format"], "extractor": body["extractor"], "error": None}}),
              json.dumps({**good, "body": {"format": body["format"], "extractor": body["extractor"],
                                           "error": {"status": "parse_error", "message": "forged"}}}),
              json.dumps({"key": good["key"], "body": body}),                  # unsigned
              json.dumps({**good, "key": "0" * 64})]                           # another key's entry
    for text in broken:
        entry.write_text(text)
        (outcome,) = extract_all(targets, cache=FeatureCache(tmp_path / "cache"))
        assert (outcome.status, outcome.cached) == ("ok", False), text
        assert outcome.features.as_dict() == first.features.as_dict()
        assert json.loads(entry.read_text()) == good                  # overwritten with what put() writes


def test_content_keys_never_meet_file_keys(tmp_path):
    f = tmp_path / "a.c"
    f.write_text("int x;\n")
    cache = FeatureCache(tmp_path / "c")
    data = f.read_bytes()
    by_text = cache.content_key(str(f), data, ParseOptions())
    assert by_text == FeatureCache(None).content_key(str(f), data, ParseOptions())     # stable
    assert by_text != cache.key(f, data, ParseOptions())
    assert by_text != cache.content_key(str(tmp_path / "b.c"), data, ParseOptions())   # the name counts
    assert by_text != cache.content_key(str(f), data, ParseOptions(language="c++"))
