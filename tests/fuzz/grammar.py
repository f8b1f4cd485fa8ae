"""A grammar of C fragments for hypothesis: loop nests and kernels, mixed with the preprocessor tricks a
hostile client would try (host includes, trigraphs, token pasting, _Pragma, __has_include, macro bombs).

Depth is bounded, so no fragment is deep enough to overflow libclang's stack: the fuzz tests look for
wrong answers and leaks, not for the one known crash (which the limit tests cover)."""
from __future__ import annotations

from hypothesis import strategies as st

HOST_PATHS = ("/etc/passwd", "/etc/shadow", "/proc/self/environ", "../../../../etc/passwd", "/root/.bashrc",
              "~/.ssh/id_rsa", "/etc/hostname", "C:\\\\Windows\\\\win.ini")

names = st.sampled_from(["i", "j", "k", "n", "m", "a", "b", "c", "x", "y", "tmp", "acc"])
arrays = st.sampled_from(["a", "b", "c", "out", "in"])
numbers = st.integers(min_value=0, max_value=4096).map(str) | st.sampled_from(["1.5f", "0.25", "2.0", "1e3f"])
host_path = st.sampled_from(HOST_PATHS)


def _expressions(depth: int) -> st.SearchStrategy[str]:
    leaf = names | numbers | st.builds(lambda a, i: f"{a}[{i}]", arrays, names)
    if depth == 0:
        return leaf
    sub = _expressions(depth - 1)
    return leaf | st.builds(lambda l, op, r: f"({l} {op} {r})", sub, st.sampled_from("+-*/%<>&|^"), sub) \
        | st.builds(lambda f, e: f"{f}({e})", st.sampled_from(["sqrtf", "exp", "sin", "abs", "helper"]), sub)


expressions = _expressions(3)


def _statements(depth: int) -> st.SearchStrategy[str]:
    assign = st.builds(lambda a, i, e: f"{a}[{i}] = {e};", arrays, names, expressions)
    local = st.builds(lambda v, e: f"float {v}_l = {e};", names, expressions)
    if depth == 0:
        return assign | local
    body = st.lists(_statements(depth - 1), min_size=1, max_size=3).map(" ".join)
    loop = st.builds(lambda v, lo, hi, b: f"for (int {v} = {lo}; {v} < {hi}; {v}++) {{ {b} }}",
                     names, st.sampled_from(["0", "1"]), names | numbers, body)
    branch = st.builds(lambda c, b: f"if ({c}) {{ {b} }}", expressions, body)
    return assign | local | loop | branch


statements = _statements(3)

functions = st.builds(
    lambda name, body: f"void {name}(float *a, float *b, float *c, float *out, float *in, int n, int m) {{\n"
                       f"  int i, j, k; float x, y, tmp, acc;\n  {body}\n}}\n",
    st.sampled_from(["f", "kernel_like", "loop_nest", "_x"]),
    st.lists(statements, min_size=1, max_size=4).map("\n  ".join))

hostile_lines = st.one_of(
    host_path.map(lambda p: f'#include "{p}"'),
    host_path.map(lambda p: f"#include <{p}>"),
    host_path.map(lambda p: f'??=include "{p}"'),
    host_path.map(lambda p: f'%:include "{p}"'),
    host_path.map(lambda p: f'#define CAT(a,b) a##b\n#if CAT(__has_,include)("{p}")\nint seen;\n#endif'),
    host_path.map(lambda p: f'#if __has_include("{p}")\nint seen;\n#endif'),
    host_path.map(lambda p: f'#define P(x) _Pragma(#x)\nP(GCC dependency "{p}")'),
    host_path.map(lambda p: f'#pragma GCC dependency "{p}"'),
    host_path.map(lambda p: f'#line 1 "{p}"'),
    host_path.map(lambda p: f'#error "{p}"'),
    st.just("#include <linux/version.h>\n#if LINUX_VERSION_CODE > 0\nint host;\n#endif"),
    st.just("#define A0 0,\n#define A1 A0 A0\n#define A2 A1 A1\n#define A3 A2 A2\nint bomb[] = { A3 1 };"),
    st.just("#include <stdio.h>\n#include <math.h>"),
    st.just("#define N 1024"),
)

fragments = st.builds(lambda head, fns: "\n".join(head) + "\n" + "\n".join(fns),
                      st.lists(hostile_lines, max_size=4), st.lists(functions, min_size=1, max_size=2))
