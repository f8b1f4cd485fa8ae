"""Slow and silent clients against a real `xapp serve` (one server for the module, short deadlines):
connections that send nothing or half their headers are closed, a trickling body is answered 408
and holds no place, 66 of them leave a valid request its 200, one client cannot take every place,
and /v1/health says so when the queue is full."""
from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest

from .helpers import HTTP, RealServer, kernel

pytestmark = pytest.mark.slow(30)   # seconds, serial, on the idle 2-core machine

HEADER_S, BODY_S = 2, 5             # the server's deadlines here (defaults: 10 and 10)
GOOD = {"source": kernel("saxpy.c"), "filename": "saxpy.c"}
# 4,000 sibling loops: minutes of parsing (extraction is quadratic in them), held until the time limit.
SLOWER = "void f(float *x, int n) {\n" + "for (int i = 0; i < n; i++) x[i] = x[i] * 2.0f + 1.0f;\n" * 4000 + "}\n"
SLOW_HEAD = (b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             b"Content-Length: 100\r\n\r\n{\"so")


@pytest.fixture(scope="module")
def server():
    # Capacity 1 + 3 = 4 places, 3 of them for one client (client share 0.75). SLOWER requests hold
    # their places until the 6 s time limit.
    served = RealServer("--workers", "1", "--queue", "3", "--timeout", "6", "--worker-cpu", "120",
                        "--header-timeout", str(HEADER_S), "--body-timeout", str(BODY_S))
    try:
        yield served.wait_healthy()
    finally:
        served.stop()


