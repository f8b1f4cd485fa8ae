"""Loop-carried dependences, one loop level at a time.

A level is `parallel` when no iteration touches what another one writes, after privatising
what each iteration writes before it reads (scalars, arrays declared in the body, arrays whose
fixed elements are written first); `reduction` when the only carried dependences are
read-modify-writes of one location with one associative operator (+, *, min, max, &, |, ^);
otherwise `serial`, with a reason naming the variable, the line and the dependence kind (flow,
anti, output, control, I/O, call). What cannot be proven independent is serial, with a reason
that says "could not prove".

Array pairs are tested exactly where the subscripts allow (`arraydep.py`). Distinct arrays and
pointers are assumed not to overlap (as C's `restrict` or Polly's run-time alias checks do); every
verdict that rests on it lists the assumption, and `alias_assumption=False` turns it off.
"""
from __future__ import annotations

from dataclasses import replace

from .nest import Access, Loop, RegionAnalysis, _step
from .scalardeps import scalar_dependences
from .verdict import Dependence, LevelVerdict, loop_body as _body
from .arraydep import LevelSpace, pair_dependence
from .idioms import internal_gotos
from .privarrays import Covers
from .ownobjects import OwnObjects
from .pointersteps import address_parts
from .memberbases import by_object
from .loadedrows import RowLoads
from .rowpointers import row_assumption
from .scopes import declared_within
from .widths import in_common_units, width
from .calls import IO_FUNCTIONS, PROGRAM_ENDS, UnitFacts, call_problem
from ..frontend.ir import Node, parents, walk
from .polyforms import level_step, poly
from .reductions import reduction_op, same_tree
from .rowcalls import indexed_call_is_independent, row_call_is_independent

__all__ = ["LevelVerdict", "Dependence", "loop_verdicts", "IO_FUNCTIONS"]




def _header_ids(loop: Loop) -> set[int]:
    return {id(n) for c in loop.node.children if c.role not in ("body", "") for n in walk(c)}




# ---- shape and control --------------------------------------------------------------------------
def _shape(loop: Loop, a: RegionAnalysis, v: LevelVerdict) -> None:
    node = loop.node
    if node.kind != "for":
        v.add(Dependence("", "unknown", node.line),
              f"could not prove: `{node.kind}` loop at line {node.line} has no counted induction variable")
        return
    if loop.var is None or not level_step(node.child("inc"), loop.var, _step):
        v.add(Dependence(loop.var or "", "unknown", node.line),
              f"could not prove: loop at line {node.line} does not step an induction variable by a constant")
        return
    inner = _untested_loop(loop, a)
    if inner is not None:
        v.add(Dependence(inner.var, "unknown", inner.node.line),
              f"could not prove: the loop at line {inner.node.line} never tests its variable {inner.var}, "
              "so its subscripts are unbounded")
        return
    u = _body_write_of_loop_var(loop, a)
    if u is not None:
        v.add(Dependence(loop.var, "control", u.line),
              f"control dependence: loop variable {loop.var} is assigned in the body at line {u.line}")


def _untested_loop(loop: Loop, a: RegionAnalysis) -> Loop | None:
    """The first of the loop and its inner loops whose condition never mentions its own variable, where
    that variable bounds a subscript: an inner counter no subscript uses (popcount's
    `for (count = 0; x; count++) x &= x - 1;`) leaves every subscript bounded."""
    for inner in [loop, *(l for l in a.loops if loop in l.chain()[1:])]:
        cond = inner.node.child("cond")
        if inner.node.kind == "for" and inner.var and cond is not None and not _mentions(cond, inner.var):
            if inner is loop or _in_subscripts(_derived({inner.var}, a), loop, a):
                return inner
    return None


def _derived(names: set[str], a: RegionAnalysis) -> set[str]:
    """`names` and every scalar assigned from them, directly or through others, anywhere in the region."""
    out = set(names)
    while True:
        more = {u.name for u in a.scalars if u.write and u.name not in out
                and any(n.kind == "ref" and n.op in out for n in walk(u.node))}
        if not more:
            return out
        out |= more


