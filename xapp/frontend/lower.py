"""Lower a libclang translation unit to xapp's IR in one clang_visitChildren pass.

Walking cursors from Python costs more than parsing, so this pass:
- visits only cursors of the main file (headers are never walked);
- uses one recursive clang_visitChildren callback and a parent stack keyed on the
  cursor's raw node pointers, instead of `get_children()` per node (and never
  recurses in Python, so deep trees are not truncated);
- reads each property once through raw ctypes calls (operator kinds, types,
  constant folding of loop bounds) and keeps no Cursor afterwards.

Code nested deeper than MAX_NESTING (a chain of ten thousand operators) is refused here with a
ParseError naming the line; clang's own -fbracket-depth (256) already bounds parentheses. The
generic walkers (ir.walk, ir.all_nodes) are iterative, so a chain below it is analysed; an analysis
that recurses over an expression (polynomial forms of a subscript) and meets Python's recursion limit
fails only its file, with a ParseError (xapp.features.extract).
"""
from __future__ import annotations

import re

from clang.cindex import CursorKind as CK
from clang.cindex import TypeKind as TK

from ..errors import ParseError
from . import libclang_ctypes as cx
from .ir import Function, Node, UnitIR
from .parse import ParsedUnit

__all__ = ["lower", "MAX_NESTING"]

_BREAK, _RECURSE, _CONTINUE = 0, 2, 1
# Cursors nested in one another (wrappers such as casts included). Real code stays far below it (the
# deepest of 379 corpus files: 33 levels); libclang itself crashes on a chain of 50,000.
MAX_NESTING = 10_000

_BINOPS = {3: "*", 4: "/", 5: "%", 6: "+", 7: "-", 8: "<<", 9: ">>", 10: "<=>", 11: "<", 12: ">", 13: "<=",
           14: ">=", 15: "==", 16: "!=", 17: "&", 18: "^", 19: "|", 20: "&&", 21: "||", 22: "=", 23: "*=",
           24: "/=", 25: "%=", 26: "+=", 27: "-=", 28: "<<=", 29: ">>=", 30: "&=", 31: "^=", 32: "|=", 33: ","}
_UNOPS = {1: "post++", 2: "post--", 3: "++", 4: "--", 5: "&", 6: "*", 7: "+", 8: "-", 9: "~", 10: "!"}

_IR_KIND = {
    CK.COMPOUND_STMT: "compound", CK.FOR_STMT: "for", CK.WHILE_STMT: "while", CK.DO_STMT: "do",
    CK.CXX_FOR_RANGE_STMT: "for", CK.IF_STMT: "if", CK.SWITCH_STMT: "switch", CK.CASE_STMT: "case",
    CK.DEFAULT_STMT: "case", CK.RETURN_STMT: "return", CK.BREAK_STMT: "break", CK.CONTINUE_STMT: "continue",
    CK.GOTO_STMT: "goto", CK.INDIRECT_GOTO_STMT: "goto", CK.DECL_STMT: "decl", CK.VAR_DECL: "var",
    CK.NULL_STMT: "null", CK.LABEL_STMT: "compound",
    CK.BINARY_OPERATOR: "binop", CK.COMPOUND_ASSIGNMENT_OPERATOR: "assign_op", CK.UNARY_OPERATOR: "unop",
    CK.CALL_EXPR: "call", CK.ARRAY_SUBSCRIPT_EXPR: "subscript", CK.MEMBER_REF_EXPR: "member",
    CK.DECL_REF_EXPR: "ref", CK.INTEGER_LITERAL: "int", CK.FLOATING_LITERAL: "float",
    CK.STRING_LITERAL: "str", CK.CHARACTER_LITERAL: "int", CK.CONDITIONAL_OPERATOR: "cond",
    CK.INIT_LIST_EXPR: "init_list", CK.CXX_BOOL_LITERAL_EXPR: "int",
    CK.CXX_NEW_EXPR: "new", CK.CXX_DELETE_EXPR: "delete",
}
_IR_KIND = {k.value: v for k, v in _IR_KIND.items()}
# Wrappers folded into their child: they change nothing a feature reads.
_FOLD = {k.value for k in (CK.UNEXPOSED_EXPR, CK.PAREN_EXPR, CK.CSTYLE_CAST_EXPR, CK.CXX_STATIC_CAST_EXPR,
                           CK.CXX_FUNCTIONAL_CAST_EXPR, CK.CXX_CONST_CAST_EXPR, CK.CXX_REINTERPRET_CAST_EXPR,
                           CK.UNEXPOSED_STMT, CK.COMPOUND_LITERAL_EXPR)}
