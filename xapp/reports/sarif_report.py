"""SARIF 2.1.0 output of `xapp scan`, for GitHub code scanning and other SARIF viewers.

One run; rule ids in one style, `xapp/<kebab-case>`, as the OpenMP rules and the
notification descriptors (`xapp/<status>`) have them. The offload rule,
`xapp/gpu-offload-candidate`: each GPU candidate among
the reported (--top) regions whose P(speed-up > T) is at least 0.5 (the model
predicts that a port beats T) is one result:

* `level`: `warning` when P(speed-up > T) >= 0.8 (a likely win), `note` when
  0.5 <= P < 0.8; candidates below 0.5 are left out and only counted in the
  run's `properties.xapp` (an alert that a loop is *not* worth porting is noise);
* `rank`: 100 * P, SARIF's own 0-100 relevance;
* one location: the file, relative to the SARIF root (`--sarif-root`, default
  the current directory) with `uriBaseId` `%SRCROOT%` (declared in
  `originalUriBaseIds`), and the region's `startLine`/`endLine`. A file outside
  the root keeps an absolute `file://` URI: GitHub cannot place it. (Relative
  names in the report are relative to the directory the scan ran in, and so is
  a relative --sarif-root.);
* `partialFingerprints["xappRegion/v1"]`: a hash of path, function, region kind
  and the region's ordinal in its function, so an alert survives edits that
  only move lines.

The message names the target and its CPU baseline, where P came from
(`probability_source`), the estimate, its bound and the time a port saves per
run, and the reasons that explain P by its own source (reports/explain.py): the
estimate's time split where the estimate gave P, the classifier's contributions
where the classifier did, both (labelled) where they were blended. The same
facts are in the result's `properties`.

Files that could not be analysed are `toolExecutionNotifications` of the one
invocation: `error` (analysis incomplete: parse_error, crashed, timeout,
unreadable, error) or `warning` (skipped on purpose: binary, too_large; or
`partial`: analysed, but parse errors lost the code around them, located at
the first error's line).
`executionSuccessful` is false only when the scan's exit code is 2 (--strict).
Within GitHub's limits: at most 25,000 results per run, one location per
result, message text under 1,000 characters.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from urllib.parse import quote

from .explain import (baseline, baseline_text, reasons, seconds_text, source_text, speedup_text, target_name,
                      time_saved_seconds)

__all__ = ["sarif_log", "RULE_ID", "RACE_RULE_ID", "SHARED_RULE_ID", "UNCHECKED_RULE_ID", "SCHEMA", "WARNING_AT",
           "MIN_PROBABILITY", "MAX_RESULTS", "MAX_MESSAGE"]

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
VERSION = "2.1.0"
RULE_ID = "xapp/gpu-offload-candidate"
RULE_NAME = "gpu-offload-candidate"
RACE_RULE_ID = "xapp/omp-race"     # an OpenMP-parallel loop in which xapp finds a dependence
SHARED_RULE_ID = "xapp/omp-shared-private"   # a per-iteration temporary the pragma leaves shared
UNCHECKED_RULE_ID = "xapp/omp-unchecked"     # OpenMP constructs whose effect on races is not judged
SRCROOT = "%SRCROOT%"
WARNING_AT = 0.8
MIN_PROBABILITY = 0.5
MAX_RESULTS = 25_000
MAX_MESSAGE = 999
_INCOMPLETE = frozenset({"parse_error", "crashed", "timeout", "unreadable", "error"})


def _rule() -> dict:
    return {
        "id": RULE_ID,
        "name": RULE_NAME,
        "shortDescription": {"text": "Loop nest or kernel predicted to run faster on a GPU"},
        "fullDescription": {"text": "xapp's static model predicts that a GPU port of this region (an outermost "
                                    "loop nest with a parallel loop, or an OpenCL kernel) beats the speed-up "
                                    "threshold T over the CPU code, with the probability given in the message."},
        "help": {"text": "The probability comes from static features of the source (trip counts, memory "
                        "access patterns, arithmetic intensity, branches) and a model trained on measured "
                        "CPU/GPU speed-ups, or from a cost model of the target GPU and CPU (the message says which). The "
                        "reasons explain the probability by its source: the estimate's GPU and CPU times, or the "
                        "features that weighed most in the classifier. A prediction, not a measurement: port the "
                        "highest-ranked regions first and measure.",
                 "markdown": "The probability comes from **static features** of the source (trip counts, memory "
                             "access patterns, arithmetic intensity, branches) and a model trained on measured "
                             "CPU/GPU speed-ups, or from a **cost model** of the target GPU and CPU (the message says which). "
                             "The reasons explain the probability by its source: the estimate's GPU and CPU times, "
                             "or the features that weighed most in the classifier.\n\nA prediction, not a "
                             "measurement: port the highest-ranked regions first and measure."},
        "defaultConfiguration": {"level": "note"},
        "properties": {"tags": ["performance", "gpu", "offload"], "precision": "medium",
                       "problem.severity": "recommendation"},
    }


def _root_uri(root: Path) -> str:
    uri = root.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _artifact(file: str, root: Path, base: Path) -> dict:
    return dict(_artifact_items(file, root, base))


@functools.lru_cache(maxsize=4096)      # a large scan names each file many times; resolve() is slow
def _artifact_items(file: str, root: Path, base: Path) -> tuple:
    return tuple(_locate(file, root, base).items())


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):     # a symbolic link loop (a skipped entry): resolve its folder, keep its name
        return path.parent.resolve() / path.name


def _locate(file: str, root: Path, base: Path) -> dict:
    path = Path(file)
    path = _resolved(path if path.is_absolute() else base / path)
    try:
        rel = path.relative_to(root)
    except ValueError:
        return {"uri": path.as_uri()}
    # surrogateescape: a name that is not UTF-8 is percent-encoded as its own bytes, the file's real URI
    return {"uri": quote(rel.as_posix(), safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _openmp_rule(rule_id: str, name: str, short: str, full: str, help_text: str, precision: str) -> dict:
    """A reportingDescriptor for one of the OpenMP findings (warnings, tagged as data races)."""
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["correctness", "openmp", "data-race"], "precision": precision,
                       "problem.severity": "warning"},
    }


def _race_rule() -> dict:
    return _openmp_rule(
        RACE_RULE_ID, "openmp-possible-data-race",
        "OpenMP loop pragma over a loop with a loop-carried dependence",
        "The loop runs in parallel under `#pragma omp ... for|simd`, but xapp's dependence analysis finds a "
        "flow, anti or output dependence between iterations on a variable that the pragma's private/reduction "
        "clauses do not cover: a possible data race.",
        "Check the named variable and lines: privatise it, declare a reduction, or remove the pragma. xapp's "
        "analysis is static and may be conservative.",
        "medium")


def _shared_rule() -> dict:
    return _openmp_rule(
        SHARED_RULE_ID, "openmp-shared-temporary",
        "OpenMP loop pragma leaves a per-iteration variable shared",
        "A variable declared outside the loop is written before it is read in every iteration (an inner loop "
        "index or a temporary) and no private clause names it: OpenMP shares it between threads, so the "
        "threads race on it. In C only the iteration variables of the loops the pragma binds are private "
        "automatically.",
        "Add the variable to a private clause, or declare it inside the loop body.",
        "high")


def _unchecked_rule() -> dict:
    rule = _openmp_rule(
        UNCHECKED_RULE_ID, "openmp-not-checked",
        "OpenMP constructs xapp does not check for races",
        "The region holds OpenMP constructs whose effect on data races xapp's static analysis does not judge "
        "(tasks and their dependences, locks, barriers, nowait, master/single, sections, flush, device data "
        "mappings): no race finding there is not a statement that there is none.",
        "Check these constructs with a dynamic race detector or by review.",
        "high")
    rule["defaultConfiguration"] = {"level": "note"}
    rule["properties"]["tags"] = ["openmp", "coverage"]
    return rule


def _unchecked_result(region, root: Path, base: Path) -> dict:
    return {
        "ruleId": UNCHECKED_RULE_ID,
        "ruleIndex": 3,
        "level": "note",
        "message": {"text": _clip(f"OpenMP constructs not checked for races in {region.function}() "
                                  f"(lines {region.line}-{region.end_line}): {', '.join(region.omp_unchecked)}")},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(region.file, root, base),
                                            "region": {"startLine": max(1, region.line)}}}],
    }


def _race_result(finding: dict, root: Path, base: Path) -> dict:
    shared = finding.get("rule") == SHARED_RULE_ID
    return {
        "ruleId": SHARED_RULE_ID if shared else RACE_RULE_ID,
        "ruleIndex": 2 if shared else 1,
        "level": "warning",
        "message": {"text": _clip(finding["message"])},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding["file"], root, base),
                                            "region": {"startLine": max(1, finding["line"])}}}],
    }


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def _message(report, region, p: float, threshold: float) -> str:
    what = "OpenCL kernel" if region.kind == "kernel" else "Loop nest"
    model = report.model
    text = (f"{what} in {region.function}() (lines {region.line}-{region.end_line}): "
            f"P(speed-up > {threshold:g}x) = {p:.2f} on {target_name(model)} against {baseline_text(model)}, "
            f"from {source_text(region)}; predicted band {region.speedup_band or '-'}.")
    est = region.estimate
    if est:
        text += (f" Estimate: {speedup_text(est['speedup'])} ({est['bound']}-bound), saves "
                 f"{seconds_text(time_saved_seconds(region))} per run.")
    whys = reasons(region, report.estimated_features(region))
    by_source: dict[str, list[str]] = {}
    for w in whys:
        by_source.setdefault(w.source, []).append(w.text)
    for source, texts in by_source.items():
        text += f" Why ({source}): " + ", ".join(texts) + "."
    return _clip(text)


def _fingerprints(report, root: Path, base: Path) -> dict[int, str]:
    """id(region) -> a hash of path, function, kind and its ordinal among those in the same function."""
    seen: dict[tuple, int] = {}
    out = {}
    for r in sorted([*report.ranked, *report.not_offloadable], key=lambda r: (r.file, r.line)):
        key = (_artifact(r.file, root, base)["uri"], r.function, r.kind)
        n = seen.get(key, 0)
        seen[key] = n + 1
        out[id(r)] = hashlib.sha256("\0".join(map(str, (*key, n))).encode()).hexdigest()[:32]
    return out


def _result(report, region, p: float, root: Path, base: Path, fingerprint: str) -> dict:
    threshold = report.threshold
    return {
        "ruleId": RULE_ID,
        "ruleIndex": 0,
        "level": "warning" if p >= WARNING_AT else "note",
        "message": {"text": _message(report, region, p, threshold)},
        "locations": [{
            "physicalLocation": {"artifactLocation": _artifact(region.file, root, base),
                                 "region": {"startLine": max(1, region.line),
                                            "endLine": max(1, region.line, region.end_line)}},
            "logicalLocations": [{"name": region.function, "kind": "function"}],
        }],
        "partialFingerprints": {"xappRegion/v1": fingerprint},
        "rank": round(100 * p, 1),
        "properties": {"probability": p, "threshold": threshold, "band": region.speedup_band,
                       "kind": region.kind, "estimated_hints": region.estimated_hints,
                       "probabilities": {f"{t.threshold:g}": t.probability for t in region.predictions},
                       "target": target_name(report.model), "baseline": baseline(report.model),
                       "probability_source": region.probability_source, "estimate": region.estimate,
                       "time_saved_seconds": time_saved_seconds(region), "file_status": report.status_of(region),
                       "explanation": [w.as_dict() for w in reasons(region, report.estimated_features(region))]},
    }


def _notification(f, root: Path, base: Path) -> dict:
    location: dict = {"artifactLocation": _artifact(f.file, root, base)}
    errors = f.errors if f.status == "partial" else []
    if errors and errors[0]["line"]:
        location["region"] = {"startLine": max(1, errors[0]["line"])}
    return {
        "level": "error" if f.status in _INCOMPLETE else "warning",
        "message": {"text": _clip(f"{f.file}: {f.status}: {f.note or 'not analysed'}")},
        "descriptor": {"id": f"xapp/{f.status}"},
        "locations": [{"physicalLocation": location}],
        "properties": {"status": f.status, **({"errors": errors} if errors else {})},
    }


def sarif_log(report, root: str | Path | None = None) -> dict:
    """The SARIF 2.1.0 log of a ScanReport (a dict; json_report.dumps writes it)."""
    from xapp import __version__

    base = Path(report.base_dir)                 # where the report's relative file names start
    root = (base / root if root else base).resolve()
    threshold = report.threshold
    fingerprints = _fingerprints(report, root, base)
    results, below = [], 0
    for region in report.shown:
        p = report.probability(region)
        if p < MIN_PROBABILITY:
            below += 1
            continue
        if len(results) < MAX_RESULTS:
            results.append(_result(report, region, p, root, base, fingerprints[id(region)]))
    for region in [*report.ranked, *report.not_offloadable]:
        for finding in region.findings:
            if len(results) < MAX_RESULTS:
                results.append(_race_result(finding, root, base))
        if getattr(region, "omp_unchecked", None) and len(results) < MAX_RESULTS:
            results.append(_unchecked_result(region, root, base))
    for finding in getattr(report, "findings", ()):     # races in parallel blocks outside every region
        if len(results) < MAX_RESULTS:
            results.append(_race_result(finding, root, base))
    invocation = {"executionSuccessful": report.exit_code != 2, "exitCode": report.exit_code,
                  "toolExecutionNotifications": [_notification(f, root, base)
                                                 for f in [*report.failures, *report.partial]]}
    counts = report.counts
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {"driver": {"name": "xapp", "version": __version__, "semanticVersion": __version__,
                                "rules": [_rule(), _race_rule(), _shared_rule(), _unchecked_rule()]}},
            "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(root)}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"xapp": {"model": report.model.get("name"), "target": target_name(report.model),
                                    "baseline": baseline(report.model), "threshold": threshold,
                                    "counts": counts, "below_min_probability": below,
                                    "truncated": max(0, counts["shown"] - below - len(results))}},
        }],
    }
