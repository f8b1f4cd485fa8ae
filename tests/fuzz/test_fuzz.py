"""Grammar-based fuzzing (hypothesis) of the extractor in-process and of the service: no unexpected
exception or status, no host path or host file content in any answer, the service alive after every case."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xapp.errors import XappError
from xapp.features import ParseOptions, extract_source
from xapp.frontend.headers import STUB_DIR

from ..api.helpers import REPO, running_app
from .grammar import fragments

# What must never reach a client: where xapp is installed, its include directory, host file contents.
HOST_TRACES = (str(REPO), str(STUB_DIR), "root:x:0", "/tmp/xapp-overlay", "PATH=", "xapp-overlay")
DOCUMENTED = {200, 413, 415, 422, 503, 504}


def assert_no_host_trace(text: str) -> None:
    for trace in HOST_TRACES:
        assert trace not in text, trace


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=fragments, std=st.sampled_from([None, "c11", "gnu89", "c99"]))
def test_extractor_in_process(source, std):
    try:
        result = extract_source(source, "fuzz.c", ParseOptions(untrusted=True, std=std))
    except XappError as exc:          # a clear refusal is a valid answer; anything else is a bug
        assert_no_host_trace(str(exc))
        return
    assert_no_host_trace(repr(result.as_dict()))
    for region in result.regions:
        assert region.line >= 1 and region.end_line >= region.line


@pytest.fixture(scope="module")
def client():
    with running_app(workers=1, timeout=20.0) as c:
        yield c


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=fragments, std=st.sampled_from([None, "c11", "gnu89"]), route=st.sampled_from(["json", "file"]))
def test_service(client, source, std, route):
    if route == "json":
        response = client.post("/v1/predict", json={"source": source, "std": std, "filename": "fuzz.c"})
    else:
        response = client.post("/v1/predict/file", files={"file": ("fuzz.c", source.encode())},
                               data={"std": std or ""})
    assert response.status_code in DOCUMENTED, response.text[:500]
    assert_no_host_trace(response.text)
    health = client.get("/v1/health")
    assert health.status_code == 200 and health.json()["live_workers"] == 1
