"""HTML output of `xapp scan`: one self-contained file a person opens in a browser.

The page is the jinja2 template templates/scan.html.j2 (autoescaped: every text from the scanned
code or the model is escaped); this module computes what it shows: counts, the geometry of the
inline SVG pictures (a bar chart of P(speed-up > T) per ranked region, captioned when it is cut,
and the reasons of the top regions as signed bars) and the rows of the tables. Long lists stay
compact: the not-offloadable regions and the list of all files are collapsed in <details>, and a
text box filters every table (one small inline script; `#q=TEXT` in the URL pre-fills it).
No external asset, no network: the Content-Security-Policy forbids loading anything and allows
only that script, by its hash.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .escape import undecodable

__all__ = ["render", "probability_chart", "reasons_chart", "CHART_REGIONS", "REASON_REGIONS", "FILTER_SCRIPT",
           "CSP"]

CHART_REGIONS = 60      # bars in the probability chart
REASON_REGIONS = 5      # regions whose reasons are drawn
_STRONG, _LIKELY, _UNLIKELY = "#1b7f3b", "#7fb069", "#b0b7c3"
_POS, _NEG = "#1b7f3b", "#c0392b"

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;
padding:0 1em;color:#1d2330}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #dde1e8;padding-bottom:.2em}
summary h2{display:inline-block;border:0;margin:1.2em 0 .4em}summary{cursor:pointer}
.meta{color:#556}.counts span{display:inline-block;margin:0 1.2em .3em 0}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{padding:1px 6px;border-bottom:1px solid #e6e9ef;
text-align:left;vertical-align:top}th{background:#f3f5f8;position:sticky;top:0}td.num{text-align:right;
font-variant-numeric:tabular-nums}code{font:12px ui-monospace,Menlo,Consolas,monospace}
.st-ok{color:#1b7f3b}.st-bad{color:#c0392b;font-weight:600}.st-skip{color:#8a6d00}
svg text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#1d2330}figure{margin:1em 0}
figcaption{color:#556;font-size:12px}.filter input{width:22em;font:inherit;padding:2px 4px}
#filter-count{color:#556}
"""

# Hides the rows of every table.filterable that do not contain the text typed (case-insensitive).
FILTER_SCRIPT = """
(function () {
  var box = document.getElementById('filter'), count = document.getElementById('filter-count');
  function apply() {
    var q = box.value.trim().toLowerCase(), shown = 0;
    document.querySelectorAll('table.filterable tbody tr').forEach(function (row) {
      row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0;
      if (!row.hidden) { shown += 1; }
    });
    count.textContent = q ? shown + ' rows match' : '';
  }
  box.addEventListener('input', apply);
  if (location.hash.indexOf('#q=') === 0) { box.value = decodeURIComponent(location.hash.slice(3)); apply(); }
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(FILTER_SCRIPT.encode()).digest()).decode()
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


def _reasons_geometry(region, estimated: frozenset[str]) -> SimpleNamespace:
    reasons = region.reasons
    label_w, value_w, half, row_h = 300, 60, 180, 18
    scale = max((abs(r.contribution) for r in reasons), default=1.0) or 1.0
    mid = label_w + value_w + half
    chart = SimpleNamespace(width=mid + half + 10, height=row_h * len(reasons) + 8, bar_h=row_h - 5, bars=[],
                            mid=mid, label_x=label_w, value_x=label_w + value_w - 6, region=_label(region))
    for i, r in enumerate(reasons):
        w = half * abs(r.contribution) / scale
        value = ("-" if r.value is None else f"{r.value:g}") + (" (est.)" if r.feature in estimated else "")
        chart.bars.append({"y": i * row_h + 4, "label": _short(f"{r.feature}={value}", 44),
                           "value": f"{r.contribution:+.2f}", "x": f"{mid if r.contribution >= 0 else mid - w:.1f}",
                           "width": f"{max(w, 0.5):.1f}", "colour": _POS if r.contribution >= 0 else _NEG})
    return chart


def probability_chart(report) -> Markup:
    """Horizontal bars: P(speed-up > T) of the best-ranked regions (at most CHART_REGIONS), a rule at 0.5."""
    return _template().module.probability_chart(_probability_geometry(report))


def reasons_chart(region, estimated: frozenset[str] = frozenset()) -> Markup:
    """Signed bars: each reason's contribution to the log-odds, positive to the right of the axis;
    `estimated`: the features shown as estimated hints (ScanReport.estimated_features)."""
    return _template().module.reasons_chart(_reasons_geometry(region, estimated))


# ---- the page ----------------------------------------------------------------------------------
def _status_css(status: str) -> str:
    return "st-ok" if status == "ok" else "st-skip" if status in ("binary", "too_large") else "st-bad"


@dataclass
class _Page:
    """What the template shows; computed here so that the template only lays it out."""

    report: object
    csp: str = CSP
    css: Markup = Markup(_CSS)
    script: Markup = Markup(FILTER_SCRIPT)

    def __post_init__(self):
        r = self.report
        c = r.counts
        self.t = f"{r.threshold:g}x"
        self.model_name = r.model.get("name")
        self.platform = r.model.get("platform") or "platform not stated"
        self.seconds = f"{r.seconds:.1f}"
        self.counts = [(k.replace("_", " "), c[k]) for k in ("files", "ok", "failed", "cached", "candidates",
                                                            "not_offloadable")]
        self.candidates = len(r.ranked)
        self.shown = r.shown
        self.shown_note = (f" (the best {len(r.shown)} of {len(r.ranked)})" if len(r.shown) < len(r.ranked)
                           else "")
        self.chart = _probability_geometry(r)
        self.chart_cut = len(self.chart.bars) < self.candidates
        self.top = [(x, _reasons_geometry(x, r.estimated_features(x))) for x in r.shown[:REASON_REGIONS]]
        self.thresholds = [f"{t:g}" for t in r.model["thresholds"] if t >= r.threshold]
        self._t_values = [t for t in r.model["thresholds"] if t >= r.threshold]
        self.serial = r.not_offloadable
        self.files = sorted(r.files, key=lambda f: (f.status == "ok", f.file))
        self.failures = [f for f in self.files if f.failed]

    def p(self, region) -> str:
        return f"{self.report.probability(region):.2f}"

    def probabilities(self, region) -> list[str]:
        probs = {p.threshold: p.probability for p in region.predictions}
        return [f"{probs[t]:.2f}" if t in probs else "" for t in self._t_values]

    @staticmethod
    def reasons(region) -> str:
        return ", ".join(f"{'+' if x.contribution > 0 else '−'}{x.feature}" for x in region.reasons)

    @staticmethod
    def status_css(status: str) -> str:
        return _status_css(status)


def render(report) -> str:
    """The whole report as one HTML document."""
    return undecodable(_template().render(page=_Page(report)))    # a file name that is not UTF-8: \xNN
