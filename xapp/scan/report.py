"""What a scan found: per-file statuses, the ranked regions, counts, and the exit code.

Writers (xapp.reports: table_report, json_report, csv_report, sarif_report, html_report) read
a `ScanReport`; none of them decides anything the report already says.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Mapping, Sequence

from ..errors import EXIT_ERROR, EXIT_FAILED, EXIT_OK
from ..inputs import diagnostic_details, parse_errors
from .runner import FAILED_STATUSES, STATUSES, FileOutcome

if TYPE_CHECKING:       # the model stage is imported by the command only (it loads XGBoost)
    from ..predict import FilePrediction, RegionPrediction

__all__ = ["ScanReport", "FileStatus", "rank_key", "band_floor", "EXIT_OK", "EXIT_FAIL_ON", "EXIT_ERROR"]

EXIT_FAIL_ON = EXIT_FAILED    # the one failure a finished scan reports
def _analysed(diagnostics: dict | None) -> str:
    """A predicted file's status, as the scan's parse job names it: `partial` when clang reported errors."""
    return "partial" if ((diagnostics or {}).get("counts") or {}).get("error") else "ok"


# The scan status of a file that `xapp predict` could not answer, by its error's class name.
ERROR_STATUS = {"ExtractionTimeout": "timeout", "ExtractionCrash": "crashed", "ParseError": "parse_error",
                "NotBuilt": "skipped",
                "BinarySource": "binary", "SourceTooLarge": "too_large", "InputError": "unreadable"}


@dataclass
class FileStatus:
    file: str
    status: str                 # one of runner.STATUSES
    cached: bool = False
    regions: int = 0
    flags_from: str = "command line"
    message: str | None = None
    diagnostics: dict | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES

    @property
    def errors(self) -> list[dict]:
        """The parse errors clang reported ({line, column, severity, message}; at most 10 kept)."""
        return [d for d in diagnostic_details(self.diagnostics) if d["severity"] in ("error", "fatal")]

    @property
    def note(self) -> str | None:
        """What the reports say about the file: for a partial one, its parse errors and the first of them."""
        if self.status != "partial":
            return self.message
        n, first = parse_errors(self.diagnostics)
        said = f"{n} parse error{'s' if n != 1 else ''}" + (f", the first at {first}" if first else "")
        return f"{said}; the code around {'them' if n != 1 else 'it'} is missing from the analysis"

    def as_dict(self) -> dict:
        return {**asdict(self), "message": self.note}


def band_floor(band: str | None) -> float:
    """The lower end of a speed-up band: '<1x' -> 0, '2-4x' -> 2, '>16x' -> 16."""
    if not band or band.startswith("<"):
        return 0.0
    text = band.lstrip(">").rstrip("x").split("-")[0]
    try:
        return float(text)
    except ValueError:
        return 0.0


def rank_key(region: "RegionPrediction", threshold: float) -> tuple:
    """Best first: regions with known sizes by the time a port saves per program run; then those whose
    sizes are unknown (ranked apart: no time to compare); then the rest. Within a group: P(speed-up >
    threshold), then the band, then the higher thresholds, then place."""
    saved = getattr(region, "time_saved_seconds", None)
    group = 0 if saved is not None else 1 if getattr(region, "size_unknown", None) else 2
    p = region.probability(threshold)
    others = sum(t.probability for t in region.predictions if t.threshold > threshold)
    return (group, -(saved or 0.0), -(p if p is not None else -1.0), -band_floor(region.speedup_band), -others,
            region.file, region.line)


@dataclass
class ScanReport:
    model: dict
    threshold: float
    files: list[FileStatus]
    ranked: list["RegionPrediction"]              # every GPU candidate of the scan, best first
    not_offloadable: list["RegionPrediction"]     # regions without a parallel loop, listed apart
    top: int | None = None
    fail_on: float | None = None
    strict: bool = False
    seconds: float = 0.0
    options: dict = field(default_factory=dict)   # what the scan was asked (for the reports' headers)
    base_dir: str = field(default_factory=os.getcwd)   # relative file names in the report are relative to it
    suppressed: list[dict] = field(default_factory=list)   # regions an `xapp: ignore` comment took out
    findings: list[dict] = field(default_factory=list)   # OpenMP races in parallel blocks outside every region

    @classmethod
    def build(cls, model: dict, threshold: float, outcomes: Sequence[FileOutcome],
              predictions: Mapping[int, "FilePrediction"], *, top: int | None = None,
              fail_on: float | None = None, strict: bool = False, seconds: float = 0.0,
              options: dict | None = None) -> "ScanReport":
        """`predictions[i]` is the model's answer for `outcomes[i]` (present for every 'ok' outcome)."""
        files, candidates, serial, suppressed, findings = [], [], [], [], []
        for i, o in enumerate(outcomes):
            pred = predictions.get(i)
            results = pred.results if pred is not None else []
            findings.extend(pred.findings if pred is not None else ())
            diagnostics = o.features.diagnostics.as_dict() if o.features is not None else None
            if diagnostics is not None and o.target.notes:
                diagnostics["include_notes"] = list(o.target.notes)
            files.append(FileStatus(o.target.display, o.status, o.cached, len(results), o.target.flags_from,
                                    o.message, diagnostics, round(o.seconds, 4)))
            for r in results:
                (candidates if r.offloadable else serial).append(r)
            suppressed += pred.suppressed if pred is not None else []
        candidates.sort(key=lambda r: rank_key(r, threshold))
        serial.sort(key=lambda r: (r.file, r.line))
        return cls(model, threshold, files, candidates, serial, top, fail_on, strict, seconds, dict(options or {}),
                   suppressed=suppressed, findings=findings)

    @classmethod
    def from_predictions(cls, model: dict, threshold: float, files: Sequence["FilePrediction"],
                         errors: Sequence[dict]) -> "ScanReport":
        """The report of `xapp predict`'s answers (`errors`: {"file", "error", "kind"} of the files that
        failed), so that its SARIF is the scan's writer's, not a second one."""
        statuses = [FileStatus(f.file, _analysed(f.diagnostics), regions=len(f.results), diagnostics=f.diagnostics)
                    for f in files]
        statuses += [FileStatus(e["file"], ERROR_STATUS.get(e["kind"], "error"), message=e["error"]) for e in errors]
        results = [r for f in files for r in f.results]
        candidates = sorted((r for r in results if r.offloadable), key=lambda r: rank_key(r, threshold))
        serial = [r for r in results if not r.offloadable]
        return cls(model, threshold, statuses, candidates, serial,
                   suppressed=[s for f in files for s in f.suppressed], findings=[x for f in files for x in f.findings])

    # ---- views ---------------------------------------------------------------------------------
    @property
    def shown(self) -> list["RegionPrediction"]:
        """The ranked candidates the reports list: the first --top K, or all."""
        return self.ranked[:self.top] if self.top else list(self.ranked)

    @staticmethod
    def estimated_features(region: "RegionPrediction") -> frozenset[str]:
        """The reasons' feature names that are runtime hints xapp estimated for `region` (no --hint gave
        them), not stated ones; asked once per region (a report may hold 25,000)."""
        from ..reports.explain import estimated_features

        return estimated_features(region)

    def status_of(self, region: "RegionPrediction") -> str:
        """The status of the file the region is in: `ok`, or `partial` when parse errors lost code of it."""
        if not hasattr(self, "_status_by_file"):
            self._status_by_file = {f.file: f.status for f in self.files}
        return self._status_by_file.get(region.file, "ok")

    def probability(self, region: "RegionPrediction") -> float:
        p = region.probability(self.threshold)
        return p if p is not None else 0.0

    @property
    def program(self) -> dict:
        """The program summary (xapp.predict.program_summary) over every region of the scan."""
        from ..predict import program_summary

        return program_summary([*self.ranked, *self.not_offloadable])

    @property
    def failures(self) -> list[FileStatus]:
        return [f for f in self.files if f.failed]

    @property
    def partial(self) -> list[FileStatus]:
        """Files analysed in part: clang reported errors, so the code around them is missing."""
        return [f for f in self.files if f.status == "partial"]

    @property
    def fail_on_hits(self) -> list["RegionPrediction"]:
        """Candidates whose P(speed-up > T) reaches --fail-on (all of them, not only the --top shown)."""
        if self.fail_on is None:
            return []
        return [r for r in self.ranked if self.probability(r) >= self.fail_on]

    @property
    def counts(self) -> dict[str, int]:
        by_status = {s: 0 for s in STATUSES}
        for f in self.files:
            by_status[f.status] = by_status.get(f.status, 0) + 1
        return {"files": len(self.files), **by_status, "failed": len(self.failures),
                "cached": sum(f.cached for f in self.files),
                "regions": len(self.ranked) + len(self.not_offloadable), "candidates": len(self.ranked),
                "not_offloadable": len(self.not_offloadable), "suppressed": len(self.suppressed),
                "shown": len(self.shown),
                "fail_on_hits": len(self.fail_on_hits)}

    @property
    def exit_code(self) -> int:
        """The exit code of `xapp scan`, decided here only.

        0  the scan ran. Files that could not be analysed (parse_error, crashed,
           timeout, binary, too_large, unreadable, error) and entries the walk
           skipped (a link loop, a dangling link, a link to a directory not
           followed, an unreadable directory, a FIFO: status `skipped`, with the
           reason) are reported with their status and do not change the code...
           A file clang parsed with errors (`partial`: the code around each error is
           missing) is analysed and reported, with the first error, and does not
           change the code either...
        2  ...unless --strict: then any such file (partial included) makes the result
           incomplete, which is an error (2, not 1, so that CI can tell "the scan is
           incomplete" from "a candidate was found"); it wins over 1.
        1  --fail-on P was given and at least one GPU candidate has P(speed-up > T) >= P
           (over all candidates, not only the --top shown).
        Usage and internal errors exit 2 before a report exists (xapp.cli.exits).
        """
        if self.strict and (self.failures or self.partial):
            return EXIT_ERROR
        if self.fail_on_hits:
            return EXIT_FAIL_ON
        return EXIT_OK

    def summary(self) -> str:
        """One line for stderr."""
        c = self.counts
        failed = ", ".join(f"{c[s]} {s}" for s in STATUSES if s != "ok" and c[s])
        return (f"scanned {c['files']} files ({c['ok']} ok{', ' + failed if failed else ''}; {c['cached']} from "
                f"cache) in {self.seconds:.1f} s: {c['candidates']} GPU candidates, "
                f"{c['not_offloadable']} not offloadable, {c['suppressed']} suppressed")
