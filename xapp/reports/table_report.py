"""Plain-text tables for people (aligned columns, no colour, safe to pipe)."""
from __future__ import annotations

from typing import Sequence

from ..features import FEATURE_LABELS
from .escape import terminal
from .explain import baseline_text, for_people, reasons, seconds_text, speedup_text, target_name, time_saved_seconds

__all__ = ["render", "fmt_number", "features_table", "predictions_table", "evaluation_table"]


def fmt_number(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e12:
            return str(int(v))
        return f"{v:.2f}"
    return str(v)


MIN_COLUMN = 10       # a column shrunk to fit the width keeps at least this many characters


def fit_widths(widths: Sequence[int], width: int | None, shrink: Sequence[int]) -> list[int]:
    """Column widths whose line fits `width`: the `shrink` columns give up characters in that order, each
    down to MIN_COLUMN (a table that cannot fit then stays wider than `width`)."""
    widths = list(widths)
    over = sum(widths) + 2 * (len(widths) - 1) - width if width else 0
    for i in shrink:
        cut = min(max(over, 0), widths[i] - MIN_COLUMN)
        if cut > 0:
            widths[i] -= cut
            over -= cut
    return widths


def _cut(text: str, width: int, keep_end: bool) -> str:
    """`text` in `width` characters; a file:line keeps its end (the line numbers), other text its start."""
    if len(text) <= width:
        return text
    return "…" + text[len(text) - width + 1:] if keep_end else text[:width - 1] + "…"


def render(headers: Sequence[str], rows: Sequence[Sequence], right: set[int] | None = None,
           width: int | None = None, shrink: Sequence[int] = (), keep_end: frozenset[int] = frozenset()) -> str:
    """Aligned columns; with `width`, the `shrink` columns are cut (…) so that each line fits it
    (`keep_end`: columns cut at their start, such as file:line)."""
    cells = [[str(h) for h in headers]] + [[terminal(c) if isinstance(c, str) else fmt_number(c) for c in r]
                                           for r in rows]
    widths = fit_widths([max(len(r[i]) for r in cells) for i in range(len(headers))], width, shrink)
    cells = [[_cut(c, w, i in keep_end) for i, (c, w) in enumerate(zip(r, widths))] for r in cells]
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


def features_table(files: list[dict], width: int | None = None) -> str:
    """Regions of `xapp features`, with the features that say most at a glance; failures listed after.
    `width`: the terminal's, which the table is fitted to (None: no limit)."""
    rows = []
    for f in files:
        for r in f["regions"]:
            feats = r["features"]
            rows.append([f"{r['file']}:{r['line']}-{r['end_line']}", r["function"], r["kind"],
                         *[feats[name] for name in _SUMMARY]])
    headers = ["region", "function", "kind", *[FEATURE_LABELS[name] for name in _SUMMARY]]
    out = [render(headers, rows, right=set(range(3, len(headers))), width=width, shrink=(1, 0),
                  keep_end=frozenset({0}))] if rows else ["no regions found"]
    out.extend(_finding_lines([x for f in files for r in f["regions"] for x in r.get("findings", ())]))
    out.extend(_finding_lines([x for f in files for x in f.get("file_findings", ())]))
    out.extend(_unchecked_lines([r for f in files for r in f["regions"]]))
    out.extend(f"note: {f['file']}: OpenMP constructs not checked for races: {', '.join(f['omp_unchecked'])}"
               for f in files if f.get("omp_unchecked"))
    for f in files:
        if f.get("error"):
            out.append(f"error: {f['error']}")
        elif f.get("diagnostics", {}).get("stubbed_includes"):
            out.append(f"note: {f['file']}: missing includes replaced by empty stubs: "
                       f"{', '.join(f['diagnostics']['stubbed_includes'])}")
    out.extend(suppressed_lines([s for f in files for s in f.get("suppressed", ())]))
    return "\n".join(out)


def _finding_lines(findings: list[dict]) -> list[str]:
    """Possible data races under OpenMP pragmas, one line each, after the table."""
    return [f"{x['rule']}: {x['file']}:{x['line']}: {x['message']}" for x in findings]


def _unchecked_lines(regions) -> list[str]:
    """OpenMP constructs a region holds whose races xapp does not judge: a note, never a silent pass."""
    out = []
    for r in regions:
        found = r.get("omp_unchecked") if isinstance(r, dict) else getattr(r, "omp_unchecked", None)
        if found:
            file, line = (r["file"], r["line"]) if isinstance(r, dict) else (r.file, r.line)
            out.append(f"note: {file}:{line}: OpenMP constructs not checked for races: {', '.join(found)}")
    return out


def predictions_table(model: dict, files: list, errors: list[dict], sweeps: list = (), width: int | None = None,
                      summary: dict | None = None) -> str:
    """`xapp predict` for people: one row per region ranked by the time a port saves per run, with
    P(>T) per threshold, band, source, estimate and top reason; the program summary under it. `width`:
    the terminal's, which the table is fitted to (None: no limit)."""
    from ..predict import ranked

    regions = [r for f in files for r in f.results]
    shown = _thresholds_shown(regions, model["thresholds"])
    rows = [_prediction_row(r, shown) for r in ranked(regions)]
    headers = ["region", "function", "parallel", *[f"P(>{t:g}x)" for t in shown], "band", "from", "estimate",
               "saved/run", "top reason"]
    out = _model_lines(model)
    last = len(headers) - 1
    out.append(render(headers, rows, right=set(range(3, 3 + len(shown))), width=width, shrink=(last, 1, 0),
                      keep_end=frozenset({0})) if rows else "no GPU candidates found")
    out.extend(size_unknown_lines(regions))
    if summary:
        out.append(summary["text"])
    out.extend(_not_offloadable_lines(regions))
    out.extend(_finding_lines([x for r in regions for x in r.findings]))
    out.extend(_finding_lines([x for f in files for x in getattr(f, "findings", ())]))
    out.extend(_unchecked_lines(regions))
    out.extend(_sweep_lines(sweeps))
    out.extend(f"warning: {r.file}:{r.line} {w}" for r in regions for w in r.warnings)
    out.extend(f"error: {e['error']}" for e in errors)
    out.extend(suppressed_lines([s for f in files for s in f.suppressed]))
    return "\n".join(out)


def suppressed_lines(suppressed: list[dict]) -> list[str]:
    """The regions an `xapp: ignore` comment took out, counted and named (nothing is dropped silently)."""
    if not suppressed:
        return []
    return [f"suppressed by xapp: ignore ({len(suppressed)}): "
            + ", ".join(f"{s['file']}:{s['line']} {s['function']}" for s in suppressed)]


def _thresholds_shown(regions: list, model_thresholds: list[float]) -> list[float]:
    """The thresholds answered (all of the model's when no region was)."""
    return sorted({p.threshold for r in regions for p in r.predictions}) or model_thresholds


def _not_offloadable_lines(regions: list) -> list[str]:
    serial = [f"  {r.file}:{r.line}-{r.end_line} {r.function}: {r.not_offloadable_because}"
              for r in regions if not r.offloadable]
    return ["not offered as GPU candidates:", *serial] if serial else []


def _model_lines(model: dict) -> list[str]:
    out = [f"model: {model['name']} ({model.get('platform') or 'platform not stated'})"]
    if model.get("target"):
        out.append(f"target: {model['target']['name']} ({model['target']['description']})")
        out.append(f"baseline: {baseline_text(model)}")
        out.append(f"probabilities: {model['target']['calibration']}")
    return out


def _prediction_row(r, shown: list[float]) -> list[str]:
    probs = {p.threshold: p.probability for p in r.predictions}
    return [f"{r.file}:{r.line}-{r.end_line}", r.function, r.parallel_level or "-",
            *[f"{probs[t]:.2f}" for t in shown], r.speedup_band or "-", SOURCE_SHORT.get(r.probability_source, "-"),
            region_estimate_text(r), saved_text(r), top_reason(r)]


SOURCE_SHORT = {"estimate": "estimate", "classifier": "classifier", "estimate+classifier": "both"}


def top_reason(r) -> str:
    """What explains the row's P, by P's own source (reports/explain.py): the estimate's time split where
    the cost model gave P, the classifier's strongest contribution where the classifier did."""
    whys = reasons(r)
    return for_people(whys[0]) if whys else ""


def saved_text(r) -> str:
    """Seconds a port saves per program run; `?` when sizes are unknown."""
    saved = time_saved_seconds(r)
    return "?" if saved is None else seconds_text(saved)


def region_estimate_text(r) -> str:
    """The estimate, or for unknown sizes the break-even size (the sentence follows the table)."""
    if r.estimate or not getattr(r, "size_unknown", None):
        return estimate_text(r.estimate)
    found = r.size_unknown.get("break_even")
    names = ", ".join(r.size_unknown["names"])
    if not found or found["size"] is None:
        return f"size unknown: {names}"
    return f"size unknown: {names} > ~{found['approx']}" if found["direction"] == "above" \
        else f"size unknown: {names} < ~{found['approx']}"


def size_unknown_lines(regions: list) -> list[str]:
    """One line per region whose sizes are unknown: where each size comes from and the break-even size."""
    return [f"{r.file}:{r.line} {r.function}: {r.size_unknown['text']} (give it: --size NAME=VALUE)"
            for r in regions if r.offloadable and getattr(r, "size_unknown", None)]


def size_source_lines(regions: list) -> list[str]:
    """Where the sizes other files of a scan fix came from, per region shown."""
    return [f"{r.file}:{r.line} {r.function}: " + ", ".join(f"{n} = {text}" for n, text in r.size_sources.items())
            for r in regions if getattr(r, "size_sources", None)]


def _sweep_lines(sweeps) -> list[str]:
    out = []
    for s in sweeps:
        out.append(f"sweep {s.file}:{s.line} {s.function}: {s.sentence()}")
        out.extend(f"  warning: {w}" for w in s.warnings)
    return out


# ---- xapp scan ---------------------------------------------------------------------------------
SCAN_SERIAL_SHOWN = 20     # regions not offloadable listed in the table; the other formats list all


def estimate_text(estimate: dict | None) -> str:
    """`12x memory`: the cost model's speed-up and what bounds it; `-` when sizes are unknown."""
    if not estimate:
        return "-"
    text = f"{speedup_text(estimate['speedup'])} {estimate['bound']}"
    if estimate.get("plan") == "reordered" and estimate.get("plan_summary"):
        text += f" ({estimate['plan_summary']})"    # the port plan priced: "grid i,j after interchange; ..."
    return text


def targets_table(targets: list, default: str) -> str:
    """`xapp targets`: one row per target, the numbers the cost model uses most."""
    from ..targets import get_baseline

    base = {t.name: get_baseline(None, t) for t in targets}
    rows = [[t.name + (" (default)" if t.name == default else ""), t.gpu.name, f"{t.gpu.fp32_tflops:g}",
             f"{t.gpu.fp64_tflops:g}", f"{t.gpu.memory_bandwidth_gbs:g}", f"{t.gpu.host_link_gbs:g}",
             base[t.name].name, f"{base[t.name].cpu.memory_bandwidth_gbs:g}", t.measured_corpus or "-"]
            for t in targets]
    headers = ["target", "GPU", "FP32 TF", "FP64 TF", "GB/s", "link GB/s", "default baseline", "CPU GB/s",
               "measured corpus"]
    return render(headers, rows, right={2, 3, 4, 5, 7}) + "\n(sources of every number: xapp targets --format json)"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 3] + "..."


