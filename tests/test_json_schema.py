"""Every JSON document xapp writes carries `schema_version` and validates against the published JSON
Schemas in docs/schema/ (real outputs: predict with a sweep, features, scan with failing files, the
service's answers and errors)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from xapp.cli import main
from xapp.reports.json_report import SCHEMA_VERSION
from xapp.scan import STATUSES, render

from .api.helpers import running_app
from .scan.tree import model_args

pytestmark = pytest.mark.slow(4)   # seconds, serial, on the idle 2-core machine

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "docs" / "schema"
HEAT = REPO / "data" / "examples" / "heat.c"


def _retrieve(uri: str) -> Resource:
    return Resource.from_contents(json.loads((SCHEMAS / uri).read_text()))


REGISTRY = Registry(retrieve=_retrieve)


def validate(doc: dict, name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(doc)
    assert doc["schema_version"] == SCHEMA_VERSION and list(doc)[0] == "schema_version"


def run_json(capsys, *argv) -> dict:
    main([*argv, "--format", "json", "-q", *model_args()])
    return json.loads(capsys.readouterr().out)


def test_predict_and_features_documents(capsys):
    predict = run_json(capsys, "predict", str(HEAT), "--sweep", "N=64:512")
    validate(predict, "predict")
    assert predict["results"] and predict["sweeps"] and predict["suppressed"] == []
    features = run_json(capsys, "features", str(HEAT))
    validate(features, "features")
    assert len(features["regions"]) == 5


def test_scan_document_with_every_kind_of_file(db_report):
    doc = json.loads(render(db_report, "json"))
    validate(doc, "scan")
    assert {f["status"] for f in doc["files"]} - {"ok"}       # failing files are in it too


def test_the_schema_names_every_file_status():
    scan = json.loads((SCHEMAS / "scan.schema.json").read_text())
    assert scan["properties"]["files"]["items"]["properties"]["status"]["enum"] == list(STATUSES)


def test_a_wrong_document_is_refused():
    with pytest.raises(jsonschema.ValidationError):
        validate({"schema_version": SCHEMA_VERSION, "model": {}, "results": [], "errors": [], "findings": [],
                  "suppressed": []}, "predict")


def test_the_service_answers_and_errors():
    with running_app(workers=1) as client:
        answer = client.post("/v1/predict", json={"source": HEAT.read_text(), "filename": "heat.c"})
        assert answer.status_code == 200
        validate(answer.json(), "predict")
        bad = client.post("/v1/predict", json={"source": "int x;", "nope": 1})
        assert bad.status_code == 422
        validate(bad.json(), "service-error")
        validate(client.get("/v1/health").json(), "health")


def test_other_commands_say_their_schema_version_too(capsys):
    assert main(["targets", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema_version"] == SCHEMA_VERSION
