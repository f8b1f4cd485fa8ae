"""`nowait` between two worksharing loops of one parallel block.

Without the barrier at its end, threads leave a `for nowait` loop and start the next worksharing
loop while others still run the first. When the first loop writes an array element that the next
loop touches at another subscript (so, in general, in another thread's iteration), the two race.
Only the loop that follows directly (no `barrier` between) is compared, and subscripts must be
written the same way (`a[i]` and `a[i]`) to count as the same thread's element: anything else is a
finding only when the first loop writes the array and the second one reads or writes it.
"""
from __future__ import annotations

from .omp_check import RACE_RULE, OmpFile
from .pragmas import Pragma
from .reductions import same_tree
from ..frontend.ir import LOOP_KINDS, Node, UnitIR, walk

__all__ = ["nowait_findings"]

_STORES = frozenset({"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="})


def _accesses(loop: Node) -> tuple[dict[str, list[Node]], dict[str, list[Node]]]:
    """(written, touched) array elements of the loop body: array name -> index trees."""
    written: dict[str, list[Node]] = {}
    touched: dict[str, list[Node]] = {}
    targets = {id(n.children[0]) for n in walk(loop)
               if n.kind in ("binop", "assign_op") and n.op in _STORES and n.children}
    for n in walk(loop):
        if n.kind == "subscript" and len(n.children) == 2 and n.children[0].kind == "ref":
            touched.setdefault(n.children[0].op, []).append(n.children[1])
            if id(n) in targets:
                written.setdefault(n.children[0].op, []).append(n.children[1])
    return written, touched


def _loops_at(unit: UnitIR) -> dict[int, Node]:
    return {n.line: n for fn in unit.functions for n in walk(fn.body) if n.kind in LOOP_KINDS}


def _next_loop(p: Pragma, omp: OmpFile) -> Pragma | None:
    """The loop directive after `p` in the same parallel block, with no barrier in between."""
    later = sorted((q for q in omp.loops.values() if q.line > p.line and q.region is p.region), key=lambda q: q.line)
    if not later:
        return None
    nxt = later[0]
    barrier = any(p.line < d.line < nxt.line and "barrier" in d.words for d in omp.directives)
    return None if barrier else nxt


def _clash(first: Node, second: Node) -> str | None:
    written, _ = _accesses(first)
    _, touched = _accesses(second)
    for name, indices in written.items():
        for other in touched.get(name, ()):
            if not any(same_tree(ix, other) for ix in indices):
                return name
    return None


def nowait_findings(unit: UnitIR | None, omp: OmpFile, file: str) -> list[dict]:
    if unit is None:
        return []
    loops = _loops_at(unit)
    out = []
    for p in omp.loops.values():
        if "nowait" not in p.clauses or p.region is None:
            continue
        nxt = _next_loop(p, omp)
        first, second = loops.get(p.target_line), loops.get(nxt.target_line) if nxt else None
        name = _clash(first, second) if first is not None and second is not None else None
        if name:
            out.append({"file": file, "line": second.line, "rule": RACE_RULE,
                        "message": f"possible data race: `#pragma omp {p.text}` (line {p.line}) lets threads start "
                                   f"the loop at line {second.line} while others still write {name}, which it "
                                   "reads at another subscript"})
    return out
