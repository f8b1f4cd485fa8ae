"""The FastAPI application: routes, the startup that loads the model once, and the limits around them.

    POST /v1/predict        JSON {source, filename?, language?, std?, defines?, hints?, thresholds?}
    POST /v1/predict/file   multipart: the source in field `file`, the same options as form fields
    GET  /v1/health         liveness, load and the model's name
    GET  /v1/model          the model card
    GET  /openapi.json, /docs, /redoc (their scripts and styles served by the app: they work offline)

Both predict routes answer the document of `xapp predict --format json` for one file.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Annotated, AsyncIterator

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi_offline import FastAPIOffline
from fastapi.responses import JSONResponse

from .. import __version__
from ..errors import BinarySource, InputError
from ..models import Bundle
from .errors import ERROR_RESPONSES, install_error_handlers
from .intake import BodyDeadline
from .limits import DEADLINE_KEY, AdmissionGate, BodySizeLimit
from .schemas import FormLanguage, Health, ModelCard, PredictRequest, PredictResponse
from .service import PredictionService, Upload, define_pairs, hint_pairs, split_list, threshold_values
from .settings import ServiceSettings

__all__ = ["create_app"]

FORM_FIELDS = frozenset({"file", "language", "std", "defines", "hints", "thresholds", "target"})
MAX_FILENAME = 255


def create_app(settings: ServiceSettings | None = None, *, bundle: Bundle | None = None) -> FastAPI:
    """The service; `bundle` is an already loaded model (else `settings.model` or the shipped one is loaded)."""
    settings = settings or ServiceSettings.load()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = PredictionService.start(settings, bundle)
        try:
            yield
        finally:
            app.state.service.close()

    # FastAPIOffline: FastAPI whose /docs and /redoc load Swagger UI and ReDoc from files the app serves
    # (/static-offline-docs), not from a CDN, so the pages work without internet.
    app = FastAPIOffline(title="xapp", version=__version__, lifespan=lifespan,
                         summary="Static GPU speed-up predictor for C, C++ and OpenCL C loop nests and kernels.",
                         description="Post a source file; for each loop nest or OpenCL kernel get P(speed-up > T) per "
                                     "threshold, a speed-up band and the features that weighed most. Uploaded code is "
                                     "parsed hermetically: no file of the server is read.")
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_body=settings.max_body_bytes)
    # Added last, so outermost: it decides before anything else reads the body, and reads it first.
    app.add_middleware(AdmissionGate, admission=lambda: app.state.service.admission,
                       body=BodyDeadline(settings.body_timeout, settings.body_min_rate, settings.max_body_bytes))
    _routes(app)
    return app


def _service(request: Request) -> PredictionService:
    return request.app.state.service


def _utf8(source: str) -> bytes:
    """A JSON string is Unicode already; one holding a lone surrogate has no UTF-8 form (415, as binary)."""
    try:
        return source.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BinarySource(f"source is not valid UTF-8 (a lone surrogate at character {exc.start})") from None


def _deadline(request: Request) -> float | None:
    """When this request must be answered: set by AdmissionGate as it admitted the request."""
    return getattr(request.state, DEADLINE_KEY, None)


def _degraded_because(live: int, admission) -> str | None:
    if not live:
        return "no parser process is alive"
    if admission.full:
        return f"the queue is full: {admission.capacity} requests admitted, new ones are refused (503)"
    return None


Service = Annotated[PredictionService, Depends(_service)]


def _routes(app: FastAPI) -> None:
    @app.post("/v1/predict", response_model=PredictResponse, responses=ERROR_RESPONSES, tags=["predict"],
              summary="Predict from a source text in a JSON body")
    async def predict(body: PredictRequest, request: Request, service: Service) -> dict:
        upload = Upload(_utf8(body.source), body.filename, body.language, body.std,
                        define_pairs(body.defines), hint_pairs(body.hints),
                        tuple(body.thresholds) if body.thresholds else None, body.target,
                        tuple((body.sizes or {}).items()))
        return await service.predict(upload, _deadline(request))

    @app.post("/v1/predict/file", response_model=PredictResponse, responses=ERROR_RESPONSES, tags=["predict"],
              summary="Predict from an uploaded source file (multipart/form-data)")
    async def predict_file(
        request: Request,
        service: Service,
        file: Annotated[UploadFile, File(description="the source file; its name's suffix picks the language")],
        # Multipart has no null and FastAPI reads an empty field as a missing one: "" means the default.
        language: Annotated[FormLanguage, Form(description='parse as this language; "": by the suffix')] = "",
        std: Annotated[str, Form(pattern=r"^[A-Za-z0-9+.]{0,16}$", description='as for -std; "": the default')] = "",
        defines: Annotated[list[str], Form(description='macros, as for -D: "N=4096,M=8" or repeated')] = [],
        hints: Annotated[list[str], Form(description='runtime facts: "transfer=1048576,wgsize=256"')] = [],
        thresholds: Annotated[list[str], Form(description='report only these: "1,2" or repeated')] = [],
        target: Annotated[str, Form(pattern=r"^[A-Za-z0-9_.-]{0,64}$",
                                    description='hardware target, e.g. "h100"; "": the default')] = "",
    ) -> dict:
        unknown = sorted(set((await request.form()).keys()) - FORM_FIELDS)
        if unknown:
            raise InputError(f"unknown form field(s) {', '.join(unknown)}; accepted: {', '.join(sorted(FORM_FIELDS))}")
        if file.filename and len(file.filename) > MAX_FILENAME:
            raise InputError(f"file name longer than {MAX_FILENAME} characters")
        data = await file.read(service.settings.max_bytes + 1)     # never more than the limit and one byte
        upload = Upload(data, file.filename or None, language or None, std or None, define_pairs(split_list(defines)),
                        hint_pairs(split_list(hints)), threshold_values(split_list(thresholds)), target or None)
        return await service.predict(upload, _deadline(request))

    @app.get("/v1/health", response_model=Health, tags=["service"], summary="Liveness and load",
             responses={503: {"model": Health, "description": "Degraded: no parser process is alive, or the "
                                                              "queue is full (new requests get 503)"}})
    async def health(service: Service) -> JSONResponse:
        live = service.pool.live
        admission = service.admission
        reason = _degraded_because(live, admission)
        body = Health(status="degraded" if reason else "ok", reason=reason, version=__version__,
                      model=service.predictor.model_summary()["name"], workers=service.pool.size,
                      live_workers=live, in_flight=admission.working, queued=admission.queued,
                      capacity=admission.capacity, receiving=admission.reading)
        return JSONResponse(body.model_dump(), status_code=503 if reason else 200)

    @app.get("/v1/model", response_model=ModelCard, tags=["service"], summary="The card of the loaded model")
    async def model(service: Service) -> dict:
        return service.predictor.bundle.card
