"""Training featurization through the feature cache: no cache, a cold cache and a warm one.

Corpus: devmap (../shared/data/devmap/cgo17-amd.csv, 680 rows, 247 distinct sources), or any corpus
given with --corpus. Extraction runs in this process (n_jobs=1), so the three timings measure the same
work; the warm run must give the matrix and skipped sources of the run without a cache, and says so.
Not a test: it prints figures.

    python bench/featurize_cache.py [--corpus PATH] [--format devmap]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from xapp.extraction import FeatureCache
from xapp.models.featurization import featurize
from xapp.models.importers import load_corpus

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "devmap" / "cgo17-amd.csv"


def timed(corpus, cache: FeatureCache | None):
    started = time.perf_counter()
    data = featurize(corpus, n_jobs=1, cache=cache)
    return data, time.perf_counter() - started


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--format", default="auto")
    args = ap.parse_args(argv)
    corpus = load_corpus(args.corpus, args.format)
    with tempfile.TemporaryDirectory() as directory:
        plain, t_plain = timed(corpus, None)
        _, t_cold = timed(corpus, FeatureCache(directory))
        warm, t_warm = timed(corpus, FeatureCache(directory))
    same = np.array_equal(plain.X, warm.X, equal_nan=True) and \
        [str(s) for s in plain.skipped] == [str(s) for s in warm.skipped]
    print(f"{corpus.name}: {len(warm)} rows, {warm.sources} sources ({warm.cached_sources} read from the cache "
          f"on the warm run); no cache {t_plain:.2f} s, cold cache {t_cold:.2f} s, warm cache {t_warm:.2f} s "
          f"({t_plain / t_warm:.0f}x); warm matrix and skipped sources identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
