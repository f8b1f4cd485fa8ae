"""SARIF 2.1.0 output, checked against the official schema and GitHub's rules (sarif_validator.py), and its
GitHub-facing choices."""
from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest

from xapp.predict import Reason
from xapp.reports import explain, json_report, sarif_report

from .sarif_validator import github_problems, problems, schema, schema_problems

pytestmark = pytest.mark.slow(3)   # seconds, serial, on the idle 2-core machine


def log_of(report, **kw):
    return json.loads(json_report.dumps(sarif_report.sarif_log(report, **kw)))   # exactly what the CLI writes


def test_scan_log_is_valid_and_says_what_the_report_says(db_report):
    log = log_of(db_report)
    assert problems(log) == []
    (run,) = log["runs"]
    assert run["tool"]["driver"]["rules"][0]["id"] == sarif_report.RULE_ID == "xapp/gpu-offload-candidate"
    expected = [r for r in db_report.shown if db_report.probability(r) >= sarif_report.MIN_PROBABILITY]
    assert len(run["results"]) == len(expected) >= 1
    for res, region in zip(run["results"], expected):
        p = db_report.probability(region)
        assert res["level"] == ("warning" if p >= sarif_report.WARNING_AT else "note")
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": region.file, "uriBaseId": "%SRCROOT%"}
        assert (loc["region"]["startLine"], loc["region"]["endLine"]) == (region.line, region.end_line)
        assert f"{p:.2f}" in res["message"]["text"] and region.function in res["message"]["text"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == f"file://{db_report.base_dir}/"
    (inv,) = run["invocations"]
    assert inv["executionSuccessful"] is True and inv["exitCode"] == 0
    notes = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n for n in
             inv["toolExecutionNotifications"]}
    assert {u: n["properties"]["status"] for u, n in notes.items()} == {f.file: f.status for f in db_report.failures}
    assert notes["src/bad/crash.c"]["level"] == "error" and notes["src/bad/blob.c"]["level"] == "warning"


def test_messages_name_target_and_estimate_and_explain_p_by_its_source(db_report):
    run = log_of(db_report)["runs"][0]
    results = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"]): r for r in run["results"]}
    checked = 0
    for region in db_report.shown:
        res = results.get((region.file, region.line))
        if res is None:
            continue
        text, props = res["message"]["text"], res["properties"]
        assert " on h100 against Intel Xeon Platinum 8480+ (Sapphire Rapids), one core, from " in text
        assert props["target"] == "h100" and props["probability_source"] == region.probability_source
        if region.probability_source == "estimate":
            est = region.estimate
            saved = max(0.0, est["cpu_seconds"] - est["gpu_seconds"])
            assert "from the cost model's estimate" in text and f"({est['bound']}-bound)" in text
            assert f"saves {explain.seconds_text(saved)} per run" in text and props["time_saved_seconds"] == saved
            # Explained by the estimate's times; the classifier's contributions (which did not make P) are not
            # in the message, whatever their sign.
            assert f"Why (estimate): {explain.estimate_split(est).text}." in text and "Why (classifier)" not in text
            assert not any(f"{r.feature}=" in text for r in region.reasons)
            assert [w["source"] for w in props["explanation"]] == ["estimate"]
            checked += 1
        else:
            assert "from the classifier" in text and "Estimate:" not in text
            first = region.reasons[0]
            assert f"Why (classifier): {'+' if first.contribution > 0 else '-'}{first.feature}=" in text
    assert checked >= 2
    assert run["properties"]["xapp"]["target"] == "h100"


