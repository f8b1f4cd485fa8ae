"""What every feature family reads about a region, computed once per region.

`analyse(region, unit)` walks the region's IR a single time and records its
loops (variable, trip count, nesting), memory accesses (base, indices,
load/store, element size, address space), scalar reads and writes, calls, and
the single definitions of scalars (for expanding `idx = i*n + j`). Dependence
tests per loop level live in `deps.py`; feature families only read this.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .affine import WORK_ITEM_FUNCS
from .calls import UnitFacts
from .sizes import SizeEnv, address_taken, evaluate, sizes_for
from ..frontend.ir import LOOP_KINDS, Function, Node, UnitIR, all_nodes, walk
from .regions import Region

__all__ = ["Loop", "Access", "ScalarUse", "RegionAnalysis", "FunctionContext", "function_context", "analyse",
           "COMPARISONS"]

COMPARISONS = frozenset({"<", "<=", ">", ">=", "!="})
_STEPS = frozenset({"++", "--", "post++", "post--"})
_REDUCING_ASSIGN = frozenset({"+=", "-=", "*=", "|=", "&=", "^="})
_BRANCHING = frozenset({"if", "switch", "cond"})


@dataclass(slots=True, eq=False)
class Loop:
    node: Node
    var: str | None
    depth: int
    parent: "Loop | None"
    trip: int | None
    children: list["Loop"] = field(default_factory=list)

    def chain(self) -> list["Loop"]:
        """This loop and the loops around it, innermost first."""
        out, loop = [], self
        while loop is not None:
            out.append(loop)
            loop = loop.parent
        return out


@dataclass(slots=True, eq=False)
class Access:
    node: Node
    base: str
    indices: list[Node]
    load: bool
    store: bool
    size: int
    kind: str                      # 'subscript', 'deref' or 'arrow'
    loops: tuple[Loop, ...]        # enclosing loops of the region, outermost first
    assign: Node | None            # the assignment this access belongs to, if any
    line: int = 0                  # line of the statement it sits in
    order: int = 0                 # position in program order within the region
    conditional_in: tuple[Loop, ...] = ()   # loops inside which it sits under a branch
    field: str = ""                # `a[i].x`: the field moved, when it overlaps no other (ir: storage 'field')


@dataclass(slots=True, eq=False)
class ScalarUse:
    name: str
    write: bool
    node: Node                     # the ref (reads) or the assignment (writes)
    loops: tuple[Loop, ...]
    conditional_in: tuple[Loop, ...]  # loops inside which this use sits under a branch
    order: int
    line: int = 0
    field: str = ""                # `cc.real`: the field path used ("" for the whole variable)
    span: int = 0                  # bytes of that field (a field write), 0 where unknown


@dataclass(slots=True, eq=False)
class RegionAnalysis:
    region: Region
    is_kernel: bool
    nodes: list[Node]              # every node of the region outside loop headers
    loops: list[Loop]
    accesses: list[Access]
    scalars: list[ScalarUse]
    declared: dict[str, tuple[Loop, ...]]   # variables declared inside the region -> their loop chain
    defs: dict[str, Node]
    loop_vars: frozenset[str]
    spaces: dict[str, str]         # variable -> OpenCL address space
    ndrange_dims: int
    recursion: bool
    opencl: bool = False
    thread_vars: tuple[str, ...] = ()     # symbols adjacent GPU threads step along
    verdicts: dict = field(default_factory=dict)   # id(loop) -> deps.LevelVerdict
    context: "FunctionContext | None" = None
    header_steps: list = field(default_factory=list)   # (variable, loop, update) in for headers: o++ in `++q, o++`
    statics: set = field(default_factory=set)          # static locals declared in the region: shared, not private
    inductions: dict = field(default_factory=dict)     # id(loop) -> induction variables with a closed form there (idioms.py)
    stepped: dict = field(default_factory=dict)        # id(access node) -> (array, offset) through a stepped pointer (idioms.py)
    summarised: set = field(default_factory=set)       # ids of helper calls whose accesses were added (helpers.py)
    polyhedral: object = None      # polyhedral.Polyhedral (SCoP and ISL dependences), or why there is none
    index_functions: dict = field(default_factory=dict)  # the file's one-return index functions (index_terms.py)
    declarations: dict[str, list] = field(default_factory=dict)   # name -> the loop chain of each declaration


# ---- loops -------------------------------------------------------------------------------------
def _strip_ref(node: Node | None) -> str | None:
    return node.op if node is not None and node.kind == "ref" else None


def _int_value(node: Node | None) -> int | None:
    return None if node is None else node.value


def _loop_var_and_start(init: Node | None, params: dict[str, int]) -> tuple[str | None, int | None]:
    if init is None:
        return None, None
    if init.kind == "decl" and init.children:
        var = init.children[0]
        return var.op, _known(var.children[0], params) if var.children else None
    if init.kind == "binop" and init.op == "=" and len(init.children) == 2:
        return _strip_ref(init.children[0]), _known(init.children[1], params)
    return None, None


def _step(inc: Node | None, var: str) -> int | None:
    if inc is None:
        return None
    kids = inc.children
    if inc.kind == "unop" and kids and _strip_ref(kids[0]) == var:
        return {"post++": 1, "++": 1, "post--": -1, "--": -1}.get(inc.op)
    if inc.kind == "assign_op" and len(kids) == 2 and _strip_ref(kids[0]) == var:
        c = _int_value(kids[1])
        return None if c is None else {"+=": c, "-=": -c}.get(inc.op)
    if inc.kind == "binop" and inc.op == "=" and len(kids) == 2 and _strip_ref(kids[0]) == var:
        return _assigned_step(kids[1], var)
    return None


def _assigned_step(rhs: Node, var: str) -> int | None:
    """The step of `v = v + c`, `v = v - c` or `v = c + v`."""
    if rhs.kind != "binop" or rhs.op not in ("+", "-") or len(rhs.children) != 2:
        return None
    a, b = rhs.children
    if _strip_ref(a) == var and b.value is not None:
        return b.value if rhs.op == "+" else -b.value
    if rhs.op == "+" and _strip_ref(b) == var and a.value is not None:
        return a.value
    return None


def _known(node: Node | None, params) -> int | None:
    """A header value: folded by clang, or an expression over sizes the program fixes (`n - 1`, `n / 2`,
    `m` with `int m = n - 1`; xapp.analysis.sizes). `params` is a SizeEnv or a plain name -> value map."""
    if node is None:
        return None
    if node.value is not None:
        return node.value
    if isinstance(params, SizeEnv):
        return params.value(node)
    return evaluate(node, params.get)


def _trip(node: Node, params: dict[str, int] | None = None) -> tuple[str | None, int | None]:
    """(loop variable, trip count) of a counted for loop; trip None if not statically known."""
    if node.kind != "for":
        return None, None
    params = params or {}
    var, start = _loop_var_and_start(node.child("init"), params)
    cond = node.child("cond")
    if var is None or cond is None or cond.kind != "binop" or cond.op not in COMPARISONS:
        return var, None
    bound, op = _bound_and_op(cond, var, params)
    if op is None:
        return var, None
    step = _step(node.child("inc"), var)
    if start is None or bound is None or not step:
        return var, None
    span = _span(op, step, start, bound)
    if span is None:
        return var, None
    return var, max(0, -(-span // abs(step)))


def _bound_and_op(cond: Node, var: str, params: dict[str, int]) -> tuple[int | None, str | None]:
    """The bound of `v OP X` (or `X OP v`, turned round to `v OP' X`); op None when v is on neither side."""
    left, right = cond.children if len(cond.children) == 2 else (None, None)
    if _strip_ref(left) == var:
        return _known(right, params), cond.op
    if _strip_ref(right) == var:
        return _known(left, params), {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "!=": "!="}[cond.op]
    return None, None


def _span(op: str, step: int, start: int, bound: int) -> int | None:
    """How far the variable travels before the test fails; None for a loop that runs zero times or forever."""
    if op in ("<", "!=") and step > 0:
        return bound - start
    if op == "<=" and step > 0:
        return bound - start + 1
    if op in (">", "!=") and step < 0:
        return start - bound
    if op == ">=" and step < 0:
        return start - bound + 1
    return None


# ---- definitions -------------------------------------------------------------------------------
def _updates_in_place(n: Node) -> bool:
    """`x += ...`, `x++` and the like (not a dereference, address-of or sign)."""
    return n.kind in ("assign_op", "unop") and bool(n.children) and n.op not in ("*", "&", "-", "+", "!", "~")


def _definition(n: Node) -> tuple[str | None, Node | None]:
    """(name, value) of a declaration or a plain assignment; (None, None) for other nodes."""
    if n.kind == "var" and n.ty not in ("array", "struct"):
        value = n.children[0] if n.children else None
        if value is not None and value.kind == "init_list" and len(value.children) == 1 and n.ty == "int":
            value = value.children[0]          # `size_t n = {COUNT};`: an integer's braces hold its value
        return n.op, value
    if n.kind == "binop" and n.op == "=" and len(n.children) == 2:
        return _strip_ref(n.children[0]), n.children[1]
    return None, None


def single_definitions(nodes: list[Node]) -> dict[str, Node]:
    """Scalars assigned exactly once in the function (and never updated in place) -> their value.
    A scalar whose address is taken (`fscanf(fp, "%d", &n)`) may be written through it: never single."""
    defs: dict[str, Node] = {}
    count: dict[str, int] = {}
    for n in nodes:
        if _updates_in_place(n):
            name = _strip_ref(n.children[0])
            if name:
                count[name] = count.get(name, 0) + 2   # updated in place: never a single definition
            continue
        name, value = _definition(n)
        if name:
            count[name] = count.get(name, 0) + (1 if value is not None else 0)
            if value is not None:
                defs[name] = value
    taken = address_taken(nodes)
    return {k: v for k, v in defs.items() if count.get(k) == 1 and k not in taken}


def _recursion(fn: Function, unit: UnitIR, region_calls: set[str]) -> bool:
    bodies = {f.name: f for f in unit.functions}
    seen, frontier = set(), list(region_calls)
    while frontier:
        name = frontier.pop()
        if name == fn.name:
            return True
        if name in seen or name not in bodies:
            continue
        seen.add(name)
        frontier.extend(n.op for n in all_nodes(bodies[name].body) if n.kind == "call")
    return False


# ---- the walk ----------------------------------------------------------------------------------
class _Walker:
    def __init__(self, region: Region, params=None):
        self.region = region
        self.params = params if params is not None else {}
        self.nodes: list[Node] = []
        self.loops: list[Loop] = []
        self.accesses: list[Access] = []
        self.scalars: list[ScalarUse] = []
        self.declared: dict[str, tuple[Loop, ...]] = {}
        self.declarations: dict[str, list[tuple[Loop, ...]]] = {}
        self.order = 0
        self.line = region.line
        self.steps: list[tuple[str, Loop, Node]] = []   # (variable, loop, update) in a loop's header
        self.statics: set[str] = set()
        self.first_refs: dict[int, str] = {}   # id(node) -> _first_ref, shared along a chain `p->n->n`
        self.fields: dict[str, int] = {}       # array field -> its constant index in a subscript chain (< 0)

    def run(self) -> None:
        root = self.region.root
        # Frames: (node, loops, branch_loops, lhs, assign); lhs 0 read, 1 store, 2 read+store
        stack = [(root, (), (), 0, None)]
        while stack:
            node, loops, branch, lhs, assign = stack.pop()
            self.order += 1
            if node.line:
                self.line = node.line
            k = node.kind
            if k in LOOP_KINDS:
                loops = self._enter_loop(node, loops)
                branch_inner = branch
                for c in reversed(node.children):
                    if c.role == "body":
                        stack.append((c, loops, branch_inner, 0, None))
                    elif k != "for":   # while/do conditions run every iteration
                        stack.append((c, loops, branch_inner, 0, None))
                    else:
                        self._header_scalars(c, loops)
                self.nodes.append(node)
                continue
            self.nodes.append(node)
            kids = node.children
            if k == "var":
                self.declared[node.op] = loops
                self.declarations.setdefault(node.op, []).append(loops)
                if node.storage == "static":
                    self.statics.add(node.op)
                else:
                    self.statics.discard(node.op)
                if kids:
                    self.scalars.append(ScalarUse(node.op, True, node, loops, branch, self.order, self.line))
            elif k in _BRANCHING:
                branch = loops
            elif k == "binop" and node.op in ("&&", "||"):
                branch = loops
            if self._access(node, loops, lhs, assign, stack, branch):
                continue
            if k == "member" and not kids and lhs == 0:
                self.scalars.append(ScalarUse(f"this->{node.op}", False, node, loops, branch, self.order, self.line))
                continue
            root = struct_variable(node) if k == "member" else None
            if root is not None:
                if lhs == 0:         # (a store's target was recorded by _scalar_write)
                    self.scalars.append(ScalarUse(root.op, False, root, loops, branch, self.order, self.line,
                                                  _field_path(node)))
                continue
            if k == "ref":
                if lhs == 0:
                    self.scalars.append(ScalarUse(node.op, False, node, loops, branch, self.order, self.line))
                continue
            if k == "binop" and node.op == "=" and len(kids) > 2 and kids[0].kind == "ref":
                # clang's error recovery left `out(b, c, y, x) = v` in pieces: a store to a location
                # the analysis cannot name (a returned reference), and reads of the pieces
                self._record(node, "", [], 1, "subscript", loops, node, branch=branch)
                for c in reversed(kids):
                    stack.append((c, loops, branch, 0, node))
                continue
            if k == "binop" and node.op == "=" and len(kids) >= 2:
                # (more than two children: clang's error recovery left the right-hand side in pieces;
                # the target is still stored)
                self._scalar_write(kids[0], node, loops, branch, reads=False)
                for c in reversed(kids[1:]):
                    stack.append((c, loops, branch, 0, node))
                stack.append((kids[0], loops, branch, 1, node))
                continue
            if (k == "assign_op" or (k == "unop" and node.op in ("++", "--", "post++", "post--"))) and kids:
                self._scalar_write(kids[0], node, loops, branch, reads=True)
                for c in reversed(kids[1:]):
                    stack.append((c, loops, branch, 0, node))
                stack.append((kids[0], loops, branch, 2, node))
                continue
            for c in reversed(kids):
                stack.append((c, loops, branch, 0, assign))

    def _header_scalars(self, header: Node, loops: tuple[Loop, ...]) -> None:
        """Loop headers are not region work, but the variables they set are written there."""
        for n in walk(header):
            if n.kind == "var":
                self.declared[n.op] = loops
                self.declarations.setdefault(n.op, []).append(loops)
            elif n.kind == "binop" and n.op == "=" and n.children and n.children[0].kind == "ref":
                self.scalars.append(ScalarUse(n.children[0].op, True, n, loops, (), self.order, header.line or self.line))
            elif (n.kind == "assign_op" or (n.kind == "unop" and n.op in _STEPS)) and n.children \
                    and n.children[0].kind == "ref" and loops:
                self.steps.append((n.children[0].op, loops[-1], n))

    def _enter_loop(self, node: Node, loops: tuple[Loop, ...]) -> tuple[Loop, ...]:
        var, trip = _trip(node, self.params)
        parent = loops[-1] if loops else None
        loop = Loop(node, var, len(loops) + 1, parent, trip)
        if parent:
            parent.children.append(loop)
        self.loops.append(loop)
        return loops + (loop,)

    def _scalar_write(self, target: Node, assign: Node, loops, branch, reads: bool) -> None:
        if target.kind == "ref":
            self.scalars.append(ScalarUse(target.op, True, assign, loops, branch, self.order, self.line))
            if reads:
                self.scalars.append(ScalarUse(target.op, False, target, loops, branch, self.order, self.line))
            return
        if target.kind == "member" and not target.children:
            # `total = ...` in a method: this->total, state every iteration shares (unrecorded before,
            # `total = total * 0.5f + a[i]` was a loop with no dependence)
            name = f"this->{target.op}"
            self.scalars.append(ScalarUse(name, True, assign, loops, branch, self.order, self.line))
            if reads:
                self.scalars.append(ScalarUse(name, False, target, loops, branch, self.order, self.line))
            return
        root = struct_variable(target)
        if root is not None:
            # `cc.real = ...` stores one field of a struct variable (unrecorded before, `cc.real =
            # cc.real * 0.5f + a[m]` was a loop with no dependence at all); deps.py privatises the
            # variable only where every read is of a field written before it in the iteration
            path = _field_path(target)
            self.scalars.append(ScalarUse(root.op, True, assign, loops, branch, self.order, self.line, path,
                                          target.size))
            if reads:
                self.scalars.append(ScalarUse(root.op, False, root, loops, branch, self.order, self.line, path))

    def _access(self, node: Node, loops, lhs: int, assign, stack, branch, size: int | None = None,
                field: str = "") -> bool:
        """Record a memory access; push what it reads (indices, bases) and return True, or False."""
        k = node.kind
        if k == "member" and node.children and node.children[0].kind == "subscript" \
                and node.children[0].ty != "ptr":
            # a[i].x moves one field, not the whole struct
            return self._access(node.children[0], loops, lhs, assign, stack, branch, size=node.size,
                                field=node.op if node.storage == "field" else "")
        if k == "subscript":
            indices, base = self._subscripts(node)
            indices.reverse()
            if base.kind == "unop" and base.op == "*" and base.ty == "array" and base.children:
                # (*B)[r][s] with B a pointer to an array: *B is an address, not a load of the whole
                # pointee; the access is to B's elements
                base = base.children[0]
            name = base.op if base.kind in ("ref", "member") else ""
            self._record(node, name, indices, lhs, "subscript", loops, assign, size, branch)
            self.accesses[-1].field = field
            if base is node:   # a malformed subscript (error recovery): read what it holds
                stack.extend((c, loops, branch, 0, assign) for c in node.children)
            elif base.kind != "ref":
                stack.append((base, loops, branch, 0, assign))
            for ix in indices:
                stack.append((ix, loops, branch, 0, assign))
            return True
        if k == "unop" and node.op == "*" and node.children:
            inner = node.children[0]
            if inner.kind == "binop" and inner.op in ("+", "-") and len(inner.children) == 2:
                base_node, indices = inner.children[0], [inner.children[1]]
            else:
                base_node, indices = inner, []
            name = _first_ref(base_node, self.first_refs)
            self._record(node, name, indices, lhs, "deref", loops, assign, branch=branch)
            stack.append((inner, loops, branch, 0, assign))
            return True
        if k == "member" and node.children and node.children[0].ty == "ptr":
            base_node = node.children[0]
            name = _first_ref(base_node, self.first_refs)
            self._record(node, name, [], lhs, "arrow", loops, assign, branch=branch)
            stack.append((base_node, loops, branch, 0, assign))
            return True
        return False

    def _subscripts(self, node: Node) -> tuple[list[Node], Node]:
        """(indices, innermost first; the base) of a subscript chain. An array field of an array
        element continues the chain with the field as a constant index: `c[i].link[j].e[k][l]` is
        c[i][link][j][e][k][l], so two elements' `e` are apart (named `e` alone, every element's
        `e[k][l]` looked like one array: su3's false flow dependence)."""
        indices, base = [], node
        while True:
            if base.kind == "subscript" and len(base.children) == 2:
                indices.append(base.children[1])
                base = base.children[0]
                if base.kind == "subscript" and base.ty == "ptr":
                    return indices, base     # a pointer loaded from an array of pointers: its own access
            elif base.kind == "member" and base.ty == "array" and base.children \
                    and base.children[0].kind == "subscript" and base.children[0].ty != "ptr":
                indices.append(Node("int", value=self.fields.setdefault(base.op, -1 - len(self.fields))))
                base = base.children[0]
            else:
                return indices, base

    def _record(self, node, name, indices, lhs, kind, loops, assign, size: int | None = None,
                branch=()) -> None:
        self.accesses.append(Access(node, name, indices, lhs != 1, lhs >= 1,
                                    node.size if size is None else size, kind, loops, assign,
                                    self.line, self.order, branch))


