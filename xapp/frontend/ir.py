"""The small IR that lowering produces: plain dataclasses, no libclang objects.

A `Node` stands for one AST node that matters to the features (wrappers such
as implicit casts and parentheses are folded into their child; `weight` counts
the clang cursors a node stands for, so `ast_nodes` stays exact).

Node kinds
  statements: compound for while do if switch case return break continue goto decl var null
  expressions: binop assign_op unop call subscript member ref int float str cond init_list other
For `for` nodes each child carries a role: init, cond, inc or body.
Types are reduced to a category in `ty`: f16 f32 f64 int bool ptr array struct void other,
with `lanes` for vector types (float4: ty f32, lanes 4) and `size` in bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

__all__ = ["Node", "Function", "UnitIR", "walk", "all_nodes", "parents", "FLOAT_TYPES", "LOOP_KINDS"]

FLOAT_TYPES = frozenset({"f16", "f32", "f64"})
LOOP_KINDS = frozenset({"for", "while", "do"})


@dataclass(slots=True, eq=False)
class Node:
    kind: str
    op: str = ""
    ty: str = ""
    lanes: int = 1
    size: int = 0
    line: int = 0
    end_line: int = 0
    column: int = 0                # 1-based column of a loop keyword (as clang reports it)
    storage: str = ""              # 'static' for a static local variable, 'reference' for a C++ reference,
                                   # 'field' for a member naming a field no other field overlaps (no union, no bit-field)
    restrict: bool = False         # a `restrict`-qualified pointer (C: it overlaps no other pointer)
    pointee: int = 0               # a pointer or array variable: bytes of the element it reaches (0: unknown)
    value: int | None = None
    role: str = ""
    space: str = ""
    weight: int = 1
    children: list["Node"] = field(default_factory=list)
    # Integer literal arguments of a call, which are not built as nodes: (argument position, value);
    # for `x += 2` (assign_op) and `a + 2` / `a - 2` (binop) the literal operand as (position, value).
    args: list[tuple[int, int | None]] | None = None

    def child(self, role: str) -> "Node | None":
        for c in self.children:
            if c.role == role:
                return c
        return None


@dataclass(slots=True)
class Function:
    name: str
    line: int
    end_line: int
    is_kernel: bool
    params: list[Node]
    body: Node
    static: bool = False        # `static`: internal linkage, invisible to other translation units


@dataclass(slots=True)
class UnitIR:
    filename: str
    language: str
    functions: list[Function]
    globals: dict[str, str] = field(default_factory=dict)   # file-scope variable -> type category
    # Functions defined in the project's headers the file includes: what a call to them does (never
    # regions of this file); names the file defines itself are not among them.
    included: list[Function] = field(default_factory=list)

    def callable(self) -> list[Function]:
        """The file's functions and those of its project headers: every body a call may reach."""
        return [*self.functions, *self.included]


def walk(node: Node) -> Iterator[Node]:
    """Pre-order, iterative: deep trees never hit Python's recursion limit."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def all_nodes(root: Node) -> list[Node]:
    """Every node under root (root included), breadth first: cheaper than `walk` when order is moot."""
    out = [root]
    i = 0
    while i < len(out):
        out.extend(out[i].children)
        i += 1
    return out


def parents(root: Node) -> dict[int, Node]:
    """id(node) -> its parent, for every node under root (root has none)."""
    return {id(c): n for n in all_nodes(root) for c in n.children}
