"""Service latency: p50/p99 and throughput of POST /v1/predict over loopback with N concurrent clients,
beside the in-process `Predictor.predict_source` time for the same kernel, and their ratio; and the
service's throughput beside that of the in-process pipeline on the same number of parser processes
(a `WorkerPool` of --workers processes driven by as many threads), and that ratio.

The kernel: the devmap OpenCL source of median length (the `src` column of
../shared/data/devmap/cgo17-amd.csv, read at run time), or any file given with --kernel.
The server is the real one (`python -m xapp serve`, the same as `xapp serve`) on a
free 127.0.0.1 port, started and stopped by this script. Not a test: it prints figures.

    python bench/api_latency.py [--clients 1 8 48] [--requests 200] [--workers 2] [--kernel FILE]
"""
from __future__ import annotations

import argparse
import csv
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

# As `xapp serve` does for itself: one OpenMP thread per XGBoost call, so both sides are timed alike.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import httpx  # noqa: E402

from xapp.features import ParseOptions  # noqa: E402
from xapp.isolation import WorkerPool  # noqa: E402
from xapp.predict import PredictOptions, Predictor  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO.parent / "shared" / "data" / "devmap" / "cgo17-amd.csv"


def typical_kernel(csv_path: Path) -> tuple[str, str]:
    """The distinct devmap source of median length."""
    csv.field_size_limit(1 << 24)
    with open(csv_path, newline="") as fh:
        rows = {row["src"]: row["benchmark"] for row in csv.DictReader(fh)}
    sources = sorted(rows, key=len)
    src = sources[len(sources) // 2]
    return f"{rows[src]}.cl", src


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def in_process_ms(text: str, name: str, repeat: int, pool: WorkerPool | None) -> float:
    predictor = Predictor(pool=pool)
    options = PredictOptions(ParseOptions(untrusted=True))
    for _ in range(3):
        predictor.predict_source(text, name, options, display_name=name)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        predictor.predict_source(text, name, options, display_name=name)
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def in_process_throughput(text: str, name: str, workers: int, requests: int) -> float:
    """Requests per second of the pipeline itself on `workers` parser processes, `workers` callers at once."""
    with WorkerPool(workers=workers) as pool:
        predictor = Predictor(pool=pool)
        options = PredictOptions(ParseOptions(untrusted=True))
        left = [requests]
        lock = threading.Lock()

        def caller() -> None:
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                predictor.predict_source(text, name, options, display_name=name)

        for _ in range(2 * workers):     # start and warm every worker
            predictor.predict_source(text, name, options, display_name=name)
        threads = [threading.Thread(target=caller) for _ in range(workers)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return requests / (time.perf_counter() - t0)


class Server:
    def __init__(self, workers: int, queue: int, model: str | None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "xapp", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                "--workers", str(workers), "--queue", str(queue), "--log-level", "warning"]
        if model:
            args += ["--model", model]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)

    def wait_healthy(self, within_s: float = 120) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("server did not become healthy")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def load(url: str, body: dict, clients: int, requests: int) -> tuple[list[float], float, dict[int, int]]:
    """`requests` posts shared among `clients` threads; latencies (s), wall time (s), status counts."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    left = [requests]
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                t0 = time.perf_counter()
                status = http.post("/v1/predict", json=body).status_code
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - t0, statuses


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="devmap CSV to take the kernel from")
    ap.add_argument("--kernel", type=Path, help="post this file instead of a devmap kernel")
    ap.add_argument("--clients", type=int, nargs="+", default=[8], help="concurrent clients per run (default 8)")
    ap.add_argument("--requests", type=int, default=200, help="requests per run (default 200)")
    ap.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="server parser processes")
    ap.add_argument("--repeat", type=int, default=30, help="in-process timings (median taken)")
    ap.add_argument("--model", help="model bundle directory (default: the shipped model)")
    args = ap.parse_args(argv)

    if args.kernel:
        name, text = args.kernel.name, args.kernel.read_text(encoding="utf-8")
    else:
        name, text = typical_kernel(args.csv)
    body = {"source": text, "filename": name}

    server = Server(args.workers, max(64, max(args.clients)), args.model)
    try:
        server.wait_healthy()
        direct_ms = in_process_ms(text, name, args.repeat, None)
        with WorkerPool(workers=1) as pool:
            pooled_ms = in_process_ms(text, name, args.repeat, pool)
        pipeline_rps = in_process_throughput(text, name, args.workers, args.requests)
        load(server.url, body, min(args.clients), 10)          # warm the connection path
        print(f"kernel: {name} ({len(text.encode())} bytes); server: {args.workers} parser processes; "
              f"{os.cpu_count()} CPUs; OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
        print(f"in-process Predictor.predict_source: {direct_ms:.1f} ms (median of {args.repeat}); "
              f"through a WorkerPool: {pooled_ms:.1f} ms")
        print(f"in-process pipeline on {args.workers} parser processes, {args.workers} callers: "
              f"{pipeline_rps:.1f} req/s")
        print()
        print("| clients | requests | p50 ms | p99 ms | throughput req/s | p50 / in-process | "
              "throughput / in-process pipeline | statuses |")
        print("|--------:|---------:|-------:|-------:|-----------------:|-----------------:|"
              "---------------------------------:|----------|")
        for clients in args.clients:
            latencies, wall, statuses = load(server.url, body, clients, args.requests)
            p50, p99 = 1000 * percentile(latencies, 50), 1000 * percentile(latencies, 99)
            rps = len(latencies) / wall
            print(f"| {clients} | {len(latencies)} | {p50:.1f} | {p99:.1f} | {rps:.1f} | {p50 / direct_ms:.2f} | "
                  f"{rps / pipeline_rps:.2f} | {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))} |")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
