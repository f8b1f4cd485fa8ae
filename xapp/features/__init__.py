"""Static features of C, C++ and OpenCL C source: parse, lower to IR, find regions, measure.

The only package of xapp that imports clang.cindex.
"""
EXTRACTOR_VERSION = "4"   # bump whenever a feature's value for the same source can change (caches key on it)

from .extract import (DEFAULT_MAX_BYTES, FileFeatures, RegionFeatures, decode_source, extract_file, extract_source,
                      read_source)
from .headers import find_resource_dir
from .options import LANGUAGES, SOURCE_SUFFIXES, ParseOptions, language_for, parse_define
from .parse import Diagnostics
from .registry import FEATURE_LABELS, FEATURE_NAMES, FEATURES, STATIC_XAPP_FEATURES, FeatureSpec

__all__ = [
    "EXTRACTOR_VERSION", "DEFAULT_MAX_BYTES", "Diagnostics", "FEATURES", "FEATURE_LABELS", "FEATURE_NAMES", "FeatureSpec", "FileFeatures", "LANGUAGES",
    "ParseOptions", "RegionFeatures", "SOURCE_SUFFIXES", "STATIC_XAPP_FEATURES", "decode_source", "read_source",
    "extract_file", "extract_source", "find_resource_dir", "language_for", "parse_define",
]