def struct_variable(target: Node) -> Node | None:
    """The variable (its ref) whose field `target` names through `.` only (`cc.real`, `s.a.b`), or None."""
    node = target
    while node.kind == "member" and node.children and node.children[0].ty != "ptr":
        node = node.children[0]
    return node if node is not target and node.kind == "ref" else None


def _field_path(node: Node) -> str:
    """`a.b` of `cc.a.b`."""
    names = []
    while node.kind == "member" and node.children:
        names.append(node.op)
        node = node.children[0]
    return ".".join(reversed(names))


def _first_ref(node: Node, memo: dict[int, str] | None = None) -> str:
    """The first variable named in `node` (pre-order). Down the first children first: a chain of 3,000
    `->` is one path, remembered for each node on it, so its 3,000 accesses cost linear time, not square."""
    memo = {} if memo is None else memo
    path, n = [], node
    while id(n) not in memo and n.kind != "ref" and n.children:
        path.append(n)
        n = n.children[0]
    if id(n) in memo:
        found = memo[id(n)]
    elif n.kind == "ref":
        found = n.op
    else:
        found = ""
    if not found:      # the first path holds no name: a full pre-order walk of the node decides
        found = next((m.op for m in walk(node) if m.kind == "ref"), "")
        path = [node]
    for m in path:
        memo[id(m)] = found
    return found