_SKIP = {k.value for k in (CK.TYPE_REF, CK.TEMPLATE_REF, CK.NAMESPACE_REF, CK.TYPEDEF_DECL, CK.STRUCT_DECL,
                           CK.UNION_DECL, CK.ENUM_DECL, CK.CLASS_DECL, CK.UNEXPOSED_ATTR, CK.ASM_STMT,
                           CK.LAMBDA_EXPR, CK.STATIC_ASSERT)}
_FUNCTIONS = {k.value for k in (CK.FUNCTION_DECL, CK.CXX_METHOD, CK.FUNCTION_TEMPLATE, CK.CONSTRUCTOR,
                                CK.DESTRUCTOR)}
_SCOPES = {k.value for k in (CK.NAMESPACE, CK.LINKAGE_SPEC, CK.CLASS_DECL, CK.STRUCT_DECL, CK.CLASS_TEMPLATE,
                             CK.UNEXPOSED_DECL)}
_PARM, _COMPOUND, _VAR = CK.PARM_DECL.value, CK.COMPOUND_STMT.value, CK.VAR_DECL.value
_TYPED = {"binop", "assign_op", "unop", "subscript", "member", "call", "var"}
_EVALUATED = {"ref", "binop", "unop", "member"}
# A callee spelled as a plain (qualified) name, optionally with template arguments.
_CALLEE = re.compile(r"\s*((?:[A-Za-z_]\w*\s*::\s*)*[A-Za-z_]\w*)\s*(?:<[^;{}()]*>)?\s*")
_SIZED_CALLS = frozenset({"memset", "memcpy", "memmove"})
# A label statement (lowered as a compound) and a goto's label reference keep the label's name, so
# the analysis can tell a goto that stays inside a loop body from one that leaves the loop.
_LABELS = {CK.LABEL_STMT.value, CK.LABEL_REF.value}
_NULLS = {CK.CXX_NULL_PTR_LITERAL_EXPR.value, CK.GNU_NULL_EXPR.value}    # nullptr, C++'s NULL (__null)

_BUILTIN = {TK.VOID: ("void", 0), TK.BOOL: ("bool", 1), TK.FLOAT: ("f32", 4), TK.DOUBLE: ("f64", 8),
            TK.LONGDOUBLE: ("f64", 16), TK.HALF: ("f16", 2), TK.FLOAT128: ("f64", 16)}
_BUILTIN.update({k: ("int", s) for k, s in ((TK.CHAR_U, 1), (TK.UCHAR, 1), (TK.CHAR16, 2), (TK.CHAR32, 4),
                                            (TK.USHORT, 2), (TK.UINT, 4), (TK.ULONG, 8), (TK.ULONGLONG, 8),
                                            (TK.UINT128, 16), (TK.CHAR_S, 1), (TK.SCHAR, 1), (TK.WCHAR, 4),
                                            (TK.SHORT, 2), (TK.INT, 4), (TK.LONG, 8), (TK.LONGLONG, 8),
                                            (TK.INT128, 16), (TK.ENUM, 4))})
