"""Limits that keep the service answering: admission with a bounded queue, a per-request deadline, a body cap.

`AdmissionGate` (ASGI middleware) decides on the raw request, before a byte of
its body is read: a declared `Content-Length` over the cap is 413, and a predict
request that finds `workers + queue` requests already admitted is 503 with
`Retry-After`. An admitted request gets its deadline there, so the time it
waits in the queue counts in its time limit.

`Admission` then lets `2 * workers` admitted requests work at once (two per
parser: while one request's features go through the model on the server, the
next one's parse already runs; the worker pool hands parsers out first come,
first served); the others wait in arrival order (asyncio's semaphore wakes its
waiters first come, first served), so one client sending many requests cannot
overtake the rest. Work runs
on a thread, so the event loop stays free for health checks and refusals. A
request still working at its deadline is answered 504 right then; its thread
keeps its place until the worker pool kills the parse at the same deadline.

`BodySizeLimit` counts a body without `Content-Length` (chunked) as it arrives
and refuses it (413) once over the cap.
"""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ExtractionTimeout, SourceTooLarge
from .errors import ServiceOverloaded, error_response

__all__ = ["Admission", "AdmissionGate", "BodySizeLimit", "DEADLINE_KEY", "GATED_PREFIX"]

T = TypeVar("T")
DEADLINE_KEY = "xapp_deadline"      # in the request's scope["state"]: a time.monotonic() value
GATED_PREFIX = "/v1/predict"        # the routes that need a parser; health and docs are never queued


class Admission:
    """How many requests are in the service, and the FIFO turn of each for one of `workers` parsers."""

    def __init__(self, workers: int, queue: int, timeout: float):
        self.workers = 2 * workers      # turns: requests working at once
        self.capacity = workers + queue
        self.timeout = timeout
        self.admitted = 0          # changed on the event loop thread only
        self.working = 0
        self._turns: asyncio.Semaphore | None = None
        self._threads = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="xapp-request")

    @property
    def queued(self) -> int:
        return self.admitted - self.working

    def try_enter(self) -> float | None:
        """The new request's deadline, or None when the queue is full."""
        if self.admitted >= self.capacity:
            return None
        self.admitted += 1
        return time.monotonic() + self.timeout

    def leave(self) -> None:
        self.admitted -= 1

    def _semaphore(self) -> asyncio.Semaphore:
        if self._turns is None:          # created on the serving loop, at first use
            self._turns = asyncio.Semaphore(self.workers)
        return self._turns

    async def run(self, deadline: float, fn: Callable[..., T], *args: Any) -> T:
        """`fn(deadline, *args)` on a thread once a turn is free, answered by `deadline` or ExtractionTimeout."""
        turns = self._semaphore()
        try:
            await asyncio.wait_for(turns.acquire(), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise ExtractionTimeout(f"no parser came free within the {self.timeout:g} s time limit") from None
        self.working += 1
        loop = asyncio.get_running_loop()
        future = self._threads.submit(fn, deadline, *args)
        future.add_done_callback(lambda _: loop.call_soon_threadsafe(self._done, turns))  # when the thread ends
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise ExtractionTimeout(f"the request ran past the {self.timeout:g} s time limit") from None

    def _done(self, turns: asyncio.Semaphore) -> None:
        self.working -= 1
        turns.release()

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


def _declared_length(scope: Scope) -> int | None:
    declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
    return int(declared) if declared.isdigit() else None


class AdmissionGate:
    """ASGI middleware: 413 from Content-Length and 503 from a full queue, both before the body is read."""

    def __init__(self, app: ASGIApp, admission: Callable[[], Admission], max_body: int):
        self.app = app
        self.admission = admission      # looked up per request: the service starts in the lifespan
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gated = scope["type"] == "http" and scope.get("path", "").startswith(GATED_PREFIX)
        if not gated:
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_body:
            too_large = SourceTooLarge(f"request body of {declared} bytes is over the {self.max_body}-byte limit")
            await error_response(too_large)(scope, receive, send)
            return
        admission = self.admission()
        deadline = admission.try_enter()
        if deadline is None:
            full = ServiceOverloaded(f"{admission.capacity} requests are already in the service (parsing or "
                                     "queued), the most it takes; retry shortly")
            await error_response(full)(scope, receive, send)
            return
        scope.setdefault("state", {})[DEADLINE_KEY] = deadline
        try:
            await self.app(scope, receive, send)
        finally:
            admission.leave()


class BodySizeLimit:
    """ASGI middleware: a body that grows past `max_body` bytes as it arrives is answered 413."""

    def __init__(self, app: ASGIApp, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def capped_receive() -> Message:
            # FastAPI passes an HTTPException raised while it reads the body on to the error handlers unchanged.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, f"request body of more than {self.max_body} bytes is over the "
                                             f"{self.max_body}-byte limit")
            return message

        await self.app(scope, capped_receive, send)
