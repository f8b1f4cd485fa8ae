"""A small multi-directory C tree written by the tests, with a compile_commands.json and bad files.

    .gitignore                 generated/ and *.gen.c
    build/compile_commands.json
    include/params.h           #define M 64 (found through a relative -I)
    src/dense/matmul.c         N x N x N multiply; N comes from -DN=1024 in the database
    src/dense/saxpy.c          a map over N
    src/dense/table.gen.c      .gitignored
    src/stencil/heat.c         a 2-D stencil
    src/serial/prefix.c        a prefix sum: a loop-carried dependence, not a GPU candidate
    src/io/missing.c           includes a header that exists nowhere (parsed against an empty stub)
    src/bad/nesting.c          bracket nesting that libclang refuses: parse_error
    src/bad/crash.c            a single 50,000-term expression: libclang 18 segfaults on it
    src/bad/blob.c             binary bytes named .c
    src/bad/big.c              over the --max-bytes the tests pass (too_large)
    kernels/vadd.cl            an OpenCL kernel (not in the database)
    vendor/lib.c               excluded with --exclude vendor
    generated/gen.c            in a .gitignored folder
The database also names src/gone.c, which does not exist (unreadable).
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path

from xapp.models.bundle import default_bundle_path

MAX_BYTES = 150_000
CRASH_TERMS = 50_000

SOURCES = {
    "include/params.h": "#define M 64\n",
    "src/dense/matmul.c": """#include "params.h"
void matmul(const float *a, const float *b, float *c) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            float s = 0.0f;
            for (int k = 0; k < N; k++)
                s += a[i * N + k] * b[k * N + j];
            c[i * N + j] = s;
        }
}
""",
    "src/dense/saxpy.c": """void saxpy(float alpha, const float *x, float *y) {
    for (int i = 0; i < N; i++)
        y[i] = alpha * x[i] + y[i];
}
""",
    "src/dense/table.gen.c": "void gen(float *a) { for (int i = 0; i < 8; i++) a[i] = i; }\n",
    "src/stencil/heat.c": """#include "params.h"
void heat(const double *in, double *out) {
    for (int i = 1; i < N - 1; i++)
        for (int j = 1; j < N - 1; j++)
            out[i * N + j] = 0.25 * (in[(i - 1) * N + j] + in[(i + 1) * N + j]
                                     + in[i * N + j - 1] + in[i * N + j + 1]);
}
""",
    "src/serial/prefix.c": """void prefix(int *a, int n) {
    for (int i = 1; i < n; i++)
        a[i] = a[i] + a[i - 1];
}
""",
    "src/io/missing.c": """#include "nowhere.h"
void scale(float *v, int n) {
    for (int i = 0; i < n; i++)
        v[i] = v[i] * FACTOR;
}
""",
    "src/bad/nesting.c": "int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }\n",
    "src/bad/crash.c": "int f(int a) { return " + "+".join(["a"] * CRASH_TERMS) + "; }\n",
    "src/bad/big.c": "/* padding */\n" * (MAX_BYTES // 14 + 100) + "int big;\n",
    "kernels/vadd.cl": """__kernel void vadd(__global const float *a, __global const float *b, __global float *c) {
    int i = get_global_id(0);
    c[i] = a[i] + b[i];
}
""",
    "vendor/lib.c": "void vendor(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 0; }\n",
    "generated/gen.c": "void generated(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 1; }\n",
    ".gitignore": "# test tree\ngenerated/\n*.gen.c\n",
}
BINARY = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00"

# Files of the database, and those a walk of the tree finds (with --exclude vendor).
DB_FILES = ["src/dense/matmul.c", "src/dense/saxpy.c", "src/stencil/heat.c", "src/serial/prefix.c",
            "src/io/missing.c", "src/bad/nesting.c", "src/bad/crash.c", "src/bad/blob.c", "src/bad/big.c",
            "src/gone.c", "vendor/lib.c"]
WALKED = sorted(["include/params.h", "kernels/vadd.cl", "src/bad/big.c", "src/bad/blob.c", "src/bad/crash.c",
                 "src/bad/nesting.c", "src/dense/matmul.c", "src/dense/saxpy.c", "src/io/missing.c",
                 "src/serial/prefix.c", "src/stencil/heat.c"])
EXPECTED_STATUS = {"src/bad/nesting.c": "parse_error", "src/bad/crash.c": "crashed", "src/bad/blob.c": "binary",
                   "src/bad/big.c": "too_large", "src/gone.c": "unreadable"}


@dataclass
class Tree:
    root: Path
    build: Path

    def __truediv__(self, rel: str) -> Path:
        return self.root / rel


def write_tree(root: Path) -> Tree:
    for rel, text in SOURCES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "src/bad/blob.c").write_bytes(BINARY)
    build = root / "build"
    build.mkdir()
    entries = []
    for n, rel in enumerate(DB_FILES):
        argv = ["/usr/bin/cc", "-I../include", "-DN=1024", "-O2", "-Wall", "-fPIC", "-MD", "-MF", f"o{n}.d",
                "-o", f"o{n}.o", "-c", f"../{rel}"]
        entry = {"directory": str(build), "file": f"../{rel}"}
        if n % 2:
            entry["command"] = shlex.join(argv)      # both forms of an entry occur in real databases
        else:
            entry["arguments"] = argv
        entries.append(entry)
    (build / "compile_commands.json").write_text(json.dumps(entries, indent=1))
    return Tree(root, build)


@functools.lru_cache(maxsize=None)
def model_dir() -> str | None:
    """None: the shipped model (Predictor()). Before one is shipped, a bundle trained here on the
    synthetic fixture corpus, so that the tests still exercise a real XGBoost model."""
    if (default_bundle_path() / "card.json").is_file():
        return None
    from xapp.models import train_bundle

    out = Path(tempfile.mkdtemp(prefix="xapp-scan-model-")) / "bundle"
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "corpus.csv"
    train_bundle(fixtures, out_dir=out, cross_validate=False, n_jobs=1)
    return str(out)


def model_args() -> list[str]:
    d = model_dir()
    return ["--model", d] if d else []


@contextlib.contextmanager
def inside(directory: Path):
    """Run with `directory` as the current directory (reports name files relative to it)."""
    old = Path.cwd()
    os.chdir(directory)
    try:
        yield directory
    finally:
        os.chdir(old)


def predictor():
    from xapp.predict import Predictor

    return Predictor.from_path(model_dir())
