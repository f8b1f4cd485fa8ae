"""HTML output of `xapp scan`: one self-contained file a person opens in a browser.

The page is the jinja2 template templates/scan.html.j2 (autoescaped: every text from the scanned
code or the model is escaped); this module computes what it shows: the target and its CPU baseline,
counts, the geometry of the inline SVG pictures (time saved per run of the best regions, on a log
scale; P(speed-up > T) per ranked region; for the top regions what explains P by its own source:
the estimate's time split and/or the classifier's contributions as signed bars) and the rows of the
tables, each region with its `file:line` link and its source lines (at most SOURCE_LINES of each).
One small inline script sorts any column (click its header; `#sort=KEY` or `#sort=-KEY` in the URL)
and filters the rows by text (`#q=TEXT`). No external asset, no network: the Content-Security-Policy
forbids loading anything and allows only that script, by its hash.
"""
from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .escape import undecodable
from .explain import (SOURCES, baseline_text, estimate_split, reasons, reasons_text, seconds_text, speedup_text,
                      target_name, time_saved_seconds)

__all__ = ["render", "probability_chart", "reasons_chart", "time_saved_chart", "CHART_REGIONS", "REASON_REGIONS",
           "SOURCE_LINES", "SOURCE_REGIONS", "PAGE_SCRIPT", "CSP"]

