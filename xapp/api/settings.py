"""The service's settings: one frozen value, from `xapp serve` flags over `XAPP_*` environment variables.

    flag                 variable               default
    --model DIR          XAPP_MODEL             the shipped model
    --max-bytes N        XAPP_MAX_BYTES         1048576 (1 MiB of source per request)
    --timeout S          XAPP_TIMEOUT           30 (seconds per request, queue wait and parsing included)
    --queue N            XAPP_QUEUE             64 (requests waiting for a parser; more get 503)
    --workers N          XAPP_WORKERS           min(4, CPUs) parser processes
    --worker-memory MB   XAPP_WORKER_MEMORY     2048 (address space of one parser process)
    --worker-cpu S       XAPP_WORKER_CPU        5 (CPU seconds one parse may use; 422 past it)
    --header-timeout S   XAPP_HEADER_TIMEOUT    10 (seconds for a request's headers; the connection is closed)
    --body-timeout S     XAPP_BODY_TIMEOUT      10 (seconds for the body, plus one per body_min_rate bytes received)
    --body-min-rate B    XAPP_BODY_MIN_RATE     16384 (bytes per second a body must keep arriving at; 408 below)
    --client-share F     XAPP_CLIENT_SHARE      0.75 (fraction of workers + queue one client address may hold)
    --max-regions N      XAPP_MAX_REGIONS       1000 (loop nests and kernels one request may hold; 422 above)
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping

from ..errors import InputError
from ..isolation import DEFAULT_CPU_S, DEFAULT_MEMORY_MB, WorkerLimits

__all__ = ["ServiceSettings", "ENV_PREFIX"]

ENV_PREFIX = "XAPP_"


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class ServiceSettings:
    model: str | None = None          # model bundle directory; None: the shipped default model
    max_bytes: int = 1 << 20          # largest source accepted, in bytes (413 above)
    timeout: float = 30.0             # wall-clock limit of one request (504 past it); parsing is killed at it
    queue: int = 64                   # requests waiting for a parser beyond those parsing (503 beyond)
    workers: int = _default_workers()  # parser processes (libclang runs only in these)
    worker_memory: int = DEFAULT_MEMORY_MB   # MiB of address space per parser process
    worker_cpu: float = DEFAULT_CPU_S        # CPU seconds of one parse
    header_timeout: float = 10.0      # a request's headers must arrive within this (else the connection closes)
    body_timeout: float = 10.0        # its body within this, plus a second per body_min_rate bytes received
    body_min_rate: int = 16384        # bytes per second: a body slower than this is answered 408
    client_share: float = 0.75        # of workers + queue, the most one peer address may hold at once
    max_regions: int = 1000           # regions one request may hold: prediction runs in the server process

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise InputError(f"max_bytes must be at least 1, not {self.max_bytes}")
        if not (self.timeout > 0 and math.isfinite(self.timeout)):
            raise InputError(f"timeout must be a positive number of seconds, not {self.timeout}")
        if self.queue < 0:
            raise InputError(f"queue must be 0 or more, not {self.queue}")
        if self.workers < 1:
            raise InputError(f"workers must be at least 1, not {self.workers}")
        if self.worker_memory < 256:
            raise InputError(f"worker_memory must be at least 256 MiB, not {self.worker_memory}")
        if not (self.worker_cpu >= 1 and math.isfinite(self.worker_cpu)):
            raise InputError(f"worker_cpu must be at least 1 second, not {self.worker_cpu}")
        for name in ("header_timeout", "body_timeout"):
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise InputError(f"{name} must be a positive number of seconds, not {value}")
        if self.body_min_rate < 1:
            raise InputError(f"body_min_rate must be at least 1 byte per second, not {self.body_min_rate}")
        if not 0 < self.client_share <= 1:
            raise InputError(f"client_share must be a fraction in (0, 1], not {self.client_share}")
        if self.max_regions < 1:
            raise InputError(f"max_regions must be at least 1, not {self.max_regions}")

    @property
    def worker_limits(self) -> WorkerLimits:
        return WorkerLimits(memory_mb=self.worker_memory, cpu_s=self.worker_cpu)

    @property
    def max_body_bytes(self) -> int:
        """Largest request body read at all: a JSON string may spend up to 6 bytes (`\\u0001`) per
        source byte, plus room for the other fields and multipart framing."""
        return 6 * self.max_bytes + 64 * 1024

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "ServiceSettings":
        """Defaults, then `XAPP_*` variables, then `overrides` that are not None (the CLI flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw.strip():
                values[f.name] = _convert(f.name, raw.strip(), _TYPES[f.name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


_TYPES: dict[str, Callable[[str], Any]] = {
    "model": str, "max_bytes": int, "timeout": float, "queue": int, "workers": int, "worker_memory": int,
    "worker_cpu": float, "header_timeout": float, "body_timeout": float, "body_min_rate": int,
    "client_share": float, "max_regions": int,
}


def _convert(name: str, raw: str, kind: Callable[[str], Any]) -> Any:
    try:
        return kind(raw)
    except ValueError:
        raise InputError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
