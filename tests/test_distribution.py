"""The distribution's own name on PyPI, used wherever users are told to install, and `xapp --version`."""
from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from xapp.cli import main
from xapp.cli.version import DISTRIBUTION, SHIPPED_CARD
from xapp.cluster import INSTALL_HINT

from .models.paths import missing_data

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def test_the_distribution_has_a_name_of_its_own():
    # "xapp" on PyPI is an unrelated package: installing it would bring a stranger's code.
    assert PYPROJECT["project"]["name"] == DISTRIBUTION == "xapp-gpu"
    assert PYPROJECT["project"]["scripts"] == {"xapp": "xapp.cli:main"}        # the command stays xapp
    assert metadata.distribution(DISTRIBUTION).read_text("top_level.txt") in (None, "xapp\n")


def test_install_messages_and_image_name_the_distribution():
    assert f"pip install '{DISTRIBUTION}[dask]'" in INSTALL_HINT and "'xapp[" not in INSTALL_HINT
    assert "dask" in PYPROJECT["project"]["optional-dependencies"]
    dockerfile = (REPO / "Dockerfile").read_text()
    assert f'org.opencontainers.image.title="{DISTRIBUTION}"' in dockerfile
    assert f"docker build -t {DISTRIBUTION} ." in dockerfile and f"pip show --quiet {DISTRIBUTION}" in dockerfile
    for path in [*REPO.glob("*.md"), *REPO.glob("docs/*.md"), *(REPO / "xapp").rglob("*.py")]:
        assert "'xapp[" not in path.read_text(encoding="utf-8"), path


def test_version_lists_xapp_libclang_xgboost_and_the_model(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    card = json.loads(SHIPPED_CARD.read_text())
    xgboost_version = __import__("xgboost").__version__
    assert out[0].startswith(f"xapp {__import__('xapp').__version__} (distribution xapp-gpu")
    assert out[1] == f"libclang {metadata.version('libclang')}"
    assert out[2] == f"XGBoost {xgboost_version}"
    assert out[3].startswith(f"shipped model: {card.get('name', 'shipped')}, format {card['format_version']}, "
                             f"created {card['created'][:10]}, trained on {card['training']['corpus']}")
    digest = __import__("hashlib").sha256(SHIPPED_CARD.read_bytes()).hexdigest()[:12]
    assert out[3].endswith(f"with XGBoost {card['libraries']['xgboost']}; card sha256 {digest}")
    assert digest == (SHIPPED_CARD.parent / "card.sha256").read_text().split()[0][:12]   # the bundle's own record


def test_version_is_the_console_scripts_too():
    out = subprocess.run([sys.executable, "-m", "xapp", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[1].startswith("libclang ")


def test_a_missing_data_set_is_named_with_where_it_comes_from():
    reason = missing_data(Path("/nowhere/devmap/cgo17-amd.csv"), "the devmap benchmark")
    assert reason.startswith("/nowhere/devmap/cgo17-amd.csv is missing: the devmap benchmark")
    assert "../shared/data" in reason