CHART_REGIONS = 60      # bars in the probability and time-saved charts
REASON_REGIONS = 5      # regions whose reasons are drawn
SOURCE_LINES = 60       # source lines shown per region (a longer region is cut, and says so)
SOURCE_REGIONS = 500    # regions whose source is embedded (the page stays a few MB at most)
_STRONG, _LIKELY, _UNLIKELY = "#1b7f3b", "#7fb069", "#b0b7c3"
_POS, _NEG = "#1b7f3b", "#c0392b"
_PARTS = {"transfer": "#e67e22", "launch": "#8e44ad", "kernel": "#2e86c1", "cpu": "#7f8c8d"}

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1400px;
padding:0 1em;color:#1d2330}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #dde1e8;padding-bottom:.2em}
summary h2{display:inline-block;border:0;margin:1.2em 0 .4em}summary{cursor:pointer}
.meta{color:#556}.counts span{display:inline-block;margin:0 1.2em .3em 0}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{padding:1px 6px;border-bottom:1px solid #e6e9ef;
text-align:left;vertical-align:top}th{background:#f3f5f8;position:sticky;top:0}td.num{text-align:right;
font-variant-numeric:tabular-nums}code{font:12px ui-monospace,Menlo,Consolas,monospace}
table.sortable th{cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
.st-ok{color:#1b7f3b}.st-bad{color:#c0392b;font-weight:600}.st-skip{color:#8a6d00}
svg text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#1d2330}figure{margin:1em 0}
figcaption{color:#556;font-size:12px}.filter input{width:22em;font:inherit;padding:2px 4px}
#filter-count{color:#556}pre.src{margin:.3em 0;padding:.4em;background:#f7f8fa;overflow-x:auto;max-width:60em}
pre.src b{color:#99a;font-weight:normal;user-select:none}a{color:#1f5fa8}
"""

# Sorts a table.sortable by the column whose header is clicked (numbers by data-v, else by text), and
# hides the rows of every table.filterable that do not contain the text typed (case-insensitive).
PAGE_SCRIPT = """
(function () {
  var box = document.getElementById('filter'), count = document.getElementById('filter-count');
  function filter() {
    var q = box.value.trim().toLowerCase(), shown = 0;
    document.querySelectorAll('table.filterable tbody tr').forEach(function (row) {
      row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0;
      if (!row.hidden) { shown += 1; }
    });
    count.textContent = q ? shown + ' rows match' : '';
  }
  function key(cell) {
    var v = cell.getAttribute('data-v');
    return v !== null ? parseFloat(v) : cell.textContent.trim().toLowerCase();
  }
  function sort(th, ascending) {
    var table = th.closest('table'), body = table.tBodies[0], col = th.cellIndex;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    table.querySelectorAll('thead th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll('table.sortable thead th').forEach(function (th) {
    th.addEventListener('click', function () { sort(th, th.getAttribute('aria-sort') !== 'ascending'); });
  });
  box.addEventListener('input', filter);
  var hash = new URLSearchParams(location.hash.slice(1)), by = hash.get('sort');
  if (by) {
    var th = document.querySelector('th[data-key="' + by.replace(/^-/, '') + '"]');
    if (th) { sort(th, by.charAt(0) !== '-'); }
  }
  if (hash.get('q')) { box.value = hash.get('q'); filter(); }
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(PAGE_SCRIPT.encode()).digest()).decode()
CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{_SCRIPT_HASH}'"


@lru_cache(maxsize=1)
def _template():
    env = Environment(loader=PackageLoader("xapp.reports", "templates"), autoescape=select_autoescape(["j2"]),
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    return env.get_template("scan.html.j2")


def _colour(p: float) -> str:
    return _STRONG if p >= 0.8 else _LIKELY if p >= 0.5 else _UNLIKELY


def _label(region) -> str:
    return f"{region.file}:{region.line} {region.function}"


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else "…" + text[-(n - 1):]


def _bar_label(region) -> str:
    """Short enough for the chart: file name (not its folders), line, function."""
    return _short(f"{region.file.rsplit('/', 1)[-1]}:{region.line} {region.function}", 50)


# ---- chart geometry ----------------------------------------------------------------------------
def _probability_geometry(report) -> SimpleNamespace:
    regions = report.shown[:CHART_REGIONS]
    label_w, bar_w, row_h, top = 360, 420, 18, 24
    chart = SimpleNamespace(width=label_w + bar_w + 60, height=top + row_h * len(regions) + 8, bar_h=row_h - 5,
                            bars=[], ticks=[], top=top, label_x=label_w - 6, bar_x=label_w,
                            threshold=f"{report.threshold:g}x")
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        chart.ticks.append({"x": f"{label_w + bar_w * tick:.1f}", "label": f"{tick:g}", "dashed": tick == 0.5,
                            "stroke": 1.2 if tick == 0.5 else 0.4})
    for i, r in enumerate(regions):
        p = report.probability(r)
        chart.bars.append({"y": top + i * row_h, "label": _bar_label(r), "width": f"{bar_w * p:.1f}",
                           "colour": _colour(p), "title": f"{_label(r)}: {p:.2f}", "value": f"{p:.2f}",
                           "value_x": f"{label_w + bar_w * p + 4:.1f}"})
    return chart


def _saved_geometry(report) -> SimpleNamespace:
    """Time saved per run, largest first, on a log scale (savings span microseconds to hours)."""
    saved = [(r, time_saved_seconds(r)) for r in report.ranked]
    known = sorted([(r, s) for r, s in saved if s], key=lambda x: -x[1])
    shown = known[:CHART_REGIONS]
    label_w, bar_w, row_h, top = 360, 420, 18, 24
    chart = SimpleNamespace(width=label_w + bar_w + 90, height=top + row_h * len(shown) + 8, bar_h=row_h - 5,
                            bars=[], ticks=[], top=top, label_x=label_w - 6, bar_x=label_w,
                            without=len(saved) - len(known), total=len(known))
    if not shown:
        return chart
    hi = math.ceil(math.log10(shown[0][1]))
    lo = min(math.floor(math.log10(shown[-1][1])), hi - 1)

    def x(seconds: float) -> float:
        return bar_w * (math.log10(seconds) - lo) / (hi - lo)
    for decade in range(lo, hi + 1):
        chart.ticks.append({"x": f"{label_w + x(10.0 ** decade):.1f}", "label": seconds_text(10.0 ** decade)})
    for i, (r, s) in enumerate(shown):
        w = max(x(s), 1.0)
        chart.bars.append({"y": top + i * row_h, "label": _bar_label(r), "width": f"{w:.1f}",
                           "colour": _colour(report.probability(r)), "title": f"{_label(r)}: {seconds_text(s)}",
                           "value": seconds_text(s), "value_x": f"{label_w + w + 4:.1f}"})
    return chart


def _split_geometry(estimate: dict) -> SimpleNamespace:
    """The estimate's time split: CPU time beside GPU time as transfer + launch + kernel, one linear scale."""
    label_w, bar_w, row_h = 120, 520, 18
    split = estimate_split(estimate)
    scale = max(split.cpu_seconds, split.gpu_seconds) or 1.0
    chart = SimpleNamespace(width=label_w + bar_w + 200, height=2 * row_h + 8, bar_h=row_h - 5, label_x=label_w - 6,
                            rows=[], text=split.text)
    x = float(label_w)
    gpu = []
    for part in ("transfer", "launch", "kernel"):
        s = estimate.get(f"{part}_seconds") or 0.0
        w = bar_w * s / scale
        gpu.append({"x": f"{x:.1f}", "width": f"{w:.1f}", "colour": _PARTS[part], "title": f"{part} {seconds_text(s)}"})
        x += w
    chart.rows.append({"y": 4, "label": "GPU", "parts": gpu, "value": f"{seconds_text(split.gpu_seconds)} "
                                                                      f"({split.part} {seconds_text(split.part_seconds)})",
                       "value_x": f"{x + 4:.1f}"})
    w = bar_w * split.cpu_seconds / scale
    chart.rows.append({"y": 4 + row_h, "label": "CPU", "value": seconds_text(split.cpu_seconds),
                       "parts": [{"x": f"{label_w}", "width": f"{w:.1f}", "colour": _PARTS["cpu"],
                                  "title": f"CPU {seconds_text(split.cpu_seconds)}"}],
                       "value_x": f"{label_w + w + 4:.1f}"})
    return chart


def _reasons_geometry(region, estimated: frozenset[str]) -> SimpleNamespace:
    from ..models.featurization import column_label     # the model stage is loaded once reasons exist

    whys = [w for w in reasons(region, estimated) if w.source == "classifier"]
    label_w, value_w, half, row_h = 300, 60, 180, 18
    scale = max((abs(w.contribution) for w in whys), default=1.0) or 1.0
    mid = label_w + value_w + half
    chart = SimpleNamespace(width=mid + half + 10, height=row_h * len(whys) + 8, bar_h=row_h - 5, bars=[],
                            mid=mid, label_x=label_w, value_x=label_w + value_w - 6, region=_label(region))
    for i, why in enumerate(whys):
        c = why.contribution
        w = half * abs(c) / scale
        value = ("-" if why.value is None else f"{why.value:g}") + (" (est.)" if why.estimated else "")
        chart.bars.append({"y": i * row_h + 4, "label": _short(f"{column_label(why.feature)} = {value}", 44),
                           "value": f"{c:+.2f}", "x": f"{mid if c >= 0 else mid - w:.1f}",
                           "width": f"{max(w, 0.5):.1f}", "colour": _POS if c >= 0 else _NEG})
    return chart


def probability_chart(report) -> Markup:
    """Horizontal bars: P(speed-up > T) of the best-ranked regions (at most CHART_REGIONS), a rule at 0.5."""
    return _template().module.probability_chart(_probability_geometry(report))


def time_saved_chart(report) -> Markup:
    """Horizontal bars on a log scale: the time a port saves per run, largest first (at most CHART_REGIONS)."""
    return _template().module.saved_chart(_saved_geometry(report))


def reasons_chart(region, estimated: frozenset[str] = frozenset()) -> Markup:
    """Signed bars: each classifier reason's contribution to the log-odds, positive to the right of the axis;
    `estimated`: the features shown as estimated hints (ScanReport.estimated_features)."""
    return _template().module.reasons_chart(_reasons_geometry(region, estimated))


# ---- source lines ------------------------------------------------------------------------------
class _Sources:
    """Each file's lines, read once, for the regions' source excerpts."""

    def __init__(self, base: str):
        self.base = Path(base)
        self.lines: dict[str, list[str] | None] = {}
        self.uris: dict[str, str] = {}

    def path(self, file: str) -> Path:
        p = Path(file)
        return p if p.is_absolute() else self.base / p

    def excerpt(self, region) -> SimpleNamespace | None:
        if region.file not in self.lines:
            try:
                text = self.path(region.file).read_text(encoding="utf-8", errors="replace")
                self.lines[region.file] = text.splitlines()
            except OSError:
                self.lines[region.file] = None
        lines = self.lines[region.file]
        if lines is None:
            return None
        first, last = max(1, region.line), max(region.line, region.end_line)
        end = min(last, first + SOURCE_LINES - 1, len(lines))
        numbered = [(n, lines[n - 1]) for n in range(first, end + 1)]
        return SimpleNamespace(lines=numbered, cut=last - end if last > end else 0, width=len(str(end)))

    def uri(self, file: str) -> str:
        """The file's `file://` URL (resolved once per file: a report may hold 25,000 regions)."""
        if file not in self.uris:
            try:
                self.uris[file] = self.path(file).resolve().as_uri()
            except (OSError, RuntimeError, ValueError):
                self.uris[file] = ""
        return self.uris[file]


# ---- the page ----------------------------------------------------------------------------------
def _status_css(status: str) -> str:
    return ("st-ok" if status == "ok" else "st-skip" if status in ("binary", "too_large", "partial")
            else "st-bad")


def _sort_value(v: float | None) -> str:
    return "-1e308" if v is None else repr(float(v))


@dataclass
class _Page:
    """What the template shows; computed here so that the template only lays it out."""

    report: object
    csp: str = CSP
    css: Markup = Markup(_CSS)
    script: Markup = Markup(PAGE_SCRIPT)

    def __post_init__(self):
        r = self.report
        c = r.counts
        self.t = f"{r.threshold:g}x"
        self.model_name = r.model.get("name")
        self.platform = r.model.get("platform") or "platform not stated"
        self.target = target_name(r.model)
        self.target_description = (r.model.get("target") or {}).get("description") or ""
        self.baseline = baseline_text(r.model)
        self.calibration = (r.model.get("target") or {}).get("calibration") or ""
        self.seconds = f"{r.seconds:.1f}"
        self.counts = [(k.replace("_", " "), c[k]) for k in ("files", "ok", "partial", "failed", "cached",
                                                            "candidates", "not_offloadable", "suppressed")]
        self.candidates = len(r.ranked)
        self.shown = r.shown
        self.shown_note = (f" (the best {len(r.shown)} of {len(r.ranked)})" if len(r.shown) < len(r.ranked)
                           else "")
        self.chart = _probability_geometry(r)
        self.chart_cut = len(self.chart.bars) < self.candidates
        self.saved = _saved_geometry(r)
        self.top = [self._top(x) for x in r.shown[:REASON_REGIONS]]
        self.thresholds = [f"{t:g}" for t in r.model["thresholds"] if t >= r.threshold]
        self._t_values = [t for t in r.model["thresholds"] if t >= r.threshold]
        sources = _Sources(r.base_dir)
        self.rows = [self._row(n, x, sources, n <= SOURCE_REGIONS) for n, x in enumerate(r.shown, 1)]
        self.serial = [self._row(0, x, sources, True) for x in r.not_offloadable]
        self.files = sorted(r.files, key=lambda f: (f.status == "ok", f.file))
        self.failures = [f for f in self.files if f.failed or f.status == "partial"]
        self.sources = SOURCES

    def _top(self, region) -> SimpleNamespace:
        estimated = self.report.estimated_features(region)
        split = _split_geometry(region.estimate) if "estimate" in (region.probability_source or "") and \
            region.estimate else None
        classifier = (_reasons_geometry(region, estimated) if "classifier" in (region.probability_source or "")
                      else None)
        return SimpleNamespace(region=region, p=f"{self.report.probability(region):.2f}", split=split,
                               classifier=classifier, source=SOURCES.get(region.probability_source or "", "-"))

    def _row(self, n: int, region, sources: _Sources, with_source: bool) -> SimpleNamespace:
        est = region.estimate or {}
        saved = time_saved_seconds(region)
        probs = {p.threshold: p.probability for p in region.predictions}
        return SimpleNamespace(
            n=n, region=region, href=sources.uri(region.file), status=self.report.status_of(region),
            probabilities=[(f"{probs[t]:.2f}", _sort_value(probs[t])) if t in probs else ("", "-1")
                           for t in self._t_values],
            source=region.probability_source or "-",
            estimate=speedup_text(est["speedup"]) if est else "-",
            estimate_v=_sort_value(est.get("speedup")), bound=est.get("bound") or "-",
            saved=seconds_text(saved), saved_v=_sort_value(saved),
            why=reasons_text(region, self.report.estimated_features(region), people=True) if region.offloadable else "",
            excerpt=sources.excerpt(region) if with_source else None)

    @staticmethod
    def status_css(status: str) -> str:
        return _status_css(status)


def render(report) -> str:
    """The whole report as one HTML document."""
    return undecodable(_template().render(page=_Page(report)))    # a file name that is not UTF-8: \xNN
