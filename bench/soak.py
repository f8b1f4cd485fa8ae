"""Soak: a default `xapp serve` under mixed hostile traffic, with status counts and memory before and after.

The mix, drawn round-robin by C concurrent clients for R requests in all: valid kernels, host-file
probes (plain, relative, trigraph, pasted __has_include, pasted _Pragma), macro bombs, the 50,000-term
expression that crashes libclang, binary and oversized bodies, malformed JSON, and an idle parser
killed from outside every K requests. Printed: status counts per kind, any answer that names a host
path, the server's and its parsers' resident memory (VmRSS, /proc) before and after, and whether the
server is healthy at the end. Not a test: it prints figures.

    python bench/soak.py [--requests 300] [--clients 16] [--workers 2] [--kill-every 50] [-- serve flags]
"""
from __future__ import annotations

import argparse
import itertools
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.api.helpers import CRASHER, RealServer, descendants, kernel  # noqa: E402

HOST_TRACES = (str(REPO), "root:x:0", "xapp-overlay", "/__xapp")
BOMB = ("#define a0 0,\n" + "".join(f"#define a{i} a{i - 1} a{i - 1}\n" for i in range(1, 27))
        + "int v[] = { a26 1 };\n")
LOOP = "void mine(float *y, int n) { for (int i = 0; i < n; i++) y[i] = 2.0f * y[i]; }\n"


def _json(source: str, **extra) -> dict:
    return {"json": {"source": source, **extra}}


MIX: list[tuple[str, dict]] = [
    ("valid", _json(kernel("saxpy.c"), filename="saxpy.c")),
    ("valid", _json(kernel("vector_add.cl"), filename="vector_add.cl")),
    ("include", _json('#include "/etc/passwd"\n' + LOOP)),
    ("include", _json('#include "../../../../etc/shadow"\n' + LOOP)),
    ("trigraph", _json('??=include "/etc/passwd"\n' + LOOP, std="c11")),
    ("pasted_has_include", _json('#define CAT(a,b) a##b\n#if CAT(__has_,include)("/etc/shadow")\nint y;\n#endif\n'
                                 + LOOP)),
    ("pasted_pragma", _json('#define CAT(a,b) a##b\n#define D(x) CAT(_Pra,gma)(#x)\nD(GCC dependency '
                            '"/etc/passwd")\n' + LOOP)),
    ("host_macro", _json("#include <linux/version.h>\n#if LINUX_VERSION_CODE\nint v;\n#endif\n" + LOOP)),
    ("valid", _json(kernel("saxpy.c"), filename="saxpy.c")),
    ("bomb", _json(BOMB)),
    ("crasher", _json(CRASHER)),
    ("binary", {"files": {"file": ("x.c", b"\x7fELF\x02\x01\x01\x00\x00")}}),
    ("oversized", {"content": b"x" * (7 << 20), "headers": {"content-type": "application/json"}}),
    ("malformed", {"content": b'{"source": ', "headers": {"content-type": "application/json"}}),
    ("valid", _json(kernel("saxpy.c"), filename="saxpy.c")),
]


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory(server: RealServer) -> str:
    helpers = sorted(descendants(server.proc.pid))
    return (f"server {rss_mib(server.proc.pid):.0f} MiB; helper processes "
            f"{', '.join(f'{rss_mib(p):.0f}' for p in helpers)} MiB ({len(helpers)})")


def parsers(server: RealServer) -> list[int]:
    below = descendants(server.proc.pid)
    forkservers = {p for p in below if b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()
                   and int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) == server.proc.pid}
    return [p for p in below if int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) in forkservers]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kill-every", type=int, default=50, help="SIGKILL one parser every K requests (0: never)")
    args, serve_flags = ap.parse_known_args(argv)
    server = RealServer("--workers", str(args.workers), "--log-level", "warning", *serve_flags).wait_healthy()
    counts: Counter = Counter()
    leaks: list[str] = []
    slowest: dict[str, float] = {}
    draw = itertools.cycle(MIX)
    lock = threading.Lock()
    sent = [0]
    try:
        before = memory(server)

        def client() -> None:
            with httpx.Client(base_url=server.url, timeout=120) as http:
                while True:
                    with lock:
                        if sent[0] >= args.requests:
                            return
                        sent[0] += 1
                        n, (kind, request) = sent[0], next(draw)
                    if args.kill_every and n % args.kill_every == 0:
                        alive = parsers(server)
                        if alive:
                            os.kill(alive[0], signal.SIGKILL)
                    t0 = time.perf_counter()
                    response = http.post("/v1/predict" if "files" not in request else "/v1/predict/file", **request)
                    elapsed = time.perf_counter() - t0
                    with lock:
                        counts[(kind, response.status_code)] += 1
                        slowest[kind] = max(slowest.get(kind, 0.0), elapsed)
                        leaks.extend(f"{kind}: {t}" for t in HOST_TRACES if t in response.text)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        time.sleep(1.0)
        health = httpx.get(f"{server.url}/v1/health", timeout=10)
        print(f"{args.requests} requests, {args.clients} clients, {args.workers} workers, {wall:.1f} s; "
              f"serve flags: {' '.join(serve_flags) or '(defaults)'}")
        print(f"memory before: {before}")
        print(f"memory after:  {memory(server)}")
        print("| kind | status | count | slowest s |")
        print("|------|-------:|------:|----------:|")
        for (kind, status), n in sorted(counts.items()):
            print(f"| {kind} | {status} | {n} | {slowest[kind]:.2f} |")
        server_errors = sum(n for (_, status), n in counts.items() if status >= 500 and status not in (503, 504))
        print(f"undocumented 5xx: {server_errors}; answers naming a host path: {len(leaks)} {leaks[:5]}")
        print(f"health at the end: {health.status_code} {health.json()}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
