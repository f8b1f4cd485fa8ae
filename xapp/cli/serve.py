"""`xapp serve`: the prediction service on uvicorn.

One uvicorn process serves every request; libclang runs only in the `--workers`
parser processes, so a source that crashes it costs only its own request.
The app itself is xapp.api; this module holds the flags and starts uvicorn.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

from .exits import EXIT_OK

__all__ = ["add_parser", "add_arguments", "run"]

KEEP_ALIVE_S = 5       # an idle kept-alive connection is closed after this (uvicorn's default, said here)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="parser processes (default: XAPP_WORKERS or min(4, CPUs))")
    p.add_argument("--model", metavar="DIR", help="model bundle directory (default: XAPP_MODEL or the shipped model)")
    p.add_argument("--max-bytes", type=int, metavar="N",
                   help="largest source accepted, in bytes; 413 above (default: XAPP_MAX_BYTES or 1048576)")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="time limit of one request in seconds; 504 past it (default: XAPP_TIMEOUT or 30)")
    p.add_argument("--queue", type=int, metavar="N",
                   help="requests that may wait for a parser, first come first served; 503 beyond "
                        "(default: XAPP_QUEUE or 64)")
    p.add_argument("--worker-memory", type=int, metavar="MB",
                   help="address-space limit of each parser process; a parse past it is 422 "
                        "(default: XAPP_WORKER_MEMORY or 2048)")
    p.add_argument("--worker-cpu", type=float, metavar="S",
                   help="CPU seconds one parse may use; 422 past it (default: XAPP_WORKER_CPU or 5)")
    p.add_argument("--header-timeout", type=float, metavar="S",
                   help="seconds a request's headers may take; the connection is closed past it "
                        "(default: XAPP_HEADER_TIMEOUT or 10)")
    p.add_argument("--body-timeout", type=float, metavar="S",
                   help="seconds a request's body may take, plus 1 s per --body-min-rate bytes received; 408 past "
                        "it. A request takes its place in the queue only once its body is in "
                        "(default: XAPP_BODY_TIMEOUT or 10)")
    p.add_argument("--body-min-rate", type=int, metavar="BYTES",
                   help="bytes per second a body must keep arriving at (default: XAPP_BODY_MIN_RATE or 16384)")
    p.add_argument("--client-share", type=float, metavar="F",
                   help="fraction of the places (workers + queue) one client address may hold; 503 beyond "
                        "(default: XAPP_CLIENT_SHARE or 0.75)")
    p.add_argument("--max-regions", type=int, metavar="N",
                   help="loop nests and kernels one request may hold; 422 beyond (default: XAPP_MAX_REGIONS or 1000)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("serve", help="serve predictions over HTTP (FastAPI on uvicorn)",
                              description="Serve POST /v1/predict, POST /v1/predict/file, GET /v1/health, "
                                          "GET /v1/model and the OpenAPI docs at /docs. Flags override "
                                          "XAPP_* environment variables.")
    add_arguments(p)
    p.set_defaults(run=run)
    return p


def settings_from(args: argparse.Namespace):
    from ..api.settings import ServiceSettings
    return ServiceSettings.load(model=args.model, max_bytes=args.max_bytes, timeout=args.timeout,
                                queue=args.queue, workers=args.workers, worker_memory=args.worker_memory,
                                worker_cpu=args.worker_cpu, header_timeout=args.header_timeout,
                                body_timeout=args.body_timeout, body_min_rate=args.body_min_rate,
                                client_share=args.client_share, max_regions=args.max_regions)


def _exit_normally_on_sigterm() -> None:
    """uvicorn shuts down gracefully on SIGTERM and then raises the signal again under the handler that was
    there before it. With the default handler the process would die on the spot, skipping the atexit hooks
    that stop the parser processes (they would live on, orphaned); this handler exits normally, status 143."""
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def run(args: argparse.Namespace) -> int:
    # Requests run in parallel threads; an OpenMP team per XGBoost call only adds contention (on a busy
    # 2-core machine a one-row prediction stalled for 100-300 ms instead of 4). Must precede loading xgboost.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import uvicorn

    from ..api.app import create_app
    from ..api.connections import header_deadline_protocol
    from ..predict import Predictor

    settings = settings_from(args)
    bundle = Predictor.from_path(settings.model).bundle    # a bad --model fails here, as a clean usage error
    _exit_normally_on_sigterm()
    # h11 with a header deadline (slowloris); uvicorn's own keep-alive timeout closes idle connections.
    uvicorn.run(create_app(settings, bundle=bundle), host=args.host, port=args.port, log_level=args.log_level,
                timeout_graceful_shutdown=5, http=header_deadline_protocol(settings.header_timeout),
                timeout_keep_alive=KEEP_ALIVE_S)
    return EXIT_OK