def scan_table(report, width: int | None = None) -> str:
    """`xapp scan` for people: the ranked candidates, the regions not offloadable, files not analysed;
    `width`: the terminal's, which the table is fitted to (None: no limit)."""
    shown_t = [t for t in report.model["thresholds"] if t >= report.threshold]
    model = report.model
    out = [f"model: {model['name']} ({model.get('platform') or 'platform not stated'}); target "
           f"{target_name(model)} vs {baseline_text(model)}; ranked by time saved per run, then "
           f"P(speed-up > {report.threshold:g}x) and band"]
    rows = [_ranked_row(n, r, shown_t) for n, r in enumerate(report.shown, 1)]
    headers = ["rank", "region", "function", *[f"P(>{t:g}x)" for t in shown_t], "band", "from", "estimate",
               "saved/run", "top reason"]
    last = len(headers) - 1
    table = (render(headers, rows, right={0, *range(3, 3 + len(shown_t))}, width=width, shrink=(last, 2, 1),
                    keep_end=frozenset({1})) if rows else "no GPU candidates found")
    out.append(table)
    if len(report.shown) < len(report.ranked):
        out.append(f"({len(report.ranked) - len(report.shown)} lower-ranked candidates not shown: --top)")
    out.append(report.program["text"])
    out.extend(size_source_lines(report.shown))
    out.extend(_serial_lines(report.not_offloadable))
    out.extend(_finding_lines([x for r in [*report.ranked, *report.not_offloadable] for x in r.findings]))
    out.extend(_finding_lines(list(getattr(report, "findings", ()))))
    out.extend(_unchecked_lines([*report.ranked, *report.not_offloadable]))
    out.extend(_file_lines(report))
    c = report.counts
    out.append(f"{c['files']} files: {c['ok']} ok, {c['partial']} partial, {c['failed']} not analysed, "
               f"{c['cached']} from cache; "
               f"{c['candidates']} GPU candidates, {c['not_offloadable']} not offloadable, "
               f"{c['suppressed']} suppressed")
    # Each line is one line on the terminal, whatever the names in it hold; the table escaped its own cells.
    return "\n".join(line if line is table else terminal(line) for line in out)