def _spaces(fn: Function, nodes: list[Node]) -> dict[str, str]:
    spaces = {p.op: p.space for p in fn.params if p.space}
    spaces.update({n.op: n.space for n in nodes if n.kind == "var" and n.space})
    return spaces


@dataclass(slots=True, eq=False)
class FunctionContext:
    """What every region of one function shares: computed once per function, not per region
    (a function with thousands of loops would otherwise cost quadratic time)."""

    defs: dict[str, Node]
    spaces: dict[str, str]
    types: dict[str, str] = field(default_factory=dict)      # variable -> type category (ptr, array, ...)
    params: dict[str, int] = field(default_factory=dict)     # parameters with one constant over all call sites
    unit: UnitFacts | None = None                              # call effects of the whole file
    local_arrays: set[str] = field(default_factory=set)       # arrays declared in the function body
    restrict: set[str] = field(default_factory=set)           # `restrict` pointer parameters
    decl_lines: dict[str, list[int]] = field(default_factory=dict)   # local variable -> lines declaring it
    fixed_params: set[str] = field(default_factory=set)       # pointer parameters never assigned in the body
    sizes: SizeEnv | None = None                               # every size the function's loop bounds read
    struct_values: set[str] = field(default_factory=set)      # struct variables declared by value (memberbases.py)
    pointees: dict[str, int] = field(default_factory=dict)    # pointer or array -> bytes of its element (0: unknown)
    sizes_of: dict[str, int] = field(default_factory=dict)    # variable -> bytes it occupies (0: unknown)


