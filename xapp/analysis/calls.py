"""What a call inside a loop does to the loop's parallelism, and constants that reach parameters.

Calls are judged by name: known pure math functions are harmless; functions with hidden state
(`rand`), I/O and process exits serialise a loop; a function defined in the same file is
summarised once (does it write globals or through its pointer parameters, does it call something
impure); any other function is harmless only when it is given no pointer.

`UnitFacts.param_values` holds, per function defined in the file, the parameters that every call
site in the file passes the same integer value (PolyBench's `kernel(ni, ...)` with
`int ni = NI;` in main): trip counts of loops bounded by such a parameter become known. Values are
followed through call chains (`main -> run -> kernel`, `run(n - 1)`) and through the sizes the user
gave (`UnitFacts.sizes`, `--size`); a variable read from input is never its initialiser
(xapp.analysis.sizes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Container

from ..frontend.ir import Function, Node, UnitIR, all_nodes, walk
from .sizes import SizeEnv, arg_positions, call_arguments, sizes_for

__all__ = ["IO_FUNCTIONS", "HIDDEN_STATE", "PROGRAM_ENDS", "REENTRANT_STATE", "Effect", "UnitFacts", "unit_facts", "call_problem", "pointer_like", "arg_positions"]

IO_FUNCTIONS = frozenset({
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "puts", "fputs", "putchar", "fputc",
    "putc", "scanf", "fscanf", "sscanf", "getchar", "fgetc", "getc", "fgets", "gets", "fopen", "fclose",
    "fread", "fwrite", "fflush", "fseek", "ftell", "rewind", "perror", "write", "read", "open", "close",
    "operator<<", "operator>>", "getline", "remove", "rename",
})
HIDDEN_STATE = frozenset({"rand", "srand", "random", "srandom", "drand48", "erand48", "lrand48", "mrand48",
                          "srand48", "rand_r", "time", "clock", "gettimeofday", "clock_gettime", "strtok",
                          "omp_get_thread_num", "omp_get_wtime"})
EXITS = frozenset({"exit", "abort", "_exit", "longjmp", "quick_exit", "assert", "__assert_fail"})
# Calls that end the process (longjmp does not: it jumps out of the loop and the program goes on).
# In a loop they order nothing: whichever iteration ends it, no statement after it runs.
PROGRAM_ENDS = EXITS - {"longjmp"}
_MATH = {"sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh",
         "atanh", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt", "rsqrt", "pow",
         "fabs", "fmod", "floor", "ceil", "round", "trunc", "rint", "lround", "fmin", "fmax", "fma", "hypot",
         "erf", "erfc", "tgamma", "lgamma", "copysign", "ldexp", "abs", "labs", "llabs", "min", "max",
         "isnan", "isinf", "isfinite", "signbit", "sign", "clamp", "mix", "mad", "dot", "length", "distance",
         "normalize", "cross", "step", "smoothstep", "native_sin", "native_cos", "native_exp", "native_log",
         "native_sqrt", "native_rsqrt", "native_divide", "native_recip", "native_powr", "powr", "pown",
         "rootn", "mad24", "mul24", "sincos", "select", "get_global_id", "get_local_id", "get_group_id",
         "get_local_size", "get_global_size", "get_num_groups", "get_work_dim", "__builtin_expect",
         "malloc", "calloc", "free", "sizeof", "__builtin_fabs", "__builtin_sqrt"}
_SUFFIXED = {m + s for m in _MATH for s in ("f", "l")}
PURE = frozenset(_MATH | _SUFFIXED | {"std::" + m for m in _MATH})
_PREFIXES = ("convert_", "as_", "native_", "half_", "vload")
_WRITES_FIRST = frozenset({"memcpy", "memset", "memmove", "strcpy", "strncpy", "strcat", "sprintf"})
_STORE_OPS = frozenset({"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="})
_STEPS = frozenset({"++", "--", "post++", "post--"})


def pointer_like(ty: str | None) -> bool:
    return ty in ("ptr", "array")


def _base_name(target: Node) -> tuple[str, bool]:
    """(variable, through memory) that an assignment target names."""
    n, memory = target, False
    while n.children and (n.kind == "subscript" or (n.kind == "unop" and n.op == "*") or n.kind == "member"):
        memory = memory or n.kind != "member" or (n.children[0].ty == "ptr")
        n = n.children[0]
        while n.kind == "binop" and n.op in ("+", "-") and n.children:
            n = n.children[0]
    return (n.op if n.kind == "ref" else ""), memory


@dataclass
class Effect:
    impure: str | None = None                      # why a call of it serialises a loop
    writes_params: set[int] = field(default_factory=set)
    # Globals it touches only as g[p] for one unassigned parameter p: global -> position of p.
    # A loop that passes its own variable there touches one element per iteration.
    indexed: dict[str, int] = field(default_factory=dict)


@dataclass
class UnitFacts:
    effects: dict[str, Effect]
    param_values: dict[str, dict[str, int]]
    globals: dict[str, str]
    sizes: dict[str, int] = field(default_factory=dict)     # --size NAME or FUNCTION:NAME -> value


def _targets(nodes: list[Node]):
    for n in nodes:
        if ((n.kind == "binop" and n.op == "=") or n.kind == "assign_op" or
                (n.kind == "unop" and n.op in _STEPS)) and n.children:
            yield n, n.children[0]


def _own_effect(fn: Function, unit: UnitIR) -> tuple[Effect, list[Node]]:
    params = {p.op: i for i, p in enumerate(fn.params)}
    nodes = all_nodes(fn.body)
    local = {n.op for n in nodes if n.kind == "var"}
    effect = Effect()
    assigned = {_base_name(t)[0] for _, t in _targets(nodes)}
    for assign, target in _targets(nodes):
        name, memory = _base_name(target)
        if name in params and memory:
            effect.writes_params.add(params[name])
        elif name and name not in local and name not in params:
            position = _indexed_by_param(name, nodes, params, assigned)
            if position is None:
                effect.impure = effect.impure or f"writes global {name}"
            else:
                effect.indexed[name] = position
    calls = [n for n in nodes if n.kind == "call"]
    return effect, calls


def _indexed_by_param(name: str, nodes: list[Node], params: dict[str, int], assigned: set[str]) -> int | None:
    """Position of parameter p when every use of global `name` is `name[p]` and p is never assigned."""
    refs = {id(n) for n in nodes if n.kind == "ref" and n.op == name}
    uses = [n for n in nodes if n.kind == "subscript" and n.children and id(n.children[0]) in refs]
    if not uses or len(refs) != len(uses):
        return None
    index = {_subscript_name(u) for u in uses}
    p = index.pop()
    return params[p] if not index and p in params and p not in assigned else None


def _subscript_name(sub: Node) -> str:
    """The variable `a[v]` is indexed by, or '' for any other index."""
    if len(sub.children) != 2 or sub.children[1].kind != "ref":
        return ""
    return sub.children[1].op


def unit_facts(unit: UnitIR, defs_of, sizes: dict[str, int] | None = None) -> UnitFacts:
    """Effects of every function defined in the file, and constants passed to their parameters.
    `defs_of(fn)` gives a function's single definitions (shared with the region analysis);
    `sizes` are the user's (`--size`)."""
    own = {fn.name: _own_effect(fn, unit) for fn in unit.callable()}
    effects = {name: e for name, (e, _) in own.items()}
    changed = True
    while changed:                        # propagate impurity through calls (recursion converges)
        changed = False
        for name, (e, calls) in own.items():
            if e.impure:
                continue
            for c in calls:
                callee = effects.get(c.op)
                why = (f"calls {c.op}, which {_effect_problem(callee)}" if callee is not None and _effect_problem(callee)
                       else _library_problem(c.op) if callee is None else None)
                if why:
                    e.impure, changed = why, True
                    break
    _propagate_param_writes(unit, effects, {name: calls for name, (_, calls) in own.items()})
    calls_of = {name: calls for name, (_, calls) in own.items()}
    sizes = dict(sizes or {})
    return UnitFacts(effects, _param_values(unit, defs_of, calls_of, sizes), dict(unit.globals), sizes)


