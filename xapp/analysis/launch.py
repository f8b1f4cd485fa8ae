"""Launch structure: the kernel(s) a GPU port of a loop region would launch, and how often.

Walking down from the region's outer loop, a serial loop (one with a loop-carried
dependence) that encloses other loops stays on the host: it is an outer level, and
each of its iterations launches the kernels inside it (a time loop around a stencil).
The first parallel level, with the parallel levels directly nested under it, is a
kernel's NDRange; the loops left inside it run serially in each work-item (gemm's k).
A reduction level may be a kernel's level only when nothing outside it is parallel
(a sum over an array); inside a kernel it stays in the work-item.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .nest import Loop, RegionAnalysis

__all__ = ["LaunchLevel", "Kernel", "LaunchStructure", "launch_structure", "launch_dict"]


@dataclass(frozen=True)
class LaunchLevel:
    line: int
    var: str | None
    trip: int | None


@dataclass(frozen=True)
class Kernel:
    line: int
    parallel_levels: tuple[LaunchLevel, ...]
    serial_levels: tuple[LaunchLevel, ...]    # levels inside each work-item
    around: tuple[LaunchLevel, ...] = ()      # the serial levels enclosing this kernel, outermost first

    @property
    def work_items(self) -> int | None:
        return _product(self.parallel_levels)

    @property
    def launches(self) -> int | None:
        return _product(self.around)


@dataclass(frozen=True)
class LaunchStructure:
    outer: tuple[LaunchLevel, ...]     # serial levels around the kernels; launches = product of their trips
    kernels: tuple[Kernel, ...]        # sibling parallel nests inside the outer levels

    @property
    def launches(self) -> int | None:
        """Launches of each kernel: the product of the outer trips (of the levels around the most
        launched kernel, when serial levels nest: a time loop around a serial sweep around a kernel)."""
        counts = [k.launches for k in self.kernels]
        return max(counts) if counts and None not in counts else None

    @property
    def total_launches(self) -> int | None:
        counts = [k.launches for k in self.kernels]
        return sum(counts) if counts and None not in counts else None

    @property
    def work_items(self) -> int | None:
        """Work-items of the largest kernel per launch; None when one of them is unknown."""
        items = [k.work_items for k in self.kernels]
        return max(items) if items and None not in items else None


def _product(levels: tuple[LaunchLevel, ...]) -> int | None:
    trips = [l.trip for l in levels]
    return None if None in trips else math.prod(trips)   # Python ints: exact however large


def _level(loop: Loop) -> LaunchLevel:
    return LaunchLevel(loop.node.line, loop.var, loop.trip)


def _descendants(loop: Loop) -> list[Loop]:
    out, stack = [], list(reversed(loop.children))
    while stack:
        l = stack.pop()
        out.append(l)
        stack.extend(reversed(l.children))
    return out


def _kernel(top: Loop, a: RegionAnalysis, around: list[Loop]) -> Kernel:
    levels, loop = [top], top
    while len(loop.children) == 1:
        child = loop.children[0]
        verdict = a.verdicts[id(child)]
        if not verdict.parallel or verdict.reductions:
            break
        levels.append(child)
        loop = child
    inside = [l for l in _descendants(top) if l not in levels]
    return Kernel(top.node.line, tuple(map(_level, levels)), tuple(map(_level, inside)), tuple(map(_level, around)))


def _walk(loop: Loop, a: RegionAnalysis, outer: list[Loop], kernels: list[Kernel], around: list[Loop]) -> None:
    if a.verdicts[id(loop)].parallel:
        kernels.append(_kernel(loop, a, around))
        return
    if not loop.children:
        return                                # a serial innermost loop: nothing to launch
    if loop not in outer:
        outer.append(loop)
    for child in loop.children:
        _walk(child, a, outer, kernels, around + [loop])


def launch_structure(a: RegionAnalysis) -> LaunchStructure:
    """See the module docstring. An OpenCL kernel is one kernel of unknown NDRange."""
    if a.is_kernel:
        return LaunchStructure((), (Kernel(a.region.line, (), ()),))
    outer: list[Loop] = []
    kernels: list[Kernel] = []
    for top in (l for l in a.loops if l.parent is None):
        _walk(top, a, outer, kernels, [])
    return LaunchStructure(tuple(map(_level, outer)), tuple(kernels))


def launch_dict(s: LaunchStructure) -> dict:
    """The JSON form: {outer, kernels, launches, work_items}."""
    def levels(ls):
        return [{"line": l.line, "var": l.var, "trip": l.trip} for l in ls]
    return {"outer": levels(s.outer),
            "kernels": [{"line": k.line, "parallel_levels": levels(k.parallel_levels),
                         "serial_levels": levels(k.serial_levels), "work_items": k.work_items,
                         "launches": k.launches}
                        for k in s.kernels],
            "launches": s.launches, "work_items": s.work_items}
