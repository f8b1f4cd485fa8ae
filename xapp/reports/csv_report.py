"""CSV output of `xapp scan`: one row per region, ranked candidates first, then the regions not offloadable.

Columns: rank (empty for a region that is not a GPU candidate), file, line, end_line, function, kind,
status (of the region's file: `ok`, or `partial` when clang parsed it with errors), offloadable, target,
baseline (the CPU the speed-ups are relative to), one `p_gt_<T>x` column per reported threshold (the
chosen T and every higher one of the model), band, probability_source (estimate, classifier or
estimate+classifier), estimate_speedup, bound, cpu_seconds, gpu_seconds, time_saved_seconds (CPU minus
GPU seconds per run, never below zero), reasons (what explains P by its own source, reports/explain.py:
the estimate's time split and/or the classifier's `+feature=value (+contribution)`, joined by `; `,
each labelled `estimate:`/`classifier:` when P blends the two), not_offloadable_because.
Empty cells: not applicable (no estimate: the sizes are not known statically). RFC 4180 quoting; lines
end with LF; cells escaped by xapp.reports.escape.csv_cell (formula-like text prefixed with `'`,
bytes that are not UTF-8 as `\\xNN`).
"""
from __future__ import annotations

import csv
import io

from .escape import csv_cell
from .explain import baseline_text, reasons_text, target_name, time_saved_seconds

__all__ = ["render", "columns"]

_ESTIMATE = ("speedup", "bound", "cpu_seconds", "gpu_seconds")


def _thresholds(report) -> list[float]:
    return [t for t in report.model["thresholds"] if t >= report.threshold]


def columns(report) -> list[str]:
    return ["rank", "file", "line", "end_line", "function", "kind", "status", "offloadable", "target", "baseline",
            *[f"p_gt_{t:g}x" for t in _thresholds(report)], "band", "probability_source", "estimate_speedup",
            "bound", "cpu_seconds", "gpu_seconds", "time_saved_seconds", "reasons", "not_offloadable_because"]


def _number(v) -> str:
    return "" if v is None else v if isinstance(v, str) else f"{v:.6g}"


def _estimate_cells(region) -> list[str]:
    est = region.estimate or {}
    return [_number(est.get(k)) for k in _ESTIMATE] + [_number(time_saved_seconds(region))]


class _Cells:
    """A csv writer whose every cell goes through csv_cell."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row) -> None:
        self.writer.writerow([csv_cell(c) for c in row])


def render(report) -> str:
    thresholds = _thresholds(report)
    target, baseline = target_name(report.model), baseline_text(report.model)
    out = io.StringIO()
    w = _Cells(csv.writer(out, lineterminator="\n"))
    w.writerow(columns(report))
    for rank, r in enumerate(report.shown, 1):
        probs = {p.threshold: p.probability for p in r.predictions}
        w.writerow([rank, r.file, r.line, r.end_line, r.function, r.kind, report.status_of(r), "true", target,
                    baseline, *[f"{probs[t]:.4f}" if t in probs else "" for t in thresholds],
                    r.speedup_band or "", r.probability_source or "", *_estimate_cells(r),
                    reasons_text(r, report.estimated_features(r)), ""])
    for r in report.not_offloadable:
        w.writerow(["", r.file, r.line, r.end_line, r.function, r.kind, report.status_of(r), "false", target,
                    baseline, *[""] * len(thresholds), "", "", *[""] * 5, "", r.not_offloadable_because or ""])
    return out.getvalue()
