"""What the dependence test says of one loop level: its dependences and its verdict."""
from __future__ import annotations

from dataclasses import dataclass, field

from .nest import Loop
from ..frontend.ir import Node

__all__ = ["Dependence", "LevelVerdict", "loop_body"]


@dataclass(slots=True)
class Dependence:
    name: str          # the variable ('' for control flow)
    kind: str          # flow, anti, output, control, I/O, call, unknown (could not prove), unbounded
                       # (found without a loop bound: not proven) or carried (ISL proved it carried)
    line: int


@dataclass(slots=True)
class LevelVerdict:
    loop: Loop
    parallel: bool
    reductions: int = 0
    reasons: list[str] = field(default_factory=list)
    kind: str = "parallel"                                   # parallel, reduction or serial
    reduction_vars: list[tuple[str, str]] = field(default_factory=list)   # (name, operator)
    privatized: list[str] = field(default_factory=list)
    inductions: list[str] = field(default_factory=list)     # closed-form induction variables (OpenMP: linear)
    assumptions: list[str] = field(default_factory=list)
    dependences: list[Dependence] = field(default_factory=list)

    def add(self, dep: Dependence, reason: str) -> None:
        self.dependences.append(dep)
        self.reasons.append(reason)


def loop_body(loop: Loop) -> list[Node]:
    """The statements a loop runs in every iteration (a `while`'s condition too)."""
    node = loop.node
    return [c for c in node.children if c.role == "body" or node.kind != "for"]
