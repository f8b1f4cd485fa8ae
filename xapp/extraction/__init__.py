"""The one extraction service: how xapp turns sources into features, for every front end and for training.

    service  `Extractor`: where parses run (isolated worker processes, or this process), the warm-up,
             and the feature cache's lookups and stores
    cache    `FeatureCache`: extracted features on disk as JSON, keyed by what they depend on
    cache_store  `CacheStore`: the per-user directory, its checks, signed entries written without following links

It sits above xapp.features (which it calls) and below scan, models, api and cli (which call it).
"""
from .cache import DEFAULT_CACHE_DIR, CachedError, CacheRefused, FeatureCache, include_closure, user_cache_root
from .service import WARM_UP_SOURCE, CacheResult, Extractor

__all__ = ["CacheResult", "CachedError", "CacheRefused", "DEFAULT_CACHE_DIR", "Extractor", "FeatureCache",
           "WARM_UP_SOURCE", "include_closure", "user_cache_root"]
