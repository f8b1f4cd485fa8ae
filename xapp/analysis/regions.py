"""Region discovery: the candidates for offloading in one lowered file.

A region is each outermost loop nest of a function definition (its iteration
space times its body), or an OpenCL `__kernel` (its NDRange is the iteration
space and get_global_id(d) plays the role of a loop index).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..frontend.ir import LOOP_KINDS, Function, Node, UnitIR

__all__ = ["Region", "find_regions"]


@dataclass(slots=True)
class Region:
    file: str
    function: str
    kind: str          # 'loop' or 'kernel'
    line: int
    end_line: int
    root: Node         # the outermost loop, or the kernel body
    owner: Function


def _outermost_loops(body: Node) -> list[Node]:
    found, stack = [], [body]
    while stack:
        n = stack.pop()
        if n.kind in LOOP_KINDS:
            found.append(n)
            continue           # loops nested inside belong to this nest
        stack.extend(reversed(n.children))
    return found


def find_regions(unit: UnitIR, display_name: str | None = None) -> list[Region]:
    name = display_name or unit.filename
    regions = []
    for fn in unit.functions:
        if fn.is_kernel:
            regions.append(Region(name, fn.name, "kernel", fn.line, fn.end_line, fn.body, fn))
            continue
        for loop in _outermost_loops(fn.body):
            regions.append(Region(name, fn.name, "loop", loop.line, loop.end_line, loop, fn))
    return regions
