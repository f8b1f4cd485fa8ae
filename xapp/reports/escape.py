"""Names from a scanned tree made safe for each kind of output: no writer fails on a name, none forges one.

A file name is whatever bytes the tree holds. Python carries the bytes that are not
UTF-8 as lone surrogates (os.fsdecode's surrogateescape), which no UTF-8 writer can
encode: `undecodable` shows each such byte as `\\xNN` (so `caf\\xe9.c` names the
Latin-1 file `café.c`), in every format. On a terminal, a name can also hold escape
sequences, carriage returns or newlines that would forge table rows or recolour the
screen: `terminal` shows every control character (C0, DEL, C1) and the bidirectional
overrides as `\\n`, `\\r`, `\\t`, `\\e`, `\\xNN` or `\\uNNNN`. In CSV, a cell a
spreadsheet would take for a formula (one that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return) gets a leading `'`, as OWASP's CSV-injection advice says, and
spreadsheets show it as text.
"""
from __future__ import annotations

import re

__all__ = ["undecodable", "terminal", "csv_cell"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _byte(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _control(m: re.Match) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return _byte(m)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def undecodable(text: str) -> str:
    """`text` with every byte that was not UTF-8 (a lone surrogate) as `\\xNN`; always encodable."""
    return _SURROGATE.sub(_byte, text) if _SURROGATE.search(text) else text


def terminal(text: str) -> str:
    """`text` as one line that draws only itself on a terminal: control characters escaped."""
    return _CONTROL.sub(_control, text) if _CONTROL.search(text) else text


def csv_cell(value):
    """A CSV cell: text encodable and never read as a formula; numbers and None as they are."""
    if not isinstance(value, str):
        return value
    value = undecodable(value)
    return "'" + value if value.startswith(FORMULA_START) else value
