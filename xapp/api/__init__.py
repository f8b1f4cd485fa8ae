"""The HTTP service of xapp (`xapp serve`): FastAPI over the one prediction pipeline.

    settings.py  ServiceSettings: flags and XAPP_* variables
    schemas.py   request and response bodies (what /openapi.json documents)
    errors.py    XappError -> HTTP status and JSON error body, in one place
    limits.py    bounded concurrency (503), per-request deadline (504), body cap (413)
    service.py   a request -> one hermetic call of `xapp.predict.Predictor`
    app.py       create_app(): routes and the lifespan that loads the model once
    (the `xapp serve` command, flags and uvicorn, is xapp.cli.serve)

`create_app` is imported on first use, so `xapp --help` does not pay for FastAPI and XGBoost.
"""
from __future__ import annotations

from typing import Any

from .settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
