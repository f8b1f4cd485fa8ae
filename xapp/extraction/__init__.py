"""The one extraction service: how xapp turns sources into features, for every front end and for training.

    service  `Extractor`: where parses run (isolated worker processes, or this process), the warm-up,
             and the feature cache's lookups and stores
    cache    `FeatureCache`: extracted features on disk as JSON, keyed by what they depend on

It sits above xapp.features (which it calls) and below scan, models, api and cli (which call it).
"""
from .cache import DEFAULT_CACHE_DIR, CachedError, FeatureCache, include_closure
from .service import WARM_UP_SOURCE, CacheResult, Extractor

__all__ = ["CacheResult", "CachedError", "DEFAULT_CACHE_DIR", "Extractor", "FeatureCache", "WARM_UP_SOURCE",
           "include_closure"]
