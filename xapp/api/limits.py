"""Limits that keep the service answering: bounded concurrency, a per-request deadline, a body cap.

`Admission` lets at most `limit` requests work at once and refuses the next at
once (`ServiceOverloaded`, 503) rather than queueing it without bound. Admitted
work runs on a thread, so the event loop stays free for health checks and
refusals. A request still working at its deadline is answered 504
(`ExtractionTimeout`) right then; its thread keeps its permit until it ends, so
abandoned work counts against the limit until the worker pool kills the parse
(the pool's own time limit is the same number of seconds).

`BodySizeLimit` refuses a request body over its cap (413) before reading it all.
"""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ExtractionTimeout, SourceTooLarge
from .errors import ServiceOverloaded, error_response

__all__ = ["Admission", "BodySizeLimit"]

T = TypeVar("T")


class Admission:
    def __init__(self, limit: int, timeout: float):
        self.limit = limit
        self.timeout = timeout
        self._lock = threading.Lock()
        self._in_flight = 0
        self._threads = ThreadPoolExecutor(max_workers=limit, thread_name_prefix="xapp-request")

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def _enter(self) -> None:
        with self._lock:
            if self._in_flight >= self.limit:
                raise ServiceOverloaded(f"{self.limit} requests are in flight, the most this service takes; "
                                        "retry shortly")
            self._in_flight += 1

    def _leave(self, _future: Any = None) -> None:
        with self._lock:
            self._in_flight -= 1

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(deadline, *args)` on a thread of its own; `deadline` is a `time.monotonic()` value."""
        self._enter()
        deadline = time.monotonic() + self.timeout
        try:
            future = self._threads.submit(fn, deadline, *args)
        except BaseException:
            self._leave()
            raise
        future.add_done_callback(self._leave)   # when the thread ends (or never starts), not when we answer
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            raise ExtractionTimeout(f"the request ran past the {self.timeout:g} s time limit") from None

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


class BodySizeLimit:
    """ASGI middleware: a body over `max_body` bytes is answered 413 and not read further."""

    def __init__(self, app: ASGIApp, max_body: int):
        self.app = app
        self.max_body = max_body

    def _too_large(self, size: int | str) -> SourceTooLarge:
        return SourceTooLarge(f"request body of {size} bytes is over the {self.max_body}-byte limit")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            await error_response(self._too_large(int(declared)))(scope, receive, send)
            return
        received = 0

        async def capped_receive() -> Message:
            # A body without Content-Length (chunked) is counted as it arrives. FastAPI passes an
            # HTTPException raised while it reads the body on to the error handlers unchanged.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, str(self._too_large(f"more than {self.max_body}")))
            return message

        await self.app(scope, capped_receive, send)
