"""Sizes and call counts across the translation units of a scan: a call graph of the codebase by name.

Each file analysed alone exports its calls to functions it does not define, with the value of each
argument, and the functions it defines (xapp.analysis.links). `join` resolves every such call to
the one file that defines the callee with external linkage:

- a `static` function is invisible to other files and never bound from them;
- a name defined in several other files resolves to the one nearest the caller (its own folder,
  else the most folders in common: a tree of separate programs defines `main` and its helpers many
  times); two or more equally near are ambiguous, as is a C++ name defined more than once in its
  file (overloads): the size stays unknown and says so; definitions sharing no folder with the
  caller (other programs of the tree) are not followed and not told;
- a function its own file also calls keeps the sizes that file gives it (its callers there count).

A parameter every call site in the other files passes the same integer becomes the size
`FUNCTION:NAME=VALUE` of the callee's file (the --size mechanism); call sites that pass different
values leave it unknown ("callers disagree"), as do sites that read it from input. Call counts of
the callers (per program run, from their `main`) give the callee's calls per run where its own file
has no `main`.

`follow` re-extracts, through the scan's one extraction stage and cache (the bound sizes are part of
the parse options, so of the cache key), only the files where a bound size reaches a region with a
size "from the caller" or a call passing one on (through the functions its entry calls); their new exports may fix the next file of a chain (main.c ->
run in driver.c -> kernel in kernel.c), repeated until nothing changes, at most MAX_ROUNDS times.
Then each region says where a bound size came from ("n: 1000 from main.c:5").
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Callable, Sequence

from ..analysis.links import FROM_CALLER, FROM_INPUT, NOT_STATIC
from ..analysis.sizes import sizes_for
from ..features import FileFeatures
from .discovery import ScanTarget
from .runner import ANALYSED_STATUSES, FileOutcome

__all__ = ["MAX_ROUNDS", "Site", "Linked", "join", "follow", "annotate"]

MAX_ROUNDS = 4          # files in a chain beyond the first: deeper chains keep their sizes unknown
_SHOWN_SITES = 3


@dataclass(frozen=True)
class Site:
    """One call in another file: where it is and what the caller's file knows of it."""

    index: int           # the caller's file
    file: str            # its name as reports show it
    call: dict           # one entry of links["calls"]

    def where(self) -> str:
        return f"{self.file}:{self.call['line']}"

    def argument(self, pos: int) -> tuple[int | None, str]:
        """(value, why unknown) of the argument at `pos`."""
        found = next((a for a in self.call.get("args", ()) if a[0] == pos), None)
        return (None, "missing") if found is None else (found[1], found[2])


@dataclass
class Linked:
    """What the other files of a scan fix for one file."""

    sizes: dict[str, int] = field(default_factory=dict)       # 'function:name' -> value
    sources: dict[str, str] = field(default_factory=dict)     # 'function:name' -> '1000 from main.c:5'
    reasons: dict[str, str] = field(default_factory=dict)     # 'function:name' -> why it stays unknown
    sites: dict[str, list[Site]] = field(default_factory=dict)    # entry -> its call sites elsewhere
    ambiguous: dict[str, str] = field(default_factory=dict)   # entry -> why calls to it were not bound


Files = dict[int, tuple[str, FileFeatures]]


def _functions(f: FileFeatures) -> dict:
    return f.links.get("functions", {}) if f.links else {}


def _definitions(files: Files) -> dict[str, list[int]]:
    """Function name -> files defining it with external linkage."""
    out: dict[str, list[int]] = {}
    for i, (_, f) in files.items():
        for name, info in _functions(f).items():
            if not info.get("static"):
                out.setdefault(name, []).append(i)
    return out


def _closeness(a: str, b: str) -> int:
    """Folders two files share from the root, plus one when they sit in the same folder."""
    da, db = PurePath(a).parent.parts, PurePath(b).parent.parts
    shared = next((k for k, (x, y) in enumerate(zip(da, db)) if x != y), min(len(da), len(db)))
    return shared + (da == db)


def _resolve(i: int, callee: str, defs: dict[str, list[int]], files: Files) -> tuple[list[int], str]:
    """([the defining file], '') or (candidates, why ambiguous); ([], '') for a function no file defines,
    or one several unrelated folders define (separate programs of one tree: not this caller's)."""
    found = [j for j in defs.get(callee, ()) if j != i]
    near = {j: _closeness(files[i][0], files[j][0]) for j in found}
    best = max(near.values(), default=0)
    found = [j for j in found if near[j] == best]
    if len(found) > 1:
        if best == 0:
            return [], ""
        return found, f"{callee} is defined in {', '.join(sorted(files[j][0] for j in found))}: ambiguous"
    if found and _functions(files[found[0]][1])[callee].get("defs", 1) > 1:
        return found, f"{callee} is defined {_functions(files[found[0]][1])[callee]['defs']} times " \
                      f"(overloads) in {files[found[0]][0]}: ambiguous"
    return found, ""


