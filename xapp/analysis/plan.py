"""The port plan of a region: the kernels a GPU compiler would generate from ISL's schedule.

Mapped as PPCG does: walking down the schedule tree, band members that are not coincident stay on
the host as loops (the product of their trips is the number of launches); the first coincident
members of a band (up to three) are a kernel's grid, the innermost of them the direction adjacent
threads step along; the band's remaining members and every band below run inside each thread.
Children of a sequence or set node are separate kernels. A statement reached under no coincident
member runs serially (on the host, or in one work-item).

A member's trip is the number of values it takes over the statements' domain (its extent: a tiled
`i` spans the whole matrix, a triangular `j` its longest run), or the loop's mean trip
(triangular.py) when the domain has unknown sizes. Work-items per launch are the grid's trips,
but never more than the kernel's statement instances (counted with the mean trips of the loops as
written) divided by its launches: a triangular grid is not charged its bounding box.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import islpy as isl

from .dataflow import Dependences
from .nest import RegionAnalysis
from .scop import Scop, Statement

__all__ = ["Dim", "PlanKernel", "Plan", "map_schedule", "plan_dict", "plan_summary", "MAX_GRID"]

MAX_GRID = 3


@dataclass(frozen=True)
class Dim:
    var: str                 # the loop variable (or an affine form of several: a skewed member)
    trip: float | None
    line: int = 0


@dataclass(frozen=True)
class PlanKernel:
    host: tuple[Dim, ...]            # host loops around this kernel, outermost first
    grid: tuple[Dim, ...]
    per_thread: tuple[Dim, ...]
    statements: tuple[str, ...]
    instances: float | None          # statement instances the kernel runs in all

    @property
    def launches(self) -> float | None:
        trips = [d.trip for d in self.host]
        return None if None in trips else math.prod(trips)

    @property
    def work_items(self) -> float | None:
        """Grid points per launch: the grid's trips, never more than the instances per launch."""
        trips = [d.trip for d in self.grid]
        if None in trips or self.launches is None or self.instances is None:
            return None
        return max(1.0, min(math.prod(trips), self.instances / max(self.launches, 1.0)))


@dataclass(frozen=True)
class Plan:
    kernels: tuple[PlanKernel, ...]
    serial: tuple[PlanKernel, ...]   # statements under no coincident member: run one at a time
    transformations: tuple[str, ...]
    as_written: bool
    thread_var: dict = field(default_factory=dict)   # statement -> the variable adjacent threads step along

    @property
    def host_loops(self) -> tuple[Dim, ...]:
        seen: dict[tuple, Dim] = {}
        for k in self.kernels + self.serial:
            for d in k.host:
                seen.setdefault((d.var, d.line), d)
        return tuple(seen.values())


# ---- members of a band --------------------------------------------------------------------------
def _member_maps(node: isl.ScheduleNode) -> dict[str, isl.Map]:
    out: dict[str, isl.Map] = {}
    node.band_get_partial_schedule_union_map().intersect_domain(node.get_domain()).foreach_map(lambda m: out.__setitem__(m.get_tuple_name(isl.dim_type.in_), m))
    return out


def _iterator_of(m: isl.Map, j: int) -> tuple[int, int] | None:
    """(statement dimension, sign) when member j of the band is ±1 times one iterator (+ a constant)."""
    pieces = isl.PwMultiAff.from_map(m).get_pw_aff(j).get_pieces()
    if len(pieces) != 1:
        return None
    aff = pieces[0][1]
    hits = [(k, aff.get_coefficient_val(isl.dim_type.in_, k).to_python())
            for k in range(aff.dim(isl.dim_type.in_))]
    hits = [(k, c) for k, c in hits if c != 0]
    if len(hits) != 1 or abs(hits[0][1]) != 1 or aff.dim(isl.dim_type.param) and any(
            aff.get_coefficient_val(isl.dim_type.param, p).to_python() for p in range(aff.dim(isl.dim_type.param))):
        return None
    return hits[0]


def _extent(m: isl.Map, j: int) -> float | None:
    rng = m.range()
    try:
        lo, hi = rng.dim_min_val(j).to_python(), rng.dim_max_val(j).to_python()
    except (isl.Error, ValueError, TypeError):
        return None
    return float(hi - lo + 1) if isinstance(lo, int) and isinstance(hi, int) else None


