"""JSON output: stable key order, UTF-8, one document per command."""
from __future__ import annotations

import json
import math

from .escape import undecodable
from .explain import reasons, time_saved_seconds

__all__ = ["dumps", "region_document", "prediction_document", "SCHEMA_VERSION", "versioned"]

# The version of every JSON document xapp writes (predict, features, scan, targets, evaluate, the service's
# answers), described by the JSON Schemas in docs/schema/. MAJOR.MINOR: a minor version only adds fields,
# so a reader of 1.0 reads 1.x; a field removed or changed in meaning makes a new major version.
SCHEMA_VERSION = "1.0"


def versioned(doc: dict) -> dict:
    """`doc` with `schema_version` as its first key."""
    return {"schema_version": SCHEMA_VERSION, **doc}


def _clean(obj):
    # JSON has no NaN or Infinity: write null so every parser accepts the document.
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, str):
        return undecodable(obj)          # a file name that is not UTF-8: \xNN, never an encoding error
    if isinstance(obj, dict):
        return {undecodable(k) if isinstance(k, str) else k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def dumps(obj) -> str:
    return json.dumps(_clean(obj), indent=2, ensure_ascii=False)


def region_document(region) -> dict:
    """One region's result, plus what explains its P by P's own source (`explanation`, see
    reports/explain.py) and the time a port saves per run (`time_saved_seconds`)."""
    return {**region.as_dict(), "time_saved_seconds": time_saved_seconds(region),
            "explanation": [w.as_dict() for w in reasons(region)]}


def prediction_document(model: dict, files, errors: list[dict], warnings: list[dict] = ()) -> dict:
    """The JSON of `xapp predict` and of the service: {model, results[], errors[], findings[], warnings[]}.

    `files` are `FilePrediction`s; `errors` are {"file", "error", "kind"} for files that failed;
    `warnings` {"file", "message", "fix"} (xapp.inputs.InputWarning: parse errors, overridden -D, ...).
    One builder, so the CLI and the API answer the same document for the same file.
    """
    results = [region_document(r) for f in files for r in f.results]
    findings = [x for f in files for r in f.results for x in r.findings]
    findings += [x for f in files for x in getattr(f, "findings", ())]
    suppressed = [s for f in files for s in f.suppressed]
    return versioned({"model": model, "results": results, "errors": list(errors), "findings": findings,
                      "warnings": list(warnings), "suppressed": suppressed})


def scan_document(report) -> dict:
    """The JSON of `xapp scan`: the ranked region objects of `xapp predict`, plus per-file status.

    {model, threshold, exit_code, counts, summary (the program summary: ported regions, seconds per run
    before and after), results[] (GPU candidates, best first, --top applied), not_offloadable[],
    files[] ({file, status, cached, regions, flags_from, message, diagnostics, seconds}),
    sizes_across_files (xapp.scan.codebase: rounds, files re-extracted, sizes bound)};
    a file's status is `partial` when clang parsed it with errors (xapp.scan.runner).
    """
    return versioned({"model": report.model, "threshold": report.threshold, "exit_code": report.exit_code,
                      "counts": report.counts, "summary": report.program,
                      "results": [region_document(r) for r in report.shown],
                      "not_offloadable": [region_document(r) for r in report.not_offloadable],
                      "files": [f.as_dict() for f in report.files], "suppressed": list(report.suppressed),
                      "findings": list(getattr(report, "findings", ())),
                      "sizes_across_files": report.options.get("sizes_across_files")})


__all__ += ["scan_document"]