def _in_subscripts(names: set[str], loop: Loop, a: RegionAnalysis) -> bool:
    """Does a subscript or a base pointer of an access in `loop` read one of `names`?"""
    return any(acc.base in names or any(n.kind == "ref" and n.op in names for ix in acc.indices for n in walk(ix))
               for acc in a.accesses if loop in acc.loops)


def _body_write_of_loop_var(loop: Loop, a: RegionAnalysis):
    """The first assignment to the loop's variable outside its header, or None."""
    header = _header_ids(loop)
    for u in a.scalars:
        if u.write and u.name == loop.var and loop in u.loops and id(u.node) not in header:
            return u
    return None


def _mentions(node: Node, name: str) -> bool:
    return any(n.kind == "ref" and n.op == name for n in walk(node))


def _control(loop: Loop, a: RegionAnalysis, private: set[str], own: dict[int, frozenset[str]],
             v: LevelVerdict) -> None:
    """Early exits out of this loop, I/O, hidden state and calls with side effects."""
    ctx = a.context
    facts = ctx.unit if ctx is not None and ctx.unit is not None else UnitFacts({}, {}, {})
    types = ctx.types if ctx is not None else {}
    stack = [(c, False) for c in _body(loop)]
    inside = {id(g) for g in internal_gotos(loop, a)}     # a forward goto within the body is an if-else
    while stack:
        n, nested = stack.pop()
        if n.kind in ("return", "goto") and id(n) not in inside or (n.kind == "break" and not nested):
            v.add(Dependence("", "control", n.line),
                  f"control dependence: early exit ({n.kind} at line {n.line or loop.node.line})")
            return
        if n.kind == "call" and n.op in PROGRAM_ENDS and n.op not in facts.effects:
            # the process ends there: no later statement of any iteration reads what others wrote
            v.assumptions.append(f"{n.op}() at line {n.line} ends the program (nothing after it reads the loop's results)")
        elif n.kind == "call" and not _independent_call(n, loop, a):
            problem = call_problem(n, facts, types, private, own.get(id(n), frozenset()))
            if problem:
                v.add(Dependence(n.op, problem[0], n.line), problem[1])
                return
        inner = nested or n.kind in ("for", "while", "do", "switch")
        stack.extend((c, inner) for c in n.children)


def _own_scalars(loop: Loop, a: RegionAnalysis) -> dict[int, frozenset[str]]:
    """id(call) -> the iteration's own scalars in scope at the call: number scalars declared in a
    `{ ... }` block of the loop's body before the statement holding the call (at any depth inside that
    block), where every declaration of the name in the body is neither static nor a C++ reference.
    Each iteration has its own, so `f(&s)` writes nothing another iteration reads (a declaration
    after the call, or in a block the call is not in, may leave `&s` naming a global or a parameter
    of the same name: not trusted)."""
    ctx = a.context
    if ctx is None:
        return {}
    decls: dict[str, list[Node]] = {}
    for n in (x for c in _body(loop) for x in walk(c) if x.kind == "var"):
        decls.setdefault(n.op, []).append(n)
    plain = {name for name, nodes in decls.items() if all(
        n.ty in _NUMBERS and n.storage not in ("static", "reference") for n in nodes)}

    def owned(statement: Node) -> set[str]:
        return {n.op for n in _declared_by(statement) if n.op in plain}

    out: dict[int, frozenset[str]] = {}
    stack = [(c, frozenset()) for c in _body(loop)]
    while stack:
        node, own = stack.pop()
        if node.kind == "compound" and not node.op:
            for statement in node.children:
                stack.append((statement, own))
                own = own | owned(statement)
            continue
        if node.kind == "call" and own:
            out[id(node)] = own
        stack.extend((c, own) for c in node.children)
    return out


_NUMBERS = frozenset({"int", "f32", "f64", "f16", "bool", "struct"})   # (a struct: `Vec col; f(&col)`)


def _declared_by(statement: Node) -> list[Node]:
    if statement.kind == "var":
        return [statement]
    return [c for c in statement.children if c.kind == "var"] if statement.kind == "decl" else []