class _Mapper:
    def __init__(self, scop: Scop, a: RegionAnalysis, trips: dict):
        self.scop, self.a, self.trips = scop, a, trips
        self.by_name = scop.by_name()
        self.kernels: list[PlanKernel] = []
        self.serial: list[PlanKernel] = []
        self.skewed = False

    def instances(self, names) -> float | None:
        total = 0.0
        for n in names:
            chain = self.by_name[n].loops
            ts = [self.trips.get(id(l)) for l in chain]
            if None in ts:
                return None
            total += math.prod(ts)
        return total

    def main(self, names) -> Statement:
        """The statement with the most instances (the deepest when trips are unknown)."""
        def weight(n):
            chain = self.by_name[n].loops
            ts = [self.trips.get(id(l)) or 1 for l in chain]
            return (math.prod(ts), len(chain))
        return self.by_name[max(names, key=weight)]

    def dims(self, node: isl.ScheduleNode, members: range, names) -> list[Dim]:
        st = self.main(names)
        m = _member_maps(node).get(st.name)
        out = []
        for j in members:
            hit = _iterator_of(m, j) if m is not None else None
            extent = _extent(m, j) if m is not None else None
            if hit is not None:
                loop = st.loops[hit[0]]
                trip = extent if extent is not None else self.trips.get(id(loop))
                out.append(Dim(loop.var, trip, loop.node.line))
            else:
                self.skewed = True
                out.append(Dim(f"skewed{j}", extent))
        return out

    def walk(self, node: isl.ScheduleNode, host: tuple[Dim, ...]) -> None:
        kind = node.get_type()
        if kind == isl.schedule_node_type.band:
            return self._band(node, host)
        if kind == isl.schedule_node_type.leaf:
            names = _names(node)
            if names:
                self.serial.append(PlanKernel(host, (), (), names, self.instances(names)))
            return
        for i in range(node.n_children()):
            self.walk(node.child(i), host)

    def _band(self, node: isl.ScheduleNode, host: tuple[Dim, ...]) -> None:
        n = node.band_n_member()
        coincident = [bool(node.band_member_get_coincident(j)) for j in range(n)]
        names = _names(node)
        lead = next((j for j, c in enumerate(coincident) if c), n)
        if lead == n:       # nothing parallel here: host loops, look further down
            return self._below(node, host + tuple(self.dims(node, range(n), names)))
        host = host + tuple(self.dims(node, range(lead), names))
        width = 0
        while lead + width < n and coincident[lead + width] and width < MAX_GRID:
            width += 1
        grid = self.dims(node, range(lead, lead + width), names)
        inner = self.dims(node, range(lead + width, n), names) + self._inner(node.child(0), names)
        self.kernels.append(PlanKernel(host, tuple(grid), tuple(inner), names, self.instances(names)))

    def _below(self, node: isl.ScheduleNode, host: tuple[Dim, ...]) -> None:
        if node.n_children():
            self.walk(node.child(0), host)

    def _inner(self, node: isl.ScheduleNode, names) -> list[Dim]:
        """Band members below a kernel's grid: the loops each thread runs (of its main statement)."""
        out: list[Dim] = []
        main = self.main(names).name
        while node.get_type() != isl.schedule_node_type.leaf:
            if node.get_type() == isl.schedule_node_type.band and main in _names(node):
                out += self.dims(node, range(node.band_n_member()), (main,))
            child = next((node.child(i) for i in range(node.n_children()) if main in _names(node.child(i))), None)
            if child is None:
                break
            node = child
        return out


def _names(node: isl.ScheduleNode) -> tuple[str, ...]:
    out: list[str] = []
    node.get_domain().foreach_set(lambda s: out.append(s.get_tuple_name()))
    return tuple(sorted(out, key=lambda n: int(n[1:])))


# ---- what changed ---------------------------------------------------------------------------------
def _transformations(m: _Mapper, scop: Scop, deps: Dependences) -> list[str]:
    out: list[str] = []
    for k in m.kernels + m.serial:
        st = m.main(k.statements)
        order = [d.var for d in k.host + k.grid + k.per_thread]
        written = [l.var for l in st.loops]
        if order != written and sorted(order) == sorted(written):
            out.append("interchange " + ",".join(written) + " -> " + ",".join(order))
    if _distributed(m, scop):
        out.append("distribute")
    if m.skewed:
        out.append("skew")
    touched = {b for k in m.kernels for n in k.statements for b, _ in m.by_name[n].writes}
    for name in deps.expandable:
        if name in touched and _needs_copy(name, m):
            out.append(("privatise " if scop.arrays[name] == 0 else "expand ") + name)
    return list(dict.fromkeys(out))


