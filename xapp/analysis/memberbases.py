"""The same field of two struct objects is two arrays: `mc.rho[k]` and `cc.rho[k]`.

The front end names an access through a member by the member (`rho`), so `mc.rho[...] = cc.rho[...]`
(HeCBench multimaterial) reads as one array stored and loaded at unrelated subscripts. Where the
object is a struct variable the function declares by value (a parameter or a local, not a
reference), each object's member is its own name (`mc.rho`, `cc.rho`): an array member then is
distinct memory, and two pointer members are two pointers, kept apart only under the alias
assumption stated for pointers. A field reached any other way in the loop (through a pointer, a
reference, a pointer set from it) keeps every access of that field under the one name, as before.
"""
from __future__ import annotations

from dataclasses import replace

from .nest import Access

__all__ = ["by_object"]


def _owner(acc: Access, values: set[str]) -> str | None:
    """`mc` for an access `mc.rho[...]` (its base the field) with mc a struct value, else None."""
    n = acc.node
    while n.kind == "subscript" and n.children:
        n = n.children[0]
    if acc.kind != "subscript" or n.kind != "member" or n.op != acc.base or not n.children:
        return None
    root = n.children[0]
    return root.op if root.kind == "ref" and root.op in values else None


def by_object(accs: list[Access], values: set[str]) -> list[Access]:
    """The accesses with each struct value's member under its own name (`mc.rho`), where every
    access of that field in `accs` goes through such a value."""
    owners = [_owner(acc, values) for acc in accs]
    mixed = {acc.base for acc, owner in zip(accs, owners) if owner is None}
    return [replace(acc, base=f"{owner}.{acc.base}") if owner and acc.base not in mixed else acc
            for acc, owner in zip(accs, owners)]
