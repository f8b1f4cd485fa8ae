"""The other writers of `xapp scan`: CSV, JSON, HTML and the table, on one real scan."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from dataclasses import replace
from html.parser import HTMLParser

from xapp.reports import csv_report, html_report, json_report, table_report


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


def test_json_document_holds_predict_region_objects_and_file_statuses(db_report):
    doc = json_report.scan_document(db_report)
    assert doc["results"] == [r.as_dict() for r in db_report.shown]
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
    assert page.startswith("<!DOCTYPE html>") and "table" in tags and tags.count("svg") == 1 + min(
        len(db_report.shown), html_report.REASON_REGIONS)
    assert "rect" in tags                                             # bars drawn, not images
    assert not {"link", "img", "iframe", "object"} & set(tags) and tags.count("script") == 1
    # Nothing to fetch: no src/href attributes, the only URL is the SVG namespace.
    assert not [a for a in parser.attrs if a[1] in ("src", "href")]
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}
    ranked_rows = page.split("Ranked GPU candidates")[1].split("</table>")[0].count("<tr>") - 1
    assert ranked_rows == len(db_report.shown)
    # The one inline script is the filter, allowed by its hash and by nothing else.
    script = page.split("<script>")[1].split("</script>")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    (csp,) = [v for tag, k, v in parser.attrs if tag == "meta" and k == "content" and "default-src" in v]
    assert csp == f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"


def _many(db_report, n: int):
    region = db_report.ranked[0]
    return replace(db_report, ranked=[replace(region, line=i + 1, end_line=i + 2) for i in range(n)])


def test_html_chart_says_when_it_is_cut(db_report):
    cut = html_report.render(_many(db_report, html_report.CHART_REGIONS + 14))
    chart = cut.split("<figure>")[1].split("</figure>")[0]
    assert chart.count("<rect") == html_report.CHART_REGIONS
    assert f"Top {html_report.CHART_REGIONS} of {html_report.CHART_REGIONS + 14} candidates shown" in chart
    whole = html_report.render(_many(db_report, 3))
    assert "candidates shown" not in whole and whole.split("<figure>")[1].count("<rect") == 3


def test_html_long_lists_are_compact_and_filterable(db_report):
    page = html_report.render(db_report)
    parser = _Tags()
    parser.feed(page)
    assert ("input", "id", "filter") in parser.attrs and ("input", "type", "search") in parser.attrs
    # Collapsed (no `open`): the not-offloadable regions and the list of all files.
    collapsed = page.split("<details>")[1:]
    assert len(collapsed) == 2 and "Not offered as GPU candidates (1)" in collapsed[0]
    assert f"All files ({len(db_report.files)})" in collapsed[1]
    assert ("details", "open", None) not in parser.attrs
    # The files that failed stay in view, above the collapsed list.
    failed = page.split("Files not analysed")[1].split("</table>")[0]
    assert failed.count("<tr>") - 1 == len(db_report.failures) == 5
    assert page.count('<table class="filterable">') == 4


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
