"""Loop-carried dependence tests, one loop level at a time.

A level is parallel when no iteration reads or writes what another writes,
except recognised reductions (`s += a[i]*b[i]`, `c[i][j] += ...` in a k loop).
The tests are deliberately simple and conservative: a subscript that
differs from a written one in a dimension that does not separate the
iterations (a[i] against a[i-1]) is a dependence; so is an indirect write
(h[idx[i]]++), a scalar read across iterations, an early exit or I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .affine import affine, reads_memory
from .analysis import Access, Loop, RegionAnalysis
from .ir import Node, walk

__all__ = ["LevelVerdict", "loop_verdicts", "IO_FUNCTIONS"]

IO_FUNCTIONS = frozenset({
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "puts", "fputs", "putchar", "fputc",
    "putc", "scanf", "fscanf", "sscanf", "getchar", "fgetc", "getc", "fgets", "gets", "fopen", "fclose",
    "fread", "fwrite", "fflush", "fseek", "ftell", "rewind", "perror", "write", "read", "open", "close",
    "operator<<", "operator>>", "getline", "remove", "rename",
})
_REDUCE_OPS = frozenset({"+=", "-=", "*=", "|=", "&=", "^="})
_REDUCE_BINOPS = frozenset({"+", "-", "*", "|", "&", "^"})
_REDUCE_CALLS = frozenset({"fmax", "fmin", "fmaxf", "fminf", "max", "min", "std::max", "std::min"})


@dataclass(slots=True)
class LevelVerdict:
    loop: Loop
    parallel: bool
    reductions: int = 0
    reasons: list[str] = field(default_factory=list)


def _inside(access_loops: tuple[Loop, ...], loop: Loop) -> bool:
    return loop in access_loops


def _same(a: Node, b: Node) -> bool:
    """Structural equality of two index expressions."""
    if a.kind != b.kind or a.op != b.op or a.value != b.value or len(a.children) != len(b.children):
        return False
    return all(_same(x, y) for x, y in zip(a.children, b.children))


def _forms(acc: Access, a: RegionAnalysis):
    return [affine(ix, a.defs, a.loop_vars) for ix in acc.indices]


def _moves_with(form, var: str) -> bool:
    return form is not None and form.get(var, 0) not in (0,)


def _separated(store: Access, other: Access, var: str, a: RegionAnalysis) -> bool:
    """True if some dimension indexes both accesses identically and moves with `var`."""
    if len(store.indices) != len(other.indices):
        return False
    for fs, fo, ns, no in zip(_forms(store, a), _forms(other, a), store.indices, other.indices):
        if fs is not None and fs == fo and _moves_with(fs, var):
            return True
        if fs is None and _same(ns, no) and var in {n.op for n in walk(ns) if n.kind == "ref"}:
            return True
    return False


def _identical(x: Access, y: Access, a: RegionAnalysis) -> bool:
    if len(x.indices) != len(y.indices):
        return False
    for fx, fy, nx, ny in zip(_forms(x, a), _forms(y, a), x.indices, y.indices):
        if fx is None or fy is None:
            if not _same(nx, ny):
                return False
        elif fx != fy:
            return False
    return True


def _is_array_reduction(store: Access) -> bool:
    assign = store.assign
    if assign is None:
        return False
    if assign.kind == "assign_op":
        return assign.op in _REDUCE_OPS
    if assign.kind == "binop" and assign.op == "=" and len(assign.children) == 2:
        rhs = assign.children[1]
        return rhs.kind == "binop" and rhs.op in _REDUCE_BINOPS
    return False


def _indirect(acc: Access, a: RegionAnalysis) -> bool:
    return any(reads_memory(ix, a.defs) for ix in acc.indices)


def _array_verdict(loop: Loop, a: RegionAnalysis, v: LevelVerdict) -> None:
    var = loop.var
    inside = [acc for acc in a.accesses if _inside(acc.loops, loop) and acc.base]
    by_base: dict[str, list[Access]] = {}
    for acc in inside:
        by_base.setdefault(acc.base, []).append(acc)
    for base, accs in by_base.items():
        for store in (x for x in accs if x.store):
            if store.kind != "subscript":
                if store.kind == "deref" and not store.indices and base not in _assigned_in(loop, a):
                    # *out = ... to one fixed location every iteration
                    if _is_array_reduction(store):
                        v.reductions += 1
                        continue
                v.reasons.append(f"store through pointer {base}")
                continue
            if _indirect(store, a):
                v.reasons.append(f"indirect store to {base}")
                continue
            if var is None:
                v.reasons.append(f"store to {base} in a loop without an index variable")
                continue
            moves = any(_moves_with(f, var) for f in _forms(store, a))
            if not moves:
                if _is_array_reduction(store) and all(
                        o is store or (o.assign is store.assign and _identical(o, store, a)) for o in accs):
                    v.reductions += 1
                    continue
                v.reasons.append(f"every iteration writes the same {base} element")
                continue
            for other in accs:
                if other is store or _separated(store, other, var, a):
                    continue
                if _identical(store, other, a):
                    continue
                v.reasons.append(f"{base} is written and read at different offsets along {var}")
                break


def _assigned_in(loop: Loop, a: RegionAnalysis) -> set[str]:
    return {u.name for u in a.scalars if u.write and loop in u.loops}


def _private(name: str, loop: Loop, a: RegionAnalysis) -> bool:
    declared = a.declared.get(name)
    return declared is not None and loop in declared


def _is_scalar_reduction(use, name: str) -> bool:
    n = use.node
    if n.kind == "assign_op":
        return n.op in _REDUCE_OPS
    if n.kind == "binop" and n.op == "=" and len(n.children) == 2:
        rhs = n.children[1]
        if rhs.kind == "binop" and rhs.op in _REDUCE_BINOPS:
            return any(c.kind == "ref" and c.op == name for c in rhs.children)
        if rhs.kind == "call" and rhs.op in _REDUCE_CALLS:
            return any(c.kind == "ref" and c.op == name for c in rhs.children)
    return False


def _scalar_verdict(loop: Loop, a: RegionAnalysis, v: LevelVerdict) -> None:
    uses = [u for u in a.scalars if loop in u.loops]
    names = {u.name for u in uses if u.write}
    for name in sorted(names):
        if name == loop.var or _private(name, loop, a):
            continue
        mine = [u for u in uses if u.name == name]
        writes = [u for u in mine if u.write]
        if all(_is_scalar_reduction(w, name) for w in writes):
            stray_reads = [u for u in mine if not u.write and not _within(u.node, writes)]
            if not stray_reads:
                v.reductions += 1
                continue
            v.reasons.append(f"{name} accumulates and is read inside the loop (a scan)")
            continue
        first = min(mine, key=lambda u: u.order)
        inner_loop_var = any(l.var == name for l in a.loops if l is not loop and loop in _chain(l))
        if (first.write and loop not in first.conditional_in
                and not _reads_itself(first.node, name)) or inner_loop_var:
            continue   # written before it is read in every iteration: private
        v.reasons.append(f"{name} carries a value from one iteration to the next")


def _chain(l: Loop) -> list[Loop]:
    out = []
    while l is not None:
        out.append(l)
        l = l.parent
    return out


def _within(node: Node, writes) -> bool:
    return any(any(n is node for n in walk(w.node)) for w in writes)


def _reads_itself(assign: Node, name: str) -> bool:
    if assign.kind == "var":
        return any(n.kind == "ref" and n.op == name for c in assign.children for n in walk(c))
    if assign.kind == "binop" and len(assign.children) == 2:
        return any(n.kind == "ref" and n.op == name for n in walk(assign.children[1]))
    return True


def _control_verdict(loop: Loop, v: LevelVerdict) -> None:
    """Early exits out of this loop and I/O whose order is observable."""
    stack = [(c, False) for c in loop.node.children if c.role == "body" or loop.node.kind != "for"]
    while stack:
        n, nested = stack.pop()
        if n.kind in ("return", "goto") or (n.kind == "break" and not nested):
            v.reasons.append(f"early exit ({n.kind})")
            return
        if n.kind == "call" and n.op in IO_FUNCTIONS:
            v.reasons.append(f"I/O call {n.op} (output order)")
            return
        inner = nested or n.kind in ("for", "while", "do", "switch")
        stack.extend((c, inner) for c in n.children)


def loop_verdicts(a: RegionAnalysis) -> dict[int, LevelVerdict]:
    """id(loop) -> verdict for every loop of the region."""
    out = {}
    for loop in a.loops:
        v = LevelVerdict(loop, True)
        _control_verdict(loop, v)
        _array_verdict(loop, a, v)
        _scalar_verdict(loop, a, v)
        v.parallel = not v.reasons
        out[id(loop)] = v
    return out
