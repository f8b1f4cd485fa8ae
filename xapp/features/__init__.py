"""Static features of C, C++ and OpenCL C source: parse (xapp.frontend), analyse (xapp.analysis), measure.

The feature families and their registry; `extract_source` runs the whole chain for one text.
"""
EXTRACTOR_VERSION = "18"   # bump whenever a feature's value for the same source can change (caches key on it)

from .extract import (DEFAULT_MAX_BYTES, FileFeatures, RegionFeatures, decode_source, extract_file, extract_source,
                      read_source)
from ..frontend.headers import find_resource_dir
from ..frontend.options import LANGUAGES, SOURCE_SUFFIXES, ParseOptions, language_for, parse_define
from ..frontend.parse import Diagnostics
from .registry import FEATURE_LABELS, FEATURE_NAMES, FEATURES, STATIC_XAPP_FEATURES, FeatureSpec

__all__ = [
    "EXTRACTOR_VERSION", "DEFAULT_MAX_BYTES", "Diagnostics", "FEATURES", "FEATURE_LABELS", "FEATURE_NAMES", "FeatureSpec", "FileFeatures", "LANGUAGES",
    "ParseOptions", "RegionFeatures", "SOURCE_SUFFIXES", "STATIC_XAPP_FEATURES", "decode_source", "read_source",
    "extract_file", "extract_source", "find_resource_dir", "language_for", "parse_define",
]
