"""CSV output of `xapp scan`: one row per region, ranked candidates first, then the regions not offloadable.

Columns: rank (empty for a region that is not a GPU candidate), file, line,
end_line, function, kind, offloadable, one `p_gt_<T>x` column per reported
threshold (the chosen T and every higher one of the model), band, reasons
(`+feature=value (+contribution)` joined by `; `; `value estimated` when
the value is a runtime hint xapp estimated rather than one given with --hint),
not_offloadable_because.
RFC 4180 quoting; lines end with LF; cells escaped by xapp.reports.escape.csv_cell
(formula-like text prefixed with `'`, bytes that are not UTF-8 as `\\xNN`).
"""
from __future__ import annotations

import csv
import io

from .escape import csv_cell

__all__ = ["render", "columns"]


def _thresholds(report) -> list[float]:
    return [t for t in report.model["thresholds"] if t >= report.threshold]


def columns(report) -> list[str]:
    return ["rank", "file", "line", "end_line", "function", "kind", "offloadable",
            *[f"p_gt_{t:g}x" for t in _thresholds(report)], "band", "reasons", "not_offloadable_because"]


def _reasons(report, region) -> str:
    estimated = report.estimated_features(region)
    return "; ".join(f"{'+' if r.contribution > 0 else '-'}{r.feature}="
                     f"{'' if r.value is None else f'{r.value:g}'}{' estimated' if r.feature in estimated else ''}"
                     f" ({r.contribution:+.3f})" for r in region.reasons)


class _Cells:
    """A csv writer whose every cell goes through csv_cell."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row) -> None:
        self.writer.writerow([csv_cell(c) for c in row])


def render(report) -> str:
    thresholds = _thresholds(report)
    out = io.StringIO()
    w = _Cells(csv.writer(out, lineterminator="\n"))
    w.writerow(columns(report))
    for rank, r in enumerate(report.shown, 1):
        probs = {p.threshold: p.probability for p in r.predictions}
        w.writerow([rank, r.file, r.line, r.end_line, r.function, r.kind, "true",
                    *[f"{probs[t]:.4f}" if t in probs else "" for t in thresholds],
                    r.speedup_band or "", _reasons(report, r), ""])
    for r in report.not_offloadable:
        w.writerow(["", r.file, r.line, r.end_line, r.function, r.kind, "false", *[""] * len(thresholds),
                    "", "", r.not_offloadable_because or ""])
    return out.getvalue()