def _param_root(arg: Node, params: dict[str, int]) -> int | None:
    """The position of the pointer parameter an argument passes on: `p`, `p + k`, `&p[k]`."""
    n = arg
    if n.kind == "unop" and n.op == "&" and n.children and n.children[0].kind == "subscript":
        n = n.children[0].children[0] if n.children[0].children else n
    elif n.kind == "binop" and n.op in ("+", "-") and n.children and n.ty == "ptr":
        n = n.children[0]
    if n.kind == "ref" and n.op in params and (n is not arg or n.ty in ("ptr", "array", "") or arg.ty == "ptr"):
        return params[n.op]
    return None


def _propagate_param_writes(unit: UnitIR, effects: dict[str, Effect], calls_of: dict[str, list[Node]]) -> None:
    """A function that passes its pointer parameter to a function writing through it (or to a
    library function not known to be pure) writes through that parameter too."""
    params = {fn.name: {p.op: i for i, p in enumerate(fn.params) if pointer_like(p.ty)} for fn in unit.callable()}
    defined = set(effects)
    changed = True
    while changed:
        changed = False
        for name, calls in calls_of.items():
            mine, e = params.get(name, {}), effects[name]
            for c in calls:
                callee = effects.get(c.op)
                for pos, arg in arg_positions(c):
                    at = _param_root(arg, mine) if mine else None
                    writes = pos in callee.writes_params if callee is not None else not library_pure(c.op, defined)
                    if at is not None and writes and at not in e.writes_params:
                        e.writes_params.add(at)
                        changed = True


