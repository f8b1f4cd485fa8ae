"""OpenMP race checks on xapp's own loop verdicts and accesses.

An OpenMP loop directive (`for`, `simd`, `distribute`, `loop`, and their combined forms) runs the
iterations of its loop -- and of the loops `collapse(n)` binds to it -- at the same time. It races
when an iteration writes what another iteration reads or writes, and nothing in the directive or
the body orders them. The checks, each on the facts the dependence analysis already holds:

- data sharing: a scalar written in the loop that the directive shares (only the associated loops'
  variables are private by default in C: an inner loop's `j` declared at the top of the function is
  shared), a `static` local, a global or a shared variable written by a function called in the loop;
- carried dependences the analysis proves on arrays, and reductions without a matching clause;
- clauses and constructs honoured: private, firstprivate, lastprivate, reduction (array sections
  too), linear, collapse, safelen, threadprivate, and statements under `atomic`, `critical` or
  `ordered`.

What the analysis does not judge -- tasks and their dependences, locks, barriers, `nowait`,
`master`/`single`, `sections`, `flush`, device data mappings, doacross `ordered depend` -- is listed
per region (`unchecked`), never passed silently. What is only "could not prove" is not a finding:
a finding names a proven dependence or a shared write.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .verdict import LevelVerdict
from .nest import Loop, RegionAnalysis
from .scopes import declared_within
from .pragmas import BUILTIN_REDUCTIONS, REDUCTION_FAMILY, Pragma, find_directives
from .omp_alias import alias_issues, call_sites
from .calls import arg_positions
from ..frontend.ir import Function, Node, UnitIR, all_nodes, walk
from .affine import reads_memory
from .polyforms import level_step, loop_bounds, poly
from .nest import _step
from .polyhedral import Polyhedral

__all__ = ["OmpFile", "omp_file", "loop_issues", "race_findings", "unchecked", "unchecked_outside", "RACE_RULE",
           "SHARED_RULE"]

RACE_RULE = "xapp/omp-race"                   # a dependence or shared write the directive does not cover
SHARED_RULE = "xapp/omp-shared-private"       # a per-iteration temporary left shared
_PROVEN = frozenset({"flow", "anti", "output", "carried"})   # carried: ISL's (isl_verdicts.py)
_PARALLEL_WORDS = frozenset({"for", "distribute", "loop", "simd"})
_THREADED_WORDS = frozenset({"for", "distribute", "loop", "parallel", "teams"})
_GUARD_WORDS = frozenset({"atomic", "critical", "ordered", "master", "masked", "single"})
# directive words and clauses whose effect on races is not judged: reported, never passed silently
_UNCHECKED_WORDS = {"task": "task", "taskloop": "taskloop", "taskwait": "taskwait", "taskgroup": "taskgroup",
                    "taskyield": "taskyield", "barrier": "barrier", "master": "master", "masked": "masked",
                    "single": "single", "flush": "flush", "sections": "sections", "section": "sections",
                    "cancel": "cancel", "workshare": "workshare", "scope": "scope"}
_UNCHECKED_CLAUSES = {"nowait": "nowait", "depend": "depend", "map": "device data mapping"}
_DATA_WORDS = frozenset({"data", "enter", "exit", "update"})
_LOCKS = re.compile(r"\bomp_(set|unset|test)_(nest_)?lock\b")
_SET_LOCK = re.compile(r"\bomp_set_(nest_)?lock\b")
_UNSET_LOCK = re.compile(r"\bomp_unset_(nest_)?lock\b")


@dataclass
class FunctionWrites:
    """What a same-file function writes that every thread shares: globals and its static locals."""
    shared: set[str] = field(default_factory=set)
    through: set[int] = field(default_factory=set)      # parameter positions it writes through


@dataclass
class OmpFile:
    """The directives of one file and what the checks read from the whole file."""
    loops: dict[int, Pragma]                 # statement line -> loop directive
    directives: list[Pragma]
    threadprivate: set[str]
    guarded: list[tuple[int, int]]           # line ranges one thread at a time runs (atomic, critical, ...)
    writes: dict[str, FunctionWrites]
    statics: dict[str, set[str]]             # function -> its static locals
    lines: list[str] = field(default_factory=list)
    calls: dict[str, list[Node]] = field(default_factory=dict)   # same-file function -> its call sites

    def is_guarded(self, line: int, loop: Loop | None = None) -> bool:
        """One thread at a time runs `line`. For a loop directive only guards inside the loop count: a
        `master` block around a worksharing loop does not make the loop's iterations one thread's."""
        return any(start <= line <= end and (loop is None or start > loop.node.line) for start, end in self.guarded)


# ---- the file ---------------------------------------------------------------------------------
def omp_file(text: str, unit: UnitIR | None, loops: dict[int, Pragma]) -> OmpFile:
    directives = find_directives(text)
    threadprivate = {v for d in directives if "threadprivate" in d.words for v in d.names.get("threadprivate", ())}
    threadprivate |= {v for d in directives for v in re.findall(r"threadprivate\s*\(([^)]*)\)", d.text)
                      for v in [x.strip() for x in v.split(",")] if v}
    guarded = [(d.target_line, max(d.block_end, d.target_line)) for d in directives
               if d.words & _GUARD_WORDS and d.target_line and "depend" not in d.clauses]
    guarded += _lock_ranges(text.splitlines())
    statics = _statics(unit)
    # writes inside a function's own worksharing loops are judged by the loop checks, not as its effect
    shared_loops = guarded + _loop_ranges(unit, loops)
    writes = _function_writes(unit, statics, shared_loops, threadprivate) if unit is not None else {}
    return OmpFile(loops, directives, threadprivate, guarded, writes, statics, text.splitlines(),
                   call_sites(unit) if loops else {})


def _loop_ranges(unit: UnitIR | None, loops: dict[int, Pragma]) -> list[tuple[int, int]]:
    """Lines of the loops that loop directives bind."""
    if unit is None or not loops:
        return []
    return [(n.line, n.end_line) for fn in unit.functions for n in all_nodes(fn.body)
            if n.kind in ("for", "while", "do") and n.line in loops]


def _lock_ranges(lines: list[str]) -> list[tuple[int, int]]:
    """Lines from each `omp_set_lock` to the next `omp_unset_lock`: one thread at a time (the lock
    itself is not checked: locks are listed as unchecked)."""
    out, start = [], 0
    for n, line in enumerate(lines, 1):
        if _SET_LOCK.search(line):
            start = n
        elif start and _UNSET_LOCK.search(line):
            out.append((start, n))
            start = 0
    return out


def _statics(unit: UnitIR | None) -> dict[str, set[str]]:
    if unit is None:
        return {}
    return {fn.name: {n.op for n in all_nodes(fn.body) if n.kind == "var" and n.storage == "static"}
            for fn in unit.functions}


def _assigned(nodes: list[Node]):
    for n in nodes:
        if ((n.kind == "binop" and n.op == "=") or n.kind == "assign_op" or
                (n.kind == "unop" and n.op in ("++", "--", "post++", "post--"))) and n.children:
            yield n, n.children[0]


def _root_name(target: Node) -> tuple[str, bool]:
    """(variable, through a pointer) an assignment target names."""
    n, through = target, False
    while n.children and (n.kind in ("subscript", "member") or (n.kind == "unop" and n.op == "*")):
        through = through or n.kind == "unop" or (n.kind == "subscript" and n.children[0].ty == "ptr")
        n = n.children[0]
        while n.kind == "binop" and n.op in ("+", "-") and n.children:
            n = n.children[0]
    return (n.op if n.kind == "ref" else ""), through


def _own_writes(fn: Function, unit: UnitIR, statics: set[str], guarded, threadprivate) -> FunctionWrites:
    nodes = all_nodes(fn.body)
    local = {n.op for n in nodes if n.kind == "var"} - statics
    params = {p.op: i for i, p in enumerate(fn.params)}
    out = FunctionWrites()
    for assign, target in _assigned(nodes):
        if any(start <= assign.line <= end for start, end in guarded):
            continue
        name, through = _root_name(target)
        if not name or name in threadprivate:
            continue
        if name in params:
            if through or target.kind != "ref":
                out.through.add(params[name])
        elif name not in local and (name in statics or name in unit.globals) and _one_location(target):
            out.shared.add(name)
    return out


def _one_location(target: Node) -> bool:
    """A scalar or a fixed element (`g`, `g[0]`, `s.f`): every call writes the same location. An element
    picked by an argument (`g[i]`) may differ between calls: not claimed."""
    n = target
    while n.kind == "member" and n.children and n.children[0].ty != "ptr":
        n = n.children[0]
    if n.kind == "subscript" and len(n.children) == 2:
        return n.children[1].value is not None and n.children[0].kind == "ref"
    return n.kind == "ref"


def _function_writes(unit: UnitIR, statics, guarded, threadprivate) -> dict[str, FunctionWrites]:
    """Each function's shared writes, with those of the same-file functions it calls."""
    own = {fn.name: _own_writes(fn, unit, statics.get(fn.name, set()), guarded, threadprivate)
           for fn in unit.functions}
    calls = {fn.name: {n.op for n in all_nodes(fn.body) if n.kind == "call" and n.op in own}
             for fn in unit.functions}
    changed = True
    while changed:
        changed = False
        for name, w in own.items():
            for callee in calls[name]:
                extra = own[callee].shared - w.shared
                if extra:
                    w.shared |= extra
                    changed = True
    return own


