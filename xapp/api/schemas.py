"""Request and response bodies of the service, as pydantic models (so /openapi.json documents them).

The response of both predict routes is the document of `xapp predict --format json`
(`xapp.reports.json_report.prediction_document`) for one file; these models only type it.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from .. import predict
from ..reports.json_report import SCHEMA_VERSION

__all__ = [
    "Language",
    "FormLanguage",
    "PredictRequest",
    "ThresholdProbability",
    "Reason",
    "RegionResult",
    "ModelSummary",
    "FileError",
    "PredictResponse",
    "Health",
    "ModelCard",
    "ErrorInfo",
    "ErrorResponse",
]

Language = Literal["c", "c++", "opencl"]
# Multipart has no null, and FastAPI reads an empty form field as a missing one: "" stands for the default.
FormLanguage = Literal["c", "c++", "opencl", ""]
Finite = Annotated[float, Field(allow_inf_nan=False)]


def _schema_version():
    return Field(SCHEMA_VERSION, description="version of this document's schema (docs/schema/ in the repository); "
                                             "a minor version only adds fields")

_EXAMPLE_SOURCE = ("__kernel void saxpy(__global float *y, __global const float *x, float a, int n) {\n"
                   "  int i = get_global_id(0);\n  if (i < n) y[i] = a * x[i] + y[i];\n}\n")


class PredictRequest(BaseModel):
    """One source text and the options to parse and judge it with. Unknown fields are refused (422)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "source": _EXAMPLE_SOURCE, "filename": "saxpy.cl", "defines": {"N": "4096"},
        "hints": {"transfer": 1048576}, "thresholds": [1.0, 2.0]}]})

    source: str = Field(description="The source text (UTF-8, no NUL bytes), at most the service's max_bytes.")
    filename: str | None = Field(None, max_length=255,
                                 description="Name shown in the results; its suffix picks the language "
                                             "(.c, .cpp, .cl, ...). Default: upload.c / upload.cpp / upload.cl.")
    language: Language | None = Field(None, description="Parse as this language instead of by the suffix.")
    std: str | None = Field(None, pattern=r"^[A-Za-z0-9+.]{1,16}$",
                            description="Language standard, as for -std (e.g. c99, c++17, CL2.0).")
    defines: Union[dict[str, str | None], list[str], None] = Field(
        None, description='Macros, as for -D: {"N": "4096", "DEBUG": null} or ["N=4096", "DEBUG"]. '
                          "Names must be C identifiers; no other compiler flag is accepted.")
    hints: dict[str, Finite] | None = Field(
        None, description="Runtime facts known before porting, e.g. {\"transfer\": 1048576, \"wgsize\": 256}.")
    thresholds: list[Finite] | None = Field(None, max_length=32,
                                           description="Report only these speed-up thresholds "
                                                       "(default: every threshold of the model).")
    target: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]{1,64}$",
                               description="Hardware target the probabilities are for (`xapp targets` lists "
                                           "them), e.g. h100; default: h100.")
    sizes: dict[str, Annotated[int, Field(ge=0, le=2**62)]] | None = Field(
        None, max_length=64,
        description='Problem sizes the program does not fix, as for --size: {"n": 4000, "kernel:m": 512} '
                    "(a variable or parameter, optionally FUNCTION:NAME).")


class _Passed(BaseModel):
    """Part of the pipeline's document: a field newer than this schema is passed on, never dropped
    (a test checks that the schema names every field the pipeline writes)."""

    model_config = ConfigDict(extra="allow")


def _model_of(cls, name: str, nested: dict, exclude: frozenset[str] = frozenset(),
              added: dict | None = None) -> type[BaseModel]:
    """A pydantic model with the fields of the pipeline's dataclass `cls` (xapp.predict): the result's
    shape is written once, there; this only types it for /openapi.json."""
    hints = typing.get_type_hints(cls)
    fields_ = {}
    for f in dataclasses.fields(cls):
        if f.name in exclude:
            continue
        kind = _swap(hints[f.name], nested)
        info = Field(description=f.metadata.get("description"))
        if f.default is not dataclasses.MISSING:
            info = Field(f.default, description=f.metadata.get("description"))
        elif f.default_factory is not dataclasses.MISSING:
            info = Field(default_factory=f.default_factory, description=f.metadata.get("description"))
        fields_[f.name] = (kind, info)
    return create_model(name, __base__=_Passed, **{**fields_, **(added or {})})