def _ranked_row(n: int, r, shown_t: list[float]) -> list[str]:
    probs = {p.threshold: p.probability for p in r.predictions}
    return [str(n), f"{r.file}:{r.line}-{r.end_line}", r.function,
            *[f"{probs[t]:.2f}" if t in probs else "-" for t in shown_t], r.speedup_band or "-",
            SOURCE_SHORT.get(r.probability_source, "-"), region_estimate_text(r), saved_text(r), top_reason(r)]


def _serial_lines(serial: list) -> list[str]:
    """The first SCAN_SERIAL_SHOWN regions not offloadable, with why."""
    if not serial:
        return []
    out = [f"not offered as GPU candidates ({len(serial)}):"]
    out.extend(f"  {r.file}:{r.line}-{r.end_line} {r.function}: {_clip(r.not_offloadable_because or '', 100)}"
               for r in serial[:SCAN_SERIAL_SHOWN])
    if len(serial) > SCAN_SERIAL_SHOWN:
        out.append(f"  ... and {len(serial) - SCAN_SERIAL_SHOWN} more (all of them in the json, csv and html "
                   "reports)")
    return out


def _file_lines(report) -> list[str]:
    """Files not analysed, then the files whose missing includes were stubbed."""
    failures = report.failures
    out = [f"files not analysed ({len(failures)}):"] if failures else []
    out.extend(f"  {f.file}: {f.status}: {f.message}" for f in failures)
    if report.partial:
        out.append(f"files analysed in part, parse errors lost the code around them ({len(report.partial)}):")
        out.extend(f"  {f.file}: partial: {f.note}" for f in report.partial)
    for f in report.files:
        stubbed = (f.diagnostics or {}).get("stubbed_includes")
        if stubbed:
            out.append(f"note: {f.file}: missing includes replaced by empty stubs: {', '.join(stubbed)}")
    return out


__all__ += ["scan_table"]


def _pct(v) -> str:
    return "-" if v is None else f"{100 * v:.1f}%"


def evaluation_table(doc: dict) -> str:
    """`xapp evaluate` for people: xapp beside the baselines, per threshold, from the JSON document."""
    base = doc["baselines"]
    rows = []
    for i, m in enumerate(doc["thresholds"]):
        maj = base["majority"]["thresholds"][i]
        grewe = base["grewe"]["thresholds"][i]
        rows.append([f"{m['threshold']:g}x", _pct(m["accuracy"]), _pct(m["balanced_accuracy"]),
                     "-" if m["auc"] is None else f"{m['auc']:.3f}", _pct(grewe["accuracy"]), _pct(maj["accuracy"])])
    head = (f"{doc['rows']} rows, {doc['folds']}-fold {doc['cv']} cross-validation, seed {doc['seed']}, "
            f"hints {'on' if doc['hints'] else 'off'}; Grewe baseline from {base['grewe']['source']}")
    table_text = render(["threshold", "accuracy", "balanced", "AUC", "Grewe tree", "majority"], rows,
                        right={1, 2, 3, 4, 5})
    return f"{head}\n{table_text}\n({doc['seconds']:.1f} s)"
