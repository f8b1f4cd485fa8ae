"""The one place that turns errors into HTTP answers: a status and `{"error": {"type", "message"}}`.

    SourceTooLarge                   413  source over max_bytes (or a body over max_body_bytes)
    BinarySource                     415  NUL bytes or invalid UTF-8 in the source (or a JSON body not UTF-8)
    InputError                       422  bad option: macro name, hint, language, -std value
    ParseError                       422  libclang built no usable AST
    ExtractionCrash                  422  the parser process died on this source (libclang segfault) or
                                          went past its memory or CPU-time limit
    ModelError                       422  the model cannot answer (threshold it does not have)
    RequestValidationError           422  malformed body, unknown field, wrong type
    ExtractionTimeout                504  the request ran past the time limit
    ServiceOverloaded                503  the queue is full (workers + queue requests admitted) or this
                                          client holds its share of it (with Retry-After)
    RequestTimeout                   408  the body did not arrive in time (with Connection: close)
    HTTPException                    its own: 404, 405, 400 (body unreadable), 413 (body over the cap)
    BundleError, CorpusError, other  500  a fault of the server, never of the request
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (BinarySource, ExtractionCrash, ExtractionTimeout, InputError, ModelError, ParseError,
                      SourceTooLarge, XappError)
from ..reports.json_report import versioned
from .schemas import ErrorResponse

__all__ = ["ServiceOverloaded", "RequestTimeout", "printable", "STATUS", "RETRY_AFTER_S", "status_for",
           "error_body", "error_response", "install_error_handlers", "ERROR_RESPONSES"]

log = logging.getLogger("xapp.api")

RETRY_AFTER_S = 1


class ServiceOverloaded(XappError):
    """As many requests as the service allows are already in flight."""


class RequestTimeout(XappError):
    """The client did not send its request (headers or body) in time."""


# Most specific first: ExtractionTimeout before its base ExtractionCrash.
STATUS: tuple[tuple[type[XappError], int], ...] = (
    (SourceTooLarge, 413),
    (BinarySource, 415),
    (InputError, 422),
    (ParseError, 422),
    (ExtractionTimeout, 504),
    (ExtractionCrash, 422),
    (ModelError, 422),
    (ServiceOverloaded, 503),
    (RequestTimeout, 408),
)

# 503: come back soon. 408: the request was not read whole, so the connection cannot carry another one.
_HEADERS = {503: {"Retry-After": str(RETRY_AFTER_S)}, 408: {"Connection": "close"}}
_HTTP_TYPES = {404: "NotFound", 405: "MethodNotAllowed", 413: "SourceTooLarge"}


def status_for(exc: XappError) -> int:
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 500)


def printable(text: str) -> str:
    """`text` with lone surrogates (a JSON string may hold "\\ud800"; argv may hold undecodable bytes)
    written as escapes: an answer that cannot be encoded as UTF-8 would turn a 4xx into a 500."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_body(kind: str, message: str, details: list[dict] | None = None) -> dict:
    info: dict = {"type": kind, "message": printable(message)}
    if details is not None:
        info["details"] = details
    return versioned({"error": info})


def error_response(exc: XappError) -> JSONResponse:
    status = status_for(exc)
    if status >= 500 and status not in (503, 504):
        log.error("server fault: %s: %s", type(exc).__name__, exc)
    headers = _HEADERS.get(status)
    return JSONResponse(error_body(type(exc).__name__, str(exc), getattr(exc, "details", None)), status_code=status,
                        headers=headers)


async def _xapp_error(_: Request, exc: XappError) -> JSONResponse:
    return error_response(exc)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    # The client's input is not echoed back: it may be a megabyte of source.
    details = [{"loc": [printable(p) if isinstance(p, str) else p for p in e.get("loc", ())],
                "msg": printable(e.get("msg", "")), "type": e.get("type", "")} for e in exc.errors()]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"])
    return JSONResponse(error_body("RequestValidationError", f"{where}: {first['msg']}" if where else first["msg"],
                                   details), status_code=422)


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, UnicodeDecodeError):
        # FastAPI's "error parsing the body" for a JSON body that is not UTF-8: the same answer as a binary file.
        return error_response(BinarySource(f"request body is not valid UTF-8 ({cause.reason} at byte {cause.start})"))
    kind = _HTTP_TYPES.get(exc.status_code, "HTTPError")
    return JSONResponse(error_body(kind, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error while answering a request", exc_info=exc)
    return JSONResponse(error_body("InternalError", "internal server error"), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(XappError, _xapp_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def _documented(description: str) -> dict:
    return {"model": ErrorResponse, "description": description}


# What the predict routes document in /openapi.json besides 200.
ERROR_RESPONSES: dict[int | str, dict] = {
    400: _documented("A body that cannot be read at all, e.g. malformed multipart framing"),
    413: _documented("Source over the size limit"),
    415: _documented("Binary content: NUL bytes or invalid UTF-8, in the source or the whole body"),
    422: _documented("Malformed request, bad option, unparsable source, or a source that crashed the parser "
                     "or went past its memory or CPU-time limit"),
    408: _documented("The body did not arrive within the body deadline (or at the minimum rate)"),
    503: _documented("The queue is full, or this client holds its share of it; retry after Retry-After seconds"),
    504: _documented("The request ran past the time limit"),
}
