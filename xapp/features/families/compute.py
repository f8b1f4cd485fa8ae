"""Compute features: arithmetic, its precision, and calls to math functions."""
from __future__ import annotations

from ...analysis.nest import RegionAnalysis
from ...frontend.ir import FLOAT_TYPES
from ...analysis.mathfuncs import EXPLOG, MATH_FUNCTIONS, SQRT, TRIG

FEATURES = {
    "flops": "floating-point + - * / in the region's code (vector operations count each lane)",
    "int_ops": "integer arithmetic, shifts and bitwise operations",
    "fp64_frac": "share of the floating-point operations done in double precision",
    "div_ops": "divisions and remainders, floating-point or integer",
    "mul_ops": "multiplications, floating-point or integer",
    "math_calls": "calls to math functions (sqrt, exp, log, pow, sin, cos, ...)",
    "trig_calls": "calls to sin, cos, tan and their relatives",
    "exp_log_calls": "calls to exp, log, pow and their relatives",
    "sqrt_calls": "calls to sqrt, rsqrt, cbrt and hypot",
    "arith_intensity": "flops per byte accessed (flops when no memory is touched)",
    "vector_ops": "operations on OpenCL vector types (float4, ...)",
}

_ARITH = frozenset({"+", "-", "*", "/", "%"})
_ARITH_ASSIGN = frozenset({"+=", "-=", "*=", "/=", "%="})
_INT_EXTRA = frozenset({"<<", ">>", "&", "|", "^", "<<=", ">>=", "&=", "|=", "^="})


def compute(a: RegionAnalysis) -> dict[str, float]:
    flops = fp64 = ints = divs = muls = vec = 0
    math = trig = explog = sqrt = 0
    for n in a.nodes:
        k = n.kind
        if k == "binop" or k == "assign_op":
            op = n.op
            if op in _ARITH or op in _ARITH_ASSIGN:
                base = op[0]
                if n.ty in FLOAT_TYPES:
                    flops += n.lanes
                    if n.ty == "f64":
                        fp64 += n.lanes
                elif n.ty == "int":
                    ints += n.lanes
                divs += base in "/%"
                muls += base == "*"
                vec += n.lanes > 1
            elif op in _INT_EXTRA:
                ints += n.lanes
                vec += n.lanes > 1
        elif k == "unop" and n.op in ("++", "--", "post++", "post--", "-", "~"):
            if n.ty == "int":
                ints += 1
            elif n.ty in FLOAT_TYPES and n.op != "-":
                flops += n.lanes
        elif k == "call":
            name = n.op
            if name in MATH_FUNCTIONS:
                math += 1
                trig += name in TRIG
                explog += name in EXPLOG
                sqrt += name in SQRT
    nbytes = sum(acc.size * (int(acc.load) + int(acc.store)) for acc in a.accesses)
    return {
        "flops": float(flops),
        "int_ops": float(ints),
        "fp64_frac": fp64 / flops if flops else 0.0,
        "div_ops": float(divs),
        "mul_ops": float(muls),
        "math_calls": float(math),
        "trig_calls": float(trig),
        "exp_log_calls": float(explog),
        "sqrt_calls": float(sqrt),
        "arith_intensity": flops / nbytes if nbytes else float(flops),
        "vector_ops": float(vec),
    }
