"""Parse one source text from memory with libclang, mending missing includes.

A file on disk is never required: the text travels as an unsaved file. Each
include that cannot be found is replaced by an empty stub and the file parsed
again, so partial code (a file without its project headers) still yields its
loops. A fatal error that stubs cannot mend raises ParseError: xapp never
computes features from a silently truncated AST (-ferror-limit=0 keeps clang
from stopping after 20 errors).

Untrusted code is sealed off from the host by construction: a virtual file
system overlay (headers.sealed_overlay) leaves clang only xapp's stub headers
and the unsaved files below, all at virtual paths. The text rewriting of
sanitize.py and -fno-trigraphs stay as a second layer, and every message names
the upload by its own base name, never by a path of the server.
"""
from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import PurePosixPath

from clang import cindex

from ..errors import NotBuilt, ParseError
from .mend import Mends, Texts
from .headers import STUB_DIR, VIRTUAL_INCLUDE, HeaderSetup, header_setup, stub_header_names
from .options import ParseOptions, language_for
from .sanitize import NO_INCLUDE_MACRO, NO_PRAGMA_MACRO, blank_foreign_includes, neutralise_probes

__all__ = ["Diagnostics", "ParsedUnit", "parse", "compiler_args"]

MISSING_DIR = "/__xapp_missing__/a/b/c"   # deep, so '../x.h' includes land inside it too
UPLOAD_DIR = "/__xapp_upload__"
MAX_STUB_ROUNDS = 64
_MISSING = re.compile(r"^'([^']+)' file not found")
# clang's fatal errors that name an OS error and a path (a server's, in the service): said plainly.
_PLAIN_FATALS = ((re.compile(r"^cannot open file '.*': File name too long$", re.S),
                  "an #include names a file longer than a file name can be (255 bytes a path component)"),)
PRELUDE = "/__xapp_missing__/__xapp_prelude__.h"
_REDEFINED = "-Wmacro-redefined"     # on only with -D macros: finds a #define that overrides one
_SEVERITY = {0: "ignored", 1: "note", 2: "warning", 3: "error", 4: "fatal"}
_LANG_ARGS = {"c": ("-x", "c"), "c++": ("-x", "c++"), "opencl": ("-x", "cl")}
_DEFAULT_STD = {"c": "gnu11", "c++": "c++17", "opencl": "CL1.2"}
_local = threading.local()


@dataclass
class Diagnostics:
    """What the parser said about one file, for the per-file report."""

    language: str
    header_mode: str
    resource_dir: str | None = None
    header_note: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    stubbed_includes: list[str] = field(default_factory=list)
    # missing includes stood in for by what the scan found the build would put there (ParseOptions.configured):
    # a template filled as configure would (config.h from config.h.in), or the tree's only file of that name
    configured_includes: list[str] = field(default_factory=list)
    blanked_includes: int = 0
    guessed_types: dict[str, str] = field(default_factory=dict)
    declared_unknowns: list[str] = field(default_factory=list)
    # names the file uses without including their header -> the stub header included for them
    prelude_includes: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    # macros defined as a build would (xapp.frontend.configuration): name -> "value: why" (value "" for a bare define)
    configuration: dict[str, str] = field(default_factory=dict)
    # -D macros that an unguarded `#define` in the code redefines: {name, file, line} of that #define
    overridden_defines: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ParsedUnit:
    tu: cindex.TranslationUnit
    filename: str
    source: bytes          # the text exactly as parsed (offsets from libclang index into it)
    language: str
    diagnostics: Diagnostics


def _index() -> cindex.Index:
    # One Index per thread: libclang allows one translation unit per thread at a time.
    if not hasattr(_local, "index"):
        _local.index = cindex.Index.create()
    return _local.index


def compiler_args(language: str, options: ParseOptions, headers: HeaderSetup) -> list[str]:
    args = [*_LANG_ARGS[language]]
    std = options.std or _DEFAULT_STD[language]
    args.append(f"-cl-std={std}" if language == "opencl" else f"-std={std}")
    # implicit declarations stay visible: a C call to sqrtf without <math.h> gets math.h (mend.py), not int
    args += ["-ferror-limit=0", "-Wno-everything", "-Wimplicit-function-declaration", *headers.args]
    if options.defines:
        args.append(_REDEFINED)
    for name, value in options.defines:
        if value is not None and options.untrusted:
            value = neutralise_probes(value)[0]   # a macro value is code too: _Pragma, __has_include
        args.append(f"-D{name}" if value is None else f"-D{name}={value}")
    if options.untrusted:
        # After -std: a standard such as c11 turns trigraphs on, and `??=include` is an #include.
        args += ["-fno-trigraphs", f"-D{NO_INCLUDE_MACRO}(x)=0", f"-D{NO_PRAGMA_MACRO}(x)="]
    else:
        args += [f"-I{d}" for d in options.include_dirs]
        args += list(options.extra_args)
    return args