def _swap(kind, nested: dict):
    """`list[Reason]` -> `list[ReasonModel]`: nested dataclasses become their pydantic models."""
    if kind in nested:
        return nested[kind]
    args = typing.get_args(kind)
    if not args:
        return kind
    swapped = tuple(_swap(a, nested) for a in args)
    origin = typing.get_origin(kind)
    return Union[swapped] if origin in (Union, types.UnionType) else origin[swapped]


ThresholdProbability = _model_of(predict.ThresholdProbability, "ThresholdProbability", {})
Reason = _model_of(predict.Reason, "Reason", {})
# What the JSON writer adds to each result (xapp/reports/json_report.region_document).
REPORT_FIELDS = {
    "time_saved_seconds": (float | None, Field(None, description="CPU minus GPU seconds per run of the program, "
                                                                 "never below zero; null without an estimate")),
    "explanation": (list[dict[str, Any]], Field(default_factory=list, description=(
        "what explains P by its own source (probability_source): the estimate's time split "
        "{source: estimate, gpu_seconds, part, part_seconds, cpu_seconds, text} where the estimate gave P, the "
        "classifier's contributions {source: classifier, feature, value, contribution, text} where it did, both "
        "where the two were blended"))),
}
RegionResult = _model_of(predict.RegionPrediction, "RegionResult",
                         {predict.ThresholdProbability: ThresholdProbability, predict.Reason: Reason},
                         exclude=frozenset({"features"}), added=REPORT_FIELDS)


class ModelSummary(_Passed):
    name: str
    thresholds: list[float]
    hints: list[str]
    platform: str | None = None
    corpus: str | None = None
    rows: int | None = None
    cv: dict[str, Any] | None = None
    target: dict[str, Any] | None = Field(
        None, description="the hardware target of this answer: name, description, and calibration (which "
                          "measured corpus its probabilities are calibrated on, or that they follow the estimate)")
    baseline: dict[str, Any] | None = Field(
        None, description="the CPU baseline the speed-ups are against: name, description (the CPU), about, and "
                          "measured (where and when `xapp calibrate` measured it; null for a shipped one)")


class FileError(_Passed):
    file: str
    error: str
    kind: str


class PredictResponse(_Passed):
    """The document of `xapp predict --format json` for the one file posted."""

    schema_version: str = _schema_version()
    model: ModelSummary
    results: list[RegionResult]
    errors: list[FileError]
    findings: list[dict[str, Any]] = Field(default_factory=list,
                                           description="possible data races under OpenMP pragmas (the service "
                                                       "ignores pragmas, so it reports none)")
    warnings: list[dict[str, Any]] = Field(default_factory=list,
                                           description="{file, message, fix}: what the parse could not do as "
                                                       "asked: parse errors (the code around them is missing), a "
                                                       "-D macro that a #define in the code overrides")
    suppressed: list[dict[str, Any]] = Field(default_factory=list,
                                             description="regions an `xapp: ignore` comment took out: "
                                                         "{file, line, function} each")


class Health(BaseModel):
    schema_version: str = _schema_version()
    status: Literal["ok", "degraded"] = Field(description="degraded (answered 503): no parser process is alive, "
                                                          "or the queue is full")
    reason: str | None = Field(None, description="why the service is degraded; null when ok")
    version: str
    model: str
    workers: int = Field(description="parser processes configured")
    live_workers: int = Field(description="parser processes running now")
    in_flight: int = Field(description="requests being parsed or predicted now")
    queued: int = Field(description="requests waiting for a parser")
    capacity: int = Field(description="requests the service takes at once, parsing and queued; 503 beyond")
    receiving: int = Field(0, description="requests whose body is still arriving (they hold no place yet)")


class ModelCard(BaseModel):
    """The card of the loaded model bundle (its card.json), as written at training time."""

    model_config = ConfigDict(extra="allow")

    format_version: int
    kind: str
    feature_names: list[str]
    hint_names: list[str]
    thresholds: list[float]
    training: dict[str, Any]


class ErrorInfo(BaseModel):
    type: str = Field(description="the error class, e.g. SourceTooLarge, ParseError, ServiceOverloaded")
    message: str
    details: list[dict[str, Any]] | None = Field(None, description="per-field problems of a malformed request")


class ErrorResponse(BaseModel):
    schema_version: str = _schema_version()
    error: ErrorInfo