def _independent_call(call: Node, loop: Loop, a: RegionAnalysis) -> bool:
    if id(call) in a.summarised:
        return True          # a same-file helper whose accesses the loop's own accesses now include
    body = _body(loop)
    return row_call_is_independent(call, loop, body, a) or indexed_call_is_independent(call, loop, body, a)




# ---- arrays -------------------------------------------------------------------------------------
def _fixed(acc: Access, a: RegionAnalysis, varying: set[str]) -> tuple | None:
    """The subscripts of an access if they name one element in every iteration (x[0], clf[iz][iy]
    inside an ix loop), else None."""
    out = []
    for ix in acc.indices:
        p = poly(ix, a.defs, a.loop_vars)
        if p is None or any(s in varying for m in p for s in m):
            return None
        out.append(tuple(sorted(p.items())))
    return tuple(out)


def _pointer_defs(loop: Loop, a: RegionAnalysis) -> dict[str, Node]:
    """Pointers declared with an initial value in the loop's body and never assigned again there."""
    found = _pointer_declarations(loop, a.context.types if a.context is not None else {})
    written = {u.name for u in a.scalars if u.write and loop in u.loops and u.node.kind != "var"}
    return {k: v for k, v in found.items() if v is not None and k not in written}


def _pointer_declarations(loop: Loop, types: dict) -> dict[str, Node | None]:
    """Pointer name -> its initial value, for pointers declared once in the body with one (else None)."""
    found: dict[str, Node | None] = {}
    for n in (x for c in _body(loop) for x in walk(c)):
        if n.kind == "var" and types.get(n.op) == "ptr":
            found[n.op] = n.children[0] if len(n.children) == 1 and n.op not in found else None
    return found


def _pointer_root(init: Node) -> str | None:
    """The array a pointer's initial value points into: `L`, `&L[k]`, `L + k`, `L - k`."""
    n = init
    while True:
        if n.kind == "ref":
            return n.op
        if n.kind == "unop" and n.op == "&" and n.children and n.children[0].kind == "subscript":
            n = n.children[0].children[0]
        elif n.kind == "binop" and n.op in ("+", "-") and n.children:
            n = n.children[0]
        else:
            return None


def _pointers_into(private: set[str], loop: Loop, a: RegionAnalysis) -> set[str]:
    """Pointers declared in the body into an array of the iteration (`float *L_b = L;`) and never
    assigned again: what a call writes through them no other iteration sees."""
    return {p for p, init in _pointer_defs(loop, a).items() if _pointer_root(init) in private}


def _rebased(acc: Access, a: RegionAnalysis, defs: dict[str, Node], written: set[str]) -> Access:
    """An access through a pointer defined once (`float *row = A[i]`, `= p + i*n`, `= f + 63`) as an
    access of the array it points into, so it is tested against the array's other accesses."""
    base = acc.base
    types = a.context.types if a.context is not None else {}
    d = defs.get(base)
    if d is None and types.get(base) == "ptr" and base in a.defs and base not in written:
        d = a.defs[base]          # assigned once in the function, outside this loop: p + offset
    if d is None or _other_unit(acc, d, a):
        return acc
    if acc.kind == "arrow":
        return _rebase_arrow(acc, d, types)
    # the definition's kind picks at most one rule; None from it leaves the access as it is
    rule = _REBASE_RULES.get(d.kind)
    return (rule(acc, d, types) if rule is not None else None) or acc


def _other_unit(acc: Access, d: Node, a: RegionAnalysis) -> bool:
    """Whether the pointer's elements differ in size from those of the array its definition points
    into (`uint *q = (uint *)(bytes + off)`): off counts bytes, q[k] counts uints, and no one
    subscript says both (the accesses stay q's own, kept apart by the alias assumption, stated)."""
    pointees = a.context.pointees if a.context is not None else {}
    parts = address_parts(d, a.context.types) if a.context is not None and d.kind == "binop" else None
    root = parts[0] if parts is not None else _pointer_root(d)
    mine, theirs = pointees.get(acc.base, 0), pointees.get(root or "", 0)
    return bool(mine and theirs and mine != theirs)


