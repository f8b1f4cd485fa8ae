"""A validator for the SARIF 2.1.0 properties that the specification and GitHub code scanning require.

Written for the tests (no schema package): `problems(log)` lists every violation found, [] when none.
Checked: version, $schema, runs[].tool.driver.name and rules (unique ids, descriptions), each result's
ruleId (and ruleIndex pointing at it), level, message.text, locations[].physicalLocation with a
relative artifactLocation.uri (its uriBaseId declared in originalUriBaseIds) and region.startLine >= 1,
partialFingerprints; invocations[].executionSuccessful and toolExecutionNotifications; and GitHub's
limits: 25,000 results per run, message text under 1,000 characters, at most 10 locations per result.
"""
from __future__ import annotations

from urllib.parse import urlparse

LEVELS = {"none", "note", "warning", "error"}
MAX_RESULTS, MAX_MESSAGE, MAX_LOCATIONS = 25_000, 1_000, 10


def _text(obj, where: str, out: list[str], limit: int | None = None) -> None:
    text = obj.get("text") if isinstance(obj, dict) else None
    if not isinstance(text, str) or not text:
        out.append(f"{where}.text: missing or empty")
    elif limit is not None and len(text) >= limit:
        out.append(f"{where}.text: {len(text)} characters, not under {limit}")


def _relative_uri(uri, where: str, out: list[str]) -> None:
    if not isinstance(uri, str) or not uri:
        out.append(f"{where}.uri: missing")
        return
    parsed = urlparse(uri)
    if parsed.scheme or parsed.netloc or uri.startswith("/") or ".." in uri.split("/") or "\\" in uri:
        out.append(f"{where}.uri: {uri!r} is not a relative, repository-style path")


def _artifact(art, where: str, bases: dict, out: list[str]) -> None:
    if not isinstance(art, dict):
        out.append(f"{where}: missing artifactLocation")
        return
    _relative_uri(art.get("uri"), where, out)
    base = art.get("uriBaseId")
    if base is not None and base not in bases:
        out.append(f"{where}.uriBaseId: {base!r} not declared in originalUriBaseIds")


def _location(loc, where: str, bases: dict, out: list[str], need_region: bool) -> None:
    phys = loc.get("physicalLocation") if isinstance(loc, dict) else None
    if not isinstance(phys, dict):
        out.append(f"{where}.physicalLocation: missing")
        return
    _artifact(phys.get("artifactLocation"), f"{where}.physicalLocation.artifactLocation", bases, out)
    region = phys.get("region")
    if region is None and not need_region:
        return
    start = region.get("startLine") if isinstance(region, dict) else None
    if not isinstance(start, int) or isinstance(start, bool) or start < 1:
        out.append(f"{where}.physicalLocation.region.startLine: {start!r}, not an integer >= 1")
        return
    end = region.get("endLine", start)
    if not isinstance(end, int) or end < start:
        out.append(f"{where}.physicalLocation.region.endLine: {end!r} before startLine {start}")


def _rules(driver: dict, where: str, out: list[str]) -> list[str]:
    rules = driver.get("rules")
    if not isinstance(rules, list) or not rules:
        out.append(f"{where}.rules: missing or empty")
        return []
    ids = []
    for k, rule in enumerate(rules):
        w = f"{where}.rules[{k}]"
        rid = rule.get("id") if isinstance(rule, dict) else None
        if not isinstance(rid, str) or not rid:
            out.append(f"{w}.id: missing")
            continue
        if rid in ids:
            out.append(f"{w}.id: {rid!r} repeated")
        ids.append(rid)
        for key in ("shortDescription", "fullDescription", "help"):
            _text(rule.get(key), f"{w}.{key}", out)
    return ids


