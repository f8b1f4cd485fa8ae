"""HTML output of `xapp scan`: one self-contained file a person opens in a browser.

No script, no external asset, no network: inline CSS and inline SVG pictures
drawn here (a bar chart of P(speed-up > T) per ranked region, and the reasons
of the top regions as signed bars), and a Content-Security-Policy that forbids
loading anything. Every piece of text from the scanned code or the model goes
through `html.escape`.
"""
from __future__ import annotations

from html import escape

__all__ = ["render", "probability_chart", "reasons_chart", "CHART_REGIONS", "REASON_REGIONS"]

CHART_REGIONS = 60      # bars in the probability chart
REASON_REGIONS = 5      # regions whose reasons are drawn
_STRONG, _LIKELY, _UNLIKELY = "#1b7f3b", "#7fb069", "#b0b7c3"
_POS, _NEG = "#1b7f3b", "#c0392b"

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;
padding:0 1em;color:#1d2330}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #dde1e8;padding-bottom:.2em}
.meta{color:#556}.counts span{display:inline-block;margin:0 1.2em .3em 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #e6e9ef;
text-align:left;vertical-align:top}th{background:#f3f5f8;position:sticky;top:0}td.num{text-align:right;
font-variant-numeric:tabular-nums}code{font:12px ui-monospace,Menlo,Consolas,monospace}
.st-ok{color:#1b7f3b}.st-bad{color:#c0392b;font-weight:600}.st-skip{color:#8a6d00}
svg text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#1d2330}figure{margin:1em 0}
figcaption{color:#556;font-size:12px}
"""


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _colour(p: float) -> str:
    return _STRONG if p >= 0.8 else _LIKELY if p >= 0.5 else _UNLIKELY


def _label(region) -> str:
    return f"{region.file}:{region.line} {region.function}"


def _bar_label(region) -> str:
    """Short enough for the chart: file name (not its folders), line, function."""
    return _short(f"{region.file.rsplit('/', 1)[-1]}:{region.line} {region.function}", 50)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else "…" + text[-(n - 1):]


def probability_chart(report) -> str:
    """Horizontal bars: P(speed-up > T) of the best-ranked regions, a rule at 0.5."""
    regions = report.shown[:CHART_REGIONS]
    if not regions:
        return "<p>No GPU candidates.</p>"
    label_w, bar_w, row_h, top = 360, 420, 18, 24
    width, height = label_w + bar_w + 60, top + row_h * len(regions) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="P(speed-up &gt; {report.threshold:g}x) per region">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + bar_w * tick
        dash = ' stroke-dasharray="4 3"' if tick == 0.5 else ""
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 4}" stroke="#99a" '
                   f'stroke-width="{1.2 if tick == 0.5 else 0.4}"{dash}/>')
        out.append(f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle">{tick:g}</text>')
    for i, r in enumerate(regions):
        p = report.probability(r)
        y = top + i * row_h
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{_e(_bar_label(r))}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w * p:.1f}" height="{row_h - 5}" '
                   f'fill="{_colour(p)}"><title>{_e(_label(r))}: {p:.2f}</title></rect>')
        out.append(f'<text x="{label_w + bar_w * p + 4:.1f}" y="{y + 12}">{p:.2f}</text>')
    out.append("</svg>")
    return "".join(out)


def reasons_chart(region, estimated=lambda region, reason: False) -> str:
    """Signed bars: each reason's contribution to the log-odds, positive to the right of the axis."""
    reasons = region.reasons
    if not reasons:
        return "<p>No reasons (the model's answer does not depend on this region's features).</p>"
    label_w, value_w, half, row_h = 300, 60, 180, 18
    scale = max(abs(r.contribution) for r in reasons) or 1.0
    mid = label_w + value_w + half
    width, height = mid + half + 10, row_h * len(reasons) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="reasons for {_e(_label(region))}">',
           f'<line x1="{mid}" y1="0" x2="{mid}" y2="{height}" stroke="#99a" stroke-width="0.8"/>']
    for i, r in enumerate(reasons):
        y = i * row_h + 4
        w = half * abs(r.contribution) / scale
        x = mid if r.contribution >= 0 else mid - w
        value = ("-" if r.value is None else f"{r.value:g}") + (" (est.)" if estimated(region, r) else "")
        out.append(f'<text x="{label_w}" y="{y + 11}" text-anchor="end">{_e(_short(f"{r.feature}={value}", 44))}'
                   f'</text>')
        out.append(f'<text x="{label_w + value_w - 6}" y="{y + 11}" text-anchor="end">{r.contribution:+.2f}</text>')
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 0.5):.1f}" height="{row_h - 5}" '
                   f'fill="{_POS if r.contribution >= 0 else _NEG}"/>')
    out.append("</svg>")
    return "".join(out)