def function_context(fn: Function, unit: UnitFacts | None = None) -> FunctionContext:
    nodes = all_nodes(fn.body)
    types = dict(unit.globals) if unit else {}
    types.update({p.op: "ptr" if p.ty == "array" else p.ty for p in fn.params})   # array parameters are pointers
    types.update({n.op: n.ty for n in nodes if n.kind == "var"})
    types.update(_deduced_pointers(nodes, types))
    params = unit.param_values.get(fn.name, {}) if unit else {}
    local_arrays = {n.op for n in nodes if n.kind == "var" and n.ty == "array"}
    statics = {n.op for n in nodes if n.kind == "var" and n.storage == "static"}
    assigned = {n.children[0].op for n in nodes if (n.kind == "assign_op" or n.kind == "unop" and n.op in _STEPS
                                                    or n.kind == "binop" and n.op == "=")
                and n.children and n.children[0].kind == "ref"}
    fixed = {p.op for p in fn.params if types.get(p.op) == "ptr"} - assigned
    defs = single_definitions(nodes)
    user = sizes_for(fn.name, unit.sizes) if unit else {}
    return FunctionContext(defs, _spaces(fn, nodes), types, params, unit,
                           local_arrays - statics, {p.op for p in fn.params if p.restrict}, _decl_lines(nodes),
                           fixed, SizeEnv.of(fn, defs, params, user), _struct_values(fn, nodes),
                           _pointees(list(fn.params) + [n for n in nodes if n.kind == "var"]),
                           {n.op: n.size for n in [*fn.params, *nodes] if n.kind == "var"})