_BUILTIN = {k.value: v for k, v in _BUILTIN.items()}
_BUILTIN[32] = ("f16", 2)  # Float16
_SUGAR = {TK.TYPEDEF.value, TK.ELABORATED.value, TK.UNEXPOSED.value, TK.AUTO.value, TK.ATOMIC.value}
_REFERENCE = {TK.LVALUEREFERENCE.value, TK.RVALUEREFERENCE.value}
_POINTER = {TK.POINTER.value, TK.BLOCKPOINTER.value}
_ARRAYS = {TK.CONSTANTARRAY.value, TK.INCOMPLETEARRAY.value, TK.VARIABLEARRAY.value,
           TK.DEPENDENTSIZEDARRAY.value}
_VECTORS = {TK.VECTOR.value, TK.EXTVECTOR.value}
_RECORD = TK.RECORD.value
_KERNEL_WORD = re.compile(rb"\b(__)?kernel\b")
_STATIC_WORD = re.compile(rb"\bstatic\b")      # before the name: internal linkage (C) or a static member
_SPACE_WORDS = (("local", "local"), ("constant", "constant"), ("global", "global"))

# Modes of a stack entry: where in the tree its children are. From _BODY up they are code;
# from _HEADER up integer literals are folded to their values.
_TOP, _FUNC, _BODY, _HEADER, _INDEX = 0, 1, 2, 3, 4
_LOOPS = frozenset({"for", "while", "do"})
_ROLE_PARENTS = frozenset({"for", "while", "do", "switch", "if"})
_BODY_ROLES = frozenset({"body", "then", "else"})
_LITERALS = frozenset(k.value for k in (CK.INTEGER_LITERAL, CK.FLOATING_LITERAL, CK.CHARACTER_LITERAL,
                                          CK.CXX_BOOL_LITERAL_EXPR))
# Parents under which a literal in plain code is never read: not an index, a work-item call, a value
# given to a scalar, a role-bearing statement (positions there decide roles) or an assignment.
_PLAIN_PARENTS = frozenset({"return", "init_list", "other", "assign_op", "member"})
_LEAVES = frozenset({"ref", "int", "float", "str"})
_UNTYPED_OPS = frozenset({"<", ">", "<=", ">=", "==", "!=", "&&", "||", ",", "<=>"})
_INDEX_PARENTS = frozenset({"subscript", "call", "var", "binop", "unop"})
_LINED = frozenset({"assign_op", "call", "var", "if", "break", "return", "goto", "switch", "continue"})
_STEPS = frozenset({"++", "--", "post++", "post--"})
# binary operators whose literal operand in plain code is kept on the node as (position, value)
_LITERAL_OPERAND = frozenset({"+", "-", "*", "/", "%", "<<", ">>"})
_WORK_ITEM = frozenset({"get_global_id", "get_local_id", "get_group_id", "get_local_size", "get_global_size"})


