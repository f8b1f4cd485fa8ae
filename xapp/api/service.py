"""What a request asks for, turned into one call of the prediction pipeline; no HTTP in here.

Uploaded code is always parsed hermetically (`ParseOptions(untrusted=True)`): clang
sees no file of the server, only xapp's stub headers behind a virtual file system,
and only -D macros and -std come from the client. Parsing runs in the worker pool,
under its memory and CPU limits and the request's deadline.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..errors import InputError, ParseError
from ..extraction import WARM_UP_SOURCE, Extractor
from ..features import ParseOptions, decode_source
from ..isolation import WorkerPool
from ..inputs import check_request, diagnostic_details, diagnostics_warnings, is_macro_name, parse_define, \
    parse_errors, parse_hint
from ..models import Bundle
from ..predict import FilePrediction, PredictOptions, Predictor
from ..targets import get_target
from ..reports.json_report import prediction_document
from .limits import Admission
from .settings import ServiceSettings

__all__ = ["Upload", "PredictionService", "define_pairs", "hint_pairs", "threshold_values", "split_list",
           "MAX_DEFINES"]

MAX_DEFINES = 64
# When every parser has been on one request for this long (macro bombs, a pathological file), a request
# waiting behind them runs on one spare parser started for it, instead of waiting for their limits.
SPARE_AFTER_S = 2.0
MAX_DEFINE_VALUE = 256
DEFAULT_FILENAMES = {"c": "upload.c", "c++": "upload.cpp", "opencl": "upload.cl"}


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
    sizes: tuple[tuple[str, int], ...] = ()   # --size: (NAME or FUNCTION:NAME, value)

    @property
    def name(self) -> str:
        return self.filename or DEFAULT_FILENAMES.get(self.language or "c", "upload.c")

    def options(self) -> PredictOptions:
        parse = ParseOptions(language=self.language, defines=self.defines, std=self.std, untrusted=True,
                             sizes=self.sizes)
        return PredictOptions(parse=parse, hints=self.hints, thresholds=self.thresholds,
                              target=get_target(self.target))


def define_pairs(defines: Mapping[str, str | None] | Iterable[str] | None) -> tuple[tuple[str, str | None], ...]:
    """{"N": "4096"} or ["N=4096", "DEBUG"] -> (("N", "4096"), ("DEBUG", None)); a name that is not a C
    identifier (a flag such as "-I/etc" or "N -include x") or a value spanning lines is refused."""
    if defines is None:
        return ()
    pairs = list(defines.items()) if isinstance(defines, Mapping) else [parse_define(d) for d in defines]
    if len(pairs) > MAX_DEFINES:
        raise InputError(f"{len(pairs)} macros; at most {MAX_DEFINES} are accepted")
    for name, value in pairs:
        if not is_macro_name(name):
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
    """The loaded model, its extractor (parser processes) and the admission limits, shared by every request."""

    def __init__(self, settings: ServiceSettings, predictor: Predictor, extractor: Extractor):
        self.settings = settings
        self.predictor = predictor
        self.extractor = extractor
        self.pool: WorkerPool = extractor.pool       # its processes, for /v1/health
        self.admission = Admission(extractor.size, settings.queue, settings.timeout, settings.client_share)

    @classmethod
    def start(cls, settings: ServiceSettings, bundle: Bundle | None = None) -> "PredictionService":
        """Load the model once, start the parser processes and warm each one up."""
        extractor = Extractor.isolated(workers=settings.workers, timeout=settings.timeout,
                                       limits=settings.worker_limits, spare_after=SPARE_AFTER_S)
        try:
            predictor = Predictor(bundle) if bundle is not None else Predictor.from_path(settings.model)
            service = cls(settings, predictor, extractor)
            extractor.warm_up()            # every parser process started, libclang loaded
            deadline = time.monotonic() + settings.timeout     # ... and the model's first call made
            service._predict(deadline, WARM_UP_SOURCE, "warmup.c", PredictOptions(ParseOptions(untrusted=True)))
        except BaseException:
            extractor.close()
            raise
        return service

    def close(self) -> None:
        self.admission.close()
        self.extractor.close()

    async def predict(self, upload: Upload, deadline: float | None = None) -> dict:
        """The `xapp predict --format json` document for one uploaded file, answered by `deadline`."""
        deadline = deadline if deadline is not None else time.monotonic() + self.settings.timeout
        text = decode_source(upload.data, upload.name, self.settings.max_bytes)
        options = upload.options()
        check_request(self.predictor.bundle, options.thresholds, options.hints)   # refused before any work
        prediction = await self.admission.run(deadline, self._predict, text, upload.name, options)
        warnings = [w.as_dict() for w in diagnostics_warnings(upload.name, prediction.diagnostics)]
        return prediction_document(self.predictor.model_summary(options.target), [prediction], [], warnings)

    def _predict(self, deadline: float, text: str, name: str, options: PredictOptions) -> FilePrediction:
        # The parse gets what is left of the request's time: the pool kills it at the deadline.
        left = max(0.01, deadline - time.monotonic())
        features = self.extractor.extract(text, name, options.parse, name, timeout=left)
        _refuse_if_nothing_left(name, features)
        count = len(features.regions)
        if count > self.settings.max_regions:     # predicting runs here, outside the parser's limits
            raise InputError(f"{name}: {count} loop nests and kernels, over the {self.settings.max_regions} one "
                             "request may hold; split the file, or run `xapp predict` or `xapp scan` locally")
        return self.predictor.predict_features(features, options)


def _refuse_if_nothing_left(name: str, features) -> None:
    """A file whose parse errors left no region is refused (422) with its diagnostics, never answered with
    200 and nothing; one that kept regions is answered, its errors in `warnings`."""
    diagnostics = features.diagnostics.as_dict()
    n, first = parse_errors(diagnostics)
    if n and not features.regions:
        raise ParseError(f"{name}: {n} parse error{'s' if n > 1 else ''} (the first at {first}) left no loop nest "
                         "or kernel to analyse", details=diagnostic_details(diagnostics))