def _result(res, where: str, ids: list[str], bases: dict, out: list[str]) -> None:
    if not isinstance(res, dict):
        out.append(f"{where}: not an object")
        return
    rid = res.get("ruleId")
    if rid not in ids:
        out.append(f"{where}.ruleId: {rid!r} is not a rule of the driver")
    if "ruleIndex" in res and (not isinstance(res["ruleIndex"], int) or not 0 <= res["ruleIndex"] < len(ids)
                               or ids[res["ruleIndex"]] != rid):
        out.append(f"{where}.ruleIndex: {res['ruleIndex']!r} does not point at {rid!r}")
    if res.get("level") not in LEVELS:
        out.append(f"{where}.level: {res.get('level')!r} not one of {sorted(LEVELS)}")
    _text(res.get("message"), f"{where}.message", out, MAX_MESSAGE)
    locations = res.get("locations")
    if not isinstance(locations, list) or not locations:
        out.append(f"{where}.locations: missing or empty")
    elif len(locations) > MAX_LOCATIONS:
        out.append(f"{where}.locations: {len(locations)} locations, more than {MAX_LOCATIONS}")
    else:
        for n, loc in enumerate(locations):
            _location(loc, f"{where}.locations[{n}]", bases, out, need_region=True)
    fp = res.get("partialFingerprints")
    if fp is not None and (not isinstance(fp, dict) or not all(isinstance(v, str) and v for v in fp.values())):
        out.append(f"{where}.partialFingerprints: not an object of non-empty strings")


def _invocations(run: dict, where: str, bases: dict, out: list[str]) -> None:
    for k, inv in enumerate(run.get("invocations", [])):
        w = f"{where}.invocations[{k}]"
        if not isinstance(inv.get("executionSuccessful"), bool):
            out.append(f"{w}.executionSuccessful: missing (required for every invocation)")
        for n, note in enumerate(inv.get("toolExecutionNotifications", [])):
            wn = f"{w}.toolExecutionNotifications[{n}]"
            _text(note.get("message"), f"{wn}.message", out, MAX_MESSAGE)
            if note.get("level", "warning") not in LEVELS:
                out.append(f"{wn}.level: {note.get('level')!r}")
            for m, loc in enumerate(note.get("locations", [])):
                _location(loc, f"{wn}.locations[{m}]", bases, out, need_region=False)


def problems(log) -> list[str]:
    out: list[str] = []
    if not isinstance(log, dict):
        return ["log: not a JSON object"]
    if log.get("version") != "2.1.0":
        out.append(f"version: {log.get('version')!r}, not '2.1.0'")
    schema = log.get("$schema")
    if not isinstance(schema, str) or urlparse(schema).scheme != "https" or "2.1.0" not in schema:
        out.append(f"$schema: {schema!r} is not the https URI of the SARIF 2.1.0 schema")
    runs = log.get("runs")
    if not isinstance(runs, list) or not runs:
        return out + ["runs: missing or empty"]
    for i, run in enumerate(runs):
        where = f"runs[{i}]"
        driver = (run.get("tool") or {}).get("driver") if isinstance(run, dict) else None
        if not isinstance(driver, dict):
            out.append(f"{where}.tool.driver: missing")
            continue
        if not isinstance(driver.get("name"), str) or not driver["name"]:
            out.append(f"{where}.tool.driver.name: missing")
        info = driver.get("informationUri")
        if info is not None and not urlparse(info).scheme:
            out.append(f"{where}.tool.driver.informationUri: {info!r} is not absolute")
        ids = _rules(driver, f"{where}.tool.driver", out)
        bases = run.get("originalUriBaseIds") or {}
        for name, base in bases.items():
            uri = base.get("uri", "") if isinstance(base, dict) else ""
            if not urlparse(uri).scheme or not uri.endswith("/"):
                out.append(f"{where}.originalUriBaseIds[{name}]: {uri!r} is not an absolute URI ending in '/'")
        results = run.get("results")
        if not isinstance(results, list):
            out.append(f"{where}.results: missing")
            results = []
        if len(results) > MAX_RESULTS:
            out.append(f"{where}.results: {len(results)} results, more than {MAX_RESULTS}")
        for n, res in enumerate(results):
            _result(res, f"{where}.results[{n}]", ids, bases, out)
        _invocations(run, where, bases, out)
    return out