class _Lowering:
    def __init__(self, unit: ParsedUnit):
        self.source = unit.source
        self.opencl = unit.language == "opencl"
        self.functions: list[Function] = []
        self.types: dict = {}
        self.pointees: dict = {}
        self.globals: dict[str, str] = {}
        # Entries: (key, node or Function, mode, for-header spans or None)
        self.stack: list[tuple] = []
        self.macro_loops = False   # a for loop whose header roles must be fixed by position
        self.too_deep_at = 0       # the line where nesting went past MAX_NESTING (0: it did not)
        self.foreign: list[tuple[object, str]] = []   # (cursor, file) of definitions in project headers
        self.in_header = False     # lowering one definition of a project header (its own source)

    # ---- types -------------------------------------------------------------------------------
    def _classify(self, t, depth: int) -> tuple[str, int, int]:
        kind = t.kind
        builtin = _BUILTIN.get(kind)
        if builtin:
            return builtin[0], 1, builtin[1]
        if depth > 8:
            return "other", 1, 0
        if kind in _SUGAR:
            canon = cx.canonical_type(t)
            return ("other", 1, 0) if canon.kind == kind else self._classify(canon, depth + 1)
        if kind in _REFERENCE:
            return self._classify(cx.pointee_type(t), depth + 1)
        if kind in _POINTER:
            return "ptr", 1, 8
        if kind in _ARRAYS:
            return "array", 1, max(0, cx.type_size(t))
        if kind in _VECTORS:
            cat, _, _ = self._classify(cx.element_type(t), depth + 1)
            return cat, max(1, cx.num_elements(t)), max(0, cx.type_size(t))
        if kind == _RECORD:
            if _ANY_TYPE.match(cx.type_spelling(t)):
                return "ptr", 1, 8     # a stand-in's unknown value (standins.py) may be a pointer: say so
            return "struct", 1, max(0, cx.type_size(t))
        return "other", 1, 0

    def set_type(self, node: Node, cursor) -> None:
        t = cx.cursor_type(cursor)
        key = (t.kind, t.data[0])
        info = self.types.get(key)
        if info is None:
            info = self.types[key] = self._classify(t, 0)
        node.ty, node.lanes, node.size = info
        if node.kind == "var" and node.ty in ("ptr", "array"):
            node.pointee = self._pointee(t, key)
        if node.kind == "var" and (t.kind in _REFERENCE or t.kind in _SUGAR and cx.canonical_type(t).kind in _REFERENCE):
            node.storage = "reference"     # `auto &s = shared;` names another object, it makes none
        if self.opencl and node.kind == "var":
            spelled = cx.type_spelling(t)
            node.space = next((space for word, space in _SPACE_WORDS if word in spelled), "private")

    def _pointee(self, t, key) -> int:
        """Bytes of the element a pointer or array type reaches (0 when unknown or void)."""
        found = self.pointees.get(key)
        if found is None:
            canon = cx.canonical_type(t)
            inner = cx.pointee_type(canon) if canon.kind in _POINTER else cx.element_type(canon)
            found = self.pointees[key] = max(0, cx.type_size(inner))
        return found

    # ---- top level ---------------------------------------------------------------------------
    def top_level(self, cursor, key, kind: int) -> int:
        if not self.in_header and not cx.is_from_main_file(cursor):
            if kind in _FUNCTIONS and len(self.foreign) < MAX_HEADER_FUNCTIONS and cx.is_definition(cursor):
                path = cx.project_file(cursor)
                if path:
                    self.foreign.append((cx.Cursor.from_buffer_copy(cursor), path))
            return _CONTINUE
        if kind in _FUNCTIONS:
            if not cx.is_definition(cursor):
                return _CONTINUE
            l0, l1, o0, _ = cx.extent_lines(cursor)
            name = cx.spelling(cursor)
            _, name_off = cx.start(cursor)
            is_kernel = self.opencl and bool(_KERNEL_WORD.search(self.source, o0, max(o0, name_off)))
            fn = Function(name, l0, l1, is_kernel, [], Node("compound"),
                          bool(_STATIC_WORD.search(self.source, o0, max(o0, name_off))))
            self.stack.append((key, fn, _FUNC, None))
            return _RECURSE
        if kind in _SCOPES:
            self.stack.append((key, None, _TOP, None))
            return _RECURSE
        if kind == _VAR:
            node = Node("var")
            self.set_type(node, cursor)
            self.globals[cx.spelling(cursor)] = node.ty
        return _CONTINUE

    def function_child(self, cursor, key, kind: int, fn: Function) -> int:
        if kind == _PARM:
            node = Node("var", op=cx.spelling(cursor))
            self.set_type(node, cursor)
            node.restrict = bool(cx.is_restrict(cx.cursor_type(cursor)))
            fn.params.append(node)
            return _CONTINUE
        if kind == _COMPOUND:
            self.functions.append(fn)
            self.stack.append((key, fn.body, _BODY, None))
            return _RECURSE
        return _CONTINUE

    # ---- bodies ------------------------------------------------------------------------------
    def body_node(self, cursor, key, kind: int, entry: tuple) -> int:
        parent: Node = entry[1]
        mode = entry[2]
        irkind = _IR_KIND.get(kind)
        if irkind is None:
            if kind in _SKIP:
                return _CONTINUE
            irkind = "other"
        node = Node(irkind)
        child_mode, role = self._child_mode(cursor, node, parent, mode, entry[3])
        if not self._fill(node, cursor, parent, mode, child_mode):
            return _CONTINUE
        if kind in _LABELS:
            node.op = cx.spelling(cursor)
        elif kind in _NULLS:
            node.op = "null"           # an `other` node that is the null pointer
        spans = self._place(node, cursor)
        if role:
            node.role = role
            self.macro_loops = self.macro_loops or role == "?"
        parent.children.append(node)
        if irkind in _LEAVES:
            return _CONTINUE   # nothing below a name or a literal that a feature reads: no stack entry
        self.stack.append((key, node, child_mode, spans))
        return _RECURSE

    def _child_mode(self, cursor, node: Node, parent: Node, mode: int, spans) -> tuple[int, str]:
        """The mode of this node's own subtree, decided before anything is evaluated: a literal
        written straight into an index (x[0]) is folded like one deeper down (x[i + 1])."""
        pkind = parent.kind
        if pkind in _ROLE_PARENTS:
            role = self._role(cursor, parent, spans)
            return (_BODY if role in _BODY_ROLES else _HEADER), role
        if mode == _BODY and pkind in _INDEX_PARENTS and _index_context(node, parent):
            return _INDEX, ""
        return mode, ""

    def _fill(self, node: Node, cursor, parent: Node, mode: int, child_mode: int) -> bool:
        """Operator, type and folded value of the node; False for a call's own callee name."""
        irkind = node.kind
        if irkind == "int":
            if child_mode >= _HEADER:
                node.value = cx.evaluate_int(cursor)
        elif irkind == "ref":
            return self._fill_ref(node, cursor, parent, max(mode, child_mode))
        elif irkind in _TYPED:
            self._fill_typed(node, cursor)
            if irkind in _EVALUATED and (mode == _HEADER or (parent.kind == "call" and parent.op in _SIZED_CALLS)):
                node.value = cx.evaluate_int(cursor)   # a byte count of memset/memcpy: rows it covers
        return True

    def _fill_ref(self, node: Node, cursor, parent: Node, mode: int) -> bool:
        node.op = cx.spelling(cursor)
        pkind = parent.kind
        if pkind == "call" and not parent.children and node.op == parent.op:
            if not parent.op:
                parent.op = self._callee_text(cursor)
            return False  # the callee's own name: already the call's op
        if pkind == "member" and not parent.children:
            self.set_type(node, cursor)  # p->x or s.x: the base's type says which
        if mode >= _HEADER:      # a header, or a subscript: `vals[ID_DENS]` with `const int ID_DENS = 0`
            node.value = cx.evaluate_int(cursor)
        return True

    def _callee_text(self, cursor) -> str:
        """The name a dependent call in a template spells (`max(a[2], x)`, `std::min<T>(...)`): clang
        leaves such a callee unresolved and unnamed until instantiation; '' when it is not a plain name."""
        _, _, o0, o1 = cx.extent_lines(cursor)
        m = _CALLEE.fullmatch(self.source[o0:o1].decode("utf-8", "replace"))
        return m.group(1).split("::")[-1].strip() if m else ""   # unqualified, as clang names resolved calls

    def _fill_typed(self, node: Node, cursor) -> None:
        irkind = node.kind
        typed = True
        if irkind == "binop" or irkind == "assign_op":
            node.op = _BINOPS.get(cx.binary_op_kind(cursor), "?")
            typed = node.op not in _UNTYPED_OPS   # a comparison's type is int whatever it compares
        elif irkind == "unop":
            node.op = _UNOPS.get(cx.unary_op_kind(cursor), "?")
        elif irkind != "subscript":
            node.op = cx.spelling(cursor)
            if irkind == "member" and cx.separate_field(cursor):
                node.storage = "field"      # storage no other field of its object shares
        if typed:
            self.set_type(node, cursor)

    def _place(self, node: Node, cursor):
        """Source position of the node; the for-header spans of a `for` loop (else None)."""
        irkind = node.kind
        if irkind in _LOOPS:
            node.line, node.end_line, o0, _ = cx.extent_lines(cursor)
            node.column = o0 - self.source.rfind(b"\n", 0, o0)
            return self._for_header(o0) if irkind == "for" else None
        if irkind == "var":
            node.line, _, o0, _ = cx.extent_lines(cursor)
            if self.source.startswith(b"static", o0):
                node.storage = "static"        # one object for every iteration, not a private one
        elif irkind in _LINED or (irkind == "binop" and node.op == "=") or (
                irkind == "unop" and node.op in _STEPS):
            node.line = cx.start(cursor)[0]   # dependence reasons name the statement's line
        return None

    def _role(self, cursor, parent: Node, spans) -> str:
        kind, n = parent.kind, len(parent.children)
        if kind == "for":
            if spans is None:
                return "?"
            _, off = cx.start(cursor)
            if off < spans[0]:
                return "init"
            if off < spans[1]:
                return "cond"
            return "inc" if off < spans[2] else "body"
        if kind == "while" or kind == "switch":
            return "cond" if n == 0 else "body"
        if kind == "do":
            return "body" if n == 0 else "cond"
        return ("cond", "then", "else")[min(n, 2)]   # if

    def _for_header(self, offset: int) -> tuple[int, int, int] | None:
        """Offsets of the two ';' and the ')' of a for header written in the main file."""
        src = self.source
        if src[offset:offset + 3] != b"for":
            return None  # the loop comes from a macro: roles fall back to position
        i = src.find(b"(", offset)
        if i < 0:
            return None
        depth, semis = 0, []
        for j in range(i, min(len(src), i + 4096)):
            ch = src[j]
            if ch == 40:      # (
                depth += 1
            elif ch == 41:    # )
                depth -= 1
                if depth == 0:
                    return (semis[0], semis[1], j) if len(semis) == 2 else None
            elif ch == 59 and depth == 1:  # ;
                semis.append(j)
        return None

    def callback(self, cursor, parent, _client) -> int:
        # Expressions and statements are identified by their Stmt pointer (d1), declarations
        # by their Decl pointer (d0): one int per cursor, compared without building objects.
        kind = cursor.kind
        key = cursor.d1 if kind >= 100 else cursor.d0
        pkey = parent.d1 if parent.kind >= 100 else parent.d0
        stack = self.stack
        while stack and stack[-1][0] != pkey:
            stack.pop()
        if not stack:
            return self.top_level(cursor, key, kind)
        if len(stack) > MAX_NESTING:
            self.too_deep_at = cx.start(cursor)[0]
            return _BREAK      # ends the whole visit: the file is refused
        entry = stack[-1]
        mode = entry[2]
        if mode >= _BODY:
            if kind in _FOLD:   # a third of all cursors: kept off the slower path below
                node = entry[1]
                node.weight += 1
                stack.append((key, node, mode, entry[3]))
                return _RECURSE
            if kind in _LITERALS and mode == _BODY:
                parent = entry[1]
                pk = parent.kind
                if pk in _PLAIN_PARENTS or (pk == "binop" and parent.op != "=") or (
                        pk == "call" and parent.op not in _WORK_ITEM):
                    # A literal in plain arithmetic or a call argument says nothing a feature reads;
                    # it still counts as an AST node.
                    parent.weight += 1
                    if pk == "assign_op" or (pk == "binop" and parent.op in _LITERAL_OPERAND):
                        # `k += 2` (an induction variable's step), `buf + 1` (a pointer's offset), `i + 1`
                        # (a helper's index argument), `y*680` (an index function's row length from a
                        # macro): (operand position, value)
                        parent.args = [(len(parent.children), cx.evaluate_int(cursor))]
                    if pk == "call":   # but its value may give a callee's parameter (trip counts)
                        args = parent.args if parent.args is not None else []
                        args.append((len(parent.children) + len(args), cx.evaluate_int(cursor)))
                        parent.args = args
                    return _CONTINUE
            return self.body_node(cursor, key, kind, entry)
        if mode == _TOP:
            return self.top_level(cursor, key, kind)
        return self.function_child(cursor, key, kind, entry[1])


