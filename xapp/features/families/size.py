"""Size features: how much code the region is."""
from __future__ import annotations

from ...analysis.nest import RegionAnalysis
from ...frontend.ir import all_nodes

FEATURES = {
    "statements": "statements in the region (loops, branches, expressions, declarations, jumps)",
    "ast_nodes": "clang AST nodes in the region, loop headers included",
    "cyclomatic": "1 + decision points (loops, if, case, ?:, && and ||)",
}

_STATEMENT_KINDS = frozenset({"for", "while", "do", "if", "switch", "return", "break", "continue", "goto",
                              "decl", "null"})
_DECISIONS = frozenset({"for", "while", "do", "if", "case", "cond"})


_HEADER_ROLES = frozenset({"init", "cond", "inc"})


def _is_statement(n, parent) -> bool:
    if n.kind in _STATEMENT_KINDS:
        return True
    # An expression statement: an expression standing directly in a block or as a loop/branch body.
    return n.kind not in ("compound", "case") and parent is not None and (
        parent.kind == "compound" or n.role in ("body", "then", "else"))


def _statements(root) -> int:
    count, stack = 0, [(root, None)]
    while stack:
        n, parent = stack.pop()
        if n.role in _HEADER_ROLES:
            continue
        count += _is_statement(n, parent)
        if n.kind not in ("binop", "assign_op", "unop", "call"):   # expressions hold no statements
            stack.extend((c, n) for c in n.children)
    return count


def compute(a: RegionAnalysis) -> dict[str, float]:
    root = a.region.root
    decisions = sum(1 for n in a.nodes if n.kind in _DECISIONS
                    or (n.kind == "binop" and n.op in ("&&", "||")))
    return {
        "statements": float(_statements(root)),
        "ast_nodes": float(sum(n.weight for n in all_nodes(root))),
        "cyclomatic": float(1 + decisions),
    }