def _effect_problem(e: Effect) -> str | None:
    """Why calling a same-file function from another one is impure (an indexed global write counts)."""
    return e.impure or (f"writes global {next(iter(e.indexed))}" if e.indexed else None)


def _library_problem(name: str) -> str | None:
    if name in IO_FUNCTIONS:
        return f"does I/O ({name})"
    if name in HIDDEN_STATE:
        return f"calls {name}, which has hidden state"
    if name in EXITS:
        return f"may exit ({name})"
    return None


def _arg_values(call: Node, env: SizeEnv) -> dict[int, int | None]:
    literals, built = call_arguments(call)      # a method's object is not an argument
    out: dict[int, int | None] = dict(literals)
    for pos, child in built:
        out[pos] = env.value(child)
    return out


_CHAIN_ROUNDS = 16     # call chains deeper than this keep their sizes unknown


def _param_values(unit: UnitIR, defs_of, own_calls: dict[str, list[Node]],
                  sizes: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per function, the parameters every call site passes one value; repeated until the values
    settle, so a constant in main reaches a kernel through the functions between them."""
    defined = {fn.name: fn for fn in unit.functions}
    defs = {fn.name: defs_of(fn) for fn in unit.functions if any(c.op in defined for c in own_calls[fn.name])}
    out: dict[str, dict[str, int]] = {}
    for _ in range(_CHAIN_ROUNDS):
        found = _one_round(unit, defined, defs, own_calls, sizes, out)
        if found == out:
            break
        out = found
    return out


def _one_round(unit, defined, defs, own_calls, sizes, known) -> dict[str, dict[str, int]]:
    seen: dict[tuple[str, int], set] = {}
    for fn in unit.functions:
        calls = [n for n in own_calls[fn.name] if n.op in defined]
        if not calls:
            continue
        env = SizeEnv.of(fn, defs[fn.name], known.get(fn.name, {}), sizes_for(fn.name, sizes))
        for c in calls:
            for pos, value in _arg_values(c, env).items():
                seen.setdefault((c.op, pos), set()).add(value)
    out: dict[str, dict[str, int]] = {}
    for (name, pos), values in seen.items():
        params = defined[name].params
        if len(values) == 1 and None not in values and pos < len(params):
            out.setdefault(name, {})[params[pos].op] = next(iter(values))
    return out


def _arg_pointer(arg: Node, types: dict[str, str]) -> str | None:
    """The variable a pointer argument names, or None when the argument is a plain value."""
    if arg.kind == "unop" and arg.op == "&":
        return next((n.op for n in walk(arg) if n.kind == "ref"), "?")
    if arg.kind == "ref":
        return arg.op if pointer_like(types.get(arg.op)) else None
    if arg.ty in ("ptr", "array"):
        return next((n.op for n in walk(arg) if n.kind == "ref"), "?")
    return None


def _address_of(arg: Node) -> str | None:
    """`name` for an argument that is exactly `&name` or `&name.field` (a member of the object
    itself, not through a pointer), else None."""
    if arg.kind != "unop" or arg.op != "&" or len(arg.children) != 1:
        return None
    target = arg.children[0]
    while target.kind == "member" and len(target.children) == 1 and target.children[0].ty == "struct":
        target = target.children[0]
    return target.op if target.kind == "ref" else None


def _own_pointer(arg: Node, types: dict[str, str], private: set[str], own: frozenset[str]) -> str | None:
    """The variable a pointer argument names; None for a plain value or for `&s` with s one of the
    iteration's own scalars (`own`): what the callee writes there no other iteration sees."""
    return None if _address_of(arg) in own else _arg_pointer(arg, types)


def library_pure(name: str, defined: Container[str] = ()) -> bool:
    """A library function known to have no side effects, unless the file defines a function of that
    name: a program's own `step(n, u, v)` is not OpenCL's `step`, and its body decides."""
    return name not in defined and (name in PURE or name.startswith(_PREFIXES) and not name.startswith("vstore"))


def call_problem(call: Node, facts: UnitFacts, types: dict[str, str], private: set[str],
                 own: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(kind, reason) if the call serialises the loop it sits in; kind is 'I/O' or 'call'.
    `private`: arrays of the iteration; `own`: scalars of the iteration whose address may be passed.
    A function the file defines is judged by its body before any library list of names."""
    name = call.op
    line = f" at line {call.line}" if call.line else ""
    pointers = [(i, _own_pointer(a, types, private, own)) for i, a in arg_positions(call)]
    effect = facts.effects.get(name)
    if effect is not None:
        return _defined_call_problem(name, line, effect, pointers, private)
    if name in REENTRANT_STATE and _reentrant_on_own_state(call, private, own):
        return None
    known = _library_verdict(name, line)
    if known is not None:
        return known or None
    state = _object_state(call, types, private, own)
    if state is not None:
        return "call", (f"call dependence: {name}(){line} is given {state}, an object declared outside the "
                        f"loop, which it may change (a generator's state, a reference)")
    shared = [p for _, p in pointers if p and p not in private]
    if name in _WRITES_FIRST and pointers and pointers[0][1] in private:
        return None
    if shared:
        return "call", f"call dependence: unknown function {name}(){line} is given pointer {shared[0]}"
    return None


def _object_state(call: Node, types: dict[str, str], private: set[str], own: frozenset[str]) -> str | None:
    """The object a C++ functor call may change: an object argument declared outside the loop
    (`unif(gen)`: a distribution draws from the engine `gen`, which it advances), or with no arguments
    the called object itself (`gen()`); None where there is none. A call with only numbers or
    pointers (a lambda's `f(i, j)`) is left to the other rules."""
    if call.op != "operator()" or not call.children:
        return None
    callee, *args = call.children
    outside = [a.op for a in (args or [callee])
               if a.kind == "ref" and types.get(a.op) == "struct" and a.op not in own and a.op not in private]
    return outside[0] if outside else None


# Generators whose whole state is the caller's argument (POSIX rand_r, the *rand48 family with xsubi):
# given state private to the iteration they carry nothing from one iteration to the next.
REENTRANT_STATE = frozenset({"rand_r", "erand48", "nrand48", "jrand48"})


def _reentrant_on_own_state(call: Node, private: set[str], own: frozenset[str]) -> bool:
    """Every argument is `&s` for an own scalar s or names a private array of the iteration."""
    args = [a for _, a in arg_positions(call)]
    return bool(args) and not call.args and all(
        _address_of(a) in own or (a.kind == "ref" and a.op in private) for a in args)


def _library_verdict(name: str, line: str) -> tuple[str, str] | tuple | None:
    """A problem for a known library function, () for a known harmless one, None when unknown."""
    if name in IO_FUNCTIONS:
        return "I/O", f"I/O dependence: {name}{line} (output order)"
    if name in HIDDEN_STATE:
        return "call", f"call dependence: {name}(){line} has hidden state"
    if name in EXITS:
        return "control", f"control dependence: {name}(){line} may leave the loop"
    if library_pure(name):
        return ()
    return None


def _defined_call_problem(name: str, line: str, effect: Effect, pointers, private: set[str]) -> tuple[str, str] | None:
    if effect.impure:
        return "call", f"call dependence: {name}(){line} {effect.impure}"
    if effect.indexed:
        g, pos = next(iter(effect.indexed.items()))
        return "call", f"call dependence: {name}(){line} writes global {g} at its argument {pos + 1}"
    written = [p for i, p in pointers if p and i in effect.writes_params and p not in private]
    if written:
        return "call", f"call dependence: {name}(){line} writes through its argument {written[0]}"
    return None
