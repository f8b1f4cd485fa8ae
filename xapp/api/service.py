"""What a request asks for, turned into one call of the prediction pipeline; no HTTP in here.

Uploaded code is always parsed hermetically (`ParseOptions(untrusted=True)`): no
file of the server is read, and only -D macros and -std come from the client.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..errors import ExtractionTimeout, InputError
from ..features import ParseOptions, decode_source, parse_define
from ..isolation import WorkerPool
from ..models import Bundle
from ..predict import FilePrediction, PredictOptions, Predictor, parse_hint
from ..targets import get_target
from ..reports.json_report import prediction_document
from .limits import Admission
from .settings import ServiceSettings

__all__ = ["Upload", "PredictionService", "define_pairs", "hint_pairs", "threshold_values", "split_list",
           "MAX_DEFINES"]

MAX_DEFINES = 64
MAX_DEFINE_VALUE = 256
DEFAULT_FILENAMES = {"c": "upload.c", "c++": "upload.cpp", "opencl": "upload.cl"}
_WARMUP = "void warmup(float *x, int n) {\n  for (int i = 0; i < n; i++) x[i] = 2.0f * x[i];\n}\n"


@dataclass(frozen=True)
class Upload:
    """One request: the source bytes as received and the options the client may set."""

    data: bytes
    filename: str | None = None
    language: str | None = None
    std: str | None = None
    defines: tuple[tuple[str, str | None], ...] = ()
    hints: tuple[tuple[str, float], ...] = ()
    thresholds: tuple[float, ...] | None = None
    target: str | None = None        # a built-in target's name; None: the default target

    @property
    def name(self) -> str:
        return self.filename or DEFAULT_FILENAMES.get(self.language or "c", "upload.c")

    def options(self) -> PredictOptions:
        parse = ParseOptions(language=self.language, defines=self.defines, std=self.std, untrusted=True)
        return PredictOptions(parse=parse, hints=self.hints, thresholds=self.thresholds,
                              target=get_target(self.target))


def _is_identifier(name: str) -> bool:
    return name.isascii() and name.isidentifier()


def define_pairs(defines: Mapping[str, str | None] | Iterable[str] | None) -> tuple[tuple[str, str | None], ...]:
    """{"N": "4096"} or ["N=4096", "DEBUG"] -> (("N", "4096"), ("DEBUG", None)); a name that is not a C
    identifier (a flag such as "-I/etc" or "N -include x") or a value spanning lines is refused."""
    if defines is None:
        return ()
    pairs = list(defines.items()) if isinstance(defines, Mapping) else [parse_define(d) for d in defines]
    if len(pairs) > MAX_DEFINES:
        raise InputError(f"{len(pairs)} macros; at most {MAX_DEFINES} are accepted")
    for name, value in pairs:
        if not _is_identifier(name):
            raise InputError(f"bad macro name {name!r}: only -D NAME[=VALUE] with a C identifier is accepted")
        if value is not None and (len(value) > MAX_DEFINE_VALUE or any(c in value for c in "\r\n\x00")):
            raise InputError(f"bad value for macro {name}: at most {MAX_DEFINE_VALUE} characters on one line")
    return tuple(pairs)


def hint_pairs(hints: Mapping[str, float] | Iterable[str] | None) -> tuple[tuple[str, float], ...]:
    """{"transfer": 1048576} or ["transfer=1048576"] -> (("transfer", 1048576.0),)."""
    if hints is None:
        return ()
    if isinstance(hints, Mapping):
        return tuple(parse_hint(f"{name}={value}") for name, value in hints.items())
    return tuple(parse_hint(h) for h in hints)


def threshold_values(values: Iterable[str]) -> tuple[float, ...] | None:
    """["4", "1"] -> (4.0, 1.0); nothing -> None (every threshold of the model)."""
    out = []
    for value in values:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise InputError(f"bad threshold {value!r}: expected a number such as 2")
        out.append(number)
    return tuple(out) or None


def split_list(values: Iterable[str]) -> list[str]:
    """Form fields: repeated, comma-separated or both ("N=4096,M=8")."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


class PredictionService:
    """The loaded model, its worker pool and the admission limits, shared by every request."""

    def __init__(self, settings: ServiceSettings, predictor: Predictor, pool: WorkerPool):
        self.settings = settings
        self.predictor = predictor
        self.pool = pool
        self.admission = Admission(settings.max_concurrency, settings.timeout)
        self._parsers = threading.BoundedSemaphore(pool.size)

    @classmethod
    def start(cls, settings: ServiceSettings, bundle: Bundle | None = None) -> "PredictionService":
        """Load the model once, start the parser processes and warm each one up."""
        pool = WorkerPool(workers=settings.workers, timeout=settings.timeout)
        try:
            predictor = Predictor(bundle, pool) if bundle is not None else Predictor.from_path(settings.model, pool)
            for _ in range(pool.size):        # slots are handed out first-in first-out: each is used once
                predictor.predict_source(_WARMUP, "warmup.c", PredictOptions(ParseOptions(untrusted=True)))
        except BaseException:
            pool.close()
            raise
        return cls(settings, predictor, pool)

    def close(self) -> None:
        self.admission.close()
        self.pool.close()

    async def predict(self, upload: Upload) -> dict:
        """The `xapp predict --format json` document for one uploaded file."""
        text = decode_source(upload.data, upload.name, self.settings.max_bytes)
        options = upload.options()
        self.predictor.thresholds_for(options.thresholds)   # refuse an unknown threshold before any work
        prediction = await self.admission.run(self._predict, text, upload.name, options)
        return prediction_document(self.predictor.model_summary(options.target), [prediction], [])

    def _predict(self, deadline: float, text: str, name: str, options: PredictOptions) -> FilePrediction:
        # Wait for a parser process only until the deadline, so a request answered 504 while queued
        # never starts a parse that nobody will read.
        if not self._parsers.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise ExtractionTimeout(f"no parser process came free within the {self.settings.timeout:g} s limit")
        try:
            return self.predictor.predict_source(text, name, options, display_name=name)
        finally:
            self._parsers.release()