# ---- per loop ---------------------------------------------------------------------------------
def _associated(loop: Loop, p: Pragma) -> list[Loop]:
    """The loop and the nested loops its `collapse(n)` binds to it."""
    out = [loop]
    while len(out) < p.collapse and len(out[-1].children) == 1:
        out.append(out[-1].children[0])
    return out


def _private_names(p: Pragma, associated: list[Loop], omp: OmpFile) -> set[str]:
    # OpenMP: only the iteration variables of the associated loops are predetermined private in C.
    names = p.private | p.linear | omp.threadprivate | {l.var for l in associated if l.var}
    return names | (p.region.private if p.region is not None else set())


def _threaded(p: Pragma) -> bool:
    """Threads (not only SIMD lanes) run the iterations: data-sharing checks apply."""
    return bool(p.words & _THREADED_WORDS)


def _local_to_thread(name: str, loop: Loop, a: RegionAnalysis, p: Pragma, omp: OmpFile) -> bool:
    """Declared in the loop body, inside the enclosing parallel block, or (an orphaned `omp for`) a
    local of the function that every thread calls on its own stack."""
    if name in a.statics or name in omp.statics.get(a.region.function, ()):
        return False
    if declared_within(name, loop, a):      # (every declaration of the name in the region counts)
        return True
    lines = a.context.decl_lines.get(name, []) if a.context is not None else []
    if p.region is not None:
        start, end = p.region.target_line, p.region.block_end
        return bool(lines) and all(start <= line <= end for line in lines)
    if "parallel" not in p.words and "teams" not in p.words:
        return bool(lines) or name in {q.op for q in a.region.owner.params}
    return False


