"""Which stub header declares a name: `std::max` -> `algorithm`, `size_t` -> `stddef.h`, `M_PI` -> `math.h`.

Real code leans on headers that its missing project headers include: `reference.h` brings `<algorithm>`
and `<cmath>`, so the file itself calls `std::max` without including anything. When the parser meets such
a name (clang: "no member named 'max' in namespace 'std'", "unknown type name 'size_t'", "use of
undeclared identifier 'M_PI'"), it includes the stub header that declares it (parse.py) instead of a
guessed stand-in that has the wrong type.

The index is read from `stub_index.json`, which `build_index` writes from the stub headers themselves
(each parsed with libclang, its own declarations and macros collected); a test checks that the file
matches the headers. Regenerate it after editing a stub: `python -m xapp.frontend.stub_index`.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

from clang import cindex

from .headers import STUB_DIR, stub_header_names

__all__ = ["INDEX_PATH", "header_for", "build_index", "write_index"]

INDEX_PATH = Path(__file__).with_name("stub_index.json")
_SPECIALISED = cindex.CursorKind.CLASS_TEMPLATE_PARTIAL_SPECIALIZATION   # function<R(A...)> defines function
_KINDS = {cindex.CursorKind.FUNCTION_DECL, cindex.CursorKind.VAR_DECL, cindex.CursorKind.TYPEDEF_DECL,
          cindex.CursorKind.STRUCT_DECL, cindex.CursorKind.UNION_DECL, cindex.CursorKind.ENUM_DECL,
          cindex.CursorKind.CLASS_DECL, cindex.CursorKind.CLASS_TEMPLATE, cindex.CursorKind.FUNCTION_TEMPLATE,
          cindex.CursorKind.TYPE_ALIAS_DECL, cindex.CursorKind.TYPE_ALIAS_TEMPLATE_DECL,
          cindex.CursorKind.NAMESPACE, cindex.CursorKind.MACRO_DEFINITION, cindex.CursorKind.ENUM_CONSTANT_DECL,
          cindex.CursorKind.USING_DECLARATION, _SPECIALISED}
_CLASSES = {cindex.CursorKind.STRUCT_DECL, cindex.CursorKind.UNION_DECL, cindex.CursorKind.CLASS_DECL,
            cindex.CursorKind.CLASS_TEMPLATE}
# headers of forward declarations only: never the one to include for a name
_SKIPPED = {"iosfwd"}
# wrappers whose children belong to the enclosing scope: extern "C" { ... }, enum { A, B }
_TRANSPARENT = {cindex.CursorKind.LINKAGE_SPEC, cindex.CursorKind.UNEXPOSED_DECL, cindex.CursorKind.ENUM_DECL}
_LANG_ARGS = {"c": ["-x", "c", "-std=gnu11"], "c++": ["-x", "c++", "-std=c++17", "-nostdinc++"]}


def _public(name: str) -> bool:
    # xapp's own helpers (__xapp_...), reserved names and include guards are nobody's to use
    return bool(name) and not name.startswith("_") and not name.startswith("XAPP")


def _forward(cursor: cindex.Cursor) -> bool:
    """A class declared, not defined (`class ostream;`): including its header would not complete it."""
    return cursor.kind in _CLASSES and not cursor.is_definition()


def _names(cursor: cindex.Cursor, path: str, prefix: str = "") -> list[str]:
    """The public names a header declares itself, `std::` members with their namespace."""
    out = []
    for child in cursor.get_children():
        if child.location.file is None or child.location.file.name != path:
            continue
        if child.kind in _TRANSPARENT:
            out += _names(child, path, prefix)
        if child.kind not in _KINDS or not _public(child.spelling) or _forward(child):
            continue
        out.append(prefix + child.spelling)
        if child.kind == cindex.CursorKind.NAMESPACE and prefix + child.spelling == "std":
            out += _names(child, path, "std::")
    return out


def _declared(header: str, language: str) -> list[str]:
    path = str(STUB_DIR / header)
    args = [*_LANG_ARGS[language], "-nostdinc", "-isystem", str(STUB_DIR), "-fopenmp"]
    tu = cindex.Index.create().parse("__xapp_index__.c", args=args,
                                     unsaved_files=[("__xapp_index__.c", f"#include <{header}>\n")],
                                     options=cindex.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    return _names(tu.cursor, path)


def build_index() -> dict[str, dict[str, str]]:
    """{language: {name: header}} from the stub headers. C sees the `.h` headers, C++ all of them; a name
    several declare goes to the header named after it, else to a C header, else to the first by name."""
    index: dict[str, dict[str, str]] = {"c": {}, "c++": {}}
    # C headers first (smaller, and the C++ ones include them), then a header named after the name
    headers = sorted((h for h in stub_header_names() if h not in _SKIPPED), key=lambda h: (not h.endswith(".h"), h))
    for language in index:
        for header in headers:
            if language == "c" and not header.endswith(".h"):
                continue
            for name in _declared(header, language):
                if name.split("::")[-1] == header:
                    index[language][name] = header      # std::string -> string, std::chrono -> chrono
                else:
                    index[language].setdefault(name, header)
    return {lang: dict(sorted(names.items())) for lang, names in index.items()}


def write_index(path: Path = INDEX_PATH) -> None:
    path.write_text(json.dumps(build_index(), indent=0, sort_keys=True) + "\n", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, str]]:
    return json.loads(INDEX_PATH.read_text(encoding="utf-8"))


def header_for(name: str, language: str) -> str | None:
    """The stub header that declares `name` (`std::max`, `size_t`) in `language`, or None."""
    return _index().get("c++" if language == "c++" else "c", {}).get(name)


if __name__ == "__main__":
    write_index()
