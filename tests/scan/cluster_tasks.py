"""Functions the cluster tests send to Dask workers: a small module, cheap for a worker to import."""
from __future__ import annotations


def fail_on_poison(item: str) -> str:
    if item == "poison":
        raise RuntimeError("poisoned")
    return item.upper()