def _index_context(node: Node, parent: Node) -> bool:
    """Subtrees whose integer literals the analyses read: subscript indices, pointer offsets,
    work-item dimensions and the values given to integer scalars (for index expansion)."""
    pk = parent.kind
    if pk == "subscript":
        return len(parent.children) == 1
    if pk == "call":
        return parent.op in _WORK_ITEM
    if pk == "var" or (pk == "binop" and parent.op == "=" and parent.ty == "int"):
        return True
    if pk == "binop" and parent.op in ("+", "-") and parent.ty == "ptr":
        return True         # a pointer's offset (`out + i * 2`) is a subscript by another name
    return pk == "unop" and parent.op == "*"


def _fix_positional_roles(node: Node) -> None:
    """Roles of a `for` built by a macro, where the header could not be read from the text."""
    kids = node.children
    if not kids:
        return
    kids[-1].role = "body"
    head = kids[:-1]
    if len(head) == 3:
        for k, role in zip(head, ("init", "cond", "inc")):
            k.role = role
        return
    for k in head:
        if k.kind == "decl" or (k.kind == "binop" and k.op == "="):
            k.role = "init"
        elif k.kind == "binop" and k.op in ("<", "<=", ">", ">=", "!="):
            k.role = "cond"
        else:
            k.role = "inc"