def join(files: Files, user: dict[int, dict[str, int]] | None = None) -> dict[int, Linked]:
    """Per file, the sizes and call sites other files give it (see the module docstring); `user`: each
    file's own --size values, which win over anything bound here."""
    user = user or {}
    defs = _definitions(files)
    out: dict[int, Linked] = {}
    for i, (shown, f) in files.items():
        for call in (f.links or {}).get("calls", ()):
            found, why = _resolve(i, call["callee"], defs, files)
            for j in found:
                linked = out.setdefault(j, Linked())
                if why:
                    linked.ambiguous[call["callee"]] = f"{why}; the call at {shown}:{call['line']} is not followed"
                else:
                    linked.sites.setdefault(call["callee"], []).append(Site(i, shown, call))
    for j, linked in out.items():
        functions = _functions(files[j][1])
        for callee, sites in linked.sites.items():
            if not functions[callee].get("called_here"):
                _bind(callee, functions[callee]["params"], sites, sizes_for(callee, user.get(j, {})), linked)
        for callee, why in linked.ambiguous.items():
            for name in functions[callee]["params"]:
                if name:
                    linked.reasons.setdefault(f"{callee}:{name}", why)
    return out


def _bind(callee: str, params: list[str], sites: list[Site], given: dict[str, int], linked: Linked) -> None:
    for pos, name in enumerate(params):
        if not name or name in given:        # not an integer, or the user's --size wins
            continue
        key = f"{callee}:{name}"
        seen = [(s, s.argument(pos)) for s in sites]
        unknown = [(s, why) for s, (value, why) in seen if value is None]
        values = {value for _, (value, _) in seen if value is not None}
        if unknown:
            linked.reasons[key] = "; ".join(_unknown_text(s, why) for s, why in unknown[:_SHOWN_SITES])
        elif len(values) > 1:
            linked.reasons[key] = "callers disagree: " + ", ".join(
                f"{s.where()} passes {value}" for s, (value, _) in seen[:_SHOWN_SITES + 1])
        elif min(values) < 0:
            # a flag or hint (nauty's `targetcell(..., hint = -1, ...)`), not a size: a size is 0 or more
            linked.reasons[key] = f"{seen[0][0].where()} passes {min(values)}, not a size"
        else:
            value = values.pop()
            linked.sizes[key] = value
            more = f" and {len(sites) - _SHOWN_SITES} more" if len(sites) > _SHOWN_SITES else ""
            linked.sources[key] = f"{value} from {', '.join(s.where() for s in sites[:_SHOWN_SITES])}{more}"


_UNKNOWN_TEXT = {
    FROM_INPUT: "{where} reads it from input",
    FROM_CALLER: "{where} passes a value its own callers give, not known",
    NOT_STATIC: "{where} passes a value not known statically",
    "missing": "{where} passes no such argument",
}


def _unknown_text(site: Site, why: str) -> str:
    return _UNKNOWN_TEXT.get(why, "{where} passes an unknown value").format(where=site.where())


# ---- call counts ---------------------------------------------------------------------------------
class _Counts:
    """Runs per program run of the functions of files without `main`, from their callers elsewhere."""

    def __init__(self, files: Files, linked: dict[int, Linked]):
        self.files, self.linked = files, linked
        self._memo: dict[tuple[int, str], float | None] = {}
        self._busy: set[tuple[int, str]] = set()

    def _has_main(self, i: int) -> bool:
        return "main" in _functions(self.files[i][1])

    def _reach(self, i: int) -> dict[str, dict[str, float]]:
        return (self.files[i][1].links or {}).get("reach", {})

    def entry(self, i: int, name: str) -> float | None:
        """Calls of entry `name` of file i per program run: the sum over its call sites elsewhere."""
        key = (i, name)
        if key in self._busy:           # a cycle through files: no count
            return None
        if key not in self._memo:
            self._busy.add(key)
            sites = self.linked.get(i, Linked()).sites.get(name, [])
            runs = [self._site(s) for s in sites]
            self._memo[key] = None if not runs or None in runs else sum(runs)
            self._busy.discard(key)
        return self._memo[key]

    def _site(self, s: Site) -> float | None:
        if s.call.get("per_run") is not None:
            return s.call["per_run"]
        times = s.call.get("times")
        if self._has_main(s.index) or times is None:
            return None
        caller = self.function(s.index, s.call["caller"])
        return None if caller is None else caller * times

    def function(self, i: int, name: str) -> float | None:
        """Runs of function `name` of file i (a file without main) per program run, or None."""
        if self._has_main(i):
            return None
        reach = self._reach(i)
        parts = []
        for entry in self.linked.get(i, Linked()).sites:
            reached = reach.get(entry, {entry: 1.0})
            if name in reached:
                runs, per_call = self.entry(i, entry), reached[name]
                parts.append(None if runs is None or per_call is None else runs * per_call)
        return None if not parts or None in parts else sum(parts)


