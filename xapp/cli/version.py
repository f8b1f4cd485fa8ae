"""`xapp --version`: the versions an answer depends on (xapp, libclang, XGBoost, the shipped model).

Read from the installed distributions' metadata and the shipped model's card, so the flag stays fast:
nothing here imports libclang or XGBoost.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

__all__ = ["DISTRIBUTION", "VersionAction", "version_lines"]

DISTRIBUTION = "xapp-gpu"      # the name on PyPI (pyproject.toml); the import package and command are `xapp`
SHIPPED_CARD = Path(__file__).resolve().parents[1] / "models" / "shipped" / "card.json"


def _installed(*names: str) -> str:
    """The version of the first of `names` that is installed (xgboost-cpu and xgboost are one package)."""
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def _model_line(card_path: Path = SHIPPED_CARD) -> str:
    try:
        data = card_path.read_bytes()
        card = json.loads(data)
    except (OSError, ValueError) as exc:
        return f"shipped model: unreadable ({card_path}: {exc})"
    training = card.get("training", {})
    built_with = card.get("libraries", {}).get("xgboost", "?")
    created = str(card.get("created", "?"))[:10]
    return (f"shipped model: {card.get('name', 'shipped')}, format {card.get('format_version')}, created {created}, "
            f"trained on {training.get('corpus')} ({training.get('rows')} rows, {training.get('platform')}) with "
            f"XGBoost {built_with}; card sha256 {hashlib.sha256(data).hexdigest()[:12]}")


def version_lines() -> list[str]:
    from xapp import __version__
    from xapp.features import EXTRACTOR_VERSION

    return [f"xapp {__version__} (distribution {DISTRIBUTION}, extractor version {EXTRACTOR_VERSION})",
            f"libclang {_installed('libclang')}",
            f"XGBoost {_installed('xgboost-cpu', 'xgboost')}",
            _model_line(),
            f"Python {sys.version.split()[0]}"]


class VersionAction(argparse.Action):
    """Prints `version_lines()` and exits 0, as argparse's own version action does."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or "show the versions of xapp, libclang, XGBoost and the shipped model, and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write("\n".join(version_lines()) + "\n")      # stdout, as argparse's version action
        parser.exit()
