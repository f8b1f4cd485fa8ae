"""JSON output: stable key order, UTF-8, one document per command."""
from __future__ import annotations

import json
import math

__all__ = ["dumps"]


def _clean(obj):
    # JSON has no NaN or Infinity: write null so every parser accepts the document.
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def dumps(obj) -> str:
    return json.dumps(_clean(obj), indent=2, ensure_ascii=False)
