"""/docs and /redoc work without internet: every script and stylesheet they load is served by the app."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from xapp.api import ServiceSettings, create_app


class _Assets(HTMLParser):
    """The URLs of <script src> and <link rel=stylesheet|icon href> of a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.urls.append(a["href"])


@pytest.fixture(scope="module")
def client():
    # No lifespan: the documentation pages need neither the model nor the worker pool.
    return TestClient(create_app(ServiceSettings()))


@pytest.mark.parametrize("page, marker", [("/docs", "SwaggerUIBundle"), ("/redoc", "<redoc")])
def test_docs_pages_load_only_local_assets(client, page, marker):
    response = client.get(page)
    assert response.status_code == 200 and marker in response.text
    parser = _Assets()
    parser.feed(response.text)
    scripts_and_styles = [u for u in parser.urls if u.endswith((".js", ".css"))]
    assert len(scripts_and_styles) >= (2 if page == "/docs" else 1)
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{page} loads {url} from another host"
        asset = client.get(url)
        assert asset.status_code == 200, f"{page}: {url} answered {asset.status_code}"
        assert len(asset.content) > 1000, f"{page}: {url} is nearly empty"


def test_docs_page_points_at_the_openapi_document(client):
    assert "/openapi.json" in client.get("/docs").text and "/openapi.json" in client.get("/redoc").text
