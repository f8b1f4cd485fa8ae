"""Plain-text tables for people (aligned columns, no colour, safe to pipe)."""
from __future__ import annotations

from typing import Sequence

__all__ = ["render", "fmt_number", "features_table"]


def fmt_number(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e12:
            return str(int(v))
        return f"{v:.2f}"
    return str(v)


def render(headers: Sequence[str], rows: Sequence[Sequence], right: set[int] | None = None) -> str:
    cells = [[str(h) for h in headers]] + [[c if isinstance(c, str) else fmt_number(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    right = right or set()
    lines = []
    for n, r in enumerate(cells):
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


_SUMMARY = ("loop_depth", "trip_count_log2", "parallel_loops", "loop_carried_dep", "coalesced_frac",
            "mem_loads", "mem_stores", "flops", "arith_intensity", "branches")


def features_table(files: list[dict]) -> str:
    """Regions of `xapp features`, with the features that say most at a glance; failures listed after."""
    rows = []
    for f in files:
        for r in f["regions"]:
            feats = r["features"]
            rows.append([f"{r['file']}:{r['line']}-{r['end_line']}", r["function"], r["kind"],
                         *[feats[name] for name in _SUMMARY]])
    headers = ["region", "function", "kind", "depth", "trip_log2", "par_loops", "carried", "coalesced",
               "loads", "stores", "flops", "intensity", "branches"]
    out = [render(headers, rows, right=set(range(3, len(headers))))] if rows else ["no regions found"]
    for f in files:
        if f.get("error"):
            out.append(f"error: {f['error']}")
        elif f.get("diagnostics", {}).get("stubbed_includes"):
            out.append(f"note: {f['file']}: missing includes replaced by empty stubs: "
                       f"{', '.join(f['diagnostics']['stubbed_includes'])}")
    return "\n".join(out)
