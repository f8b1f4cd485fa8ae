"""The real server: `xapp serve` on uvicorn, on a free loopback port, called over HTTP, then shut down."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
import pytest

from .helpers import (CRASHER, HTTP, KERNELS, RealServer, alive, descendants, dockerfile_instructions, exec_form, kernel,
                      reference_document)

pytestmark = pytest.mark.slow(5)   # seconds, serial, on the idle 2-core machine

SECRET = "xapp-secret-over-http"


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    """The server runs in <tmp>/a/b with <tmp>/secret.h two levels up, where "../../secret.h" points from its
    working directory."""
    root = tmp_path_factory.mktemp("served")
    (root / "secret.h").write_text(f"/* {SECRET} */\nvoid leaked(float *x, int n) {{ for (int i = 0; i < n; i++) "
                                   "x[i] = 0; }\n")
    cwd = root / "a" / "b"
    cwd.mkdir(parents=True)
    return cwd


@pytest.fixture(scope="module")
def server(layout):
    served = RealServer("--workers", "2", "--queue", "4", cwd=layout)
    try:
        yield served.wait_healthy()
    finally:
        served.stop()


def test_health_and_model_over_http(server):
    health = HTTP.get(f"{server.url}/v1/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok" and health.json()["workers"] == 2
    assert HTTP.get(f"{server.url}/v1/model", timeout=10).json()["kind"] == "xapp threshold classifier"
    assert "/v1/predict" in HTTP.get(f"{server.url}/openapi.json", timeout=10).json()["paths"]


def test_predict_over_http_matches_the_pipeline(server, predictor):
    text = kernel("vector_add.cl")
    expected = reference_document(predictor, text, "vector_add.cl")
    as_json = HTTP.post(f"{server.url}/v1/predict", json={"source": text, "filename": "vector_add.cl"}, timeout=60)
    as_file = HTTP.post(f"{server.url}/v1/predict/file", timeout=60,
                         files={"file": ("vector_add.cl", (KERNELS / "vector_add.cl").read_bytes())})
    assert as_json.status_code == as_file.status_code == 200
    assert as_json.json() == as_file.json() == expected


def test_crash_costs_one_request_over_http(server):
    crashed = HTTP.post(f"{server.url}/v1/predict", json={"source": CRASHER}, timeout=60)
    assert crashed.status_code == 422 and crashed.json()["error"]["type"] == "ExtractionCrash"
    after = HTTP.post(f"{server.url}/v1/predict", json={"source": kernel("saxpy.c")}, timeout=60)
    assert after.status_code == 200 and after.json()["results"][0]["function"] == "saxpy"


def test_relative_include_reads_nothing_from_the_server_directory(server):
    text = '#include "../../secret.h"\nvoid mine(float *y, int n) { for (int i = 0; i < n; i++) y[i] = 1; }\n'
    response = HTTP.post(f"{server.url}/v1/predict", json={"source": text}, timeout=60)
    assert response.status_code == 200 and SECRET not in response.text
    assert [r["function"] for r in response.json()["results"]] == ["mine"]


def test_the_dockerfile_healthcheck_command_passes_against_it(server):
    (check,) = [rest for key, rest in dockerfile_instructions() if key == "HEALTHCHECK"]
    argv = exec_form(check.partition("CMD ")[2])
    argv = [sys.executable, *argv[1:-1], argv[-1].replace(":8000/", f":{server.port}/")]
    assert subprocess.run(argv, timeout=30).returncode == 0


def test_shuts_down_cleanly_on_sigterm(server):
    helpers = descendants(server.proc.pid)                 # forkserver, parser processes, resource tracker
    assert len(helpers) >= 3
    assert server.stop() == 128 + signal.SIGTERM, server.output()
    log = server.output()
    assert "Application shutdown complete" in log and "Traceback" not in log, log
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if alive(pid)], "processes of the server outlived it"
    with pytest.raises(httpx.ConnectError):           # a new connection, not one kept alive in HTTP's pool
        httpx.get(f"{server.url}/v1/health", timeout=2)
