"""Header modes: xapp's hermetic stub headers, or a real clang resource directory.

The libclang wheel ships no clang builtin headers (stddef.h, opencl-c-base.h),
so out of the box every `#include <stddef.h>` is fatal. Hermetic mode parses
against stubs written for xapp (include/c, include/opencl) with -nostdinc.
System mode looks for a clang resource directory (flag, XAPP_CLANG_RESOURCE_DIR,
`clang -print-resource-dir`, known install paths), checked for include/stddef.h,
and falls back to the stubs when none is found.
"""
from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HeaderSetup", "STUB_DIR", "OPENCL_BASE", "stub_header_names", "header_setup", "find_resource_dir"]

_INCLUDE = Path(__file__).with_name("include")
STUB_DIR = _INCLUDE / "c"
OPENCL_BASE = _INCLUDE / "opencl" / "opencl-c-base.h"
_KNOWN_RESOURCE_GLOBS = ("/usr/lib/llvm-*/lib/clang/*", "/usr/lib/clang/*", "/usr/local/lib/clang/*",
                         "/opt/homebrew/opt/llvm/lib/clang/*", "/usr/local/opt/llvm/lib/clang/*")


@dataclass(frozen=True)
class HeaderSetup:
    mode: str                 # 'hermetic' or 'system' (the mode actually used)
    resource_dir: str | None  # the clang resource directory in system mode
    args: tuple[str, ...]     # compiler flags that realise the mode
    note: str = ""            # why system mode fell back to the stubs, if it did


@functools.lru_cache(maxsize=1)
def stub_header_names() -> frozenset[str]:
    """Names a source may #include in hermetic mode, as written: 'stdio.h', 'sys/time.h', 'vector'."""
    return frozenset(p.relative_to(STUB_DIR).as_posix() for p in STUB_DIR.rglob("*") if p.is_file())


def _valid_resource_dir(path: str | None) -> bool:
    return bool(path) and os.path.isfile(os.path.join(path, "include", "stddef.h"))


@functools.lru_cache(maxsize=8)
def find_resource_dir(explicit: str | None = None) -> tuple[str | None, str]:
    """(resource dir or None, where it came from / why none was found)."""
    if explicit:
        return (explicit, "flag") if _valid_resource_dir(explicit) else (None, f"{explicit} has no include/stddef.h")
    env = os.environ.get("XAPP_CLANG_RESOURCE_DIR")
    if env:
        if _valid_resource_dir(env):
            return env, "XAPP_CLANG_RESOURCE_DIR"
        return None, f"XAPP_CLANG_RESOURCE_DIR={env} has no include/stddef.h"
    clang = shutil.which("clang")
    if clang:
        try:
            out = subprocess.run([clang, "-print-resource-dir"], capture_output=True, text=True, timeout=10)
            candidate = out.stdout.strip()
            if _valid_resource_dir(candidate):
                return candidate, "clang -print-resource-dir"
        except (OSError, subprocess.SubprocessError):
            pass
    for pattern in _KNOWN_RESOURCE_GLOBS:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if _valid_resource_dir(candidate):
                return candidate, "known install path"
    return None, "no clang resource directory found (flag, XAPP_CLANG_RESOURCE_DIR, clang, known paths)"


def _hermetic_args(language: str) -> tuple[str, ...]:
    if language == "opencl":
        return ("-cl-no-stdinc", "-Xclang", "-fdeclare-opencl-builtins", "-include", str(OPENCL_BASE))
    extra = ("-nostdinc++",) if language == "c++" else ()
    return ("-nostdinc", *extra, "-isystem", str(STUB_DIR))


def header_setup(language: str, mode: str, resource_dir: str | None = None) -> HeaderSetup:
    if mode == "system":
        found, why = find_resource_dir(resource_dir)
        if found:
            if language == "opencl":
                args = ("-resource-dir", found, "-Xclang", "-fdeclare-opencl-builtins",
                        "-Xclang", "-finclude-default-header")
            else:
                args = ("-resource-dir", found)
            return HeaderSetup("system", found, args)
        return HeaderSetup("hermetic", None, _hermetic_args(language), note=f"fell back to stubs: {why}")
    return HeaderSetup("hermetic", None, _hermetic_args(language))