def connect(server, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.settimeout(60)                  # far past every deadline of the server: a hang fails the test
    sock.connect(("127.0.0.1", server.port))
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (socket.timeout if it never does)."""
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    sock.close()
    return out


def health(server) -> httpx.Response:
    return HTTP.get(f"{server.url}/v1/health", timeout=10)


def wait_for(server, condition, within_s: float = 30.0) -> None:
    """Until `condition(health document)` holds; the last document in the failure message."""
    deadline = time.monotonic() + within_s
    while not condition(state := health(server).json()):
        assert time.monotonic() < deadline, f"not reached within {within_s} s: {state}"
        time.sleep(0.05)


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(server):
    assert read_until_closed(connect(server)) == b""


def test_half_sent_headers_are_answered_408_and_closed(server):
    sock = connect(server)
    sock.sendall(b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Ty")
    head, _, body = read_until_closed(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ") and b"connection: close" in head.lower()
    assert json.loads(body)["error"]["type"] == "RequestTimeout"


def test_a_body_that_stops_is_answered_408_and_frees_everything(server):
    sock = connect(server)
    sock.sendall(SLOW_HEAD)
    head, _, body = read_until_closed(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ") and b"connection: close" in head.lower()
    error = json.loads(body)["error"]
    assert error["type"] == "RequestTimeout" and "4 bytes" in error["message"]
    wait_for(server, lambda h: h["receiving"] == 0)
    assert health(server).json()["in_flight"] == health(server).json()["queued"] == 0


def test_66_slow_bodies_hold_no_place_and_a_valid_request_gets_200(server):
    slow = [connect(server) for _ in range(66)]
    for sock in slow:
        sock.sendall(SLOW_HEAD)
    try:
        wait_for(server, lambda h: h["receiving"] == 66, within_s=BODY_S - 1)
        state = health(server)
        assert state.status_code == 200 and state.json()["status"] == "ok"     # they hold no place
        response = HTTP.post(f"{server.url}/v1/predict", json=GOOD, timeout=60)
        assert response.status_code == 200, response.text
        assert [r["function"] for r in response.json()["results"]] == ["saxpy"]
    finally:
        answers = [read_until_closed(sock) for sock in slow]
    assert all(a.startswith(b"HTTP/1.1 408 ") for a in answers)


# ---- deep and malformed input, on the same server -------------------------------------------------
LOOP = "void g(float *x, int n) { for (int i = 0; i < n; i++) x[i] = 2.0f * x[i]; }\n"
DEEP_SUBSCRIPT = ("void f(float *a, float *b, int n) { for (int i = 0; i < n; i++) b["
                  + "+".join(["i"] * 2000) + "] = a[i]; }\n")
STARS = "void f(float *b, int *p, int n) { for (int i = 0; i < n; i++) b[i] = " + "*".join(["p[i]"] * 1000) + "; }\n"
ARROWS = ("struct s { struct s *n; float v; };\nvoid f(float *b, struct s *p, int n) {\n"
          "  for (int i = 0; i < n; i++) b[i] = p" + "->n" * 3000 + "->v;\n}\n")


def post_raw(server, body: dict) -> httpx.Response:
    """`body` as JSON with \\u escapes (so a lone surrogate travels as the client wrote it)."""
    return HTTP.post(f"{server.url}/v1/predict", content=json.dumps(body).encode("ascii"),
                     headers={"content-type": "application/json"}, timeout=60)


def test_a_subscript_of_2000_terms_is_422_naming_the_reason(server):
    response = post_raw(server, {"source": DEEP_SUBSCRIPT, "filename": "deep.c"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["type"] == "ParseError" and error["message"].startswith("deep.c: an expression nested too deeply")


@pytest.mark.parametrize("source, function", [(STARS, "f"), (ARROWS, "f")])
def test_long_operator_chains_are_analysed(server, source, function):
    response = post_raw(server, {"source": source + LOOP})
    assert response.status_code == 200, response.text
    assert [r["function"] for r in response.json()["results"]] == [function, "g"]


@pytest.mark.parametrize("body, message", [
    ({"defines": {"\ud800": "1"}}, "bad macro name '\\ud800'"),
    ({"defines": ["N=\ud800"]}, "bad value for macro N in -D: '\\ud800' is not UTF-8 text"),
    ({"hints": {"\ud800": 1}}, "unknown hint \\ud800"),
    ({"hints": {"transfer": -4096}}, "a hint is a size or a count, 0 or more"),
])
def test_bad_names_and_values_are_422_with_their_reason(server, body, message):
    response = post_raw(server, {"source": LOOP, **body})
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]["message"]


# ---- last: its slow requests hold the parser until the time limit -------------------------------
def post_in_thread(server, body: dict, source: str = "127.0.0.1") -> tuple[threading.Thread, list]:
    out: list = []
    client = httpx.Client(trust_env=False, transport=httpx.HTTPTransport(local_address=source))

    def send() -> None:
        with client:
            out.append(client.post(f"{server.url}/v1/predict", json=body, timeout=60))

    thread = threading.Thread(target=send)
    thread.start()
    return thread, out


def test_one_client_holds_at_most_its_share_and_a_full_queue_is_degraded_health(server):
    def admitted(n: int):
        return lambda h: h["in_flight"] + h["queued"] == n

    holders = [post_in_thread(server, {"source": SLOWER, "filename": f"slow{n}.c"}) for n in range(3)]
    try:
        wait_for(server, admitted(3))
        refused = HTTP.post(f"{server.url}/v1/predict", json=GOOD, timeout=30)    # a fourth from the same address
        assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
        assert "its share of the 4 places" in refused.json()["error"]["message"]
        other = post_in_thread(server, GOOD, source="127.0.0.2")                   # another client still gets in
        wait_for(server, admitted(4))
        state = health(server)
        assert state.status_code == 503
        assert state.json()["status"] == "degraded" and state.json()["reason"].startswith("the queue is full")
        other[0].join()
        assert other[1][0].status_code != 503, other[1][0].text
    finally:
        for thread, _ in holders:
            thread.join()
    assert [out[0].status_code for _, out in holders] == [504, 504, 504]
    wait_for(server, lambda h: h["status"] == "ok")
