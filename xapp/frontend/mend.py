"""What the parser adds so that a file without its project headers still parses: the mends.

Each round of parse.py reads clang's diagnostics and learns, in this order of trust:

* an include that is not found gets an empty stub (the name is reported in `stubbed_includes`);
* a name a stub header declares (`std::max`, `size_t`, `M_PI`, `rindex`) gets that header, included
  first (`prelude_includes`): the missing project header would have brought it (stub_index.py);
* an unknown type name gets a guessed typedef (`real_t` -> double, others int), or, when a type and a
  declarator follow it (`INLINE uint2 f(...)`), an empty macro: a specifier such as `INLINE`, `HOST`;
* an undeclared name gets a stand-in: `int f(...)` when called, a namespace before `::`, a variable
  otherwise; a stand-in called with template arguments (`reference<float>(...)`) becomes a function
  template, and one whose result initialises a `float *` returns a `float *`.

All of it is reported in the file's diagnostics, never silently: these are guesses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from clang import cindex

from .configuration import semicolon_defaults, variant_macro
from .standins import Round, StandIns
from .stub_index import header_for

__all__ = ["Mends", "Texts"]

_UNKNOWN_TYPE = re.compile(r"^unknown type name '([A-Za-z_][A-Za-z0-9_]*)'")
_UNDECLARED = re.compile(r"^(?:use of undeclared identifier|call to undeclared (?:library )?function) '([A-Za-z_][A-Za-z0-9_]*)'")
# clang's type of a builtin library function called undeclared: 'void *(unsigned long)' (return type, then
# the parameters; no builtin of the C library returns a function pointer)
_LIBRARY_CALL = re.compile(r"^call to undeclared library function '([A-Za-z_][A-Za-z0-9_]*)' with type "
                           r"'([^'()]+?)\s*\(([^'()]*)\)'")
_CONFLICT = re.compile(r"^conflicting types for '([A-Za-z_][A-Za-z0-9_]*)'")
_STD_MEMBER = re.compile(r"^no (?:member|template|type) named '([A-Za-z_][A-Za-z0-9_]*)' in namespace 'std'")
_NO_TEMPLATE = re.compile(r"^no template named '([A-Za-z_][A-Za-z0-9_]*)'$")
_NOT_TEMPLATE = re.compile(r"^'([A-Za-z_][A-Za-z0-9_]*)' does not name a template but is followed by template")
_INT_RESULT = re.compile(r"^(?:(?:cannot initialize a variable of type|assigning to) '([^']+)'(?: \(aka '[^']*'\))? "
                         r"(?:with an rvalue of type|from incompatible type) 'int'|"
                         r"no viable conversion from 'int' to '([^']+)')$")
# `p = f(`, `float *p = (float *) f(`: from the variable (or the `=`) the diagnostic points at to the call
_ASSIGNED_CALL = re.compile(rb"(?:[A-Za-z_][A-Za-z0-9_]*)?\s*(?:\[[^\]=;]*\]\s*)*=\s*(?:\([^()=;]*\)\s*)?"
                            rb"([A-Za-z_][A-Za-z0-9_]*)\s*[(<]")
# a guessed `typedef int T;` that the code's own `typedef struct tag {...} T;` meets later (a header's circular
# include used T before its definition): clang points at T and names the code's type first
_RETYPED = re.compile(r"^typedef redefinition with different types \('((?:struct|union) [A-Za-z_][A-Za-z0-9_]*)' vs '")
_NOT_A_TYPE = re.compile(r"^template argument for template type parameter must be a type")
# CUDA's and OpenCL's vector types, which programs ported from them declare in a header of their own
_VECTOR = re.compile(r"^(char|uchar|short|ushort|int|uint|long|ulong|longlong|ulonglong|float|double)([1-4])$")
_VECTOR_BASE = {"char": "signed char", "uchar": "unsigned char", "short": "short", "ushort": "unsigned short",
                "int": "int", "uint": "unsigned int", "long": "long", "ulong": "unsigned long",
                "longlong": "long long", "ulonglong": "unsigned long long", "float": "float", "double": "double"}
_FLOATY = re.compile(r"real|float|flt|double|dbl|scalar|fp", re.I)
_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# after an unknown name: another type or name, then a declarator -> the unknown name is a specifier macro
_SPECIFIED = re.compile(rb"\s+(?:const\s+|volatile\s+|unsigned\s+|signed\s+|struct\s+)*[A-Za-z_][A-Za-z0-9_]*"
                        rb"[\s*&]+(?:__restrict__\s+|restrict\s+)?[A-Za-z_][A-Za-z0-9_]*\s*[(\[;=,)]")
_CXX_WORDS = frozenset({"namespace", "class", "template", "typename", "using", "public", "private", "protected",
                        "virtual", "operator", "friend", "explicit", "constexpr", "noexcept", "nullptr"})
_NOT_TYPES = frozenset({b"const", b"volatile", b"restrict", b"__restrict__", b"operator"})
# `T* MINIFE_RESTRICT p =`: an unknown name between a pointer's `*` (or a reference's `&`) and a declarator
# name is a qualifier macro (real builds pass -DMINIFE_RESTRICT=__restrict__); clang reads it as the
# declarator and stops at the real name ("expected ';' at end of declaration", "expected ')'")
_QUALIFIER_BEFORE = re.compile(rb"[*&]\s*(?:const\s+|volatile\s+)*([A-Za-z_][A-Za-z0-9_]*)\s+(?:const\s+|volatile\s+)*$")
_QUALIFIER_AFTER = re.compile(rb"\s+(?:const\s+|volatile\s+)*[A-Za-z_][A-Za-z0-9_]*\s*[=;,)\[]")
_STOPPED_AT_NAME = re.compile(r"^expected (?:';' at end of declaration|'\)'|',' or '\)')")
_KEYWORDS = frozenset({b"const", b"volatile", b"__restrict", b"__restrict__", b"return", b"case",
                       b"sizeof", b"new", b"delete", b"throw", b"operator", b"goto", b"else", b"do"})


class Texts:
    """The bytes of each file a diagnostic points into: the parsed text, a header's context, and (trusted code
    only) a header on disk, read once; an offset from libclang indexes the file it names, not the main one."""

    def __init__(self, unsaved: dict[str, str], readable: bool):
        self._bytes = {k: v.encode("utf-8") for k, v in unsaved.items()}
        self._readable = readable

    def get(self, name: str) -> bytes:
        if name not in self._bytes:
            try:
                self._bytes[name] = open(name, "rb").read() if self._readable and name else b""
            except OSError:
                self._bytes[name] = b""
        return self._bytes[name]

    def at(self, diagnostic: cindex.Diagnostic) -> tuple[bytes, int]:
        """The text of the file a diagnostic points into, and its offset there."""
        f = diagnostic.location.file
        return self.get(f.name if f is not None else ""), diagnostic.location.offset


def _line_at(source: bytes, offset: int) -> bytes:
    """The whole line of `source` that holds `offset`."""
    end = source.find(b"\n", offset)
    return source[source.rfind(b"\n", 0, offset) + 1:end if end >= 0 else len(source)]


def _guess(name: str) -> str:
    """real_t -> double, float4 -> the CUDA/OpenCL vector struct (x, y, z, w), anything else -> int."""
    m = _VECTOR.match(name)
    if m:
        base = _VECTOR_BASE[m.group(1)]
        return f"struct {{ {base} {', '.join('xyzw'[: int(m.group(2))])}; }}"
    return "double" if _FLOATY.search(name) else "int"


def _is_specifier(after: bytes) -> bool:
    """True when the text after an unknown name reads `TYPE NAME(`, `TYPE *NAME;`...: the unknown name stands
    before a whole declaration, so it is a specifier macro (INLINE, HOST_DEVICE), not a type."""
    m = _SPECIFIED.match(after)
    first = _IDENT.search(after)
    return bool(m) and first is not None and first.group(0) not in _NOT_TYPES


@dataclass
class Mends:
    """The stand-ins learnt so far for one file, and the text of the prelude that declares them."""

    language: str
    includes: dict[str, str] = field(default_factory=dict)     # name -> stub header that declares it
    typedefs: dict[str, str] = field(default_factory=dict)     # unknown type -> guessed type
    specifiers: list[str] = field(default_factory=list)        # unknown names defined as empty macros
    declared: dict[str, str] = field(default_factory=dict)     # undeclared name -> its stand-in
    builtins: dict[str, str] = field(default_factory=dict)     # C library call -> clang's declaration of it
    qualifiers: list[str] = field(default_factory=list)        # unknown names defined as `__restrict`
    # macros a build would pass with -D (configuration.py): name -> (value or None, why, for diagnostics)
    configuration: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    _defaults_read: bool = False
    shapes: StandIns = field(init=False)                       # guesses that the file's use reshaped

    def __post_init__(self) -> None:
        self.shapes = StandIns(self.language)

    def guessed(self) -> dict[str, str]:
        """Each guessed type and what it stands in as (diagnostics.guessed_types)."""
        return {**self.typedefs, **self.shapes.reported(), **{name: "(empty macro)" for name in self.specifiers},
                **{name: "(qualifier macro: __restrict)" for name in self.qualifiers}}

    def prelude(self) -> str:
        """The text included before the file: headers, specifier macros, guessed types, stand-ins."""
        heads = "".join(f"#define {n}{'' if v is None else ' ' + v}\n" for n, (v, _) in self.configuration.items())
        heads += "".join(f"#include <{h}>\n" for h in dict.fromkeys(self.includes.values()))
        return heads + "".join(f"#define {n}\n" for n in self.specifiers) + \
            "".join(f"#define {n} __restrict\n" for n in self.qualifiers) + \
            "".join(f"typedef {v} {k};\n" for k, v in self.typedefs.items() if not self.shapes.shaped(k)) + \
            self.shapes.prelude() + "".join(self.declared.values())

    def learn(self, tu: cindex.TranslationUnit, texts: Texts) -> bool:
        """Read one parse's diagnostics; True when something new was learnt (parse again)."""
        diagnostics = list(tu.diagnostics)
        self._note_library_calls(diagnostics)
        if self._learn_headers(diagnostics) | self._learn_clashes(diagnostics):
            return True      # included headers may resolve the rest: parse again before guessing
        if self._learn_configuration(tu, diagnostics, texts):
            return True      # the build's choice declares what the errors missed: parse again before guessing
        if self._learn_qualifiers(diagnostics, texts):
            return True      # the declarations they broke name variables: parse again before standing in for them
        if self._learn_retyped(diagnostics, texts):
            return True      # the shapes read off its uses in this round were the guess's: parse again first
        if self._learn_types(diagnostics, texts):
            return True      # `EXPORT T f(...);` declares f once EXPORT is a macro: parse again before standing in for f
        learnt = self._learn_stand_ins(diagnostics, texts)
        learnt |= self._learn_shapes(diagnostics, Round(texts, self.typedefs, self.declared))
        return self._learn_refinements(diagnostics, texts) or learnt

    def _known(self, name: str) -> str | None:
        header = header_for(name, self.language)
        if header is None and self.language == "c++" and "::" not in name:
            header = header_for(f"std::{name}", self.language)     # `using namespace std;` then `vector<int>`
        return header if name not in self.includes else None

    def _note_library_calls(self, diagnostics: list[cindex.Diagnostic]) -> None:
        """C: the declaration clang gives a library function called without its header (its builtin type)."""
        if self.language != "c":
            return
        for d in diagnostics:
            m = _LIBRARY_CALL.match(d.spelling)
            if m and "__va_list_tag" not in m.group(3):
                self.builtins.setdefault(m.group(1), f"{m.group(2)} {m.group(1)}({m.group(3)});\n")

    def _learn_clashes(self, diagnostics: list[cindex.Diagnostic]) -> bool:
        """A program's own function that a header included for another name declares otherwise: old C calls
        strlen without <string.h> and defines its own `char *strchr(char *, int)`; gcc 12 compiles it (an
        implicit declaration is a warning). Then the names that brought that header get their builtin
        declarations instead, as gcc gives them, and the header goes."""
        learnt = False
        for d in diagnostics:
            m = _CONFLICT.match(d.spelling)
            header = header_for(m.group(1), self.language) if m else None
            if header is None or header not in self.includes.values():
                continue
            for name in [n for n, h in self.includes.items() if h == header and n in self.builtins]:
                del self.includes[name]
                self.declared[name] = self.builtins[name]
                learnt = True
        return learnt

    def _learn_headers(self, diagnostics: list[cindex.Diagnostic]) -> bool:
        new = {}
        for d in diagnostics:
            m = _STD_MEMBER.match(d.spelling)
            name = f"std::{m.group(1)}" if m else next(
                (m.group(1) for p in (_UNKNOWN_TYPE, _UNDECLARED, _NO_TEMPLATE) if (m := p.match(d.spelling))), None)
            header = self._known(name) if name else None
            if header and name not in self.declared and name not in self.typedefs and name not in self.specifiers:
                new[name] = header
        self.includes.update(new)
        return bool(new)

    def _learn_configuration(self, tu: cindex.TranslationUnit, diagnostics: list[cindex.Diagnostic],
                             texts: Texts) -> bool:
        """Macros a build passes with -D, read from the code (configuration.py): the variant macro under which
        a missing name is declared in the file that uses it; a default with a stray ';' on a line with errors."""
        new: dict[str, tuple[str | None, str]] = {}
        tried: set[tuple[str, str]] = set()     # a file with thousands of errors names a few hundred names
        for d in diagnostics:
            m = next((m for p in (_NO_TEMPLATE, _UNKNOWN_TYPE, _UNDECLARED) if (m := p.match(d.spelling))), None)
            f = d.location.file
            if m is None or f is None or (f.name, m.group(1)) in tried:
                continue
            tried.add((f.name, m.group(1)))
            branch = variant_macro(texts.get(f.name), m.group(1), frozenset(self.configuration) | frozenset(new))
            if branch is not None:
                others = f" (the other choices: {', '.join(branch.alternatives)})" if branch.alternatives else ""
                new[branch.macro] = (None, f"{m.group(1)} is declared only under it, {f.name}:{branch.line}{others}")
        new.update(self._semicolon_defaults(tu, diagnostics, texts))
        self.configuration.update(new)
        for name in new:
            self.typedefs.pop(name, None)
            self.declared.pop(name, None)
        return bool(new)

    def _semicolon_defaults(self, tu: cindex.TranslationUnit, diagnostics: list[cindex.Diagnostic],
                            texts: Texts) -> dict[str, tuple[str | None, str]]:
        """`#ifndef N` / `#define N double;` in a file of the unit, N on a line clang could not parse: N is
        defined as the value without the `;` (read once per file: the first round with errors)."""
        if self._defaults_read or not any(d.severity >= 3 for d in diagnostics):
            return {}
        self._defaults_read = True
        files = {i.include.name for i in tu.get_includes() if i.include is not None}
        found = {n: (v, f"{name}:{line}") for name in sorted(files) for n, (v, line) in
                 semicolon_defaults(texts.get(name)).items()}
        bad_lines = {_line_at(*texts.at(d)) for d in diagnostics if d.severity >= 3}
        used = {n for n in found if any(re.search(rb"\b" + n.encode() + rb"\b", line) for line in bad_lines)}
        return {n: (found[n][0], f"its default at {found[n][1]} without the stray ';' (a build passes -D{n})")
                for n in sorted(used) if n not in self.configuration}

    def _learn_qualifiers(self, diagnostics: list[cindex.Diagnostic], texts: Texts) -> bool:
        """Unknown names used as a pointer's qualifier (`T* RESTRICT p`): each becomes `__restrict`."""
        new = []
        for d in diagnostics:
            source, off = texts.at(d)
            name = None
            at = off + len(source[off:off + 80]) - len(source[off:off + 80].lstrip())   # clang points before the name
            if _STOPPED_AT_NAME.match(d.spelling) and _IDENT.match(source, at):
                m = _QUALIFIER_BEFORE.search(source[max(0, at - 160):at])
                name = m.group(1) if m else None
            elif (m := _UNDECLARED.match(d.spelling)) and source[off:off + len(m.group(1))] == m.group(1).encode():
                before = source[max(0, off - 80):off].rstrip()
                after = source[off + len(m.group(1)):off + len(m.group(1)) + 160]
                name = m.group(1).encode() if before.endswith((b"*", b"&")) and _QUALIFIER_AFTER.match(after) else None
            if name and name not in _KEYWORDS and name.decode() not in self.qualifiers + new:
                new.append(name.decode())
        for name in new:
            self.declared.pop(name, None)     # a stand-in variable of an earlier round: the macro replaces it
            self.typedefs.pop(name, None)
        self.qualifiers += new
        return bool(new)

    def _learn_types(self, diagnostics: list[cindex.Diagnostic], texts: Texts) -> bool:
        learnt = False
        for d in diagnostics:
            m = _UNKNOWN_TYPE.match(d.spelling)
            name = m.group(1) if m else None
            if not name or name in self.typedefs or name in self.specifiers:
                continue
            source, off = texts.at(d)
            if name in _CXX_WORDS:
                continue          # C++ read as C: no guess mends that, the error stays
            if _is_specifier(source[off + len(name):off + len(name) + 160]):
                self.specifiers.append(name)
            else:
                self.typedefs[name] = _guess(name)
            self.declared.pop(name, None)     # used as a type somewhere: a type, not also a variable
            self.includes.pop(name, None)     # its header did not declare it here (std::, not ::)
            learnt = True
        return learnt

    def _learn_retyped(self, diagnostics: list[cindex.Diagnostic], texts: Texts) -> bool:
        """A guessed type that the code defines later as a named struct or union (`typedef struct esl_s {...}
        ESL_DATA;`, used before through a circular include): the guess becomes that struct, declared ahead
        (`typedef struct esl_s ESL_DATA;`), which the code's own definition then completes."""
        learnt = False
        for d in diagnostics:
            m = _RETYPED.match(d.spelling)
            source, off = texts.at(d)
            word = _IDENT.match(source, off) if m else None
            name = word.group(0).decode() if word else None
            if name in self.typedefs and self.typedefs[name] != m.group(1):
                self.typedefs[name] = m.group(1)
                self.shapes.forget(name)      # members read off its uses: the code's own struct has them
                learnt = True
        return learnt

    def _learn_stand_ins(self, diagnostics: list[cindex.Diagnostic], texts: Texts) -> bool:
        learnt = False
        for d in diagnostics:
            m = _UNDECLARED.match(d.spelling)
            if not m or m.group(1) in self.declared or m.group(1) in self.typedefs:
                continue
            name = m.group(1)
            self.includes.pop(name, None)     # `max` with <algorithm> but no `using namespace std`
            source, off = texts.at(d)
            after = source[off + len(name):off + len(name) + 64].lstrip()
            if source[off:off + len(name)] != name.encode():
                after = b""       # inside a macro's expansion (`XLCAL(t)` uses t0c): what follows is not its use
            if after.startswith(b"::"):
                self.declared[name] = f"namespace {name} {{}}\n"   # C++ only (C has no '::')
            else:
                self.declared[name] = self._stand_in(name, source[off:off + len(name)], after)
            learnt = True
        return learnt

    def _stand_in(self, name: str, spelled: bytes, after: bytes) -> str:
        """`int f(...)` for a call, `extern int x` for a value; in C, a name that a macro's expansion brings
        (the diagnostic points at `KSEQ_INIT(gzFile, gzread)`, which calls its argument) is C's unprototyped
        `int f()`: a call with any arguments and a function pointer both accept it, and nothing tells which."""
        if after.startswith(b"("):
            return f"int {name}(...);\n"
        if self.language == "c" and spelled != name.encode():
            return f"int {name}();\n"
        return f"extern int {name};\n"

    def _learn_shapes(self, diagnostics: list[cindex.Diagnostic], r: Round) -> bool:
        """Guesses that the file uses as a struct, an array or a function (standins.py)."""
        learnt = False
        for d in diagnostics:
            learnt |= self.shapes.learn(d, r)
        return learnt

    def _learn_refinements(self, diagnostics: list[cindex.Diagnostic], texts: Texts) -> bool:
        """Stand-ins that clang showed to be something else: a template, a function returning a pointer."""
        if self.language != "c++":
            return False
        learnt = False
        for d in diagnostics:
            m = _NOT_TEMPLATE.match(d.spelling)
            if m and self.declared.get(m.group(1), "").startswith(("int ", "extern int ")):
                name = m.group(1)
                self.declared[name] = f"template <class... _T, class... _A> int {name}(_A &&...);\n"
                learnt = True
            elif _NOT_A_TYPE.match(d.spelling) and (name := self._variable_at(d, texts)):
                del self.declared[name]          # Vector<MINIFE_SCALAR>: a type (a build file's -D macro)
                self.typedefs[name] = _guess(name)
                learnt = True
            elif (m := _INT_RESULT.match(d.spelling)) and (name := self._called_stand_in(d, texts)):
                self.declared[name] = self.declared[name].replace("int ", f"{m.group(1) or m.group(2)} ", 1)
                learnt = True
        return learnt

    def _variable_at(self, d: cindex.Diagnostic, texts: Texts) -> str | None:
        """The stand-in variable the diagnostic points at."""
        source, off = texts.at(d)
        m = _IDENT.match(source, off)
        name = m.group(0).decode() if m else ""
        return name if self.declared.get(name, "").startswith("extern int ") else None

    def _called_stand_in(self, d: cindex.Diagnostic, texts: Texts) -> str | None:
        """The stand-in called on the right of the `=` the diagnostic points at, while it still returns int."""
        source, off = texts.at(d)
        m = _ASSIGNED_CALL.match(source, off)
        name = m.group(1).decode() if m else ""
        stand_in = self.declared.get(name, "")
        return name if stand_in.startswith(("int ", "template <class... _T, class... _A> int ")) else None
