"""Connections that cannot be held open for nothing: a deadline for each request's headers.

uvicorn closes a kept-alive connection that stays idle (`timeout_keep_alive`), but it sets no limit
on a request's headers: a connection that sends nothing, or half its headers, stays open for ever
(slowloris). The service therefore runs uvicorn with this protocol, its h11 protocol plus one
timer: armed when a connection opens and again when a response is complete (the next request's
headers may follow), and void once the headers of a request are in. When it fires the connection
is closed, answered `408 Request Timeout` first if part of a request had arrived. The body has its
own deadline, in the app (xapp.api.intake).
"""
from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["header_deadline_protocol"]


def _timeout_response(header_timeout: float) -> bytes:
    body = json.dumps({"error": {"type": "RequestTimeout", "message": "the request headers did not arrive "
                                 f"within {header_timeout:g} s"}}).encode()
    head = (f"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
            f"content-length: {len(body)}\r\n\r\n")
    return head.encode("ascii") + body



def header_deadline_protocol(header_timeout: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a deadline of `header_timeout` seconds on each request's headers."""
    answer = _timeout_response(header_timeout)

    class HeaderDeadlineProtocol(H11Protocol):
        _timer: asyncio.TimerHandle | None = None
        _armed_for: object = None        # the request cycle that was current when the timer was armed
        _partial = False                 # bytes of the next request arrived since

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def data_received(self, data: bytes) -> None:
            if data and self._waiting():
                self._partial = True
            super().data_received(data)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _waiting(self) -> bool:
            """No request has begun since the timer was armed (its headers are not all in)."""
            return self._timer is not None and self.cycle is self._armed_for

        def _arm(self) -> None:
            self._disarm()
            started = self.cycle is not None and not self.cycle.response_complete   # a pipelined request
            if started or self.transport.is_closing():
                return
            self._armed_for, self._partial = self.cycle, False
            self._timer = self.loop.call_later(header_timeout, self._expired)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _expired(self) -> None:
            waiting = self.cycle is self._armed_for
            self._timer = None
            if not waiting or self.transport.is_closing():
                return
            if self._partial:
                self.transport.write(answer)
            self.transport.close()

    return HeaderDeadlineProtocol
