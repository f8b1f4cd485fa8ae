"""Problem sizes followed through a function: integer values of loop bounds and of the scalars they read.

A loop bound is an integer expression over literals, parameters and local scalars. `SizeEnv`
gives each name its value where the program fixes it:

- a size the user gave (`--size n=4000` or `--size kernel:n=4000`) wins over anything else;
- a parameter every call site in the file passes the same value (followed through call chains,
  `main -> run -> kernel`, by xapp.analysis.calls);
- a local with a single definition whose value is known in turn (`int m = n - 1`).

A scalar whose address is taken (`fscanf(fp, "%d", &n)`) or that is assigned from input
(`atoi(argv[1])`, `strtol`, `getenv`, ...) is unknown whatever its initialiser says:
`int n = 0; fscanf(fp, "%d", &n);` is not n = 0. `unknown_origin` says where such a size comes from,
so an unknown size is reported with its reason ("n (from the caller)", "n (read from input)").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..frontend.ir import Function, Node, UnitIR, all_nodes, walk

__all__ = ["INPUT_FUNCTIONS", "SizeEnv", "evaluate", "address_taken", "parse_size", "sizes_for", "bound_refs",
           "unknown_origin", "arg_positions", "call_arguments", "callers_reading_input"]

INPUT_FUNCTIONS = frozenset({
    "scanf", "fscanf", "sscanf", "atoi", "atol", "atoll", "atof", "strtol", "strtoll", "strtoul", "strtoull",
    "strtod", "strtof", "read", "fread", "getenv", "getchar", "fgetc", "getc", "fgets", "getline", "stoi",
    "stol", "stoll", "stoul", "std::stoi", "std::stol", "std::stoll", "std::stoul", "rand", "time",
})
_MAX_DEPTH = 16


def _div(a: int, b: int) -> int | None:
    if b == 0:
        return None
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q     # C truncates toward zero


def _mod(a: int, b: int) -> int | None:
    q = _div(a, b)
    return None if q is None else a - b * q


_BINARY: dict[str, Callable[[int, int], int | None]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": _div, "%": _mod,
    "<<": lambda a, b: a << b if 0 <= b < 64 else None, ">>": lambda a, b: a >> b if 0 <= b < 64 else None,
}
_UNARY: dict[str, Callable[[int], int]] = {"-": lambda a: -a, "+": lambda a: a}


def evaluate(node: Node | None, lookup: Callable[[str], int | None], depth: int = 0) -> int | None:
    """The integer value of `node`, reading names through `lookup`; None when any part is unknown."""
    if node is None or depth > _MAX_DEPTH:
        return None
    if node.value is not None:
        return node.value
    kids = node.children
    if node.kind == "ref":
        return lookup(node.op)
    if node.kind == "binop" and node.op in _BINARY and len(kids) == 2:
        a = evaluate(kids[0], lookup, depth + 1)
        b = evaluate(kids[1], lookup, depth + 1) if a is not None else None
        return None if b is None else _BINARY[node.op](a, b)
    if node.kind == "unop" and node.op in _UNARY and len(kids) == 1:
        a = evaluate(kids[0], lookup, depth + 1)
        return None if a is None else _UNARY[node.op](a)
    if node.kind == "cond" and len(kids) == 3:
        test = evaluate(kids[0], lookup, depth + 1)
        return None if test is None else evaluate(kids[1] if test else kids[2], lookup, depth + 1)
    return None


def address_taken(nodes: list[Node]) -> set[str]:
    """Scalars whose address is taken (`&n`): anything may write them, so no definition fixes them."""
    return {n.children[0].op for n in nodes
            if n.kind == "unop" and n.op == "&" and n.children and n.children[0].kind == "ref"}


def _reads_input(value: Node | None) -> bool:
    return value is not None and any(n.kind == "call" and n.op in INPUT_FUNCTIONS for n in walk(value))


def parse_size(text: str) -> tuple[str, int]:
    """'n=4000' -> ('n', 4000); 'kernel:n=4000' -> ('kernel:n', 4000). ValueError with the rule otherwise."""
    name, sep, value = text.partition("=")
    name = name.strip()
    fn, _, var = name.rpartition(":")
    if not sep or not var.isidentifier() or (fn and not fn.replace("::", "_").isidentifier()):
        raise ValueError(f"bad --size {text!r}: expected NAME=VALUE or FUNCTION:NAME=VALUE")
    try:
        number = int(value.strip(), 0)
    except ValueError:
        raise ValueError(f"bad --size {text!r}: VALUE must be an integer") from None
    if number < 0:
        raise ValueError(f"bad --size {text!r}: VALUE must be 0 or more")
    return name, number


def sizes_for(function: str, sizes: Mapping[str, int]) -> dict[str, int]:
    """The sizes that apply inside `function`: plain names everywhere, `function:name` only there
    (and winning over a plain name)."""
    out = {k: v for k, v in sizes.items() if ":" not in k}
    prefix = function + ":"
    out.update({k[len(prefix):]: v for k, v in sizes.items() if k.startswith(prefix)})
    return out


@dataclass
class SizeEnv:
    """The value of every name a loop bound of one function may read (see the module docstring)."""

    defs: dict[str, Node]                                   # single definitions of the function
    params: dict[str, int] = field(default_factory=dict)    # call-site constants
    user: dict[str, int] = field(default_factory=dict)      # --size values for this function
    tainted: set[str] = field(default_factory=set)          # address taken or read from input
    _memo: dict[str, int | None] = field(default_factory=dict)
    _busy: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, fn: Function, defs: dict[str, Node], params: Mapping[str, int] | None = None,
           user: Mapping[str, int] | None = None) -> "SizeEnv":
        nodes = all_nodes(fn.body)
        tainted = address_taken(nodes) | {name for name, value in defs.items() if _reads_input(value)}
        return cls(defs, dict(params or {}), dict(user or {}), tainted)

    def lookup(self, name: str) -> int | None:
        if name in self.user:
            return self.user[name]
        if name in self.params:
            return self.params[name]
        if name in self.tainted or name not in self.defs or name in self._busy:
            return None
        if name not in self._memo:
            self._busy.add(name)
            self._memo[name] = evaluate(self.defs[name], self.lookup)
            self._busy.discard(name)
        return self._memo[name]

    def value(self, node: Node | None) -> int | None:
        return evaluate(node, self.lookup)

    def get(self, name: str, default=None):
        found = self.lookup(name)
        return default if found is None else found

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None

    def __getitem__(self, name: str) -> int:
        found = self.lookup(name)
        if found is None:
            raise KeyError(name)
        return found

    def bound(self, values: Mapping[str, int]) -> "SizeEnv":
        """A copy with some names fixed (used to evaluate a region at chosen sizes)."""
        return SizeEnv(self.defs, self.params, {**self.user, **values}, self.tainted)


def bound_refs(node: Node | None) -> list[str]:
    """Names a loop-header expression reads, in order."""
    return [] if node is None else list(dict.fromkeys(n.op for n in walk(node) if n.kind == "ref" and n.op))


def arg_positions(call: Node) -> list[tuple[int, Node]]:
    """The argument position of each built child (literal arguments are not built as nodes)."""
    taken = {pos for pos, _ in call.args or ()}
    out, pos = [], 0
    for child in call.children:
        while pos in taken:
            pos += 1
        out.append((pos, child))
        pos += 1
    return out


def _receiver(call: Node) -> bool:
    """A C++ method call (`s.f(n)`, `p->f(n)`): the lowering makes the object its first child (a
    `member` node named like the call) and counts it among the positions of literal arguments."""
    return bool(call.children) and call.children[0].kind == "member" and call.children[0].op == call.op


def call_arguments(call: Node) -> tuple[dict[int, int | None], list[tuple[int, Node]]]:
    """(literal arguments by position, built arguments by position) of a call, a method's object left
    out so that position k is the callee's k-th parameter."""
    if not _receiver(call):
        return dict(call.args or ()), arg_positions(call)
    literals = {pos - 1: value for pos, value in call.args or () if pos > 0}
    built = [(pos - 1, child) for pos, child in arg_positions(call) if child is not call.children[0]]
    return literals, built


