"""Program families for the generator: each variant is one loop nest written twice, as serial C and as
the body of a CUDA kernel with one thread per outer iteration.

A family is a function from a random generator and a variant number to a `Variant`: the region's
arrays, its serial statement text and its kernel text. The skeletons in `templates` wrap them into
whole programs. Sizes, arithmetic intensity (repeated multiply-adds), data type and stride vary.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Array", "Variant", "FAMILIES"]


@dataclass(frozen=True)
class Array:
    name: str
    length: str                  # C expression in N (and M)
    role: str                    # "in", "out" or "inout"
    kind: str = "real"           # "real" or "index"


@dataclass(frozen=True)
class Variant:
    family: str
    key: str                     # distinct per variant of a family: the source text differs
    dtype: str                   # "float" or "double"
    arrays: tuple[Array, ...]
    serial: str                  # the region's body (loops over N, steps T), inside a function
    kernel: str                  # the kernel body for thread index `i` (guarded against i >= threads)
    threads: str                 # C expression: threads per launch
    sizes: dict[str, int]        # N and, where used, T: the -D values
    steps: str = "1"             # launches (stencil time steps)
    swap: tuple[str, str] | None = None   # arrays swapped after each step
    rtol: float = 1e-9
    extra_params: tuple[str, ...] = field(default_factory=tuple)


def _chain(var: str, k: int, dtype: str) -> str:
    """k dependent multiply-adds on ``var``: arithmetic intensity the compiler cannot fold away."""
    suffix = "f" if dtype == "float" else ""
    return "".join(f" {var} = {var} * (real)0.999{k % 7}{suffix} + (real)0.00{(k + j) % 9 + 1}{suffix};"
                   for j in range(k))


def _rtol(dtype: str) -> float:
    return 1e-4 if dtype == "float" else 1e-9


def _n(rng: random.Random, low: int, high: int) -> int:
    return 1 << rng.randint(low, high)


def map_family(rng: random.Random, dtype: str) -> Variant:
    k, stride, n = rng.randint(0, 24), rng.choice((1, 1, 2, 3, 8, 17)), _n(rng, 12, 24)
    body = f"real x = a[((long)i * {stride}) % N];{_chain('x', k, dtype)} b[i] = x;"
    return Variant("map", f"k{k}_s{stride}", dtype, (Array("a", "N", "in"), Array("b", "N", "out")),
                   f"for (long i = 0; i < N; i++) {{ {body} }}", body, "N", {"N": n}, rtol=_rtol(dtype))


def stencil_family(rng: random.Random, dtype: str) -> Variant:
    radius, k, dims = rng.randint(1, 3), rng.randint(0, 6), rng.choice((1, 2))
    steps = rng.choice((1, 2, 5, 10, 20, 50))
    if dims == 1:
        n = _n(rng, 10, 22)
        taps = " + ".join(f"(real)0.{radius + d + 3}{abs(d)} * a[i + ({d})]" for d in range(-radius, radius + 1))
        point = f"if (i >= {radius} && i < N - {radius}) {{ real x = {taps};{_chain('x', k, dtype)} b[i] = x; }} " \
                f"else {{ b[i] = a[i]; }}"
        serial = f"for (int t = 0; t < T; t++) {{ for (long i = 0; i < N; i++) {{ {point} }} " \
                 f"real *tmp = a; a = b; b = tmp; }}"
        length, threads = "N", "N"
    else:
        n = _n(rng, 5, 11)
        taps = " + ".join([f"(real)0.{radius + d + 3} * a[(r + ({d})) * N + c]" for d in range(-radius, radius + 1)]
                          + [f"(real)0.{radius + d + 2} * a[r * N + c + ({d})]" for d in range(-radius, radius + 1)
                             if d])
        point = (f"long r = i / N, c = i % N; if (r >= {radius} && r < N - {radius} && c >= {radius} && "
                 f"c < N - {radius}) {{ real x = ({taps}) * (real)0.1;{_chain('x', k, dtype)} b[i] = x; }} "
                 f"else {{ b[i] = a[i]; }}")
        serial = f"for (int t = 0; t < T; t++) {{ for (long i = 0; i < (long)N * N; i++) {{ {point} }} " \
                 f"real *tmp = a; a = b; b = tmp; }}"
        length, threads = "(long)N * N", "(long)N * N"
    return Variant("stencil", f"d{dims}_r{radius}_k{k}", dtype, (Array("a", length, "inout"),
                                                                  Array("b", length, "inout")),
                   serial, point, threads, {"N": n, "T": steps}, steps="T", swap=("a", "b"), rtol=_rtol(dtype))


def reduction_family(rng: random.Random, dtype: str) -> Variant:
    k, stride, n = rng.randint(0, 16), rng.choice((1, 1, 2, 5, 16)), _n(rng, 12, 24)
    chunk = rng.choice((64, 256, 1024))
    term = f"real x = a[((long)j * {stride}) % N];{_chain('x', k, dtype)}"
    serial = f"double s = 0; for (long j = 0; j < N; j++) {{ {term} s += x; }} out[0] = s;"
    kernel = (f"double s = 0; for (long j = i * {chunk}; j < (i + 1) * {chunk} && j < N; j++) {{ {term} s += x; }} "
              f"ATOMIC_ADD(&out[0], s);")
    return Variant("reduction", f"k{k}_s{stride}_c{chunk}", dtype,
                   (Array("a", "N", "in"), Array("out", "1", "out", kind="sum")), serial, kernel,
                   f"((N + {chunk - 1}) / {chunk})", {"N": n}, rtol=1e-4 if dtype == "float" else 1e-9)


def matmul_family(rng: random.Random, dtype: str) -> Variant:
    n, transposed, unroll = _n(rng, 5, 10), rng.choice((False, True)), rng.choice((1, 2, 4))
    b_at = "b[j * N + k]" if transposed else "b[k * N + j]"
    inner = f"real s = 0; for (long k = 0; k < N; k++) {{ s += a[i0 * N + k] * {b_at}; }}"
    scale = " s = s * (real)0.5 + (real)0.25;" * (unroll - 1)
    point = f"long i0 = i / N, j = i % N; {inner}{scale} c[i] = s;"
    serial = f"for (long i = 0; i < (long)N * N; i++) {{ {point} }}"
    return Variant("matmul", f"t{int(transposed)}_u{unroll}", dtype,
                   (Array("a", "(long)N * N", "in"), Array("b", "(long)N * N", "in"), Array("c", "(long)N * N", "out")),
                   serial, point, "(long)N * N", {"N": n}, rtol=_rtol(dtype) * 10)


def gather_family(rng: random.Random, dtype: str) -> Variant:
    hops, k, n = rng.randint(1, 3), rng.randint(0, 8), _n(rng, 12, 23)
    index = "i"
    for _ in range(hops):
        index = f"idx[{index}]"
    body = f"real x = a[{index}];{_chain('x', k, dtype)} b[i] = x + a[i];"
    return Variant("gather", f"h{hops}_k{k}", dtype,
                   (Array("a", "N", "in"), Array("idx", "N", "in", kind="index"), Array("b", "N", "out")),
                   f"for (long i = 0; i < N; i++) {{ {body} }}", body, "N", {"N": n}, rtol=_rtol(dtype))


def branchy_family(rng: random.Random, dtype: str) -> Variant:
    branches, k, n = rng.randint(1, 4), rng.randint(0, 10), _n(rng, 12, 24)
    cut = [round(0.9 * (b + 1) / (branches + 1), 2) for b in range(branches)]
    arms = [f"if (x < (real){c}) {{ x = x * (real)1.{b + 1};{_chain('x', k * (b % 2), dtype)} }}"
            for b, c in enumerate(cut)]
    body = f"real x = a[i]; {' else '.join(arms)} else {{ x = x - (real)0.5; }} b[i] = x;"
    return Variant("branchy", f"b{branches}_k{k}", dtype, (Array("a", "N", "in"), Array("b", "N", "out")),
                   f"for (long i = 0; i < N; i++) {{ {body} }}", body, "N", {"N": n}, rtol=_rtol(dtype))


FAMILIES: dict[str, Callable[[random.Random, str], Variant]] = {
    "map": map_family, "stencil": stencil_family, "reduction": reduction_family, "matmul": matmul_family,
    "gather": gather_family, "branchy": branchy_family,
}