def _normalise(fn: Function) -> None:
    """Fold C++ operator calls into plain IR operators; finish macro-built for headers."""
    stack = [fn.body]
    while stack:
        n = stack.pop()
        if n.kind == "for" and any(c.role == "?" for c in n.children):
            _fix_positional_roles(n)
        elif n.kind == "call" and n.op.startswith("operator"):
            _fold_operator_call(n)
        elif n.kind == "call" and _ANY_TYPE.match(n.op) and len(n.children) == 1 and n.children[0].kind != "ref":
            # a stand-in copied (passed by value): the value itself, typed ptr; a plain variable stays
            # behind its copy, whose ptr type is what the call analysis reads (it types variables by name)
            _fold_conversion(n)
        stack.extend(n.children)


def _fold_operator_call(n: Node) -> None:
    """`a.operator+=(b)` and the like, in place, as the IR operator it stands for."""
    sym = n.op[len("operator"):]
    if sym[:1] in (" ", "\t") and sym.strip() not in ("new", "delete", "new[]", "delete[]"):
        _fold_conversion(n)       # `operator float &`: the value converted (a stand-in's, standins.py)
        return
    everything = n.children
    n.children = [c for c in everything if not (c.kind == "ref" and c.op == n.op)]
    if len(n.children) == 1 and n.args and len(n.args) == 1 and sym in _BINARY_SYMBOLS:
        _fold_literal_operand(n, everything)
    elif sym == "[]":
        n.kind, n.op = "subscript", ""
        if len(n.children) == 1 and n.args and len(n.args) == 1:
            # `v[i][0]`: the literal index was kept off the call's children (body_node); a subscript needs it
            n.children.append(Node("int", ty="int", line=n.line, value=n.args[0][1], weight=0))
            n.args = None
    elif sym in ("+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="):
        n.kind, n.op = "assign_op", sym
    elif sym in _BINARY_SYMBOLS and len(n.children) == 2:
        n.kind, n.op = "binop", sym
    elif sym in ("++", "--") and len(n.children) == 1:
        n.kind, n.op = "unop", sym
    elif sym in ("-", "+", "~", "!") and len(n.children) == 1:    # not `*it`, `&x`: pointers, not values
        n.kind, n.op = "unop", sym
    elif sym == "()":
        n.op = "operator()"
        if n.ty == "ptr" and n.children and n.children[0].kind in ("ref", "member"):
            # `total(0) = x` on a stand-in (or a callable returning a pointer): what it returns may point
            # into the object, so the call is given the object's address (a call dependence, not silence)
            receiver = n.children[0]
            n.children[0] = Node("unop", "&", line=receiver.line, children=[receiver], weight=0)