def _read_in(caller: Function) -> set[str]:
    """Variables of `caller` whose value comes from input: their address is taken (`fscanf(fp, "%d",
    &n)`) or an assignment or initialiser reads input (`n = atoi(argv[1])`)."""
    nodes = all_nodes(caller.body)
    out = address_taken(nodes)
    for n in nodes:
        if n.kind == "var" and n.children and _reads_input(n.children[-1]):
            out.add(n.op)
        elif n.kind == "assign" and len(n.children) == 2 and n.children[0].kind == "ref" \
                and _reads_input(n.children[1]):
            out.add(n.children[0].op)
    return out


@dataclass
class _CallIndex:
    """A file's calls by callee, read in one walk: asked once per unknown size of every region, the walk
    of every function per question was quadratic (mafft's mltaln9.c, 369 regions: 11 s of a 5 s limit)."""

    unit: UnitIR
    calls: dict[str, list[tuple[Function, list[Node]]]]
    read_in: dict[int, set[str]] = field(default_factory=dict)     # id(caller) -> _read_in(caller)

    def read_by(self, caller: Function) -> set[str]:
        if id(caller) not in self.read_in:
            self.read_in[id(caller)] = _read_in(caller)
        return self.read_in[id(caller)]


_last_index: _CallIndex | None = None      # the last file's: its regions ask one after another


def _call_index(unit: UnitIR) -> _CallIndex:
    global _last_index
    last = _last_index
    if last is not None and last.unit is unit:
        return last
    calls: dict[str, list[tuple[Function, list[Node]]]] = {}
    for caller in unit.functions:
        mine: dict[str, list[Node]] = {}
        for n in all_nodes(caller.body):
            if n.kind == "call":
                mine.setdefault(n.op, []).append(n)
        for callee, nodes in mine.items():
            calls.setdefault(callee, []).append((caller, nodes))
    _last_index = _CallIndex(unit, calls)
    return _last_index


def callers_reading_input(name: str, fn: Function, unit: UnitIR | None) -> list[str]:
    """The functions of the file that pass parameter `name` of `fn` a variable they read from input."""
    pos = next((i for i, p in enumerate(fn.params) if p.op == name), None)
    if unit is None or pos is None:
        return []
    index = _call_index(unit)
    found = []
    for caller, calls in index.calls.get(fn.name, ()):
        read = index.read_by(caller)
        args = [dict(arg_positions(c)).get(pos) for c in calls]
        if any(a is not None and a.kind == "ref" and a.op in read for a in args):
            found.append(caller.name)
    return found


def unknown_origin(name: str, fn: Function, env: SizeEnv, unit: UnitIR | None = None) -> str:
    """Why `name` has no value: 'from the caller' (naming the callers that read it from input), 'read from
    input', 'a global' or 'not known statically'."""
    if name in env.tainted:
        return "read from input"
    if any(p.op == name for p in fn.params):
        readers = callers_reading_input(name, fn, unit)
        return f"from the caller; {', '.join(readers)} reads it from input" if readers else "from the caller"
    if name not in env.defs and not any(n.kind == "var" and n.op == name for n in all_nodes(fn.body)):
        return "a global"
    return "not known statically"
