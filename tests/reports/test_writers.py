"""The other writers of `xapp scan`: CSV, JSON, HTML and the table, on one real scan."""
from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import re
from dataclasses import replace
from html.parser import HTMLParser

from xapp.reports import csv_report, explain, html_report, json_report, table_report

BASELINE = "Intel Xeon Platinum 8480+ (Sapphire Rapids), one core"     # the default target's CPU (h100)


def _by_source(report, source: str):
    return [r for r in report.shown if r.probability_source == source]


def test_csv_one_row_per_region(db_report):
    text = csv_report.render(db_report)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(db_report.shown) + len(db_report.not_offloadable)
    assert list(rows[0]) == csv_report.columns(db_report)
    ranked = [r for r in rows if r["rank"]]
    assert [int(r["rank"]) for r in ranked] == list(range(1, len(db_report.shown) + 1))
    for row, region in zip(ranked, db_report.shown):
        assert (row["file"], int(row["line"]), row["function"]) == (region.file, region.line, region.function)
        assert float(row["p_gt_1x"]) == db_report.probability(region)
        assert row["band"] == region.speedup_band and row["offloadable"] == "true"
    serial = [r for r in rows if not r["rank"]]
    assert [r["function"] for r in serial] == ["prefix"] and serial[0]["not_offloadable_because"]


def test_csv_names_target_source_estimate_and_explains_p_by_its_source(db_report):
    rows = {(r["file"], int(r["line"])): r for r in csv.DictReader(io.StringIO(csv_report.render(db_report)))}
    assert {r["target"] for r in rows.values()} == {"h100"} and {r["baseline"] for r in rows.values()} == {BASELINE}
    assert {r["status"] for r in rows.values()} == {"ok"}
    for region in _by_source(db_report, "estimate"):
        row = rows[(region.file, region.line)]
        est = region.estimate
        assert row["probability_source"] == "estimate" and row["bound"] == est["bound"]
        assert float(row["estimate_speedup"]) == float(f"{est['speedup']:.6g}")
        assert float(row["time_saved_seconds"]) == float(f"{max(0.0, est['cpu_seconds'] - est['gpu_seconds']):.6g}")
        # The reasons are the estimate's time split, never the classifier's contributions.
        assert row["reasons"].startswith("GPU ") and " vs CPU " in row["reasons"]
        assert not re.search(r"\([+-]\d", row["reasons"]) and "hint_transfer" not in row["reasons"]
    (vendor,) = [r for r in _by_source(db_report, "classifier") if r.function == "vendor"]
    row = rows[(vendor.file, vendor.line)]
    assert row["estimate_speedup"] == row["bound"] == row["time_saved_seconds"] == ""
    # a cell starting with + or - gets a leading ' (spreadsheets would read it as a formula: reports/escape.py)
    assert row["reasons"] == "'" + "; ".join(f"{'+' if x.contribution > 0 else '-'}{x.feature}={x.value:g} "
                                             f"({x.contribution:+.2f})" for x in vendor.reasons)


def test_time_saved_comes_from_the_result_when_it_has_it(db_report):
    region = _by_source(db_report, "estimate")[0]
    est = region.estimate
    assert explain.time_saved_seconds(region) == max(0.0, est["cpu_seconds"] - est["gpu_seconds"]) > 0

    class WithPayoff:           # the payoff field of a prediction wins over the estimate's difference
        estimate = est
        time_saved_seconds = 1.5
    assert explain.time_saved_seconds(WithPayoff()) == 1.5

    class EstimateOnly:         # without the payoff field: the estimate's difference, never below zero
        def __init__(self, estimate):
            self.estimate = estimate
    assert explain.time_saved_seconds(EstimateOnly({**est, "gpu_seconds": est["cpu_seconds"] * 3})) == 0.0
    assert explain.time_saved_seconds(EstimateOnly(None)) is None
    assert replace(region, estimate=None, time_saved_seconds=None).time_saved_seconds is None


