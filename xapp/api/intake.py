"""Reading a request's body under a deadline, before the request takes a place in the queue.

A client that sends its headers and then trickles its body (or stops) must not hold one of the
`workers + queue` places: AdmissionGate reads the whole body first, here, and admits the request
only once it is in. The deadline follows Apache's mod_reqtimeout (`body=10,MinRate=...`): the body
has `timeout` seconds, plus one more second for every `min_rate` bytes that arrived, so a large body
on a slow but honest link gets its time, and one that arrives slower than `min_rate` runs out of it
(408, connection closed); never more than MAX_BODY_S in all, so a body cannot stall near its end for
minutes holding what it sent. The body is also capped at `max_body` bytes as it arrives (413), whether
its length was declared or not (chunked).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from starlette.types import Message, Receive

from ..errors import SourceTooLarge
from .errors import RequestTimeout

__all__ = ["BodyDeadline", "ClientGone", "MAX_BODY_S", "read_body", "replay"]

MAX_BODY_S = 60.0     # at the most, whatever arrived: 1 MiB of source in 60 s is 17 KiB/s


class ClientGone(Exception):
    """The client closed its connection before its body was in: nobody is left to answer."""


@dataclass(frozen=True)
class BodyDeadline:
    timeout: float          # seconds for the body, from the moment its headers were in
    min_rate: int           # each `min_rate` bytes received buy one more second
    max_body: int           # bytes: a longer body is refused as it arrives

    def due(self, start: float, received: int) -> float:
        return start + min(self.timeout + received / self.min_rate, max(self.timeout, MAX_BODY_S))


async def read_body(receive: Receive, limits: BodyDeadline) -> bytes:
    """The whole body, or RequestTimeout (too slow), SourceTooLarge (too long), ClientGone."""
    start = time.monotonic()
    chunks: list[bytes] = []
    received = 0
    while True:
        left = limits.due(start, received) - time.monotonic()
        try:
            message = await asyncio.wait_for(receive(), left) if left > 0 else None
        except TimeoutError:
            message = None
        if message is None:
            raise RequestTimeout(f"the request body did not arrive in time: {received} bytes in "
                                 f"{time.monotonic() - start:.1f} s (the service waits {limits.timeout:g} s "
                                 f"plus 1 s per {limits.min_rate} bytes received, {MAX_BODY_S:g} s at most)")
        if message["type"] == "http.disconnect":
            raise ClientGone()
        chunk = message.get("body", b"")
        received += len(chunk)
        if received > limits.max_body:
            raise SourceTooLarge(f"request body of more than {limits.max_body} bytes is over the "
                                 f"{limits.max_body}-byte limit")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then passes on what the client does next
    (a disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive_again() -> Message:
        return pending.pop() if pending else await receive()

    return receive_again