def _pointees(decls: list[Node]) -> dict[str, int]:
    """Pointer or array name -> bytes of its element; 0 where declarations of one name disagree."""
    out: dict[str, int] = {}
    for n in decls:
        if n.pointee:
            out[n.op] = n.pointee if out.get(n.op, n.pointee) == n.pointee else 0
    return out


def _deduced_pointers(nodes: list[Node], types: dict[str, str]) -> dict[str, str]:
    """Variables of a type clang left undeduced (`auto c = data_col + off` in a template, where
    data_col is a `T*`) initialised with a pointer plus or minus an offset: pointers."""
    out = {}
    for n in nodes:
        if n.kind == "var" and n.ty == "other" and len(n.children) == 1:
            root = n.children[0]
            while root.kind == "binop" and root.op in ("+", "-") and root.children:
                root = root.children[0]             # the leftmost operand: `(data_col + a) + b`
            if root.kind == "ref" and types.get(root.op) == "ptr":
                out[n.op] = "ptr"
    return out


def _struct_values(fn: Function, nodes: list[Node]) -> set[str]:
    """Struct variables the function declares by value only (parameters and locals, no reference)."""
    decls = list(fn.params) + [n for n in nodes if n.kind == "var"]
    values = {n.op for n in decls if n.ty == "struct" and n.storage != "reference"}
    return values - {n.op for n in decls if n.ty != "struct" or n.storage == "reference"}