def _scalar_writes(loop: Loop, associated: list[Loop], a: RegionAnalysis) -> dict[str, list]:
    """Scalars written in the loop (outside the associated loops' headers), by name, in order."""
    own = {l.var for l in associated if l.var}
    out: dict[str, list] = {}
    for u in sorted(a.scalars, key=lambda u: u.order):
        if u.write and loop in u.loops and u.name not in own and not (u.node.kind == "var" and not u.node.children):
            out.setdefault(u.name, []).append(u)
    return out


def _sharing_issues(loop, associated, a, p, omp, private) -> list[tuple[str, str]]:
    v: LevelVerdict = a.verdicts[id(loop)]
    reductions = {n for l in associated for n, _ in a.verdicts[id(l)].reduction_vars}
    out = []
    for name, writes in _scalar_writes(loop, associated, a).items():
        if name in private or name in p.reductions or name in reductions:
            continue
        if _local_to_thread(name, loop, a, p, omp) or all(omp.is_guarded(w.line, loop) for w in writes):
            continue
        out.append(_sharing_issue(name, writes[0].line, v))
    return out


def _sharing_issue(name: str, line: int, v: LevelVerdict) -> tuple[str, str]:
    if name in v.inductions:
        return RACE_RULE, (f"{name} is stepped in every iteration (line {line}) and shared; "
                           f"declare linear({name}) or compute it from the loop variable")
    if name in v.privatized:
        return SHARED_RULE, f"{name} is shared under the pragma but written in every iteration; add private({name})"
    return RACE_RULE, f"{name} is shared and written by concurrent iterations (line {line})"


def _array_names(a: RegionAnalysis) -> set[str]:
    return {acc.base for acc in a.accesses}


def _tiled(loop: Loop, a: RegionAnalysis) -> bool:
    """An inner loop starts at an enclosing loop's variable and has no readable bound (`i = ii;
    i < min(ii + T, n)`): its tiles are disjoint, but the bound that says so is not read. Only where ISL
    did not model the region: where it did, it read those bounds, and a dependence it left is proven."""
    if isinstance(a.polyhedral, Polyhedral):
        return False
    for inner in a.loops:
        if inner is loop or loop not in inner.chain():
            continue
        step = level_step(inner.node.child("inc"), inner.var, _step) if inner.var else None
        b = loop_bounds(inner.node, inner.var, step, a.defs, a.loop_vars)
        if b is None or b.bound is None:
            outer_vars = {l.var for l in inner.chain()[1:] if l.var}
            init = inner.node.child("init")
            if init is not None and any(n.kind == "ref" and n.op in outer_vars for n in walk(init)):
                return True
    return False


