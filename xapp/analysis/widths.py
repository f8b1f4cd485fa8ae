"""Accesses of one array through pointers to elements of different sizes, in common units.

`((float2 *)p)[i]` touches `p[2i]` and `p[2i + 1]`: tested against `p[i]` as they are written, the
two subscripts `i` would look like the same element and hide the dependence between iteration `i`
and iteration `2i`. When the accesses of one array in a loop have different element sizes, each
access is replaced by one access per unit of the greatest common size (`2i + 0`, `2i + 1`), so the
dependence test compares elements of one size. An access whose size is not known (0) leaves the
array as it is; one wider than _MAX_UNITS units gets a subscript the test cannot read ("could not
prove").
"""
from __future__ import annotations

from dataclasses import replace
from math import gcd

from .nest import Access
from ..frontend.ir import Node

__all__ = ["in_common_units", "width"]

_MAX_UNITS = 64


def _unit_index(index: Node, units: int, offset: int) -> Node:
    scaled = Node("binop", op="*", ty="int", children=[Node("int", value=units), index])
    return Node("binop", op="+", ty="int", children=[scaled, Node("int", value=offset)])


def width(acc: Access) -> int:
    """Bytes of the array element an access names: the subscript's own element (`ps[p]` of
    `ps[p].alive`: the struct, not the field; fields are not told apart), else the access's size."""
    node = acc.node
    return node.size if node.kind == "subscript" and node.size else acc.size


def _split(acc: Access, unit: int) -> list[Access]:
    units = width(acc) // unit
    if units == 1 or not acc.indices:
        return [acc]
    *outer, last = acc.indices
    if units > _MAX_UNITS:      # a call is no affine form: the test says it could not prove
        return [replace(acc, indices=[*outer, Node("call", op="?", children=[last])], size=unit)]
    return [replace(acc, indices=[*outer, _unit_index(last, units, t)], size=unit) for t in range(units)]


def in_common_units(accs: list[Access]) -> list[Access]:
    """The accesses of one array, split into accesses of the greatest common element size. Beside
    accesses of known sizes, one of unknown size (a template's `T *p` read as `float2`) is in no
    common unit: its subscript is made unreadable, so its pairs are "could not prove" (taken as the
    same unit, `p[2*i]` against `((float2 *)p)[i]` looked like a flow dependence, and `p[i]` against
    it like none). Accesses a call was summarised into (their unit checked there) are not unknown."""
    sizes = {width(acc) for acc in accs}
    known = sizes - {0}
    unknown = [not width(acc) and acc.node.kind != "call" for acc in accs]
    if any(unknown) and known:
        accs = [_unreadable(acc) if u else acc for acc, u in zip(accs, unknown)]
    if len(known) < 2 or 0 in sizes and not any(unknown):
        return accs
    unit = 0
    for s in known:
        unit = gcd(unit, s)
    return [part for acc, u in zip(accs, unknown) for part in ([acc] if u else _split(acc, unit))]


def _unreadable(acc: Access) -> Access:
    if not acc.indices:
        return replace(acc, indices=[Node("call", op="?", children=[])])
    *outer, last = acc.indices
    return replace(acc, indices=[*outer, Node("call", op="?", children=[last])])
