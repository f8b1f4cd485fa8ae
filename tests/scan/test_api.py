"""The public names of xapp.scan and the new writers, and what importing them costs."""
from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

MODULES = ["xapp.scan", "xapp.scan.discovery", "xapp.scan.walk", "xapp.scan.ignore", "xapp.scan.compile_db", "xapp.extraction", "xapp.extraction.cache", "xapp.scan.runner", "xapp.scan.report",
           "xapp.scan.pipeline", "xapp.cli", "xapp.cli.scan", "xapp.cli.options", "xapp.cli.exits", "xapp.reports.csv_report", "xapp.reports.sarif_report", "xapp.reports.html_report"]


@pytest.mark.parametrize("name", MODULES)
def test_every_name_in_all_exists(name):
    module = importlib.import_module(name)
    assert module.__all__ and all(hasattr(module, n) for n in module.__all__)


def test_cli_wiring_names():
    from xapp.cli import scan as command
    assert callable(command.add_parser) and callable(command.run)


def test_importing_the_scanner_does_not_load_the_model_stack():
    # xapp.cli imports every command module; `xapp features` must not pay for XGBoost.
    code = "import sys, xapp.cli, xapp.scan, xapp.reports.sarif_report, xapp.reports.html_report, xapp.reports.csv_report; " \
           "print(sorted(m for m in ('xgboost', 'numpy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
