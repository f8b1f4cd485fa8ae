"""Header modes: xapp's hermetic stub headers, or a real clang resource directory.

The libclang wheel ships no clang builtin headers (stddef.h, opencl-c-base.h),
so out of the box every `#include <stddef.h>` is fatal. Hermetic mode parses
against stubs written for xapp (include/c, include/opencl) with -nostdinc.
Untrusted code is parsed in hermetic mode behind a virtual file system overlay
(`-ivfsoverlay`, 'redirect-only'): clang then sees no file of the host at all,
only xapp's include/ directory under the virtual VIRTUAL_INCLUDE and the
unsaved files handed to it, so no include, `__has_include` or
`#pragma GCC dependency` can read or probe a host file, however it is spelt.
A local scan of a checkout (ParseOptions.view, a FileView) parses behind the same
kind of overlay, which shows the scanned tree, the folders the user named, xapp's
include/ directory and `readonly_roots` (the resource directory in system mode,
and EXTRA_READONLY_ROOTS), each at its own path; a symbolic link inside the tree
that leads outside it shows as an empty file or folder. Every other host path is
"not found", so `#include "/etc/passwd"` is stubbed like any missing header.
System mode looks for a clang resource directory (flag, XAPP_CLANG_RESOURCE_DIR,
`clang -print-resource-dir`, known install paths), checked for include/stddef.h,
and falls back to the stubs when none is found.
"""
from __future__ import annotations

import atexit
import functools
import glob
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .options import FileView

__all__ = ["HeaderSetup", "STUB_DIR", "OPENCL_BASE", "VIRTUAL_INCLUDE", "EXTRA_READONLY_ROOTS", "stub_header_names",
           "header_setup", "find_resource_dir", "sealed_overlay", "view_overlay", "readonly_roots"]

_INCLUDE = Path(__file__).with_name("include")
STUB_DIR = _INCLUDE / "c"
OPENCL_BASE = _INCLUDE / "opencl" / "opencl-c-base.h"
VIRTUAL_INCLUDE = "/__xapp__/include"   # where a sealed parse sees xapp's include/ directory
# Host folders every view shows besides the scanned tree (the one place to add the compiler's standard
# include folders for system mode; clang only reads through an overlay).
EXTRA_READONLY_ROOTS: tuple[str, ...] = ()
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


@functools.lru_cache(maxsize=1)
def sealed_overlay() -> str:
    """Path of this process's overlay file: only xapp's include/ directory exists, at VIRTUAL_INCLUDE.

    'redirect-only' makes every path the overlay does not map "not found" without
    touching the real file system; the overlay's own file is the one host file clang reads."""
    overlay = {"version": 0, "case-sensitive": "true", "redirecting-with": "redirect-only",
               "roots": [{"type": "directory-remap", "name": VIRTUAL_INCLUDE, "external-contents": str(_INCLUDE)}]}
    return _overlay_file(overlay)


def _overlay_file(overlay: dict) -> str:
    folder = tempfile.mkdtemp(prefix="xapp-overlay-")
    path = os.path.join(folder, "overlay.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(overlay, f)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return path


@functools.lru_cache(maxsize=1)
def _empty_places() -> tuple[str, str]:
    """An empty file and an empty folder that hidden links show as."""
    folder = tempfile.mkdtemp(prefix="xapp-empty-")
    os.mkdir(os.path.join(folder, "dir"))
    open(os.path.join(folder, "file.h"), "w").close()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return os.path.join(folder, "file.h"), os.path.join(folder, "dir")


def readonly_roots(mode: str, resource_dir: str | None) -> tuple[str, ...]:
    """Host folders a view shows besides its own roots: xapp's include/, the resource directory in
    system mode, EXTRA_READONLY_ROOTS."""
    found = (resource_dir,) if mode == "system" and resource_dir else ()
    return (str(_INCLUDE), *found, *EXTRA_READONLY_ROOTS)


@functools.lru_cache(maxsize=16)
def view_overlay(view: FileView, extra: tuple[str, ...]) -> str:
    """Path of an overlay showing only `view` (and the `extra` folders). Hidden links come first: the
    overlay takes the first root that maps a path, so they win over the folder holding them."""
    empty_file, empty_dir = _empty_places()
    roots = [{"type": "file", "name": f, "external-contents": empty_file} for f in view.hidden_files]
    roots += [{"type": "directory-remap", "name": d, "external-contents": empty_dir} for d in view.hidden_dirs]
    roots += [{"type": "directory-remap", "name": name, "external-contents": real} for name, real in view.roots]
    roots += [{"type": "directory-remap", "name": r, "external-contents": os.path.realpath(r)} for r in extra]
    return _overlay_file({"version": 0, "case-sensitive": "true", "redirecting-with": "redirect-only",
                          "roots": roots})


def _hermetic_args(language: str, sealed: bool = False) -> tuple[str, ...]:
    root = VIRTUAL_INCLUDE if sealed else str(_INCLUDE)
    seal = ("-ivfsoverlay", sealed_overlay()) if sealed else ()
    if language == "opencl":
        return (*seal, "-cl-no-stdinc", "-Xclang", "-fdeclare-opencl-builtins",
                "-include", f"{root}/{OPENCL_BASE.relative_to(_INCLUDE).as_posix()}")
    extra = ("-nostdinc++",) if language == "c++" else ()
    return (*seal, "-nostdinc", *extra, "-isystem", f"{root}/{STUB_DIR.relative_to(_INCLUDE).as_posix()}")


def header_setup(language: str, mode: str, resource_dir: str | None = None, sealed: bool = False,
                 view: FileView | None = None) -> HeaderSetup:
    """The flags of a header mode; `sealed` (untrusted code, hermetic mode only) hides the host's files;
    `view` (a local scan) shows only its folders."""
    setup = _setup(language, mode, resource_dir, sealed)
    if view is None or sealed:
        return setup
    overlay = view_overlay(view, readonly_roots(setup.mode, setup.resource_dir))
    return replace(setup, args=("-ivfsoverlay", overlay, *setup.args))


def _setup(language: str, mode: str, resource_dir: str | None, sealed: bool) -> HeaderSetup:
    if sealed:
        return HeaderSetup("hermetic", None, _hermetic_args(language, sealed=True))
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