def _rebase_arrow(acc: Access, d: Node, types: dict) -> Access:
    """`part = &particles[p]; part->v` is an access of element p of particles (fields are not told
    apart, as for `particles[p].v`); through `q = p` it stays an arrow access of p."""
    if d.kind == "ref":
        return _rebase_alias(acc, d, types) or acc
    rebased = _rebase_address(acc, d, types) if d.kind == "unop" else None
    # the whole element is the access's unit, as for `particles[p].v`
    return replace(rebased, kind="subscript", size=d.children[0].size) if rebased is not None else acc


def _subscript_root(node: Node) -> tuple[Node, list[Node]]:
    """`A[i][j]` -> (A, [j, i]): the array under nested subscripts and their indices, innermost first."""
    prefix, root = [], node
    while root.kind == "subscript" and len(root.children) == 2:
        prefix.append(root.children[1])
        root = root.children[0]
    return root, prefix


def _rebase_alias(acc: Access, d: Node, types: dict) -> Access | None:
    """`q = p`: an access of p."""
    if d.op != acc.base and types.get(d.op) in ("ptr", "array"):
        return replace(acc, base=d.op)
    return None


def _rebase_address(acc: Access, d: Node, types: dict) -> Access | None:
    """`row = &A[i][0]`: row[k] is A[i][0 + k]."""
    if d.op != "&" or not d.children or d.children[0].kind != "subscript":
        return None
    root, prefix = _subscript_root(d.children[0])
    if root.kind != "ref" or root.op == acc.base or not prefix:
        return None
    prefix.reverse()
    if acc.indices:
        prefix[-1] = Node("binop", op="+", children=[prefix[-1], acc.indices[0]])
    return replace(acc, base=root.op, indices=prefix + list(acc.indices[1:]))


def _rebase_row(acc: Access, d: Node, types: dict) -> Access | None:
    """`row = A[i]` (a row of a 2-D array): row[k] is A[i][k]."""
    if d.ty not in ("ptr", "array"):
        return None
    root, prefix = _subscript_root(d)
    if root.kind == "ref" and root.op != acc.base:
        return replace(acc, base=root.op, indices=prefix[::-1] + list(acc.indices))
    return None


def _rebase_offset(acc: Access, d: Node, types: dict) -> Access | None:
    """`q = p + off` (or `- off`, or `(p + a) + b`): q[k] is p[off + k]."""
    parts = address_parts(d, types) if d.op in ("+", "-") else None
    if parts is None or parts[0] == acc.base:
        return None
    return _at_offset(acc, *parts)


def _at_offset(acc: Access, base: str, offset: Node) -> Access:
    """acc as an access of `base`, `offset` elements on: q[k] is base[offset + k], *q is base[offset]."""
    if not acc.indices:
        return replace(acc, base=base, indices=[offset])
    first = Node("binop", op="+", ty="int", children=[offset, acc.indices[0]])
    return replace(acc, base=base, indices=[first, *acc.indices[1:]])


def _rebase_choice(acc: Access, d: Node, types: dict) -> Access | None:
    """`q = c ? p + off : nullptr`: q reaches memory only as p + off (through the null pointer an
    access would be undefined), so q[k] is p[off + k]. Both arms pointers: not rebased."""
    if len(d.children) != 3:
        return None
    arms = [x for x in d.children[1:] if not _null_pointer(x)]
    if len(arms) != 1:
        return None
    rule = _REBASE_RULES.get(arms[0].kind)
    return rule(acc, arms[0], types) if rule is not None and rule is not _rebase_choice else None


def _null_pointer(n: Node) -> bool:
    """`nullptr`, C++'s `NULL`, or an integer literal where a pointer is expected (only 0 converts)."""
    return n.kind == "other" and n.op == "null" and not n.children or n.kind == "int"


_MAX_REBASE = 4
_REBASE_RULES = {"ref": _rebase_alias, "unop": _rebase_address, "subscript": _rebase_row, "binop": _rebase_offset,
                 "cond": _rebase_choice}


