"""Shared pieces of the service tests: fixture kernels, the reference document, apps and a real server.

Every test runs the real pipeline: the shipped default model, libclang in worker
processes, XGBoost. Nothing of xapp is mocked.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
from fastapi.testclient import TestClient

from xapp.api import ServiceSettings, create_app
from xapp.features import ParseOptions
from xapp.predict import PredictOptions, Predictor
from xapp.reports.json_report import prediction_document

REPO = Path(__file__).resolve().parents[2]
KERNELS = REPO / "tests" / "fixtures" / "kernels"

# A single expression of 50,000 `a+a+...` terms: libclang 18 dies of a stack overflow parsing it.
# One HTTP client for every request to a real server: `httpx.get()` builds a client, and with it a TLS
# context (about 45 ms of CPU), on every call; the health polls and the 48-client test made hundreds.
HTTP = httpx.Client(trust_env=False)

CRASHER = "int f(int a){return " + "+".join(["a"] * 50_000) + ";}\n"
# 2,000 sibling loops: extraction is quadratic in them (about 12 s on one core), far past a 1 s limit.
SLOW = "void f(float *x, int n) {\n" + "for (int i = 0; i < n; i++) x[i] = x[i] * 2.0f + 1.0f;\n" * 2000 + "}\n"


def kernel(name: str) -> str:
    return (KERNELS / name).read_text(encoding="utf-8")


def reference_document(predictor: Predictor, text: str, name: str, *, defines=(), hints=(), thresholds=None,
                       language=None) -> dict:
    """What the service must answer for this file: the pipeline called directly, as JSON."""
    options = PredictOptions(parse=ParseOptions(language=language, defines=tuple(defines), untrusted=True),
                             hints=tuple(hints), thresholds=thresholds)
    prediction = predictor.predict_source(text, name, options, display_name=name)
    return json.loads(json.dumps(prediction_document(predictor.model_summary(), [prediction], [])))


@contextmanager
def running_app(**settings) -> Iterator[TestClient]:
    """The app with its lifespan running (model loaded, worker pool started) for the `with` block."""
    app = create_app(ServiceSettings(**settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RealServer:
    """`xapp serve` (through `python -m xapp serve`) on a free loopback port, in a subprocess."""

    def __init__(self, *args: str, cwd: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile("w+")     # not a pipe: a chatty server must never block on it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "xapp", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "info", *args],
            cwd=cwd or REPO, stdout=self.log, stderr=subprocess.STDOUT, env=_env_with_repo())

    def wait_healthy(self, within_s: float = 90.0) -> "RealServer":
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                if HTTP.get(f"{self.url}/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server not healthy after {within_s} s")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self, within_s: float = 20.0) -> int:
        """SIGTERM, as a process manager would send; the exit status."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=within_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (Linux /proc), e.g. a server's forkserver and parser processes."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _env_with_repo() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def dockerfile_instructions(path: Path = REPO / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out, pending = [], ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        keyword, _, rest = pending.strip().partition(" ")
        out.append((keyword.upper(), rest.strip()))
        pending = ""
    return out


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an exec-form CMD / HEALTHCHECK CMD."""
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), arguments
    return value