def _needs_copy(name: str, m: _Mapper) -> bool:
    """A variable written in a kernel whose write does not move with every grid dimension needs its
    own copy per work-item."""
    for k in m.kernels:
        grid = {d.var for d in k.grid}
        for n in k.statements:
            st = m.by_name[n]
            for base, w in st.writes:
                if base == name and not grid <= _moving(st, w):
                    return True
    return False


def _moving(st: Statement, w: isl.Map) -> set[str]:
    """The loop variables a write's element moves with."""
    out = set()
    for k, loop in enumerate(st.loops):
        for j in range(w.dim(isl.dim_type.out)):
            pa = isl.PwMultiAff.from_map(w).get_pw_aff(j)
            if any(aff.get_coefficient_val(isl.dim_type.in_, k).to_python() for _, aff in pa.get_pieces()):
                out.add(loop.var)
    return out


def _distributed(m: _Mapper, scop: Scop) -> bool:
    """Statements that shared a loop as written now sit in different kernels."""
    where = {n: i for i, k in enumerate(m.kernels) for n in k.statements}
    for s in scop.statements:
        for t in scop.statements:
            if s.name in where and t.name in where and where[s.name] != where[t.name] \
                    and set(map(id, s.loops)) & set(map(id, t.loops)):
                if {d.var for d in m.kernels[where[s.name]].grid} & {l.var for l in set(s.loops) & set(t.loops)}:
                    return True
    return False


def map_schedule(schedule: isl.Schedule, scop: Scop, deps: Dependences, a: RegionAnalysis,
                 trips: dict, written: tuple[tuple[str, ...], ...]) -> Plan:
    """The plan from ISL's schedule. `written` is the as-written launch structure's kernels (their
    host loops and parallel levels, by variable), to say whether the plan is the one as written."""
    m = _Mapper(scop, a, trips)
    m.walk(schedule.get_root(), ())
    kernels = tuple(m.kernels)
    threads = {n: (k.grid[-1].var if k.grid else None) for k in kernels for n in k.statements}
    mine = tuple(sorted((tuple(d.var for d in k.host), tuple(d.var for d in k.grid)) for k in kernels))
    return Plan(kernels, tuple(m.serial), tuple(_transformations(m, scop, deps)),
                mine == tuple(sorted(written)) and not m.serial, threads)


# ---- JSON and words ----------------------------------------------------------------------------------
def _dims(ds) -> list[dict]:
    return [{"var": d.var, "trip": _num(d.trip)} for d in ds]


def _num(x):
    return None if x is None else (round(x) if abs(x - round(x)) < 1e-9 else round(x, 3))


def plan_dict(p: Plan) -> dict:
    kern = [{"grid": _dims(k.grid), "per_thread": _dims(k.per_thread), "host_loops": _dims(k.host),
             "launches": _num(k.launches), "work_items": _num(k.work_items), "statements": list(k.statements)}
            for k in p.kernels]
    serial = [{"host_loops": _dims(k.host), "statements": list(k.statements), "instances": _num(k.instances)}
              for k in p.serial]
    return {"kernels": kern, "serial": serial, "host_loops": _dims(p.host_loops),
            "transformations": list(p.transformations), "as_written": p.as_written}


def plan_summary(p: Plan) -> str:
    """A few words: "grid i,j after interchange; k in thread"."""
    if not p.kernels:
        return "serial"
    k = max(p.kernels, key=lambda k: k.instances or 0)     # the kernel that does the most work
    words = "grid " + ",".join(d.var for d in k.grid)
    verbs = [t.split()[0] for t in p.transformations]
    if verbs:
        words += " after " + ", ".join(dict.fromkeys(verbs))
    if k.per_thread:
        words += "; " + ",".join(d.var for d in k.per_thread) + " in thread"
    if k.host:
        words += "; " + ",".join(d.var for d in k.host) + " on host"
    if len(p.kernels) > 1:
        words += f"; {len(p.kernels)} kernels"
    return words