def _stub_path(name: str, viewed: bool) -> str:
    """Where the empty stand-in for a missing include lies: under MISSING_DIR (on the -I path), or, in a
    scan's view, at an absolute name itself (`#include "/abs/x.h"` outside the view)."""
    return name if viewed and name.startswith("/") else f"{MISSING_DIR}/{name}"


def _used_stand_ins(tu: cindex.TranslationUnit, configured: dict[str, str], viewed: bool) -> list[str]:
    """The scan's stand-ins (ParseOptions.configured) that the parse included: the includes they replaced."""
    if not configured:
        return []
    included = {inc.include.name for inc in tu.get_includes() if inc.include is not None}
    return sorted(n for n in configured if _stub_path(n, viewed) in included)


def _upload_name(filename: str) -> str:
    base = PurePosixPath(filename.replace("\\", "/")).name or "upload.c"
    safe = re.sub(r"[^A-Za-z0-9._+-]", "_", base)
    return f"{UPLOAD_DIR}/{safe}"


def _scrubbed(message: str, untrusted: bool) -> str:
    """A message for a client: xapp's own directories by their virtual names, never the server's paths."""
    if not untrusted:
        return message
    return message.replace(str(STUB_DIR.parent), VIRTUAL_INCLUDE)


def _summarise(tu: cindex.TranslationUnit, diag: Diagnostics, main: str,
               skip: frozenset[str]) -> list[tuple[int, str]]:
    """Count diagnostics by severity; return the fatal ones as (line, message). Messages are the main
    file's only: what a header says about its own lines (names from it) is not the user's to read in a
    report that CI may publish. Files in `skip` (xapp's stand-ins, a header's includer) are not counted."""
    counts: dict[str, int] = {}
    fatals = []
    for d in tu.diagnostics:
        if d.severity >= 4:
            fatals.append((d.location.line, d.spelling))   # wherever it is: clang stopped there
        f = d.location.file
        if (f is not None and f.name in skip) or d.option == _REDEFINED:
            continue   # xapp's stand-ins and a header's includer are not this file's errors; redefinitions: below
        sev = _SEVERITY.get(d.severity, str(d.severity))
        counts[sev] = counts.get(sev, 0) + 1
        if d.severity >= 3 and len(diag.messages) < 10 and (f is None or f.name == main):
            loc = d.location
            diag.messages.append(f"{loc.line}:{loc.column}: {sev}: {d.spelling}")
    diag.counts = counts
    return fatals


def _context_files(options: ParseOptions) -> list[tuple[str, str]]:
    """The unsaved files holding a header's includers, outermost first, each up to its include line and
    beside its includer (so its quoted includes resolve as they do there); none for untrusted code or a
    file parsed alone."""
    if options.context is None or options.untrusted:
        return []
    return [(str(PurePosixPath(includer).with_name(f".__xapp_context__.{PurePosixPath(includer).name}")), prefix)
            for includer, prefix in (*options.outer_contexts, options.context)]


_ERROR_DIRECTIVE = re.compile(rb"[ \t]*#[ \t]*error\b")


def _fired_error(tu: cindex.TranslationUnit, texts: Texts, skip: frozenset[str]) -> tuple[str, int, str] | None:
    """The first `#error` that fired in the file or a header it includes (not in its includers' contexts):
    (file, line, its words)."""
    for d in tu.diagnostics:
        f = d.location.file
        if d.severity < 3 or f is None or f.name in skip:
            continue
        source, off = texts.at(d)
        if _ERROR_DIRECTIVE.match(source, source.rfind(b"\n", 0, off) + 1):
            return f.name, d.location.line, d.spelling
    return None


def _not_built(fired: tuple[str, int, str], filename: str, shown: str, untrusted: bool) -> NotBuilt:
    where, line, words = fired
    whose = f"its #error at line {line}" if where == filename else \
        f"the #error at {_scrubbed(where, untrusted)}:{line} that it includes"
    return NotBuilt(f"{shown}: not built in this configuration: {whose} says {words} (pass the macros it asks for "
                    "with -D, or a compile database, to analyse it)")


def _includes_itself(tu: cindex.TranslationUnit, filename: str) -> bool:
    """True when the context already included the main file (its guard then hides its whole text)."""
    return any(inc.include is not None and inc.include.name == filename for inc in tu.get_includes())


