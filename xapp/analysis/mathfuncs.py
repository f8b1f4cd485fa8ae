"""Math library functions by kind, in their C, OpenCL (native_, half_) and C++ (std::) spellings: the
workload counts them and the compute feature family reports them."""
from __future__ import annotations

_TRIG = ("sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
         "sincos", "sinpi", "cospi", "tanpi")
_EXPLOG = ("exp", "exp2", "exp10", "expm1", "log", "log2", "log10", "log1p", "pow", "pown", "powr", "rootn")
_SQRT = ("sqrt", "rsqrt", "cbrt", "hypot")
_OTHER = ("fabs", "fmin", "fmax", "floor", "ceil", "round", "trunc", "fmod", "fma", "mad", "erf", "erfc",
          "tgamma", "lgamma", "ldexp", "frexp", "modf", "copysign", "remainder", "clamp", "mix", "step",
          "smoothstep", "sign", "dot", "cross", "length", "distance", "normalize", "fast_length",
          "fast_normalize", "fast_distance", "degrees", "radians", "mad24", "mul24", "abs", "fdim", "logb",
          "ilogb", "nextafter", "rint", "nearbyint", "lrint", "lround", "exp_", "native_recip", "half_recip",
          "native_divide", "half_divide")


def _family(names: tuple[str, ...]) -> frozenset[str]:
    out = set()
    for n in names:
        out.update({n, n + "f", n + "l", "native_" + n, "half_" + n, "std::" + n})
    return frozenset(out)


TRIG, EXPLOG, SQRT = _family(_TRIG), _family(_EXPLOG), _family(_SQRT)
MATH_FUNCTIONS = TRIG | EXPLOG | SQRT | _family(_OTHER)
