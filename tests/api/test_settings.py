"""ServiceSettings: defaults, XAPP_* variables, flags over variables, and refusal of nonsense."""
from __future__ import annotations

import argparse
import importlib

import pytest

from xapp.api import ServiceSettings
from xapp.cli import main as xapp_main
from xapp.cli import serve as command
from xapp.errors import InputError


def serve_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def test_defaults():
    s = ServiceSettings.load(environ={})
    assert (s.model, s.max_bytes, s.timeout, s.queue) == (None, 1 << 20, 30.0, 64)
    assert (s.worker_memory, s.worker_cpu) == (2048, 5.0)
    assert s.worker_limits.memory_mb == 2048 and s.worker_limits.cpu_s == 5.0
    assert 1 <= s.workers <= 4
    assert s.max_body_bytes == 6 * (1 << 20) + 64 * 1024


def test_environment_then_flags():
    env = {"XAPP_MAX_BYTES": "2048", "XAPP_TIMEOUT": "2.5", "XAPP_WORKERS": "3", "XAPP_MODEL": "/m",
           "XAPP_QUEUE": "5", "XAPP_WORKER_MEMORY": "512", "XAPP_WORKER_CPU": "3"}
    assert ServiceSettings.load(environ=env) == ServiceSettings("/m", 2048, 2.5, 5, 3, 512, 3.0)
    args = serve_args("--max-bytes", "4096", "--workers", "1")
    assert args.run is command.run and (args.host, args.port) == ("127.0.0.1", 8000)
    from_flags = ServiceSettings.load(environ=env, model=args.model, max_bytes=args.max_bytes, timeout=args.timeout,
                                      queue=args.queue, workers=args.workers, worker_memory=args.worker_memory,
                                      worker_cpu=args.worker_cpu)
    assert from_flags == ServiceSettings("/m", 4096, 2.5, 5, 1, 512, 3.0)


def test_settings_from_parsed_flags_reads_every_flag(monkeypatch):
    for name in ("MODEL", "MAX_BYTES", "TIMEOUT", "QUEUE", "WORKERS", "WORKER_MEMORY", "WORKER_CPU"):
        monkeypatch.delenv(f"XAPP_{name}", raising=False)
    args = serve_args("--model", "/b", "--max-bytes", "10", "--timeout", "1", "--queue", "2",
                      "--workers", "2", "--worker-memory", "1024", "--worker-cpu", "5")
    assert command.settings_from(args) == ServiceSettings("/b", 10, 1.0, 2, 2, 1024, 5.0)


def test_the_slow_client_flags_and_variables(monkeypatch):
    env = {"XAPP_HEADER_TIMEOUT": "3", "XAPP_BODY_TIMEOUT": "4", "XAPP_BODY_MIN_RATE": "100",
           "XAPP_CLIENT_SHARE": "0.5", "XAPP_MAX_REGIONS": "7"}
    s = ServiceSettings.load(environ=env)
    assert (s.header_timeout, s.body_timeout, s.body_min_rate, s.client_share, s.max_regions) == (3, 4, 100, 0.5, 7)
    defaults = ServiceSettings.load(environ={})
    assert (defaults.header_timeout, defaults.body_timeout, defaults.body_min_rate) == (10.0, 10.0, 16384)
    assert (defaults.client_share, defaults.max_regions) == (0.75, 1000)
    for name in env:
        monkeypatch.delenv(name, raising=False)
    args = serve_args("--header-timeout", "1.5", "--body-timeout", "2", "--body-min-rate", "10",
                      "--client-share", "1", "--max-regions", "3")
    s = command.settings_from(args)
    assert (s.header_timeout, s.body_timeout, s.body_min_rate, s.client_share, s.max_regions) == (1.5, 2, 10, 1, 3)


@pytest.mark.parametrize("bad", [{"max_bytes": 0}, {"timeout": 0}, {"timeout": float("nan")},
                                 {"timeout": float("inf")}, {"queue": -1}, {"workers": 0},
                                 {"worker_memory": 100}, {"worker_cpu": 0.5}, {"worker_cpu": float("nan")},
                                 {"header_timeout": 0}, {"body_timeout": float("inf")}, {"body_min_rate": 0},
                                 {"client_share": 0}, {"client_share": 1.5}, {"max_regions": 0}])
def test_nonsense_is_refused(bad):
    with pytest.raises(InputError):
        ServiceSettings(**bad)


def test_a_malformed_variable_names_itself():
    with pytest.raises(InputError, match="XAPP_MAX_BYTES"):
        ServiceSettings.load(environ={"XAPP_MAX_BYTES": "lots"})


def test_a_missing_model_is_a_clean_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")     # what `run` would set for the server process, undone after
    assert xapp_main(["serve", "--model", str(tmp_path / "nowhere"), "--port", "0"]) == 2
    assert "no model bundle" in capsys.readouterr().err


@pytest.mark.parametrize("module", ["xapp.api", "xapp.api.settings", "xapp.api.schemas", "xapp.api.errors",
                                    "xapp.api.limits", "xapp.api.service", "xapp.api.app", "xapp.cli.serve",
                                    "xapp.api.intake", "xapp.api.connections"])
def test_every_module_exports_what_its_all_names(module):
    mod = importlib.import_module(module)
    assert mod.__all__ and all(hasattr(mod, name) for name in mod.__all__)