def _decl_lines(nodes: list[Node]) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    for n in nodes:
        if n.kind == "var":
            lines.setdefault(n.op, []).append(n.line)
    return lines


def analyse(region: Region, unit: UnitIR, context: FunctionContext | None = None) -> RegionAnalysis:
    fn = region.owner
    context = context or function_context(fn)
    w = _Walker(region, context.sizes if context.sizes is not None else context.params)
    w.run()
    calls = [n for n in w.nodes if n.kind == "call"]
    dims = {c.children[0].value for c in calls
            if c.op in WORK_ITEM_FUNCS and c.children and c.children[0].value is not None}
    is_kernel = region.kind == "kernel"
    loop_vars = frozenset(l.var for l in w.loops if l.var)
    a = RegionAnalysis(
        region=region, is_kernel=is_kernel, nodes=w.nodes, loops=w.loops, accesses=w.accesses,
        scalars=w.scalars, declared=w.declared, declarations=w.declarations, defs=context.defs, loop_vars=loop_vars,
        spaces=context.spaces, ndrange_dims=max(1, len(dims)) if is_kernel else 0,
        recursion=_recursion(fn, unit, {c.op for c in calls}), opencl=unit.language == "opencl",
        context=context, header_steps=w.steps, statics=w.statics,
    )
    return a