# ---- the rounds ------------------------------------------------------------------------------------
def _analysed(targets: Sequence[ScanTarget], outcomes: Sequence[FileOutcome]) -> Files:
    return {i: (t.display, o.features) for i, (t, o) in enumerate(zip(targets, outcomes))
            if o.status in ANALYSED_STATUSES and o.features is not None}


def _gains(f: FileFeatures, sizes: dict[str, int]) -> bool:
    """Some size bound on an entry reaches a region with a size "from the caller", or an outgoing call
    passing on a value from the caller: else a re-extraction would change nothing."""
    reach = (f.links or {}).get("reach", {})
    reached = {fn for key in sizes for entry in [key.partition(":")[0]] for fn in reach.get(entry, {entry: 1.0})}
    return any(r.function in reached and any(o.startswith(FROM_CALLER) for o in r.unknown_sizes.values())
               for r in f.regions) or any(
        c["caller"] in reached and any(a[2] == FROM_CALLER for a in c.get("args", ()))
        for c in (f.links or {}).get("calls", ()))


def follow(targets: Sequence[ScanTarget], outcomes: list[FileOutcome],
           extract: Callable[[list[ScanTarget]], list[FileOutcome]]) -> tuple[list[FileOutcome], dict]:
    """Outcomes with the sizes other files give bound and said (see the module docstring); `extract`
    runs the scan's extraction stage on some targets. Also a summary: rounds, files re-extracted, sizes
    bound, seconds the pass took (joins and re-extractions)."""
    started = time.perf_counter()
    outcomes = list(outcomes)
    user = {i: dict(t.options.sizes) for i, t in enumerate(targets)}
    bound: dict[int, tuple] = {}        # the sizes each file was re-extracted with (tried)
    applied: dict[int, dict] = {}       # those its outcome now holds (a re-extraction may time out)
    rounds = 0
    while True:
        files = _analysed(targets, outcomes)
        linked = join(files, user)
        todo = [i for i, l in linked.items() if l.sizes and tuple(sorted(l.sizes.items())) != bound.get(i, ())
                and _gains(files[i][1], l.sizes)]
        if not todo or rounds == MAX_ROUNDS:
            break
        rounds += 1
        for i, result in zip(todo, extract([_with_sizes(targets[i], linked[i].sizes) for i in todo])):
            bound[i] = tuple(sorted(linked[i].sizes.items()))
            if result.status in ANALYSED_STATUSES and result.features is not None:
                outcomes[i] = replace(result, target=targets[i])
                applied[i] = dict(linked[i].sizes)
    counts = _Counts(files, linked)
    for i, l in linked.items():
        said = replace(l, sources={k: v for k, v in l.sources.items() if k in applied.get(i, {})})
        outcomes[i] = replace(outcomes[i], features=annotate(files[i][1], said, counts, i))
    summary = {"rounds": rounds, "files_re_extracted": len(applied),
               "sizes_bound": sum(len(s) for s in applied.values()),
               "seconds": round(time.perf_counter() - started, 3)}
    return outcomes, summary


def _with_sizes(target: ScanTarget, sizes: dict[str, int]) -> ScanTarget:
    return replace(target, options=replace(target.options, sizes=target.options.sizes + tuple(sorted(sizes.items()))))


def annotate(f: FileFeatures, linked: Linked, counts: _Counts, index: int) -> FileFeatures:
    """A copy of the file's features whose regions say where their bound sizes came from, why the
    others stay unknown, and their calls per run from other files."""
    reach = (f.links or {}).get("reach", {})
    regions = []
    for r in f.regions:
        sources = dict(r.size_sources)
        for key, text in linked.sources.items():
            entry, _, name = key.partition(":")
            if entry == r.function:
                sources[name] = text
            elif r.function in reach.get(entry, {}):
                sources[key] = text            # bound on the entry that calls this function
        unknown = {name: _why(origin, linked.reasons.get(f"{r.function}:{name}"))
                   for name, origin in r.unknown_sizes.items()}
        calls = r.calls_per_run if r.calls_per_run is not None else counts.function(index, r.function)
        regions.append(replace(r, size_sources=sources, unknown_sizes=unknown, calls_per_run=calls))
    return replace(f, regions=regions)


def _why(origin: str, reason: str | None) -> str:
    return f"{origin}; {reason}" if reason and origin == FROM_CALLER else origin
