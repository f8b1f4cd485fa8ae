"""Source text in, candidate regions with named features out."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import BinarySource, InputError, ParseError, SourceTooLarge
from ..analysis.exact import refold_loop_bounds
from ..analysis.region_facts import function_context, region_facts, unit_facts
from ..analysis.loopreport import loop_entries, parallel_level, race_findings
from ..analysis.pragmas import find_pragmas
from ..analysis.omp_check import omp_file, unchecked, unchecked_outside
from ..analysis.omp_blocks import block_findings
from ..analysis.omp_nowait import nowait_findings
from ..analysis.footprint import footprint_bytes
from ..analysis.launch import launch_dict, launch_structure
from ..analysis.portplan import region_plans
from ..frontend.lower import lower
from ..frontend.options import ParseOptions
from ..frontend.parse import Diagnostics, parse
from ..analysis.regions import find_regions
from .registry import compute_features
from ..frontend.suppress import ignored_lines, is_suppressed
from ..analysis.workload import workload
from ..analysis.callcount import calls_per_run
from ..analysis.links import file_links
from .size_curve import size_curve, unknown_sizes

__all__ = ["RegionFeatures", "FileFeatures", "extract_source", "extract_file", "decode_source", "read_source",
           "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 1 << 20


@dataclass
class RegionFeatures:
    file: str
    function: str
    kind: str
    line: int
    end_line: int
    features: dict[str, float]
    serial_reasons: list[str] = field(default_factory=list)   # why the outer level is not parallel
    footprint_bytes: float | None = None    # estimated data moved to the device (loops with known bounds)
    loops: list[dict] = field(default_factory=list)      # every loop of the region with its own verdict
    parallel_level: str | None = None     # `line:var` of the outermost loop that can run in parallel
    findings: list[dict] = field(default_factory=list)   # possible data races under OpenMP pragmas
    launch: dict | None = None              # features.launch.launch_dict: kernels, launches, work-items
    workload: dict | None = None            # features.workload.Workload as a dict; None when sizes are unknown
    warnings: list[str] = field(default_factory=list)   # e.g. a loop bound that overflows int, sized exactly
    omp_unchecked: list[str] = field(default_factory=list)   # OpenMP constructs whose races are not judged
    plan: dict | None = None                # analysis.portplan.region_plans: the reordered port plan, or why not
    # Sizes a loop bound reads that the program does not fix: name -> 'from the caller', 'read from input', ...
    unknown_sizes: dict[str, str] = field(default_factory=dict)
    size_curve: list[list] = field(default_factory=list)   # [[size, workload dict]] with unknown sizes bound
    calls_per_run: float | None = None      # runs of the region's function per program run (from main)
    # Sizes bound from other files of a scan (xapp.scan.codebase): name -> '1000 from main.c:42'
    size_sources: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FileFeatures:
    file: str
    regions: list[RegionFeatures]
    diagnostics: Diagnostics
    # regions an `xapp: ignore` comment took out (frontend.suppress): {"file", "line", "function"} each
    suppressed: list[dict] = field(default_factory=list)
    omp_unchecked: list[str] = field(default_factory=list)   # OpenMP constructs outside every region, not judged
    findings: list[dict] = field(default_factory=list)        # races in parallel blocks outside every region
    # What a scan joins across files (xapp.analysis.links): external calls with their argument values,
    # the functions defined here, the reach of each entry
    links: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"file": self.file, "regions": [r.as_dict() for r in self.regions],
                "diagnostics": self.diagnostics.as_dict(),
                "findings": [f for r in self.regions for f in r.findings] + list(self.findings),
                "file_findings": list(self.findings),
                "omp_unchecked": list(self.omp_unchecked), "suppressed": list(self.suppressed),
                "links": self.links}


def _mostly_binary(data: bytes) -> bool:
    """More than half the bytes are neither printable ASCII nor whitespace: not text in any 8-bit encoding
    a C file is written in (Latin-1 or cp1252 text has a few accented letters among ASCII code)."""
    text_bytes = sum(1 for b in data if 0x20 <= b < 0x7f or b in b"\t\n\r\f\v")
    return text_bytes * 2 < len(data)


def _legacy_decoded(data: bytes, name: str, bad_at: int, notes: list[str] | None) -> str:
    """Source that is not UTF-8: cp1252 (a superset of Latin-1's printable range), else Latin-1."""
    try:
        text, codec = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:      # the five bytes cp1252 leaves undefined: Latin-1 maps every byte
        text, codec = data.decode("latin-1"), "latin-1"
    if notes is not None:
        notes.append(f"{name}: not UTF-8 (first invalid byte at offset {bad_at}); decoded as {codec}")
    return text


def decode_source(data: bytes, name: str = "<source>", max_bytes: int | None = DEFAULT_MAX_BYTES,
                  notes: list[str] | None = None) -> str:
    """Bytes to source text: UTF-8, else cp1252/Latin-1 (a note saying so is appended to `notes`).
    Refuses oversized files, NUL bytes and mostly non-text content with a clear error."""
    if max_bytes is not None and len(data) > max_bytes:
        raise SourceTooLarge(f"{name}: {len(data)} bytes is over the {max_bytes}-byte limit")
    if b"\x00" in data:
        raise BinarySource(f"{name}: binary content (NUL bytes); not a source file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    if _mostly_binary(data):
        raise BinarySource(f"{name}: binary content (mostly bytes that are not text); not a source file")
    return _legacy_decoded(data, name, bad_at, notes)


def extract_source(text: str, filename: str, options: ParseOptions | None = None,
                   display_name: str | None = None) -> FileFeatures:
    """Parse `text` as `filename` and return its regions; raises ParseError if it cannot be parsed."""
    try:
        return _extract_source(text, filename, options, display_name)
    except RecursionError:
        # Lowering refuses code nested past MAX_NESTING; a shape that still recurses too deep in an
        # analysis fails its own file with this, never the run (Python recovers from RecursionError).
        raise ParseError(f"{display_name or filename}: an expression nested too deeply for xapp's analysis "
                         "(hundreds of operators in a row, e.g. in a subscript: Python's recursion limit)") from None


def _extract_source(text: str, filename: str, options: ParseOptions | None,
                    display_name: str | None) -> FileFeatures:
    options = options or ParseOptions()
    if "\x00" in text:
        raise BinarySource(f"{filename}: binary content (NUL bytes); not a source file")
    unit = parse(text, filename, options)
    ir = lower(unit)
    overflows = refold_loop_bounds(ir)
    diagnostics = unit.diagnostics
    del unit  # frees the translation unit: nothing below needs libclang
    shown = display_name or filename
    regions, contexts, suppressed = [], {}, []
    whole = unit_facts(ir, dict(options.sizes))

    def context_of(fn):
        if id(fn) not in contexts:
            contexts[id(fn)] = function_context(fn, whole)
        return contexts[id(fn)]
    pragmas = {} if options.untrusted else {p.target_line: p for p in find_pragmas(text) if p.target_line}
    ignored, source_lines = ignored_lines(text), text.splitlines()
    omp = omp_file("" if options.untrusted else text, ir, pragmas)
    counts = calls_per_run(ir, context_of)
    for region in find_regions(ir, shown):
        if ignored and is_suppressed(region.line, ignored, source_lines):
            suppressed.append({"file": shown, "line": region.line, "function": region.function})
            continue
        context = context_of(region.owner)
        facts = region_facts(region, ir, context, options.alias_assumption)
        found = _region_features(region, facts, omp, overflows, shown)
        found.calls_per_run = counts.get(region.owner.name)
        if found.workload is None and not facts.is_kernel:
            found.unknown_sizes = unknown_sizes(facts, ir)
            found.size_curve = size_curve(region, ir, context, facts, found.features, found.unknown_sizes)
        regions.append(found)
    outside = unchecked_outside([(r.line, r.end_line) for r in regions], omp)
    return FileFeatures(shown, regions, diagnostics, suppressed=suppressed, omp_unchecked=outside,
                        findings=_place_block_findings(regions, ir, omp, shown),
                        links=file_links(ir, context_of, counts))


def _place_block_findings(regions: list[RegionFeatures], ir, omp, shown: str) -> list[dict]:
    """Races in parallel blocks and across `nowait` go to the region holding their line; the rest stay
    with the file."""
    rest = []
    for finding in block_findings(ir, omp, shown) + nowait_findings(ir, omp, shown):
        holder = next((r for r in regions if r.line <= finding["line"] <= r.end_line), None)
        (holder.findings if holder is not None else rest).append(finding)
    return rest


def _region_features(region, facts, omp, overflows, shown) -> RegionFeatures:
    outer = [l for l in facts.loops if l.parent is None]
    reasons = [] if facts.is_kernel or not outer else facts.verdicts[id(outer[0])].reasons
    features = compute_features(facts)
    launch = launch_structure(facts)
    work = workload(facts, launch, features)
    # a serial region has a CPU-only workload (no kernel): the plans price a reordered port on their own base
    plans = region_plans(facts, launch, features, work if work is not None and work.kernels else None)
    warnings = [w for line, ws in overflows.items() if region.line <= line <= region.end_line for w in ws]
    return RegionFeatures(region.file, region.function, region.kind, region.line, region.end_line,
                          features, list(dict.fromkeys(reasons)), footprint_bytes(facts),
                          loop_entries(facts, omp), parallel_level(facts), race_findings(facts, omp, shown),
                          launch_dict(launch), work.as_dict() if work else None, warnings,
                          unchecked(region.line, region.end_line, omp), plans)


def read_source(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES, notes: list[str] | None = None) -> str:
    """A source file's text; InputError if unreadable, SourceTooLarge / BinarySource as decode_source."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_source(data, str(path), max_bytes, notes)


def extract_file(path: str | Path, options: ParseOptions | None = None,
                 max_bytes: int | None = DEFAULT_MAX_BYTES) -> FileFeatures:
    path = Path(path)
    return extract_source(read_source(path, max_bytes), str(path.resolve()), options, display_name=str(path))
