"""Headers that a project's build generates, stood in for from their templates in the tree.

A source package holds `config.h.in` (autoconf), `NAME.h.in` or `NAME.in` (CMake's
`configure_file`) where a build writes `config.h`, `NAME.h`: a scan without a build
finds no such header, and an empty stand-in loses what the code needs from it
(`HAVE_INTTYPES_H` before `#include <inttypes.h>`, `SIZEOF_VOID_P` before an
`#error`). For an include that is not found but whose template the scanned tree
holds (beside the includer, else the one match in the tree), the stand-in is the
template with what configure would find on the platform the stub headers describe
(glibc 2.36, x86-64, LP64):

* `HAVE_X_H` defined where a stub header `x.h` exists (`HAVE_SYS_TIME_H`: `sys/time.h`);
* `HAVE_FUNC` and `HAVE_DECL_FUNC` where a stub header declares `func`;
* `SIZEOF_T` for the standard types of LP64 (`SIZEOF_VOID_P` 8, `SIZEOF_LONG` 8, ...);
* `STDC_HEADERS` and `_GNU_SOURCE` (autoconf's AC_USE_SYSTEM_EXTENSIONS on glibc);
* every other `#undef NAME` and `#cmakedefine NAME` left undefined (a choice of the
  build: precision, MPI, SIMD), `#cmakedefine01 NAME` 0, a directive that still holds
  a `@VAR@` or `${VAR}` substitution dropped (its value is the build's), except a
  function-like macro, defined empty (`#define DEPRECATED_MSG(msg) @MACRO@`: an
  attribute, most often), and such a substitution elsewhere (in a comment, a line of
  its own) removed.

What was defined is listed in a note of the file, never silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..frontend.headers import stub_header_names
from ..frontend.stub_index import header_for

__all__ = ["Configured", "template_names", "render"]

# LP64 (x86-64 Linux): bytes of each type whose SIZEOF_ macro autoconf's AC_CHECK_SIZEOF writes
_SIZES = {"CHAR": 1, "SHORT": 2, "INT": 4, "LONG": 8, "LONG_LONG": 8, "FLOAT": 4, "DOUBLE": 8, "LONG_DOUBLE": 16,
          "VOID_P": 8, "SIZE_T": 8, "SSIZE_T": 8, "PTRDIFF_T": 8, "OFF_T": 8, "INTPTR_T": 8, "UINTPTR_T": 8,
          "INT8_T": 1, "INT16_T": 2, "INT32_T": 4, "INT64_T": 8, "UINT8_T": 1, "UINT16_T": 2, "UINT32_T": 4,
          "UINT64_T": 8, "WCHAR_T": 4, "TIME_T": 8}
_SIZES.update({f"UNSIGNED_{k}": v for k, v in list(_SIZES.items()) if k in ("CHAR", "SHORT", "INT", "LONG",
                                                                              "LONG_LONG")})
_FIXED = {"STDC_HEADERS": "1", "_GNU_SOURCE": "1"}
_UNDEF = re.compile(r"^[ \t]*#[ \t]*undef[ \t]+([A-Za-z_][A-Za-z0-9_]*)\b")
_CMAKEDEFINE = re.compile(r"^[ \t]*#[ \t]*cmakedefine(01)?[ \t]+([A-Za-z_][A-Za-z0-9_]*)(.*)$")
_DIRECTIVE = re.compile(r"^[ \t]*#")
_FUNCTION_MACRO = re.compile(r"^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*\([^)]*\)")
_SUBSTITUTION = re.compile(r"@[A-Za-z_][A-Za-z0-9_]*@|\$\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True)
class Configured:
    """One generated header's stand-in: its text and the macros it defines."""

    text: str
    defined: tuple[str, ...]


def template_names(include: str) -> list[str]:
    """The names a template of the include may have: config.h -> config.h.in, config.h.cmake, config.in."""
    names = [f"{include}.in", f"{include}.cmake", f"{include}.cmake.in"]
    if include.endswith(".h"):
        names.append(f"{include[:-2]}.in")
    return names


def _header_macros() -> dict[str, str]:
    """HAVE_SYS_TIME_H -> sys/time.h for every stub header with a suffix."""
    return {"HAVE_" + re.sub(r"[^A-Za-z0-9]", "_", h).upper(): h for h in stub_header_names() if "." in h}


def _value(name: str, headers: dict[str, str]) -> str | None:
    """What configure would define the macro to on glibc/x86-64 as the stubs describe it, or None."""
    if name in _FIXED:
        return _FIXED[name]
    if name in headers:
        return "1"
    if name.startswith("SIZEOF_") and name[7:] in _SIZES:
        return str(_SIZES[name[7:]])
    if name.startswith("HAVE_DECL_"):        # autoconf's AC_CHECK_DECLS writes 1 or 0
        return "1" if _declared(name[10:].lower()) else "0"
    if name.startswith("HAVE_") and _declared(name[5:].lower()):
        return "1"
    return None


def _declared(name: str) -> bool:
    """A C stub header declares the name (xapp's own helper headers, `__xapp_*.h`, do not count)."""
    header = header_for(name, "c") if name else None
    return header is not None and not header.startswith("__")


def _line(line: str, headers: dict[str, str], defined: list[str]) -> str:
    if (m := _UNDEF.match(line)) is not None:
        value = _value(m.group(1), headers)
        if value is None:
            return line
        defined.append(m.group(1))
        return f"#define {m.group(1)} {value}"
    if (m := _CMAKEDEFINE.match(line)) is not None:
        value = _value(m.group(2), headers)
        if m.group(1):
            return f"#define {m.group(2)} {0 if value in (None, '0') else 1}"
        if value is None or _SUBSTITUTION.search(m.group(3)):
            return ""
        defined.append(m.group(2))
        return f"#define {m.group(2)} {m.group(3).strip() or value}"
    if (m := _FUNCTION_MACRO.match(line)) is not None and _SUBSTITUTION.search(line):
        return f"{m.group(0)} /* the build's: {line[m.end():].strip()} */"    # an attribute, most often: empty
    if _DIRECTIVE.match(line) and _SUBSTITUTION.search(line):
        return ""                   # `#define VERSION "@VERSION@"`: the build's value, unknown here
    return _SUBSTITUTION.sub("", line)      # `/* @configure_input@`, a lone `@PRECISION_LEVEL@`: the text around stays


def render(template: str) -> Configured:
    """The template as configure would fill it here (see the module docstring)."""
    headers, defined = _header_macros(), []
    lines = [_line(line, headers, defined) for line in template.split("\n")]
    return Configured("\n".join(lines), tuple(defined))


def read_template(path: Path) -> Configured | None:
    try:
        return render(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