def _local_array(name: str, a: RegionAnalysis) -> bool:
    """An array object of this function (a pointer declared in the body may point at shared data)."""
    return a.context is not None and name in a.context.local_arrays


def _field_named(acc: Access, variables) -> Access:
    """An access through a field named like a variable of the function (`f.legs[k]` beside
    `Leg legs[9]`, `atom.u[n]` beside `double u[3]`) under the field's own name (`f.legs`), so it is
    neither privatised nor tested as that variable."""
    n = acc.node
    while n.kind == "subscript" and n.children:
        n = n.children[0]
    if n.kind != "member" or acc.kind != "subscript" or acc.base != n.op or acc.base not in variables:
        return acc          # (p->x is named by the pointer p: not a field's name)
    root = n.children[0] if n.children else None
    owner = root.op if root is not None and root.kind == "ref" else ""
    return replace(acc, base=f"{owner}.{acc.base}")


def _varying_names(loop: Loop, a: RegionAnalysis) -> set[str]:
    """The variables that change from one iteration of the loop to the next (loop variables and scalars written)."""
    varying = {l.var for l in a.loops if l.var and loop in l.chain()}
    return varying | {u.name for u in a.scalars if u.write and loop in u.loops}


def _reads_unstored(acc: Access, stores: set[int]) -> bool:
    """The access reads an element that no earlier statement of the iteration stored."""
    if not acc.load or (acc.store and acc.assign is not None and acc.assign.kind == "binop"):
        return False
    # a store satisfies reads of later statements, not the reads of its own right-hand side
    return not stores - {id(acc.assign)}


def _written_first(loop: Loop, accs: list[Access], a: RegionAnalysis) -> bool:
    """Every element the iteration reads was stored earlier in the same iteration, unconditionally,
    at a fixed subscript: such an array is private to each iteration."""
    stored: dict[tuple, set[int]] = {}     # element -> the statements that stored it
    varying = _varying_names(loop, a)
    covers = Covers(loop, a)                # stores inside inner loops with constant bounds
    for acc in sorted(accs, key=lambda x: x.order):
        if acc.kind == "arrow":
            return False
        where = _fixed(acc, a, varying)
        if where is None:
            if acc.load and not covers.covered(acc) or acc.store and not (covers.add(acc) or covers.covered(acc)):
                return False
            continue
        if _reads_unstored(acc, stored.get(where, set())) and not covers.covered(acc):
            return False
        if acc.store:
            if loop in acc.conditional_in:
                if not (stored.get(where) or covers.covered(acc)):
                    return False
                continue        # a conditional overwrite of an element the iteration stored already
            stored.setdefault(where, set()).add(id(acc.assign))
            covers.add(acc)
    # An array only written here keeps the last iteration's value after the loop: not a temporary.
    return bool(stored or covers.covers) and any(acc.load for acc in accs)


def _reduction_of(acc: Access) -> str | None:
    """The operator if `acc` is the target (or its self-read) of a reduction statement."""
    assign = acc.assign
    if assign is None or not assign.children:
        return None
    target = assign.children[0]
    if not _updated_by(acc, target):
        return None
    return reduction_op(assign, lambda n: same_tree(n, target))


def _updated_by(acc: Access, target: Node) -> bool:
    """Whether `acc` is the target of an update, or its self-read: `a[k] += x`, and for an element's
    field (`u[k].re += x`, recorded as an access to u[k] moving field re) the element under the
    target's member access, with the same field."""
    whole = target
    if acc.field and target.kind == "member" and target.op == acc.field and target.children:
        whole = target.children[0]
    return acc.node is whole or (acc.load and same_tree(acc.node, whole))


