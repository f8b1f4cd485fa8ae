"""Test helper: the loops of an extraction keyed by the `// MARKER` comment on their header's line."""
from __future__ import annotations

import re

_MARKER = re.compile(r"//\s*([A-Z][A-Z0-9_]*)\b")


def by_marker(doc, text: str) -> dict[str, dict]:
    """{MARKER: loop} for each line of `text` that heads a loop of `doc` and carries `// MARKER`."""
    by_line = {l["line"]: l for r in doc.regions for l in r.loops}
    out = {}
    for number, line in enumerate(text.splitlines(), 1):
        found = _MARKER.search(line)
        if found and number in by_line:
            out[found.group(1)] = by_line[number]
    return out