def test_strict_failures_make_the_execution_unsuccessful(db_report):
    (inv,) = log_of(replace(db_report, strict=True))["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False and inv["exitCode"] == 2


MUTATIONS = {
    "version": lambda log: log.pop("version"),
    "$schema": lambda log: log.pop("$schema"),
    "tool.driver.name": lambda log: log["runs"][0]["tool"]["driver"].pop("name"),
    "rules": lambda log: log["runs"][0]["tool"]["driver"].pop("rules"),
    "ruleId": lambda log: log["runs"][0]["results"][0].update(ruleId="NOPE"),
    "ruleIndex": lambda log: log["runs"][0]["results"][0].update(ruleIndex=3),
    "level": lambda log: log["runs"][0]["results"][0].update(level="notice"),
    "message.text": lambda log: log["runs"][0]["results"][0]["message"].pop("text"),
    "locations": lambda log: log["runs"][0]["results"][0].pop("locations"),
    "physicalLocation": lambda log: log["runs"][0]["results"][0]["locations"][0].pop("physicalLocation"),
    "uri": lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    .update(uri="/abs/path.c"),
    "startLine": lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    .update(startLine=0),
    "uriBaseId": lambda log: log["runs"][0].pop("originalUriBaseIds"),
    "executionSuccessful": lambda log: log["runs"][0]["invocations"][0].pop("executionSuccessful"),
}


@pytest.mark.parametrize("prop", sorted(MUTATIONS))
def test_the_validator_catches_each_required_property(db_report, prop):
    log = log_of(db_report)
    broken = copy.deepcopy(log)
    MUTATIONS[prop](broken)
    found = problems(broken)
    assert found and any(prop.split(".")[-1] in p for p in found), found


def test_the_schema_is_the_official_one_and_checks_types(db_report):
    assert schema()["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema()["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    log = log_of(db_report)
    assert schema_problems(log) == []
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    region["startLine"] = str(region["startLine"])                  # a string where the schema wants an integer
    log["runs"][0]["surprise"] = True                               # runs admit no unknown property
    found = schema_problems(log)
    assert len(found) == 2
    assert any("region.startLine" in p and "is not of type 'integer'" in p for p in found), found
    assert any("'surprise' was unexpected" in p for p in found), found


def test_fingerprints_survive_moved_lines_and_tell_regions_apart(db_report):
    region = db_report.ranked[0]
    moved = replace(db_report, ranked=[replace(region, line=region.line + 40, end_line=region.end_line + 40)]
                    + db_report.ranked[1:])
    fp = log_of(db_report)["runs"][0]["results"][0]["partialFingerprints"]
    assert log_of(moved)["runs"][0]["results"][0]["partialFingerprints"] == fp
    renamed = replace(db_report, ranked=[replace(region, function="other")] + db_report.ranked[1:])
    assert log_of(renamed)["runs"][0]["results"][0]["partialFingerprints"] != fp


def test_github_limits_hold_on_a_huge_report(db_report):
    region = db_report.ranked[0]
    long = [Reason(f"feature_{i}_" + "x" * 120, float(i), 0.5) for i in range(10)]   # about 1,400 characters
    many = [replace(region, line=i + 1, end_line=i + 2, reasons=long, probability_source="classifier")
            for i in range(sarif_report.MAX_RESULTS + 10)]
    huge = replace(db_report, ranked=many, not_offloadable=[])
    log = sarif_report.sarif_log(huge)
    assert github_problems(log) == []
    # The schema on a sample: jsonschema takes about 40 s for all 25,000 results, which are built alike.
    run = log["runs"][0]
    assert schema_problems({**log, "runs": [{**run, "results": run["results"][:20] + run["results"][-20:]}]}) == []
    assert len(run["results"]) == sarif_report.MAX_RESULTS and run["properties"]["xapp"]["truncated"] == 10
    assert max(len(r["message"]["text"]) for r in run["results"]) < 1000
    assert run["results"][0]["message"]["text"].endswith("…")          # the message was cut to fit


def test_paths_follow_the_sarif_root(db_report):
    log = log_of(db_report, root="src")
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == f"file://{db_report.base_dir}/src/"
    expected = [r for r in db_report.shown if db_report.probability(r) >= sarif_report.MIN_PROBABILITY]
    for res, region in zip(log["runs"][0]["results"], expected):
        art = res["locations"][0]["physicalLocation"]["artifactLocation"]
        if region.file.startswith("src/"):
            assert art == {"uri": region.file[len("src/"):], "uriBaseId": "%SRCROOT%"}
        else:       # outside the root: an absolute URI GitHub cannot place, and the validator says so
            assert art == {"uri": f"file://{db_report.base_dir}/{region.file}"}
            assert any("not a relative" in p for p in problems(log))
