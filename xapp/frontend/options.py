"""Typed parse options and the language a file is parsed as."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from ..errors import InputError

__all__ = ["ParseOptions", "FileView", "LANGUAGES", "language_for", "parse_define", "is_macro_name"]

LANGUAGES = ("c", "c++", "opencl")
HEADER_MODES = ("hermetic", "system")

_SUFFIX_LANGUAGE = {
    ".c": "c", ".h": "c",
    ".cc": "c++", ".cpp": "c++", ".cxx": "c++", ".c++": "c++", ".hpp": "c++", ".hh": "c++", ".hxx": "c++",
    ".cl": "opencl",
}
SOURCE_SUFFIXES = frozenset(_SUFFIX_LANGUAGE)
# The one rule for a macro name, wherever one comes from (-D, the service, a compile database): an ASCII
# C identifier. Anything else ("-I/etc", "N -include x", "é") is a flag or text smuggled into argv.
_MACRO_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_macro_name(name: str) -> bool:
    return _MACRO_NAME.fullmatch(name) is not None


def _is_utf8(text: str) -> bool:
    """False for text that libclang cannot be handed: argv's undecodable bytes and JSON's lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class FileView:
    """The host files one parse may read (a local scan of a checkout that is not trusted).

    roots: folders clang sees, as (name clang looks up, real folder) pairs: the scanned tree and the
        folders the user named. Every other path of the host is "not found".
    hidden_files / hidden_dirs: symbolic links inside the roots that lead outside them: clang sees an
        empty file and an empty folder there instead of what they point to.
    """

    roots: tuple[tuple[str, str], ...] = ()
    hidden_files: tuple[str, ...] = ()
    hidden_dirs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParseOptions:
    """How one source text is parsed.

    language: 'c', 'c++' or 'opencl'; None picks it from the file suffix.
    defines: (NAME, VALUE) pairs, VALUE None for a bare -DNAME.
    header_mode: 'hermetic' parses against xapp's own stub headers (-nostdinc);
        'system' uses a clang resource directory and the host's headers, falling
        back to the stubs when no resource directory is found.
    untrusted: uploaded code. No file of the host is read: #include lines that do
        not name a stub header are blanked, and only -D and -std are honoured.
    extra_args: further compiler flags, e.g. from a compile_commands.json entry.
    view: None reads the host's files as a compiler would; a FileView parses behind a redirect-only
        overlay that shows only its roots (headers.view_overlay; a local scan sets it).
    alias_assumption: the dependence analysis assumes distinct arrays and pointers do not
        overlap (and says so per loop); False makes such loops serial instead.
    context: (includer path, its text before the #include line) for a header parsed through
        the source that includes it (trusted code only; the scan sets it, xapp.scan.includes).
    outer_contexts: the contexts of that includer's own includers, outermost first, parsed before
        `context` (a header whose includer is a header: main.cpp up to `#include "driver.hpp"`, then
        driver.hpp up to the header), so the header sees what the whole chain declared before it.
    configured: (include name, text) of headers that the project's build would make: `config.h` from
        `config.h.in` (xapp.scan.configured), or `<gsl/gsl_vector.h>` that a build links from the tree's
        vector/gsl_vector.h (an #include of that file). The text stands in for the include when it is not
        found, instead of an empty stub (trusted code only; the scan sets it, xapp.scan.includes).
    """

    language: str | None = None
    defines: tuple[tuple[str, str | None], ...] = ()
    include_dirs: tuple[str, ...] = ()
    std: str | None = None
    header_mode: str = "hermetic"
    resource_dir: str | None = None
    untrusted: bool = False
    extra_args: tuple[str, ...] = field(default=())
    alias_assumption: bool = True   # distinct arrays and pointers do not overlap (listed per loop when used)
    view: FileView | None = None
    # Problem sizes the analysis takes as given (--size): (NAME or FUNCTION:NAME, value). Not a macro:
    # they bind variables and parameters after parsing (xapp.analysis.sizes).
    sizes: tuple[tuple[str, int], ...] = ()
    context: tuple[str, str] | None = None
    outer_contexts: tuple[tuple[str, str], ...] = ()
    configured: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.language is not None and self.language not in LANGUAGES:
            raise InputError(f"unknown language {self.language!r}; choose one of {', '.join(LANGUAGES)}")
        if self.header_mode not in HEADER_MODES:
            raise InputError(f"unknown header mode {self.header_mode!r}; choose one of {', '.join(HEADER_MODES)}")
        for name, value in self.defines:
            if not is_macro_name(name):
                raise InputError(f"bad macro name in -D: {name!r}")
            if value is not None and not _is_utf8(value):
                raise InputError(f"bad value for macro {name} in -D: {value!r} is not UTF-8 text "
                                 "(an undecodable byte or a lone surrogate)")
        for name, value in self.sizes:
            fn, _, var = name.rpartition(":")
            if not var.isidentifier() or not var.isascii() \
                    or (fn and not fn.replace("::", "_").replace("~", "_").isidentifier()) \
                    or not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InputError(f"bad size {name}={value!r}: expected NAME=VALUE or FUNCTION:NAME=VALUE, "
                                 "VALUE an integer of 0 or more")
        if self.std is not None and not (self.std.isascii()
                                         and self.std.replace("+", "").replace("-", "").replace(".", "").isalnum()):
            raise InputError(f"bad -std value: {self.std!r}")

    def with_defines(self, extra: dict[str, str]) -> "ParseOptions":
        """A copy with some -D values set or replaced (used by the size sweep)."""
        merged = dict(self.defines)
        merged.update(extra)
        return replace(self, defines=tuple(merged.items()))


def language_for(filename: str, options: ParseOptions) -> str:
    if options.language:
        return options.language
    return _SUFFIX_LANGUAGE.get(PurePath(filename).suffix.lower(), "c")


def parse_define(text: str) -> tuple[str, str | None]:
    """'N=4096' -> ('N', '4096'); 'DEBUG' -> ('DEBUG', None)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not name:
        raise InputError(f"bad -D value: {text!r}")
    return name, (value if sep else None)
