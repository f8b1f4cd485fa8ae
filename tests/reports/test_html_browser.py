"""The HTML report in a real browser: headless Chromium (Debian's `chromium`; .ci/run installs it) loads
the page, runs its script (filter and sort) under the page's Content-Security-Policy, and logs no console
message. Sorting and filtering are asked through the URL (`#sort=KEY`, `#q=TEXT`), which the page's own
script reads, as a click on a header or typing in the box would ask it."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from xapp.reports import html_report

pytestmark = pytest.mark.slow(6)   # seconds, serial, on the idle 2-core machine

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CONSOLE = re.compile(r":CONSOLE[:(]\d+\)?\] (.*)")


def _browser() -> str:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    pytest.skip(f"no headless browser found (looked for {', '.join(BROWSERS)}); `apt-get install chromium`, "
                "as .ci/run does, to run this test")


def load(url: str) -> tuple[str, list[str]]:
    """(the DOM after the page's scripts ran, the console messages the page logged)."""
    out = subprocess.run([_browser(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                          "--enable-logging=stderr", "--v=0", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout, CONSOLE.findall(out.stderr)


def test_the_console_check_catches_a_script_error(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>missingFunction();</script></body></html>")
    _, console = load(page.as_uri())
    assert any("missingFunction is not defined" in m for m in console), console


def test_the_report_renders_and_filters_without_console_errors(db_report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html_report.render(db_report), encoding="utf-8")
    wanted = db_report.ranked[0].function
    dom, console = load(page.as_uri() + f"#q={wanted}")
    assert console == []                        # no script error, no CSP violation, nothing blocked
    assert "Which loops to port to the GPU first" in dom and dom.count("<svg") >= 2 and "<rect" in dom
    # The filter ran (so the CSP let the script in): rows without the text are hidden, the rest counted.
    rows = re.findall(r"<tr( hidden(?:=\"\")?)?><td", dom)
    visible = sum(1 for hidden in rows if not hidden)
    matching = sum(1 for r in db_report.shown if wanted in r.function or wanted in r.file)
    assert 0 < visible < len(rows) and visible >= matching
    assert f'id="filter-count">{visible} rows match<' in dom


def _ranked_rows(dom: str) -> list[str]:
    table = dom.split('id="ranked"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"<tr(?: hidden(?:=\"\")?)?>(.*?)</tr>", table, re.S)


def _saved(row: str) -> float:
    """The `time saved/run` cell's sort value (the second to last cell with data-v)."""
    return float(re.findall(r'data-v="([^"]+)"', row)[-1])


def _function(row: str) -> str:
    return re.findall(r"<td>([^<]*)</td>", row)[0]


def test_the_report_sorts_by_a_column_and_the_filter_hides_rows(db_report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html_report.render(db_report), encoding="utf-8")
    ranked = [r.function for r in db_report.shown]
    for key, descending in (("saved", False), ("function", True)):
        dom, console = load(page.as_uri() + f"#sort={'-' if descending else ''}{key}")
        assert console == []
        rows = _ranked_rows(dom)
        assert f'data-key="{key}" aria-sort="{"descending" if descending else "ascending"}"' in dom
        got = [_saved(r) for r in rows] if key == "saved" else [_function(r) for r in rows]
        assert got == sorted(got, reverse=descending) and len(rows) == len(ranked)
        assert [_function(r) for r in rows] != ranked          # the rows moved: not the ranked order
    # Sorted and filtered at once: only the rows holding the text stay visible, in the sorted order.
    wanted = db_report.ranked[-1].function
    dom, console = load(page.as_uri() + f"#sort=-saved&q={wanted}")
    assert console == []
    body = dom.split('id="ranked"')[1].split("<tbody>")[1].split("</tbody>")[0]
    visible = [r for r in re.findall(r"<tr( hidden(?:=\"\")?)?>(.*?)</tr>", body, re.S) if not r[0]]
    assert visible and all(wanted in row for _, row in visible) and len(visible) < len(ranked)