def test_blended_reasons_are_labelled_by_source(db_report):
    region = replace(_by_source(db_report, "estimate")[0], probability_source="estimate+classifier")
    whys = explain.reasons(region)
    assert [w.source for w in whys] == ["estimate"] + ["classifier"] * len(region.reasons)
    text = explain.reasons_text(region)
    assert text.startswith("estimate: GPU ") and text.count("classifier: ") == len(region.reasons)


def test_json_document_holds_predict_region_objects_and_file_statuses(db_report):
    doc = json_report.scan_document(db_report)
    assert doc["results"] == [json_report.region_document(r) for r in db_report.shown]
    for result, region in zip(doc["results"], db_report.shown):
        assert {k: v for k, v in result.items() if k != "explanation"} == region.as_dict()
        assert result["time_saved_seconds"] == explain.time_saved_seconds(region)
        sources = {w["source"] for w in result["explanation"]}
        assert sources == ({"estimate"} if region.probability_source == "estimate" else {"classifier"})
    assert doc["model"]["target"]["name"] == "h100" and doc["model"]["target"]["cpu"] == BASELINE
    assert {"file", "function", "kind", "line", "end_line", "offloadable", "predictions", "speedup_band", "reasons",
            "not_offloadable_because"} <= set(doc["results"][0])
    assert {f["file"]: f["status"] for f in doc["files"]}["src/bad/crash.c"] == "crashed"
    assert set(doc["files"][0]) == {"file", "status", "cached", "regions", "flags_from", "message", "diagnostics",
                                    "seconds"}
    assert doc["exit_code"] == 0 and doc["counts"]["crashed"] == 1


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]


def test_html_is_one_self_contained_file_with_table_and_pictures(db_report):
    page = html_report.render(db_report)
    parser = _Tags()
    parser.feed(page)
    tags = parser.tags
    top = db_report.shown[:html_report.REASON_REGIONS]
    explained = sum(("estimate" in r.probability_source) + ("classifier" in r.probability_source) for r in top)
    # Two charts (time saved, P), then per top region one picture per source of its P.
    assert page.startswith("<!DOCTYPE html>") and "table" in tags and tags.count("svg") == 2 + explained
    assert "rect" in tags                                             # bars drawn, not images
    assert not {"link", "img", "iframe", "object"} & set(tags) and tags.count("script") == 1
    # Nothing to fetch: no src; the only links are the regions' files; the only web URL the SVG namespace.
    assert not [a for a in parser.attrs if a[1] == "src"]
    links = [v for tag, k, v in parser.attrs if k == "href"]
    assert links and all(v.startswith("file:///") for v in links)
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}
    ranked_rows = page.split("Ranked GPU candidates")[1].split("</table>")[0].count("<tr>") - 1
    assert ranked_rows == len(db_report.shown)
    # The one inline script is the filter, allowed by its hash and by nothing else.
    script = page.split("<script>")[1].split("</script>")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    (csp,) = [v for tag, k, v in parser.attrs if tag == "meta" and k == "content" and "default-src" in v]
    assert csp == f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"


def test_html_names_target_estimate_time_saved_and_shows_each_regions_source(db_report, tree):
    page = html_report.render(db_report)
    head = page.split("<h2>")[0]
    assert "Target <b>h100</b>" in head and f"CPU baseline <b>{BASELINE}</b>" in head
    table = page.split('id="ranked"')[1].split("</table>")[0]
    for key in ("estimate", "bound", "saved", "from", "why", "status"):
        assert f'data-key="{key}"' in table
    matmul = next(r for r in db_report.shown if r.function == "matmul")
    row = next(x for x in table.split("<tr>") if ">matmul<" in x)
    saved = explain.time_saved_seconds(matmul)
    assert f'data-v="{saved!r}">{explain.seconds_text(saved)}<' in row and f"<td>{matmul.estimate['bound']}</td>" in row
    assert f'href="{(tree.root / matmul.file).resolve().as_uri()}"' in row          # file:line opens the file
    lines = (tree.root / matmul.file).read_text().splitlines()[matmul.line - 1:matmul.end_line]
    for n, text in zip(range(matmul.line, matmul.end_line + 1), lines):
        assert f"<b>{n}</b> {html.escape(text, quote=False)}" in row              # its source, numbered
    # The time-saved chart draws a bar per region with an estimate, labelled with its time.
    chart = page.split("Time saved per run")[1].split("</figure>")[0]
    with_estimate = [r for r in db_report.ranked if explain.time_saved_seconds(r)]
    assert chart.count("<rect") == len(with_estimate) and explain.seconds_text(saved) in chart