def _overridden(tu: cindex.TranslationUnit, options: ParseOptions, shown: str, parsed_as: str) -> list[dict]:
    """The -D macros that a `#define` in the file or a header redefines: clang's -Wmacro-redefined warning
    whose "previous definition" note lies on the command line (no file). A guarded `#ifndef N` definition
    is never reached, so it is not reported."""
    defined = {name for name, _ in options.defines}
    out = []
    for d in tu.diagnostics:
        if d.option != _REDEFINED or not any(c.location.file is None for c in d.children):
            continue
        name = d.spelling.split("'")[1] if d.spelling.count("'") >= 2 else ""
        f = d.location.file
        if name in defined and f is not None:
            where = shown if f.name == parsed_as else _scrubbed(f.name, options.untrusted)
            out.append({"name": name, "file": where, "line": d.location.line})
    return out


def parse(text: str, filename: str, options: ParseOptions) -> ParsedUnit:
    """Parse text as if it were the file `filename`; raise ParseError if no usable AST results."""
    unit = _parse(text, filename, options)
    if options.outer_contexts and _includes_itself(unit.tu, filename):
        # an outer includer had already included it (through another header): its own includer alone
        unit = _parse(text, filename, replace(options, outer_contexts=()))
    if options.context is not None and _includes_itself(unit.tu, filename):
        unit = _parse(text, filename, replace(options, context=None, outer_contexts=()))
        unit.diagnostics.header_note = "parsed alone: its includer had already included it before the #include line"
    return unit


def _parse(text: str, filename: str, options: ParseOptions) -> ParsedUnit:
    language = language_for(filename, options)
    headers = header_setup(language, options.header_mode, options.resource_dir, sealed=options.untrusted,
                           view=options.view)
    diag = Diagnostics(language=language, header_mode=headers.mode, resource_dir=headers.resource_dir,
                       header_note=headers.note)
    shown = filename
    if options.untrusted:
        shown = PurePosixPath(filename.replace("\\", "/")).name or "upload.c"
        filename = _upload_name(filename)
        text, diag.blanked_includes = blank_foreign_includes(text, stub_header_names())
        text, probes = neutralise_probes(text)
        diag.blanked_includes += probes
    args = compiler_args(language, options, headers) + [f"-I{MISSING_DIR}", "-include", PRELUDE]
    contexts = _context_files(options)
    for name, _ in contexts:
        args += ["-include", name]
    if contexts:
        chain = " -> ".join(includer for includer, _ in (*options.outer_contexts, options.context))
        diag.header_note = (diag.header_note + "; " if diag.header_note else "") + \
            f"parsed after its includer {chain} up to the #include line"
    skip = frozenset({PRELUDE, *(name for name, _ in contexts)})
    texts = Texts({filename: text, **dict(contexts)}, readable=not options.untrusted)
    source = text.encode("utf-8")
    configured = {} if options.untrusted else dict(options.configured)
    # missing include -> the stub text standing in for it (empty); the scan's stand-ins are there from the
    # start (one round each would exceed MAX_STUB_ROUNDS in a library of 60 headers), found only when missing
    stubs: dict[str, str] = dict(configured)
    mends = Mends(language)
    for _ in range(MAX_STUB_ROUNDS):
        unsaved = [(filename, text), (PRELUDE, mends.prelude()), *contexts]
        unsaved += [(_stub_path(name, options.view is not None), body) for name, body in stubs.items()]
        diag.messages.clear()
        try:
            tu = _index().parse(filename, args=args, unsaved_files=unsaved)
        except cindex.TranslationUnitLoadError:
            raise ParseError(f"{shown}: libclang could not parse the file (it crashed or ran out of memory "
                             "on this input)") from None
        fatals = _summarise(tu, diag, filename, skip)
        missing = [m.group(1) for _, msg in fatals if (m := _MISSING.match(msg))]
        new = [name for name in missing if name not in stubs]
        stubs.update((name, configured.get(name, "")) for name in new)
        if new:
            continue         # a missing include hides everything after it: stub it before reading the rest
        if not mends.learn(tu, texts):
            break
    diag.overridden_defines = _overridden(tu, options, shown, filename)
    diag.stubbed_includes = sorted(n for n in stubs if n not in configured)
    diag.configured_includes = _used_stand_ins(tu, configured, options.view is not None)
    diag.guessed_types = mends.guessed()
    diag.declared_unknowns = sorted(mends.declared)
    diag.configuration = {n: f"{v or ''}: {why}".lstrip().replace(filename, shown)
                          for n, (v, why) in mends.configuration.items()}
    diag.prelude_includes = dict(sorted(mends.includes.items()))
    fired = _fired_error(tu, texts, skip)
    if fired is not None:
        raise _not_built(fired, filename, shown, options.untrusted)
    if fatals:
        line, msg = fatals[0]
        msg = next((plain for pattern, plain in _PLAIN_FATALS if pattern.match(msg)), msg)
        raise ParseError(f"{shown}:{line}: fatal error: {_scrubbed(msg, options.untrusted)}")
    if options.untrusted:
        diag.messages = [_scrubbed(m, True) for m in diag.messages]
    return ParsedUnit(tu, filename, source, language, diag)
