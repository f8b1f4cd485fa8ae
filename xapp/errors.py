"""The one exception tree of xapp.

    XappError
    ├── InputError            bad user input: unreadable, binary or oversized source, bad option
    │   ├── SourceTooLarge    source over the configured size limit
    │   └── BinarySource      NUL bytes or invalid UTF-8
    ├── ParseError            libclang could not build a usable AST for a file
    │   └── NotBuilt          the code's own #error says this configuration does not build the file
    ├── ExtractionCrash       the parser process died (segfault) or ran past its time limit
    │   └── ExtractionTimeout
    ├── CorpusError           a labeled corpus is malformed (names the row and the reason)
    ├── BundleError           a model bundle is missing, incomplete or fails its checksums
    └── ModelError            a model cannot answer the request (unknown threshold, feature mismatch)

Front ends map these to exit codes (xapp.cli) and HTTP statuses (xapp.api) in one place each.
"""
from __future__ import annotations

__all__ = [
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_ERROR",
    "XappError",
    "InputError",
    "SourceTooLarge",
    "BinarySource",
    "ParseError",
    "NotBuilt",
    "ExtractionCrash",
    "ExtractionTimeout",
    "CorpusError",
    "BundleError",
    "ModelError",
]

# The exit codes of every command, defined once: the scan report decides between the first two
# (xapp.scan.report) and the command line maps errors to the third (xapp.cli.exits).
EXIT_OK = 0        # done
EXIT_FAILED = 1    # a file failed (features, predict), no row labelled (label), a region reached --fail-on (scan)
EXIT_ERROR = 2     # usage error, unusable input or internal error


class XappError(Exception):
    """Base of every error xapp raises on purpose."""


class InputError(XappError):
    """The caller handed xapp something it cannot use."""


class SourceTooLarge(InputError):
    """A source text is larger than the configured limit."""


class BinarySource(InputError):
    """A source text holds NUL bytes or is not valid UTF-8."""


class ParseError(XappError):
    """libclang produced no usable AST (a fatal error that stub headers cannot mend), or the errors it
    reported left no region to analyse; `details`: the diagnostics ({line, column, severity, message})."""

    def __init__(self, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.details = details


class NotBuilt(ParseError):
    """An `#error` of the file (or of a header it includes) fired: a build without the macros it asks for
    does not compile the file either (miniFE's TBB back end without -DMINIFE_HAVE_TBB). Scans report the
    file `skipped` with the #error's words, never `ok`."""


class ExtractionCrash(XappError):
    """The process parsing a file died, e.g. libclang segfaulted on it."""


class ExtractionTimeout(ExtractionCrash):
    """Parsing a file ran past its time limit."""


class CorpusError(XappError):
    """A labeled corpus row or file is malformed."""


class BundleError(XappError):
    """A model bundle is missing, incomplete or has been tampered with."""


class ModelError(XappError):
    """The model cannot answer: unknown threshold, mismatched features, ..."""
