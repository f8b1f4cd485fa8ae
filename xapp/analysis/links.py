"""What one file tells the other files of a codebase about sizes (the export a scan joins).

A file analysed alone cannot know the sizes its entry functions are called with when the calls sit
in another translation unit (`kernel(1000, a, b)` in main.c, `kernel` in kernel.c). Each file
therefore exports, small enough to keep in the feature cache:

- `calls`: every call to a function the file does not define (library functions known by name are
  left out), with the caller, the line, the integer value of each argument by position where the
  file fixes it (else why not: 'read from input', 'from the caller', 'not known statically'), the
  times it runs per call of its caller, and per program run when the file's `main` reaches it;
- `functions`: each function the file defines: its integer parameters by position ('' for any
  other), whether it is `static` (invisible to other files), whether the file calls it itself, and
  how often it is defined (C++ overloads share a name);
- `reach`: for a file without `main`, the functions each entry (a function the file never calls)
  reaches, with how many times each runs per call of the entry (None when not known), so sizes and
  call counts from other files reach the helpers of an entry.

xapp.scan.codebase joins the exports of all files of a scan.
"""
from __future__ import annotations

from ..frontend.ir import Function, Node, UnitIR, all_nodes, walk
from .callcount import call_site_times, calls_per_run
from .calls import EXITS, HIDDEN_STATE, IO_FUNCTIONS, library_pure
from .sizes import INPUT_FUNCTIONS, SizeEnv, call_arguments

__all__ = ["file_links", "FROM_INPUT", "FROM_CALLER", "NOT_STATIC"]

FROM_INPUT, FROM_CALLER, NOT_STATIC = "read from input", "from the caller", "not known statically"
_KNOWN = IO_FUNCTIONS | HIDDEN_STATE | EXITS | INPUT_FUNCTIONS
_MAX_CALLS = 2000       # exported calls per file: a generated file with more keeps the first ones
_MAX_ENTRIES = 200      # entries whose reach is exported
_MAX_DEPTH = 16


def file_links(unit: UnitIR, context_of, counts: dict[str, float | None]) -> dict:
    """The file's export (see the module docstring); `context_of(fn)` gives a FunctionContext and
    `counts` the runs per program run from the file's main ({} without one)."""
    defined = {fn.name for fn in unit.functions}
    calls_of = {id(fn): [n for n in all_nodes(fn.body) if n.kind == "call"] for fn in unit.functions}
    called_here = {n.op for found in calls_of.values() for n in found if n.op in defined}
    functions: dict[str, dict] = {}
    for fn in unit.functions:
        if fn.name in functions:
            functions[fn.name]["defs"] += 1
            continue
        functions[fn.name] = {"params": [p.op if p.ty == "int" else "" for p in fn.params], "static": fn.static,
                              "line": fn.line, "called_here": fn.name in called_here, "defs": 1}
    calls = _calls([fn for fn in unit.functions if any(_external(n, defined) for n in calls_of[id(fn)])],
                   defined, context_of, counts)
    # an entry calling none of the file's functions reaches only itself: nothing to export
    callers = {fn.name for fn in unit.functions if any(n.op in defined for n in calls_of[id(fn)])}
    entries = [name for name in functions if name not in called_here and name != "main" and name in callers]
    graph = {fn.name: {n.op for n in calls_of[id(fn)] if n.op in defined} for fn in unit.functions}
    reach = {} if "main" in defined else _reach(unit, context_of, entries[:_MAX_ENTRIES], graph)
    # a generated file past _MAX_CALLS says how many calls it kept (their callees' sizes may be missing)
    cut = {"calls_kept": _MAX_CALLS} if len(calls) >= _MAX_CALLS else {}
    return {"calls": calls, "functions": functions, "reach": reach, **cut}


def _external(call: Node, defined: set[str]) -> bool:
    name = call.op
    return bool(name) and name not in defined and name not in _KNOWN and not library_pure(name) \
        and bool(call.children or call.args)


def _calls(functions: list[Function], defined: set[str], context_of, counts) -> list[dict]:
    out: list[dict] = []
    for fn in functions:
        context = context_of(fn)
        env = context.sizes
        per_run = counts.get(fn.name)
        for node, times in sorted(call_site_times(fn, context), key=lambda site: (site[0].line, site[0].column)):
            if not _external(node, defined) or len(out) >= _MAX_CALLS:
                continue
            runs = None if per_run is None or times is None else per_run * times
            out.append({"callee": node.op, "caller": fn.name, "line": node.line or fn.line,
                        "args": _arguments(node, fn, env), "times": times, "per_run": runs})
    return out


def _arguments(call: Node, fn: Function, env: SizeEnv | None) -> list[list]:
    """[position, value or None, why unknown ('' when known)] for each argument."""
    literals, built = call_arguments(call)      # a method's object is not an argument
    out = {pos: [pos, value, "" if value is not None else NOT_STATIC] for pos, value in literals.items()}
    for pos, child in built:
        value = env.value(child) if env is not None else None
        out[pos] = [pos, value, "" if value is not None else _origin(child, fn, env)]
    return [out[p] for p in sorted(out)]


def _origin(node: Node, fn: Function, env: SizeEnv | None) -> str:
    """Why an argument has no value: a name it reads (or one that name is defined from) is read from
    input, or is a parameter of the caller that its own callers fix; else not known statically."""
    if env is None:
        return NOT_STATIC
    params = {p.op for p in fn.params}
    roots = _roots(node, env, set(), 0)
    if any(r in env.tainted for r in roots) or (fn.name == "main" and roots & params):
        return FROM_INPUT           # main's parameters are the command line
    return FROM_CALLER if any(r in params and env.lookup(r) is None for r in roots) else NOT_STATIC


def _roots(node: Node, env: SizeEnv, seen: set[str], depth: int) -> set[str]:
    """Every name an expression reads, through the single definitions of locals."""
    out: set[str] = set()
    for n in walk(node):
        if n.kind != "ref" or not n.op or n.op in seen:
            continue
        seen.add(n.op)
        out.add(n.op)
        if n.op in env.defs and n.op not in env.tainted and depth < _MAX_DEPTH:
            out |= _roots(env.defs[n.op], env, seen, depth + 1)
    return out


def _reach(unit: UnitIR, context_of, entries: list[str], graph: dict[str, set[str]]) -> dict[str, dict]:
    """Entry -> {function it reaches: runs per call of the entry, None when not known} (an entry missing
    from it reaches only itself)."""
    out = {}
    for entry in entries:
        counts = calls_per_run(unit, context_of, root=entry)
        out[entry] = {name: counts.get(name) for name in _reachable(entry, graph)}
    return out


def _reachable(entry: str, graph: dict[str, set[str]]) -> list[str]:
    seen, todo = {entry}, [entry]
    while todo:
        for callee in graph.get(todo.pop(), ()):
            if callee not in seen:
                seen.add(callee)
                todo.append(callee)
    return sorted(seen)
