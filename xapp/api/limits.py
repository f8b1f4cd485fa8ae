"""Limits that keep the service answering: admission with a bounded queue shared fairly, deadlines, a body cap.

`AdmissionGate` (ASGI middleware) decides in three steps. On the headers: a
declared `Content-Length` over the cap is 413, and a full queue is 503 with
`Retry-After` before a byte of the body is read. Then the body is read whole
under its deadline (xapp.api.intake: 408 for a body that stops or trickles),
holding no place in the queue. Only then is the request admitted: 503 if the
queue filled meanwhile, or if its client (peer address) already holds its
share, `client_share` of the places, so one client cannot take them all.
An admitted request gets its deadline there, so the time it waits in the
queue counts in its time limit.

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
and refuses it (413) once over the cap, on the routes that are not gated.
(Headers that never finish are the server's to time out: xapp.api.connections.)
"""
from __future__ import annotations

import asyncio
import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ExtractionTimeout, SourceTooLarge, XappError
from .errors import ServiceOverloaded, error_response
from .intake import BodyDeadline, ClientGone, read_body, replay

__all__ = ["Admission", "AdmissionGate", "BodySizeLimit", "DEADLINE_KEY", "GATED_PREFIX", "READERS_PER_PLACE"]

T = TypeVar("T")
DEADLINE_KEY = "xapp_deadline"      # in the request's scope["state"]: a time.monotonic() value
GATED_PREFIX = "/v1/predict"        # the routes that need a parser; health and docs are never queued
# Bodies one client address may have arriving at once, per place in the queue (at least 256): each holds
# what has arrived of it in memory. Per client, so that no address can lock the others out.
READERS_PER_PLACE = 4


class Admission:
    """How many requests are in the service, and the FIFO turn of each for one of `workers` parsers."""

    def __init__(self, workers: int, queue: int, timeout: float, client_share: float = 1.0):
        self.workers = 2 * workers      # turns: requests working at once
        self.capacity = workers + queue
        self.timeout = timeout
        self.per_client = max(1, math.floor(self.capacity * client_share))
        self.max_reading = max(256, READERS_PER_PLACE * self.capacity)     # per client
        self.admitted = 0          # these change on the event loop thread only
        self.working = 0
        self.reading = 0           # bodies being read, not yet admitted
        self.reading_by: dict[str, int] = {}  # ... per peer address
        self.clients: dict[str, int] = {}     # admitted requests per peer address
        self._turns: asyncio.Semaphore | None = None
        self._threads = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="xapp-request")

    @property
    def queued(self) -> int:
        return self.admitted - self.working

    @property
    def full(self) -> bool:
        return self.admitted >= self.capacity

    def refusal(self, client: str = "") -> ServiceOverloaded | None:
        """Why a request of `client` cannot be admitted now, or None."""
        if self.full:
            return ServiceOverloaded(f"{self.capacity} requests are already in the service (parsing or queued), "
                                     "the most it takes; retry shortly")
        if self.clients.get(client, 0) >= self.per_client:
            return ServiceOverloaded(f"this client already has {self.per_client} requests in the service, its "
                                     f"share of the {self.capacity} places; retry when one is answered")
        return None

    def try_enter(self, client: str = "") -> float | None:
        """The new request's deadline, or None when the queue is full or `client` holds its share."""
        if self.refusal(client) is not None:
            return None
        self.admitted += 1
        self.clients[client] = self.clients.get(client, 0) + 1
        return time.monotonic() + self.timeout

    def start_reading(self, client: str) -> None:
        self.reading += 1
        self.reading_by[client] = self.reading_by.get(client, 0) + 1

    def stop_reading(self, client: str) -> None:
        self.reading -= 1
        _decrement(self.reading_by, client)

    def leave(self, client: str = "") -> None:
        self.admitted -= 1
        _decrement(self.clients, client)

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


def _decrement(counts: dict[str, int], key: str) -> None:
    left = counts.pop(key, 1) - 1
    if left:
        counts[key] = left


def _declared_length(scope: Scope) -> int | None:
    declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
    return int(declared) if declared.isdigit() else None


def _peer(scope: Scope) -> str:
    """The client's address (a proxy in front of the service makes every client one address)."""
    client = scope.get("client")
    return str(client[0]) if client else ""


class AdmissionGate:
    """ASGI middleware: 413, 503 on the headers; the body read under its deadline (408); then admission."""

    def __init__(self, app: ASGIApp, admission: Callable[[], Admission], body: BodyDeadline):
        self.app = app
        self.admission = admission      # looked up per request: the service starts in the lifespan
        self.body = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gated = scope["type"] == "http" and scope.get("path", "").startswith(GATED_PREFIX)
        if not gated:
            await self.app(scope, receive, send)
            return
        admission = self.admission()
        refused = self._on_headers(scope, admission)
        if refused is not None:
            await error_response(refused)(scope, receive, send)
            return
        client = _peer(scope)
        admission.start_reading(client)
        try:
            body = await read_body(receive, self.body)
        except ClientGone:
            return
        except XappError as exc:         # 408 too slow, 413 too long
            await error_response(exc)(scope, receive, send)
            return
        finally:
            admission.stop_reading(client)
        await self._admitted(scope, replay(body, receive), send, admission)

    def _on_headers(self, scope: Scope, admission: Admission) -> XappError | None:
        declared = _declared_length(scope)
        if declared is not None and declared > self.body.max_body:
            return SourceTooLarge(f"request body of {declared} bytes is over the {self.body.max_body}-byte limit")
        if admission.reading_by.get(_peer(scope), 0) >= admission.max_reading:
            return ServiceOverloaded(f"this client already has {admission.max_reading} request bodies arriving, "
                                     "the most the service reads at once from one address; retry shortly")
        return admission.refusal(_peer(scope))

    async def _admitted(self, scope: Scope, receive: Receive, send: Send, admission: Admission) -> None:
        client = _peer(scope)
        deadline = admission.try_enter(client)
        if deadline is None:            # the queue filled, or the client took its share, while its body came
            await error_response(admission.refusal(client))(scope, receive, send)
            return
        scope.setdefault("state", {})[DEADLINE_KEY] = deadline
        try:
            await self.app(scope, receive, send)
        finally:
            admission.leave(client)


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
