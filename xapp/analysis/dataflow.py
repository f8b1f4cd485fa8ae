"""Dependences of a SCoP from ISL's dataflow analysis (flow, anti, output), with what follows.

- flow: each read's last write before it (must-writes kill older ones; a write under a
  non-affine condition is a may-source and kills nothing);
- anti and output: the writes after a read or a write of the same element, up to the next
  must-write;
- expandable: a temporary, a variable (scalar or array) whose every read finds its value written
  earlier in the region (no read is exposed to values from before the region) and whose every
  written value is read again in the region (doitgen's `sum[p]`, a dot product's `acc`). A port
  can give each iteration its own copy (PPCG's live-range reordering, scalar and array
  expansion), so only its flow dependences constrain a schedule; its anti and output dependences
  do not. Its values after the region are not kept (a port would copy the last ones back);
- reduction self-dependences: a reduction statement (`C[i][j] += ...`, `s += ...`) depends on its
  own earlier instances only through the associative update; a schedule may reorder them
  (Polly does the same), but they stay serial inside a work-item (coincidence keeps them).
"""
from __future__ import annotations

from dataclasses import dataclass

import islpy as isl

from .scop import Scop

__all__ = ["Dependences", "dependences"]


@dataclass(eq=False)
class Dependences:
    flow: isl.UnionMap
    anti_output: isl.UnionMap            # anti and output dependences, on the variables not expanded
    expandable: tuple[str, ...]          # variables a port privatises or expands
    reduction_self: isl.UnionMap         # the reduction statements' dependences on themselves
    scop: Scop | None = None
    _memory: isl.UnionMap | None = None

    def memory(self) -> isl.UnionMap:
        """Every dependence through memory, expandable variables too (for per-loop verdicts; computed
        on first use: most regions never need it)."""
        if self._memory is None:
            scop = self.scop
            every = set(scop.arrays)
            may = scop.accesses("writes", must=False)
            self._memory = self.flow.union(_dataflow(
                _on_array(scop, "writes", every), _on_array(scop, "writes", every, True),
                scop.accesses("reads").union(may), scop.schedule).get_may_dependence())
        return self._memory

    def on(self, names: set[str]) -> isl.UnionMap:
        """Every dependence through memory on the named variables only (flow, then anti and output)."""
        scop = self.scop
        must, may = _on_array(scop, "writes", names, True), _on_array(scop, "writes", names, False)
        reads = _on_array(scop, "reads", names)
        flow = _dataflow(reads, must, may, scop.schedule).get_may_dependence()
        rest = _dataflow(_on_array(scop, "writes", names), must, reads.union(may), scop.schedule)
        return flow.union(rest.get_may_dependence())

    def validity(self) -> isl.UnionMap:
        """What any legal order respects: everything but the relaxed reductions."""
        return self.all().subtract(self.reduction_self)

    def all(self) -> isl.UnionMap:
        return self.flow.union(self.anti_output)


def _dataflow(sink: isl.UnionMap, must: isl.UnionMap, may: isl.UnionMap, sched: isl.UnionMap):
    info = isl.UnionAccessInfo.from_sink(sink).set_must_source(must).set_may_source(may)
    return info.set_schedule_map(sched).compute_flow()


def _on_array(scop: Scop, which: str, names: set[str], must: bool | None = None) -> isl.UnionMap:
    """Accesses of the statements to the named variables only."""
    out = isl.UnionMap.empty(scop.statements[0].domain.get_space().params())
    for s in scop.statements:
        if must is not None and s.conditional == must:
            continue
        for base, m in getattr(s, which):
            if base in names:
                out = out.union(isl.UnionMap.from_map(m))
    return out


def _exposed(flow_info, scop: Scop) -> set[str]:
    """Variables some read of which sees a value from before the region."""
    exposed = flow_info.get_may_no_source()
    out: set[str] = set()
    exposed.range().foreach_set(lambda st: out.add(st.get_tuple_name()))
    by_ident: dict[str, str] = {}
    for s in scop.statements:
        for base, m in s.reads + s.writes:
            by_ident[m.get_tuple_name(isl.dim_type.out)] = base
    return {by_ident.get(n, n) for n in out}


def _consumed(flow: isl.UnionMap, scop: Scop) -> set[str]:
    """Variables every written value of which is read again in the region: temporaries. A variable
    written and never read there (a result, live after the region) keeps its order of writes."""
    read_later = flow.domain()
    out = set(scop.arrays)
    for s in scop.statements:
        if s.writes and not isl.UnionSet.from_set(s.domain).is_subset(read_later):
            out -= {b for b, _ in s.writes}
    return out


def _self(deps: isl.UnionMap, scop: Scop) -> isl.UnionMap:
    """The dependences of each reduction statement on itself (a statement that writes only the
    location it reduces into: its self-dependences all pass through that update)."""
    out = isl.UnionMap.empty(deps.get_space())
    for s in scop.statements:
        if s.reduction is None or any(b != s.reduction for b, _ in s.writes):
            continue
        ident = isl.UnionMap.from_map(isl.Map.from_domain_and_range(s.domain, s.domain))
        out = out.union(deps.intersect(ident))
    return out


def dependences(scop: Scop) -> Dependences:
    reads, sched = scop.accesses("reads"), scop.schedule
    must, may = scop.accesses("writes", must=True), scop.accesses("writes", must=False)
    flow_info = _dataflow(reads, must, may, sched)
    flow = flow_info.get_may_dependence()
    expandable = (set(scop.arrays) - _exposed(flow_info, scop)) & _consumed(flow, scop)
    kept = set(scop.arrays) - expandable
    # one pass for both: each write's last must-write before it (output) and the reads and may-writes
    # since then (anti, and output from a conditional write)
    sources = _on_array(scop, "reads", kept).union(_on_array(scop, "writes", kept, False))
    false_deps = _dataflow(_on_array(scop, "writes", kept), _on_array(scop, "writes", kept, True), sources,
                           sched).get_may_dependence()
    deps = flow.union(false_deps)
    return Dependences(flow, false_deps, tuple(sorted(expandable)), _self(deps, scop), scop)