def _accesses_by_base(loop: Loop, a: RegionAnalysis) -> dict[str, list[Access]]:
    """The loop's array accesses (row pointers rebased onto their arrays), grouped by array."""
    by_base: dict[str, list[Access]] = {}
    found: list[Access] = []
    pointers = _pointer_defs(loop, a)
    written = {u.name for u in a.scalars if u.write and loop in u.loops}
    own = OwnObjects(loop, _body(loop), a)      # `pi.vel[k]` with `auto pi = p[i];` in the body
    rows = RowLoads(loop, a, written)           # `path[t-1][k]` with path[t-1] unchanged in the loop
    variables = a.declared.keys() | (a.context.types.keys() if a.context is not None else set())
    for acc in a.accesses:
        if loop in acc.loops and not (acc.load and not acc.store and acc.node.ty == "array") \
                and not own.holds(acc):
            acc = rows.named(_field_named(_stepped(acc, a), variables))
            # (a row of a 2-D array used as a pointer is an address, not a load)
            for _ in range(_MAX_REBASE):      # `xa2 = xa1 + 12` with `xa1 = base`: down to base
                rebased = _rebased(acc, a, pointers, written)
                if rebased is acc:
                    break
                acc = rebased
            found.append(acc)
    for acc in by_object(found, a.context.struct_values if a.context is not None else set()):
        by_base.setdefault(acc.base, []).append(acc)    # `mc.rho` and `cc.rho`: two arrays
    return {base: in_common_units(accs) for base, accs in by_base.items()}


def _stepped(acc: Access, a: RegionAnalysis) -> Access:
    """An access through a pointer stepped like an induction variable, as the array it points into
    at the offset it holds there (pointersteps.py): `*p` with p = out + r*m + c is out[r*m + c]."""
    found = a.stepped.get(id(acc.node))
    return acc if found is None else _at_offset(acc, *found)


def points_into_other_arrays(loop: Loop, a: RegionAnalysis) -> bool:
    """Whether one of the loop's accesses goes through a pointer rebased onto another array (`p = f + 63`):
    a model that takes distinct names for distinct arrays (the SCoP's) does not hold for this loop."""
    raw = {id(acc.node): acc.base for acc in a.accesses if loop in acc.loops}
    by_base = _accesses_by_base(loop, a)
    return any(acc.base != raw.get(id(acc.node), acc.base) for accs in by_base.values() for acc in accs) \
        or any(len({width(x) for x in a.accesses if loop in x.loops and x.base == base}) > 1
               for base in by_base)       # one array read as elements of two sizes: not the SCoP's model


def _arrays(loop: Loop, a: RegionAnalysis, space: LevelSpace, v: LevelVerdict) -> set[str]:
    """Test every store against every access of its array; return the arrays touched (not private)."""
    shared: set[str] = set()
    budget = [MAX_PAIR_TESTS]
    ups = parents(loop.node)          # the branches around each access (_pair_key)
    for base, accs in _accesses_by_base(loop, a).items():
        stores = [x for x in accs if x.store]
        if base and declared_within(base, loop, a) and _local_array(base, a):
            if stores:
                v.privatized.append(base)
            continue
        if not stores:
            shared.add(base)
            continue
        if base and _written_first(loop, accs, a):
            v.privatized.append(base)
            continue
        shared.add(base)
        shadow = _shadowing_loop(loop, accs)
        if shadow is not None:        # not a row assumption's to excuse: the test itself would be wrong
            v.add(Dependence(base, "unknown", shadow.node.line),
                  f"could not prove that iterations of {loop.var} touch distinct elements of {base} (the loop at "
                  f"line {shadow.node.line} inside it declares its own {shadow.var}; the test names loop variables "
                  f"by their names)")
            continue
        trial = LevelVerdict(loop, True)
        _test_base(base, accs, stores, space, trial, budget, ups)
        note = row_assumption(accs, loop, a, _pointer_defs(loop, a), _varying_names(loop, a)) \
            if trial.reasons else None
        if note:
            v.assumptions.append(note)         # `out_row = out + 3*i; out_row[k*ostride]`: rows apart
            continue
        v.dependences += trial.dependences
        v.reasons += trial.reasons
        v.reduction_vars += trial.reduction_vars
    return shared


# S3D's generated chemistry puts 2,000 accesses to a few arrays in one loop body: 84,598 pair tests
# (about 0.2 ms each) at one file. Each level tests at most this many pairs; past it the level is
# serial with "could not prove" (a stated fallback, never a guess). The largest count elsewhere:
# see docs/parsing.md (S3D's time-out).
MAX_PAIR_TESTS = 2000


