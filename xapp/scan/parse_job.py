"""One parse of a scan, wherever it runs (a local slot or a Dask worker): the file waiting for it, the
call and what it gives back. Shared by the local runner (xapp.scan.runner) and the Dask stage
(xapp.scan.dask_stage), which both import it and not each other."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import BinarySource, ExtractionCrash, ExtractionTimeout, NotBuilt, ParseError
from ..extraction import Extractor
from ..features import FileFeatures, ParseOptions
from ..reports.escape import undecodable


def analysed_status(features: FileFeatures) -> str:
    """`ok`, or `partial` when clang reported errors in a file it still parsed (the code around them is lost)."""
    counts = features.diagnostics.counts if features.diagnostics is not None else {}
    return "partial" if counts.get("error") else "ok"


@dataclass
class PendingParse:
    """A file read and missed by the cache: its text waits for a parse."""

    index: int
    text: str
    key: str | None
    note: str | None = None      # e.g. "not UTF-8; decoded as cp1252", kept as the file's message


@dataclass
class Extracted:
    """What one parse gave, wherever it ran (a local slot or a Dask worker): no path, no cache."""

    status: str
    features: FileFeatures | None = None
    message: str | None = None
    seconds: float = 0.0


def parse_name(path: Path) -> str:
    """The name libclang parses a file under: its path, each byte of a name that is not UTF-8 shown as
    `\\xNN` (libclang takes UTF-8 names only; the text travels in memory, so the name need not exist)."""
    return undecodable(str(path))


def extract_one(extractor: Extractor, text: str, name: str, options: ParseOptions, display: str) -> Extracted:
    """Parse one text through `extractor` and name its status."""
    started = time.perf_counter()
    status, features, message = "ok", None, None
    try:
        features = extractor.extract(text, name, options, display)
        status = analysed_status(features)
    except ExtractionTimeout as exc:
        status, message = "timeout", str(exc)
    except ExtractionCrash as exc:
        status, message = "crashed", str(exc)
    except NotBuilt as exc:            # its own #error: not a file of this configuration (before ParseError)
        status, message = "skipped", str(exc)
    except ParseError as exc:
        status, message = "parse_error", str(exc)
    except BinarySource as exc:
        status, message = "binary", str(exc)
    except Exception as exc:          # a bug in the extractor: report it with the file, go on with the rest
        status, message = "error", f"{display}: internal error in the extractor: {type(exc).__name__}: {exc}"
    if message:
        message = message.replace(name, display)   # reports name files as they show them
    return Extracted(status, features, message, time.perf_counter() - started)
