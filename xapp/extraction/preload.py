"""Imported by the fork server of the parser processes (xapp.isolation): the extractor and the libclang
shared library are loaded there once, so each parser forked from it, a replacement or a spare, starts
ready instead of loading libclang itself (seconds on a busy machine)."""
from __future__ import annotations

from ..features import extract  # noqa: F401  (the extractor's modules, imported once for every fork)
from ..frontend import parse

__all__: list[str] = []

parse.cindex.conf.lib   # noqa: B018  (the first access loads the shared library)