def _shadowing_loop(loop: Loop, accs: list[Access]) -> Loop | None:
    """A loop around one of the accesses, at or inside `loop`, whose variable has the name of a loop around
    it (`for (i...) { for (int i...) a[i] = ...; }`, as S3D's `passes` loop around its chemistry): the pair
    test renames loop variables by name, so the two would be one unknown, and the outer loop's output
    dependence on a[0..n) would go unseen."""
    for acc in accs:
        if loop not in acc.loops:
            continue
        seen: set[str] = set()
        for l in acc.loops[acc.loops.index(loop):]:          # outermost first
            if l.var in seen:
                return l
            if l.var:
                seen.add(l.var)
    return None


def _pair_key(acc: Access, space: LevelSpace, ups: dict[int, Node]) -> tuple:
    """What pair_dependence reads of an access: its shape, the value of each subscript (or the node
    when it has none: never equal to another's), whether a subscript loads from changing memory, the
    loops from the level inward (their variables are renamed per side) and the branches around it.
    Two accesses with equal keys give the same answer against any partner."""
    values = []
    for ix in acc.indices:
        p = space.terms.poly(ix)
        values.append((frozenset(p.items()) if p is not None else id(ix), space.terms.varies(ix)))
    loops = acc.loops[list(acc.loops).index(space.loop):] if space.loop in acc.loops else acc.loops
    arrow = (acc.node.op, acc.node.storage) if acc.kind == "arrow" else None
    return (acc.base, acc.kind, arrow, tuple(values), tuple(map(id, loops)), _branches(acc, space.loop, ups))


def _branches(acc: Access, loop: Loop, ups: dict[int, Node]) -> tuple:
    """The `if` branches around an access inside the level's loop: the pair test reads their conditions
    (guards.py: `if (i == 0) V[id] = ...` and `else if (i == 1) V[id] = ...` are not one access)."""
    out, child, up = [], acc.node, ups.get(id(acc.node))
    while up is not None and up is not loop.node:
        if up.kind == "if":
            out.append((id(up), child.role))
        child, up = up, ups.get(id(up))
    return tuple(out)


def _test_base(base: str, accs: list[Access], stores: list[Access], space: LevelSpace, v: LevelVerdict,
               budget: list[int], ups: dict[int, Node]) -> None:
    """Test each store against each access of `base` until a dependence or the level's budget stops it."""
    reduced: set[str] = set()
    ops: dict[int, str | None] = {}
    keys = {id(acc): _pair_key(acc, space, ups) for acc in accs}
    apart: set[tuple] = set()     # key pairs already proved never to meet

    def op_of(acc: Access) -> str | None:
        if id(acc) not in ops:
            ops[id(acc)] = _reduction_of(acc)
        return ops[id(acc)]

    for s in stores:
        for o in accs:
            if o.order < s.order and o.store or _separate_fields(s, o):
                continue            # each store pair once; `p[i].density` never meets `p[j].pos`
            pair = (keys[id(s)], keys[id(o)], o.store)
            if pair in apart:
                continue            # the same subscripts in the same loops: the same answer
            if budget[0] <= 0:      # every array past the budget is serial, each with this reason
                v.add(Dependence(base, "unknown", s.line),
                      f"could not prove that iterations of {space.loop.var or 'the loop'} touch distinct "
                      f"elements of {base} (line {s.line}: too many accesses: more than {MAX_PAIR_TESTS} "
                      f"pairs to test at this loop)")
                return
            budget[0] -= 1
            kind = pair_dependence(s, o, space)
            if kind is None:
                apart.add(pair)
                continue
            op_s, op_o = op_of(s), op_of(o)
            if op_s is not None and op_s == op_o:
                # every access involved is an update with one associative operator (a histogram's
                # h[key[i]]++ too): the order of the updates does not matter
                reduced.add(op_s)
                continue
            v.add(Dependence(base, kind, s.line), space.explain(kind, base, s, o))
            return
    for op in sorted(reduced):
        v.reduction_vars.append((base, op))


