"""Measured labels: build, time and verify serial code against its port, and write an xapp corpus.

manifest  the TOML that describes programs (build, runs, timing, verification, sizes)
plan      a manifest and a selection as the JSON plan the runner reads
runner    the standalone timing runner (standard library only; copy it to a GPU machine)
ingest    a runner's results as a corpus CSV and a JSON log
generate  serial C / CUDA port pairs from templates of program families, with their manifest
"""
from .ingest import IngestSummary, load_results, write_corpus
from .manifest import Manifest, load_manifest
from .plan import Selection, build_plan, resolve_sources, write_plan

__all__ = ["IngestSummary", "Manifest", "Selection", "build_plan", "load_manifest", "load_results",
           "resolve_sources", "write_corpus", "write_plan"]
