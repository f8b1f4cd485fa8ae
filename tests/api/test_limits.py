"""Every limit answers its own status with a JSON error, and the service keeps answering afterwards."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from xapp.api import ServiceSettings
from xapp.errors import ExtractionCrash
from xapp.features import ParseOptions, extract_source
from xapp.isolation import WorkerPool

from .helpers import CRASHER, SLOW, kernel, running_app

pytestmark = pytest.mark.slow(4)   # seconds, serial, on the idle 2-core machine

GOOD = {"source": kernel("saxpy.c"), "filename": "saxpy.c"}
LIMIT = 128 * 1024          # above the 100 kB crasher


def error_of(response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"schema_version", "error"} and body["error"]["type"] == kind, body
    return body["error"]["message"]


@pytest.fixture(scope="module")
def client():
    with running_app(workers=2, max_bytes=LIMIT) as c:
        yield c


# ---- 413 ---------------------------------------------------------------------------------------
def test_source_over_the_limit_is_413_in_both_routes(client):
    at_limit = "/*" + "x" * (LIMIT - 4) + "*/"
    over = at_limit + "\n"
    assert f"{LIMIT}-byte limit" in error_of(client.post("/v1/predict", json={"source": over}), 413, "SourceTooLarge")
    error_of(client.post("/v1/predict/file", files={"file": ("big.c", over.encode())}), 413, "SourceTooLarge")
    assert client.post("/v1/predict", json={"source": at_limit}).status_code == 200
    assert client.post("/v1/predict/file", files={"file": ("big.c", at_limit.encode())}).status_code == 200


def test_body_over_the_cap_is_refused_before_it_is_read(client):
    cap = ServiceSettings(max_bytes=LIMIT).max_body_bytes
    declared = client.post("/v1/predict/file", files={"file": ("huge.c", b"x" * (cap + 1))})
    assert "request body" in error_of(declared, 413, "SourceTooLarge")

    def chunks():                       # no Content-Length: counted as it arrives
        for _ in range(cap // 65536 + 2):
            yield b" " * 65536
    streamed = client.post("/v1/predict", content=chunks(), headers={"content-type": "application/json"})
    error_of(streamed, 413, "SourceTooLarge")
    assert client.post("/v1/predict", json=GOOD).status_code == 200


# ---- 415 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("data", [b"int x;\x00\x01\x02", bytes(range(0x80, 0x100)) + b"int x;",
                                  b"\x7fELF\x02\x01\x01\x00\x00"])
def test_binary_upload_is_415(client, data):
    error_of(client.post("/v1/predict/file", files={"file": ("x.c", data)}), 415, "BinarySource")


def test_nul_or_lone_surrogate_in_a_json_source_is_415(client):
    error_of(client.post("/v1/predict", json={"source": "int x;\u0000"}), 415, "BinarySource")
    lone = b'{"source": "int x; // \\ud800"}'
    response = client.post("/v1/predict", content=lone, headers={"content-type": "application/json"})
    assert "not valid UTF-8" in error_of(response, 415, "BinarySource")


# ---- 422 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    {"source": "int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }"},   # a fatal error
    {"source": "int x;", "std": "c1234"},                           # libclang refuses to build a unit at all
])
def test_unparsable_source_is_422(client, body):
    error_of(client.post("/v1/predict", json=body), 422, "ParseError")


def test_a_source_that_crashes_libclang_fails_only_its_own_request(client):
    # The crasher really kills a libclang process (checked outside the service first).
    with WorkerPool(workers=1, timeout=60) as pool, pytest.raises(ExtractionCrash):
        pool.run(extract_source, CRASHER, "crash.c", ParseOptions(untrusted=True))
    with ThreadPoolExecutor(2) as threads:
        crash = threads.submit(client.post, "/v1/predict", json={"source": CRASHER, "filename": "crash.c"})
        other = threads.submit(client.post, "/v1/predict", json=GOOD)
        assert "crashed" in error_of(crash.result(), 422, "ExtractionCrash")
        assert other.result().status_code == 200
    after = client.post("/v1/predict", json=GOOD)
    assert after.status_code == 200 and after.json()["results"][0]["function"] == "saxpy"


@pytest.mark.parametrize("body, kind, words", [
    ({"source": "int x;", "args": ["-I/etc"]}, "RequestValidationError", "args"),
    ({"source": "int x;", "include_dirs": ["/"]}, "RequestValidationError", "include_dirs"),
    ({"source": "int x;", "defines": ["-I/etc"]}, "InputError", "macro name"),
    ({"source": "int x;", "defines": {"N -include /etc/passwd": "1"}}, "InputError", "macro name"),
    ({"source": "int x;", "defines": {"-Xclang": None}}, "InputError", "macro name"),
    ({"source": "int x;", "defines": {"N": "1\n#include \"/etc/passwd\""}}, "InputError", "one line"),
    ({"source": "int x;", "std": "c99 -I/etc"}, "RequestValidationError", "std"),
    ({"source": "int x;", "language": "fortran"}, "RequestValidationError", "language"),
    ({"source": "int x;", "hints": {"transfer": "a lot"}}, "RequestValidationError", "hints"),
    ({"source": "int x;", "thresholds": [3.5]}, "ModelError", "not in the model"),
    ({"filename": "x.c"}, "RequestValidationError", "source"),
])
def test_bad_requests_are_422(client, body, kind, words):
    message = error_of(client.post("/v1/predict", json=body), 422, kind)
    assert words in message


def test_malformed_json_is_422(client):
    response = client.post("/v1/predict", content=b'{"source": ', headers={"content-type": "application/json"})
    error_of(response, 422, "RequestValidationError")


@pytest.mark.parametrize("data, kind, words", [
    ({"include_dirs": "/etc"}, "InputError", "unknown form field"),
    ({"args": "-I/etc"}, "InputError", "unknown form field"),
    ({"defines": "N=1,-I/etc"}, "InputError", "macro name"),
    ({"hints": "transfer"}, "InputError", "bad hint"),
    ({"thresholds": "two"}, "InputError", "bad threshold"),
    ({"thresholds": "3"}, "ModelError", "not in the model"),
    ({"language": "rust"}, "RequestValidationError", "language"),
])
def test_bad_form_fields_are_422(client, data, kind, words):
    response = client.post("/v1/predict/file", files={"file": ("x.c", b"int x;")}, data=data)
    assert words in error_of(response, 422, kind)


def test_missing_file_field_is_422(client):
    error_of(client.post("/v1/predict/file", data={"defines": "N=1"}), 422, "RequestValidationError")


def test_validation_errors_do_not_echo_the_source(client):
    secret = "the-client-source-" + "z" * 1000
    response = client.post("/v1/predict", json={"source": secret, "extra": 1})
    error_of(response, 422, "RequestValidationError")
    assert "the-client-source" not in response.text


# ---- 504 and 503 -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tight():
    """One parser, no queue, one second each."""
    with running_app(workers=1, timeout=1.0, queue=0) as c:
        yield c


def wait_idle(client, within_s: float = 10.0) -> None:
    deadline = time.monotonic() + within_s
    while client.get("/v1/health").json()["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.02)


def test_request_past_the_time_limit_is_504_and_the_next_succeeds(tight):
    started = time.monotonic()
    message = error_of(tight.post("/v1/predict", json={"source": SLOW}), 504, "ExtractionTimeout")
    assert "1 s" in message and time.monotonic() - started < 5
    wait_idle(tight)
    assert tight.post("/v1/predict", json=GOOD).status_code == 200


def test_beyond_a_full_queue_is_503_at_once_with_retry_after(tight):
    holder = threading.Thread(target=tight.post, args=("/v1/predict",), kwargs={"json": {"source": SLOW}})
    holder.start()
    try:
        deadline = time.monotonic() + 5
        while tight.get("/v1/health").json()["in_flight"] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
        refused = tight.post("/v1/predict", json=GOOD)
        assert time.monotonic() - started < 2.0          # refused at once, not after a parse
        error_of(refused, 503, "ServiceOverloaded")
        assert refused.headers["retry-after"] == "1"
        health = tight.get("/v1/health")                      # answered at once: it never waits in the queue
        assert health.status_code == 503 and health.json()["status"] == "degraded"
        assert health.json()["reason"].startswith("the queue is full")
    finally:
        holder.join()
    wait_idle(tight)
    assert tight.post("/v1/predict", json=GOOD).status_code == 200


def test_requests_beyond_the_workers_wait_their_turn_and_all_succeed():
    with running_app(workers=1, queue=8) as c:
        with ThreadPoolExecutor(6) as threads:
            statuses = list(threads.map(lambda _: c.post("/v1/predict", json=GOOD).status_code, range(6)))
        assert statuses == [200] * 6
        health = c.get("/v1/health").json()
        assert (health["in_flight"], health["queued"], health["capacity"]) == (0, 0, 9)



def test_a_file_over_the_region_cap_is_422_before_any_prediction():
    two = "".join(f"void f{k}(float *x, int n) {{ for (int i = 0; i < n; i++) x[i] *= 2.0f; }}\n" for k in range(2))
    three = two + "void f2(float *x, int n) { for (int i = 0; i < n; i++) x[i] += 1.0f; }\n"
    with running_app(workers=1, max_regions=2) as c:
        assert [r["function"] for r in c.post("/v1/predict", json={"source": two}).json()["results"]] == ["f0", "f1"]
        refused = c.post("/v1/predict", json={"source": three, "filename": "many.c"})
        assert refused.status_code == 422
        assert refused.json()["error"]["message"].startswith("many.c: 3 loop nests and kernels, over the 2 one request")