def _separate_fields(s: Access, o: Access) -> bool:
    """Two different fields of elements of one array of structs (neither in a union nor a bit-field):
    `p[i].density` and `p[j].pos` never share a byte, whatever i and j are. Elements of one size
    only (an array read through a cast to another struct type is not trusted)."""
    return bool(s.field and o.field) and s.field != o.field and s.kind == o.kind == "subscript" \
        and s.node.size == o.node.size > 0


# ---- aliasing -----------------------------------------------------------------------------------
def _overlap_pairs(loop: Loop, a: RegionAnalysis, shared: set[str]) -> list[tuple[str, str]]:
    """Pairs (stored, other) of distinct shared bases that nothing in the code keeps apart."""
    types = a.context.types if a.context is not None else {}
    # C's `restrict` states that the object a restrict pointer reaches is reached through no other
    # name while one of them writes. A pointer declared in the function may point into any array,
    # local ones included (`float *p = f + 63`); a pointer parameter never assigned in the body
    # came from the caller, before this call's local arrays existed.
    restrict = a.context.restrict if a.context is not None else set()
    local = a.context.local_arrays if a.context is not None else set()
    fixed = a.context.fixed_params if a.context is not None else set()
    # stores as the dependence test saw them: through pointers rebased onto the arrays they point into
    stored = {base for base, accs in _accesses_by_base(loop, a).items()
              if base in shared and any(acc.store for acc in accs)}
    others = shared - restrict - {""}
    pairs = {tuple(sorted((s, o))) for s in stored - restrict - {""} for o in others if o != s}
    # two arrays (not pointers) are distinct objects
    return sorted(p for p in pairs if not _distinct(p, types, local, fixed))


def _distinct(pair: tuple[str, str], types: dict, local: set[str], fixed: set[str]) -> bool:
    x, y = pair
    if types.get(x) == "array" and types.get(y) == "array":
        return True
    return (x in local and y in fixed) or (y in local and x in fixed)


def _aliasing(loop: Loop, a: RegionAnalysis, shared: set[str], alias_assumption: bool, v: LevelVerdict) -> None:
    pairs = _overlap_pairs(loop, a, shared)
    if not pairs:
        return
    if alias_assumption:
        v.assumptions.extend(f"{x} and {y} do not overlap" for x, y in pairs)
        return
    x, y = pairs[0]
    v.add(Dependence(x, "unknown", loop.node.line),
          f"could not prove {x} and {y} do not overlap (pointers; the alias assumption is off)")


# ---- per level ----------------------------------------------------------------------------------
def _single_iteration(loop: Loop, a: RegionAnalysis) -> bool:
    """A counted loop that runs at most once (`for (k = 0; k < 1; k++)`): no two iterations to order."""
    return loop.trip is not None and loop.trip <= 1 and loop.node.kind == "for" and \
        _body_write_of_loop_var(loop, a) is None


def _verdict(loop: Loop, a: RegionAnalysis, alias_assumption: bool) -> LevelVerdict:
    v = LevelVerdict(loop, True)
    if _single_iteration(loop, a):
        return v
    _shape(loop, a, v)
    private = {name for name in a.declared if _local_array(name, a) and declared_within(name, loop, a)}
    private |= _pointers_into(private, loop, a)
    _control(loop, a, private, _own_scalars(loop, a), v)
    scalar_dependences(loop, a, v)
    space = LevelSpace(loop, a)
    shared = _arrays(loop, a, space, v)
    if not v.reasons:
        _aliasing(loop, a, shared, alias_assumption, v)
    v.assumptions.extend(space.assumptions)
    v.assumptions = list(dict.fromkeys(v.assumptions))
    v.privatized = list(dict.fromkeys(v.privatized))
    v.parallel = not v.reasons
    v.reductions = len(v.reduction_vars)
    v.kind = "serial" if v.reasons else ("reduction" if v.reduction_vars else "parallel")
    return v


def loop_verdicts(a: RegionAnalysis, alias_assumption: bool = True) -> dict[int, LevelVerdict]:
    """id(loop) -> verdict for every loop of the region."""
    return {id(loop): _verdict(loop, a, alias_assumption) for loop in a.loops}


