"""Hostile-client probes against a real `xapp serve` (one server for the module): file reads and existence
oracles through trigraphs, token pasting and pragmas; killed workers; many clients; macro bombs."""
from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from xapp.frontend.headers import STUB_DIR

from .helpers import HTTP, REPO, RealServer, descendants, kernel

pytestmark = pytest.mark.slow(12)   # seconds, serial, on the idle 2-core machine

SECRET = "xapp_hostile_secret_51d2"
LOOP = "(float *y, int n) {\n  for (int i = 0; i < n; i++) y[i] = 2.0f * y[i];\n}\n"
BODY = f"#ifdef SEEN\nvoid leaked{LOOP}#else\nvoid mine{LOOP}#endif\n"
GOOD = {"source": kernel("saxpy.c"), "filename": "saxpy.c"}
# 2^24 initialiser elements from 400 bytes: minutes of CPU and gigabytes without limits.
BOMB = ("#define a0 0,\n" + "".join(f"#define a{i} a{i - 1} a{i - 1}\n" for i in range(1, 27))
        + "int v[] = { a26 1 };\n")


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("host") / "secret.h"
    path.write_text(f"#define SEEN 1\n#define SECRET_VALUE 7\n{SECRET} is not C;\n")
    return path


@pytest.fixture(scope="module")
def server():
    # Tight limits so that a bomb is stopped in seconds here; the defaults are measured by bench/soak.py.
    served = RealServer("--workers", "2", "--worker-cpu", "1", "--worker-memory", "1024", "--timeout", "120")
    try:
        yield served.wait_healthy()
    finally:
        served.stop()


def post(server, body: dict, timeout: float = 60) -> httpx.Response:
    return HTTP.post(f"{server.url}/v1/predict", json=body, timeout=timeout)


def assert_no_host_trace(response: httpx.Response, secret_file: Path) -> None:
    text = response.text
    for trace in (SECRET, str(secret_file.parent), str(REPO), str(STUB_DIR), "root:x:0", "/tmp/xapp-overlay"):
        assert trace not in text, (trace, text[:500])


def functions(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["function"] for r in response.json()["results"]]


@pytest.mark.parametrize("std", [None, "c11", "gnu89", "c99"])
def test_trigraph_include_reads_no_host_file(server, secret_file, std):
    text = f'??=include "{secret_file}"\n??=include "/etc/passwd"\n{BODY}'
    response = post(server, {"source": text, "std": std} if std else {"source": text})
    assert_no_host_trace(response, secret_file)
    if response.status_code == 200:
        assert "leaked" not in functions(response)


PASTED_HAS_INCLUDE = '#define CAT(a,b) a##b\n#if CAT(__has_,include)("{path}")\n#define SEEN 1\n#endif\n'
PASTED_PRAGMA = ('#define CAT(a,b) a##b\n#define DO(x) CAT(_Pra,gma)(#x)\nDO(GCC dependency "{path}")\n'
                 '#define DEP(x) _Pragma(#x)\nDEP(GCC dependency "{path}")\n')


@pytest.mark.parametrize("probe", [PASTED_HAS_INCLUDE, PASTED_PRAGMA,
                                   '#if __has_include("{path}")\n#define SEEN 1\n#endif\n',
                                   '#if __has_include_next(<{path}>)\n#define SEEN 1\n#endif\n'])
def test_existence_oracles_answer_the_same_for_a_file_that_is_there_and_one_that_is_not(server, secret_file, probe):
    there = post(server, {"source": probe.format(path=secret_file) + BODY, "std": "c11"})
    missing = post(server, {"source": probe.format(path=secret_file.with_name("nope.h")) + BODY, "std": "c11"})
    assert SECRET not in there.text and "SECRET_VALUE" not in there.text   # the path itself is the client's own
    assert there.status_code == missing.status_code
    same = there.text.replace("secret.h", "nope.h")
    assert same == missing.text
    if there.status_code == 200:
        assert functions(there) == ["mine"]


@pytest.mark.parametrize("include", ["/etc/passwd", "../../../../etc/passwd", "/proc/self/environ", "{secret}"])
def test_plain_and_relative_includes_read_no_host_file(server, secret_file, include):
    text = f'#include "{include.format(secret=secret_file)}"\n#if SECRET_VALUE > 3\n#define SEEN 1\n#endif\n{BODY}'
    response = post(server, {"source": text})
    assert_no_host_trace(response, secret_file)
    assert functions(response) == ["mine"]


def test_host_macros_cannot_be_read_through_if(server, secret_file):
    text = ("#include <linux/version.h>\n#include <features.h>\n"
            "#if defined(LINUX_VERSION_CODE) || defined(__GLIBC__)\n#define SEEN 1\n#endif\n" + BODY)
    response = post(server, {"source": text, "std": "gnu11"})
    assert_no_host_trace(response, secret_file)
    assert functions(response) == ["mine"]


def test_error_messages_name_the_upload_not_a_server_path(server, secret_file):
    fatal = "int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }\n"
    response = post(server, {"source": fatal, "filename": "deep/dir/mine.c"})
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message.startswith("mine.c:1: fatal error") and "__xapp" not in message
    assert_no_host_trace(response, secret_file)


def parser_pids(server) -> list[int]:
    """The parser processes: the children of the server's forkserver."""
    below = descendants(server.proc.pid)
    forkservers = [p for p in below if _parent(p) == server.proc.pid
                   and b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return sorted(p for p in below if _parent(p) in forkservers)


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_an_idle_worker_killed_from_outside_is_replaced_before_it_is_needed(server):
    before = parser_pids(server)
    assert len(before) == 2
    os.kill(before[0], signal.SIGKILL)
    statuses = [post(server, GOOD).status_code for _ in range(12)]
    assert statuses == [200] * 12
    health = HTTP.get(f"{server.url}/v1/health", timeout=10).json()
    assert health["live_workers"] == 2 and health["status"] == "ok"
    assert before[0] not in parser_pids(server)


def test_48_concurrent_clients_all_get_200(server):
    with ThreadPoolExecutor(48) as clients:
        statuses = list(clients.map(lambda _: post(server, GOOD, timeout=120).status_code, range(48)))
    assert statuses == [200] * 48


def test_two_macro_bombs_beside_a_valid_request(server, secret_file):
    with ThreadPoolExecutor(3) as clients:
        bombs = [clients.submit(post, server, {"source": BOMB, "filename": f"bomb{n}.c"}) for n in range(2)]
        time.sleep(0.2)
        valid = clients.submit(post, server, GOOD)
        for bomb in bombs:
            response = bomb.result()
            assert response.status_code == 422, response.text
            assert response.json()["error"]["type"] in ("ExtractionCrash", "ParseError")
            assert_no_host_trace(response, secret_file)
        assert functions(valid.result()) == ["saxpy"]
    assert HTTP.get(f"{server.url}/v1/health", timeout=10).json()["live_workers"] == 2