def _ranked_table(report) -> str:
    thresholds = [t for t in report.model["thresholds"] if t >= report.threshold]
    head = "".join(f"<th>P(&gt;{t:g}x)</th>" for t in thresholds)
    rows = []
    for n, r in enumerate(report.shown, 1):
        probs = {p.threshold: p.probability for p in r.predictions}
        cells = "".join(f'<td class="num">{probs[t]:.2f}</td>' if t in probs else "<td></td>" for t in thresholds)
        reasons = ", ".join(f"{'+' if x.contribution > 0 else '−'}{x.feature}" for x in r.reasons)
        rows.append(f'<tr><td class="num">{n}</td><td><code>{_e(r.file)}:{r.line}-{r.end_line}</code></td>'
                    f"<td>{_e(r.function)}</td><td>{_e(r.kind)}</td>{cells}<td>{_e(r.speedup_band)}</td>"
                    f"<td>{_e(reasons)}</td></tr>")
    return (f"<table><thead><tr><th>#</th><th>region</th><th>function</th><th>kind</th>{head}<th>band</th>"
            f"<th>top reasons</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _serial_table(report) -> str:
    rows = [f"<tr><td><code>{_e(r.file)}:{r.line}-{r.end_line}</code></td><td>{_e(r.function)}</td>"
            f"<td>{_e(r.not_offloadable_because)}</td></tr>" for r in report.not_offloadable]
    return ("<table><thead><tr><th>region</th><th>function</th><th>why not a GPU candidate</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _files_table(report) -> str:
    def css(status: str) -> str:
        return "st-ok" if status == "ok" else "st-skip" if status in ("binary", "too_large") else "st-bad"
    files = sorted(report.files, key=lambda f: (f.status == "ok", f.file))
    rows = [f'<tr><td><code>{_e(f.file)}</code></td><td class="{css(f.status)}">{_e(f.status)}</td>'
            f"<td>{'yes' if f.cached else ''}</td><td class=\"num\">{f.regions}</td><td>{_e(f.flags_from)}</td>"
            f"<td>{_e(f.message or '')}</td></tr>" for f in files]
    return ("<table><thead><tr><th>file</th><th>status</th><th>cached</th><th>regions</th><th>flags from</th>"
            f"<th>message</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def render(report) -> str:
    """The whole report as one HTML document."""
    t = f"{report.threshold:g}x"
    c = report.counts
    model = report.model
    counts = "".join(f"<span><b>{c[k]}</b> {_e(k.replace('_', ' '))}</span>"
                     for k in ("files", "ok", "failed", "cached", "candidates", "not_offloadable"))
    shown = f" (the best {len(report.shown)} of {len(report.ranked)})" if len(report.shown) < len(report.ranked) \
        else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        'img-src data:">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>xapp scan: P(speed-up &gt; {_e(t)})</title><style>{_CSS}</style></head><body>",
        "<h1>Which loops to port to the GPU first</h1>",
        f'<p class="meta">Regions ranked by P(speed-up &gt; {_e(t)}), then by predicted band. Model '
        f"<b>{_e(model.get('name'))}</b> ({_e(model.get('platform') or 'platform not stated')}); scan took "
        f"{report.seconds:.1f} s.</p>",
        f'<p class="counts">{counts}</p>',
        f"<h2>P(speed-up &gt; {_e(t)}) per region{_e(shown)}</h2>",
        f"<figure>{probability_chart(report)}<figcaption>Dark green: P &ge; 0.8; light green: P &ge; 0.5; "
        f"grey: below 0.5. The dashed rule marks 0.5.</figcaption></figure>",
    ]
    top = report.shown[:REASON_REGIONS]
    if top:
        parts.append(f"<h2>Why the top {len(top)} regions rank where they do</h2>")
        parts.append("<p class=\"meta\">Each bar is a feature's signed contribution to the log-odds of "
                     f"P(speed-up &gt; {_e(t)}): right raises it, left lowers it. (est.): a runtime hint xapp "
                     "estimated from the code, not one given with --hint.</p>")
        for n, r in enumerate(top, 1):
            parts.append(f"<h3>{n}. <code>{_e(r.file)}:{r.line}-{r.end_line}</code> {_e(r.function)} — "
                         f"P = {report.probability(r):.2f}, band {_e(r.speedup_band)}</h3>")
            parts.append(f"<figure>{reasons_chart(r, report.estimated)}</figure>")
    parts.append(f"<h2>Ranked GPU candidates{_e(shown)}</h2>")
    parts.append(_ranked_table(report) if report.shown else "<p>No GPU candidates.</p>")
    if report.not_offloadable:
        parts.append(f"<h2>Not offered as GPU candidates ({len(report.not_offloadable)})</h2>")
        parts.append(_serial_table(report))
    parts.append(f"<h2>Files ({c['files']})</h2>")
    parts.append(_files_table(report))
    parts.append("</body></html>")
    return "\n".join(parts)
