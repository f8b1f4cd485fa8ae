"""Install footprint: the size of a fresh virtual environment after `pip install .` of this project.

Creates a venv in a temporary directory, installs the project from its own files (no extras),
then prints the size of site-packages and its ten biggest distributions (by the files each
one's RECORD lists). Not a test: it prints figures. Needs network access to PyPI.

    python bench/install_size.py [--spec .] [--keep]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1e6


def tree_size(path: Path) -> int:
    """Bytes of every regular file under path (links not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        raise SystemExit(f"no site-packages under {venv}")
    return found[0]


def distribution_sizes(site: Path) -> dict[str, int]:
    """Bytes per installed distribution, from the files listed in each *.dist-info/RECORD."""
    sizes: dict[str, int] = {}
    for info in site.glob("*.dist-info"):
        record = info / "RECORD"
        if not record.is_file():
            continue
        name = info.name.removesuffix(".dist-info")
        total = 0
        for line in record.read_text().splitlines():
            rel = line.split(",", 1)[0]
            path = (site / rel).resolve()
            if path.is_file():
                total += path.stat().st_size
        sizes[name] = total
    return sizes


def install(venv: Path, spec: str) -> float:
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    start = time.perf_counter()
    subprocess.run([*pip, "install", "--quiet", "--no-cache-dir", spec], check=True, cwd=ROOT)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=".", help="what to pip install (default: this project)")
    ap.add_argument("--keep", action="store_true", help="keep the venv and print its path")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="xapp-install-size-"))
    try:
        venv = tmp / "venv"
        seconds = install(venv, args.spec)
        site = site_packages(venv)
        print(f"pip install {args.spec}: {seconds:.0f} s")
        print(f"venv total:    {tree_size(venv) / MB:8.1f} MB")
        print(f"site-packages: {tree_size(site) / MB:8.1f} MB")
        print("biggest distributions:")
        for name, size in sorted(distribution_sizes(site).items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {name:32s} {size / MB:8.1f} MB")
        if args.keep:
            print(f"kept: {venv}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