def _distance_ok(base: str, loop: Loop, a: RegionAnalysis, safelen: int | None) -> bool:
    """A `simd safelen(n)` loop whose accesses of `base` are `v + c`, all at distances of n or more."""
    if not safelen or not loop.var:
        return False
    offsets = []
    for acc in a.accesses:
        if acc.base != base or loop not in acc.loops:
            continue
        off = _offset(acc.indices[-1] if acc.indices else None, loop.var, a)
        if off is None:
            return False
        offsets.append((off, acc.store))
    return all(abs(x - y) >= safelen for x, s in offsets for y, t in offsets if (s or t) and x != y)


def _offset(ix: Node | None, var: str, a: RegionAnalysis) -> int | None:
    p = poly(ix, a.defs, a.loop_vars) if ix is not None else None
    if p is None or p.get((var,)) != 1 or any(m and m != (var,) for m in p):
        return None
    return p.get((), 0)


def _dependence_issues(loop, associated, a, p, omp, private) -> list[tuple[str, str]]:
    if _doacross(loop, omp) or _tiled(loop, a):
        return []
    arrays = _array_names(a)
    for l in associated:
        v = a.verdicts[id(l)]
        for reason, d in zip(v.reasons, v.dependences):
            if d.kind not in _PROVEN or d.name in private or d.name not in arrays or _all_guarded(d.name, loop, a, omp):
                continue
            if d.name in p.reductions and _only_updates(d.name, loop, a):
                continue
            if "simd" in p.words and _distance_ok(d.name, l, a, p.safelen):
                continue
            return [(RACE_RULE, reason)]
    return []


def _all_guarded(base: str, loop: Loop, a: RegionAnalysis, omp: OmpFile) -> bool:
    """Every access of the array in the loop runs one thread at a time (a read outside `critical`
    still races with a write inside it)."""
    lines = [acc.line for acc in a.accesses if acc.base == base and loop in acc.loops]
    return bool(lines) and all(omp.is_guarded(line, loop) for line in lines)


def _only_updates(base: str, loop: Loop, a: RegionAnalysis) -> bool:
    """Every access of the array in the loop is part of an update `x[e] op= ...` (an array reduction)."""
    accs = [acc for acc in a.accesses if acc.base == base and loop in acc.loops]
    return bool(accs) and all(acc.assign is not None and acc.assign.kind == "assign_op" for acc in accs)


def _doacross(loop: Loop, omp: OmpFile) -> bool:
    """`#pragma omp ordered depend(sink: ...)` inside the loop: iterations wait for one another."""
    return any(loop.node.line <= d.line <= loop.node.end_line and "ordered" in d.words and "depend" in d.clauses
               for d in omp.directives)


def _missing_reductions(loop, associated, a, p, omp) -> list[tuple[str, str]]:
    out = []
    for name, op in dict.fromkeys(r for l in associated for r in a.verdicts[id(l)].reduction_vars):
        clause = p.reductions.get(name)
        if clause is not None and clause in REDUCTION_FAMILY.get(op, {op}):
            continue
        if clause is not None and op.startswith("arg") and clause not in BUILTIN_REDUCTIONS:
            continue            # argmin/argmax needs a declared reduction: `reduction(minpair:best)`
        if clause is None and (name in omp.threadprivate or name in p.private or _updates_guarded(name, loop, a, omp)):
            continue
        if clause is None and _local_to_thread(name, loop, a, p, omp):
            continue
        if clause is None and not _same_element_proven(name, loop, a):
            continue            # `x[idx[i]] += v`: whether two iterations meet is not known
        out.append((RACE_RULE, f"{name} is a reduction ({op}) and the pragma has no reduction({op}:{name}) clause"
                    + (f" (it says {clause})" if clause is not None else "")))
    return out


def _same_element_proven(name: str, loop: Loop, a: RegionAnalysis) -> bool:
    """A scalar, or an array whose updates all have integer subscripts (not loaded from memory)."""
    accs = [acc for acc in a.accesses if acc.base == name and loop in acc.loops]
    if not accs and name not in {u.name for u in a.scalars}:
        return False            # an array reached through pointers rebased onto it: not read here
    varying = {u.name for u in a.scalars if u.write and loop in u.loops} - a.loop_vars
    for ix in (ix for acc in accs for ix in acc.indices):
        p = poly(ix, a.defs, a.loop_vars)
        if p is None or reads_memory(ix, a.defs) or any(sym in varying for m in p for sym in m):
            return False        # `x[k] += v` with k set in the loop (from memory, say): not known to meet
    return True


