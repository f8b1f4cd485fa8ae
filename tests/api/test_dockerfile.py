"""What can be checked of the Dockerfile without docker: a pinned base, a non-root user, a CMD that the
real `xapp` parser reads as `xapp serve` on 0.0.0.0:8000, and a HEALTHCHECK on /v1/health in Python.
(The HEALTHCHECK command itself is run against a real server in test_server.py.)"""
from __future__ import annotations

import re

from xapp.cli import serve as command
from xapp.cli import build_parser

from .helpers import REPO, dockerfile_instructions, exec_form

INSTRUCTIONS = dockerfile_instructions()


def values(keyword: str) -> list[str]:
    return [rest for key, rest in INSTRUCTIONS if key == keyword]


def test_base_image_is_a_pinned_slim_python_3_11():
    (base,) = values("FROM")
    assert re.fullmatch(r"python:3\.11\.\d+-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?", base), base


def test_runs_as_a_non_root_user():
    keys = [key for key, _ in INSTRUCTIONS]
    users = values("USER")
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith("0:")
    assert keys.index("CMD") > max(i for i, key in enumerate(keys) if key == "USER")
    assert any("useradd" in run and users[-1] in run for run in values("RUN"))


def test_installs_the_project_with_pip():
    assert any(re.search(r"\bpip install \.(\s|$)", run) for run in values("RUN"))
    copied = " ".join(values("COPY"))
    assert "pyproject.toml" in copied and "xapp" in copied


def test_cmd_is_xapp_serve_as_the_real_parser_reads_it():
    cmd = exec_form(values("CMD")[-1])
    assert cmd[0] == "xapp"
    args = build_parser().parse_args(cmd[1:])
    assert args.command == "serve" and args.run is command.run
    assert (args.host, args.port) == ("0.0.0.0", 8000)
    settings = command.settings_from(args)
    assert settings.max_bytes == 1 << 20 and settings.model is None      # the shipped model, default limits


def test_exposes_the_served_port_and_checks_health_with_python():
    assert values("EXPOSE") == ["8000"]
    (check,) = values("HEALTHCHECK")
    options, _, cmd = check.partition("CMD ")
    argv = exec_form(cmd)
    assert argv[0] == "python" and "http://127.0.0.1:8000/v1/health" in argv[-1]
    assert "--timeout=" in options


def test_dockerignore_sends_only_what_the_install_needs():
    lines = [l.strip() for l in (REPO / ".dockerignore").read_text().splitlines() if l.strip() and l[0] != "#"]
    assert lines[0] == "*" and {"!pyproject.toml", "!README.md", "!xapp/"} <= set(lines)