# not `<<` and `>>`: on a stream they are I/O, which must stay a call (an I/O dependence)
# the stand-ins' any type (standins.py) and the structs derived from it (`__xapp_any_Matrix_row_ptr`)
_ANY_TYPE = re.compile(r"^(?:(?:const|volatile) )*(?:__xapp_ns::)?__xapp_any\w*$")
_BINARY_SYMBOLS = frozenset({"+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "=", "&", "|", "^",
                             "&&", "||"})


def _fold_literal_operand(n: Node, everything: list[Node]) -> None:
    """`s.x * 2` through an operator call: a binop whose literal operand is not a node (see body_node)."""
    operand_at = everything.index(n.children[0])
    literal_at = n.args[0][0]
    position = 0 if literal_at <= operand_at else 1
    n.kind, n.op = "binop", n.op[len("operator"):]
    n.args = [(position, n.args[0][1])] if n.op in ("+", "-") else None


def _fold_conversion(n: Node) -> None:
    """A conversion function's call is the converted value: the call node takes its object's place."""
    inner = n.children[0] if len(n.children) == 1 else None
    weight = n.weight
    if inner is not None and inner.kind == "member" and inner.op == n.op and len(inner.children) == 1:
        # `x.operator float &()`: the member naming the conversion function, then the object
        weight += inner.weight
        inner = inner.children[0]
    if inner is None:
        return
    ty, lanes, size = n.ty, n.lanes, n.size
    for name in Node.__slots__:
        if name not in ("line", "end_line", "column", "role"):
            setattr(n, name, getattr(inner, name))
    n.ty, n.lanes, n.size, n.weight = ty, lanes, size, n.weight + weight   # every cursor still counted
    if n.kind == "call" and n.op.startswith("operator"):
        _fold_operator_call(n)    # the converted value was itself an operator's result