def _updates_guarded(name: str, loop: Loop, a: RegionAnalysis, omp: OmpFile) -> bool:
    lines = [u.line for u in a.scalars if u.write and u.name == name and loop in u.loops]
    lines += [acc.line for acc in a.accesses if acc.base == name and acc.store and loop in acc.loops]
    return bool(lines) and all(omp.is_guarded(line, loop) for line in lines)


def _call_issues(loop, a, p, omp, private) -> list[tuple[str, str]]:
    body = [c for c in loop.node.children if c.role == "body" or loop.node.kind != "for"]
    for call in (n for c in body for n in walk(c) if n.kind == "call"):
        w = omp.writes.get(call.op)
        if w is None or omp.is_guarded(call.line, loop):
            continue
        shared = sorted(w.shared - omp.threadprivate)
        if shared:
            return [(RACE_RULE, f"{call.op}() (line {call.line}) writes {shared[0]}, which every thread shares")]
        for pos, arg in arg_positions(call):
            name = _address_of_scalar(arg)
            if pos in w.through and name and name not in private and not _local_to_thread(name, loop, a, p, omp):
                return [(RACE_RULE, f"{call.op}() (line {call.line}) writes through &{name}, which every thread shares")]
    return []


def _address_of_scalar(arg: Node) -> str | None:
    if arg.kind == "unop" and arg.op == "&" and arg.children and arg.children[0].kind == "ref":
        return arg.children[0].op
    return None


def loop_issues(loop: Loop, a: RegionAnalysis, p: Pragma, omp: OmpFile) -> list[tuple[str, str]]:
    """(rule, why) for each way the directive fails to cover what xapp finds in the loop."""
    if not p.words & _PARALLEL_WORDS or "taskloop" in p.words:
        return []
    associated = _associated(loop, p)
    private = _private_names(p, associated, omp)
    issues = _dependence_issues(loop, associated, a, p, omp, private)
    if not issues and not _doacross(loop, omp):
        issues = [(RACE_RULE, why) for why in alias_issues(loop, associated, a, omp.calls)]
    issues += _missing_reductions(loop, associated, a, p, omp)
    if _threaded(p):
        issues += _sharing_issues(loop, associated, a, p, omp, private)
        issues += _call_issues(loop, a, p, omp, private)
    return list(dict.fromkeys(issues))


def pragma_for(loop: Loop, pragmas: dict[int, Pragma]) -> Pragma | None:
    p = pragmas.get(loop.node.line)
    if p is None:
        return None
    # Several loops may start on the pragma's target line: the outermost one is meant.
    parent = loop.parent
    return None if parent is not None and parent.node.line == loop.node.line else p


def race_findings(a: RegionAnalysis, omp: OmpFile, file: str) -> list[dict]:
    """Directive-parallel loops whose clauses leave a dependence, a reduction or a shared write uncovered."""
    out = []
    for loop in a.loops:
        p = pragma_for(loop, omp.loops)
        if p is None:
            continue
        for rule, why in loop_issues(loop, a, p, omp):
            lead = (f"possible data race: `#pragma omp {p.text}` (line {p.line}) runs this loop in parallel, but "
                    if rule == RACE_RULE else f"`#pragma omp {p.text}` (line {p.line}): ")
            out.append({"file": file, "line": loop.node.line, "rule": rule, "message": lead + why})
    return out


# ---- what is not judged -----------------------------------------------------------------------
def _constructs(d: Pragma) -> list[str]:
    found = [name for word, name in _UNCHECKED_WORDS.items() if word in d.words]
    if "ordered" in d.words and "depend" in d.clauses:
        found.append("ordered depend")
    if "target" in d.words and d.words & _DATA_WORDS:
        found.append("device data mapping")
    found += [name for clause, name in _UNCHECKED_CLAUSES.items() if clause in d.clauses]
    return found


def unchecked_outside(spans: list[tuple[int, int]], omp: OmpFile) -> list[str]:
    """Unchecked constructs of directives that lie in no region (task code without loops, sections)."""
    found: list[str] = []
    for d in omp.directives:
        if not any(start <= d.line <= end or d.target_line == start for start, end in spans):
            found += _constructs(d)
    return list(dict.fromkeys(found))


def unchecked(start: int, end: int, omp: OmpFile) -> list[str]:
    """OpenMP constructs in lines start..end (or around them) whose effect on races is not judged."""
    found: list[str] = []
    for d in omp.directives:
        inside = start <= d.line <= end or (d.target_line == start) or (d.line < start <= d.block_end)
        if inside:
            found += _constructs(d)
    if any(_LOCKS.search(line) for line in omp.lines[max(0, start - 1):end]):
        found.append("lock")
    return list(dict.fromkeys(found))
