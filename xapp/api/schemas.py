"""Request and response bodies of the service, as pydantic models (so /openapi.json documents them).

The response of both predict routes is the document of `xapp predict --format json`
(`xapp.reports.json_report.prediction_document`) for one file; these models only type it.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

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


class _Passed(BaseModel):
    """Part of the pipeline's document: a field newer than this schema is passed on, never dropped
    (a test checks that the schema names every field the pipeline writes)."""

    model_config = ConfigDict(extra="allow")


class ThresholdProbability(_Passed):
    threshold: float
    probability: float = Field(description="P(speed-up > threshold)")
    exceeds: bool = Field(description="probability > 0.5")


class Reason(_Passed):
    feature: str
    value: float | None
    contribution: float = Field(description="signed log-odds contribution at the first requested threshold")


class RegionResult(_Passed):
    file: str
    function: str
    kind: str = Field(description="'loop' for a loop nest, 'kernel' for an OpenCL kernel")
    line: int
    end_line: int
    offloadable: bool = Field(description="false: no parallel loop, so not offered as a GPU candidate")
    predictions: list[ThresholdProbability]
    speedup_band: str | None
    reasons: list[Reason]
    not_offloadable_because: str | None = None
    estimated_hints: dict[str, float] = Field(
        default_factory=dict, description="hints xapp derived itself where the client gave none, e.g. transfer "
                                          "from the loop's static data footprint")
    loops: list[dict[str, Any]] = Field(
        default_factory=list, description="every loop of the region with its own verdict (parallel, reduction or "
                                          "serial), reason, privatized variables, reductions and assumptions")
    parallel_level: str | None = Field(default=None, description="`line:var` of the outermost parallel loop")
    findings: list[dict[str, Any]] = Field(default_factory=list, description="possible data races under OpenMP "
                                                                             "pragmas (none: the service ignores "
                                                                             "pragmas)")


class ModelSummary(_Passed):
    name: str
    thresholds: list[float]
    hints: list[str]
    platform: str | None = None
    corpus: str | None = None
    rows: int | None = None
    cv: dict[str, Any] | None = None


class FileError(_Passed):
    file: str
    error: str
    kind: str


class PredictResponse(_Passed):
    """The document of `xapp predict --format json` for the one file posted."""

    model: ModelSummary
    results: list[RegionResult]
    errors: list[FileError]
    findings: list[dict[str, Any]] = Field(default_factory=list, description="findings of every result")


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    model: str
    workers: int = Field(description="parser processes")
    in_flight: int = Field(description="requests being answered now")
    max_concurrency: int


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
    error: ErrorInfo