MAX_HEADER_FUNCTIONS = 400      # definitions of project headers lowered per file, at most
_MAX_HEADER_BYTES = 2_000_000


def _header_functions(unit: ParsedUnit, foreign: list, defined: set[str]) -> list[Function]:
    """Functions defined in the project's headers (`inline void add(...)` in dslash.h), lowered from
    their own file's text, for what calls to them do (calls.py, paramspan.py, helpers.py); they make
    no regions. A header that cannot be read again from disk (a virtual file) gives none."""
    texts: dict[str, bytes | None] = {}
    out: list[Function] = []
    for cursor, path in foreign:
        if path not in texts:
            texts[path] = _read_header(path)
        if texts[path] is None:
            continue
        state = _Lowering(unit)
        state.source, state.in_header = texts[path], True
        key = cursor.d0
        if state.top_level(cursor, key, cursor.kind) != _RECURSE:
            continue
        cx.visit(cursor, state.callback, None)
        for fn in state.functions:
            if fn.name not in defined and not state.too_deep_at:
                if unit.language == "c++" or state.macro_loops:
                    _normalise(fn)
                out.append(fn)
                defined.add(fn.name)
    return out


def _read_header(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            data = f.read(_MAX_HEADER_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= _MAX_HEADER_BYTES else None


def lower(unit: ParsedUnit) -> UnitIR:
    """One pass over the main file's cursors; the translation unit may be freed afterwards."""
    state = _Lowering(unit)
    root = cx.from_bindings(unit.tu.cursor)
    state.stack.append((root.d0, None, _TOP, None))
    cx.visit(root, state.callback, None)
    if state.too_deep_at:
        raise ParseError(f"{unit.filename}:{state.too_deep_at}: code nested deeper than {MAX_NESTING} levels "
                         "(operators, calls or statements inside one another); xapp does not analyse it")
    if unit.language == "c++" or state.macro_loops:
        for fn in state.functions:
            _normalise(fn)
    included = _header_functions(unit, state.foreign, {fn.name for fn in state.functions})
    return UnitIR(unit.filename, unit.language, state.functions, state.globals, included)