def _many(db_report, n: int):
    region = db_report.ranked[0]
    return replace(db_report, ranked=[replace(region, line=i + 1, end_line=i + 2) for i in range(n)])


def test_html_chart_says_when_it_is_cut(db_report):
    cut = html_report.render(_many(db_report, html_report.CHART_REGIONS + 14))
    chart = cut.split("<figure>")[2].split("</figure>")[0]
    assert chart.count("<rect") == html_report.CHART_REGIONS
    assert f"Top {html_report.CHART_REGIONS} of {html_report.CHART_REGIONS + 14} candidates shown" in chart
    whole = html_report.render(_many(db_report, 3))
    assert "candidates shown" not in whole and whole.split("<figure>")[2].split("</figure>")[0].count("<rect") == 3


def test_html_long_lists_are_compact_and_filterable(db_report):
    page = html_report.render(db_report)
    parser = _Tags()
    parser.feed(page)
    assert ("input", "id", "filter") in parser.attrs and ("input", "type", "search") in parser.attrs
    # Collapsed (no `open`): the not-offloadable regions and the list of all files.
    collapsed = [part for part in page.split("<details>")[1:] if not part.startswith("<summary>source")]
    assert len(collapsed) == 2 and "Not offered as GPU candidates (1)" in collapsed[0]
    assert f"All files ({len(db_report.files)})" in collapsed[1]
    assert ("details", "open", None) not in parser.attrs
    # The files that failed stay in view, above the collapsed list.
    failed = page.split("Files not analysed")[1].split("</table>")[0]
    assert failed.count("<tr>") - 1 == len(db_report.failures) == 5
    assert page.count('<table class="filterable sortable"') == 4


def test_html_escapes_text_from_the_code(db_report):
    evil = "<script>alert(1)</script>"
    region = replace(db_report.ranked[0], function=evil, file="src/<evil>.c")
    page = html_report.render(replace(db_report, ranked=[region]))
    assert evil not in page and "<evil>" not in page and "src/&lt;evil&gt;.c" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_table_lists_ranks_serial_regions_and_failures(db_report):
    text = table_report.scan_table(db_report)
    lines = text.splitlines()
    assert lines[1].split()[:3] == ["rank", "region", "function"]
    assert lines[3].split()[0] == "1" and db_report.ranked[0].function in lines[3]
    assert "not offered as GPU candidates (1):" in text
    assert "files not analysed (5):" in text and "src/bad/crash.c: crashed" in text
    assert lines[0].split("; ")[1] == f"target h100 vs {BASELINE}"
    assert lines[1].split()[-5:] == ["from", "estimate", "saved/run", "top", "reason"]
    for region in db_report.shown:                    # each row: P's source, the estimate, time saved, why
        row = next(x for x in lines[3:] if f" {region.function} " in x)
        if region.probability_source == "estimate":
            saved = explain.seconds_text(explain.time_saved_seconds(region))
            assert re.search(rf" estimate +{re.escape(table_report.estimate_text(region.estimate))} +"
                             rf"{re.escape(saved)} ", row)
            assert row.endswith(explain.estimate_split(region.estimate).text)
        else:
            assert " classifier " in row and row.rstrip().endswith(f"({region.reasons[0].contribution:+.2f})")
