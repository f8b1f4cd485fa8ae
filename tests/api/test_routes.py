"""Every route, through FastAPI's test client, against the pipeline called directly and the CLI."""
from __future__ import annotations

import json
from dataclasses import fields

import pytest

from xapp import __version__
from xapp.api import schemas
from xapp.cli import main as cli_main
from xapp.predict import Reason, RegionPrediction, ThresholdProbability
from xapp.reports.json_report import SCHEMA_VERSION, prediction_document

from .helpers import KERNELS, kernel, reference_document, running_app

SAMPLES = ["vector_add.cl", "saxpy.c", "matmul.c", "nbody.cpp", "stencil2d.c", "print_loop.c"]


@pytest.fixture(scope="module")
def client():
    with running_app(workers=2) as c:
        yield c


@pytest.mark.parametrize("name", SAMPLES)
def test_json_route_answers_the_pipeline_document(client, predictor, name):
    response = client.post("/v1/predict", json={"source": kernel(name), "filename": name})
    assert response.status_code == 200, response.text
    assert response.json() == reference_document(predictor, kernel(name), name)
    assert response.json()["results"], f"{name}: no regions"


@pytest.mark.parametrize("name", SAMPLES)
def test_file_route_answers_the_same_document(client, predictor, name):
    response = client.post("/v1/predict/file", files={"file": (name, (KERNELS / name).read_bytes())})
    assert response.status_code == 200, response.text
    assert response.json() == reference_document(predictor, kernel(name), name)


def test_the_service_and_xapp_predict_agree(client, capsys):
    path = KERNELS / "vector_add.cl"
    assert cli_main(["predict", str(path), "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    api = client.post("/v1/predict", json={"source": path.read_text(), "filename": str(path)}).json()
    assert api["results"] == cli["results"] and api["model"] == cli["model"]
    assert api["errors"] == cli["errors"] == []


def test_options_reach_the_pipeline_alike_in_both_routes(client, predictor):
    text = kernel("sized.c")
    expected = reference_document(predictor, text, "sized.c", defines=[("N", "1048576")],
                                  hints=[("transfer", 8388608.0)], thresholds=(1.0, 4.0))
    as_json = client.post("/v1/predict", json={"source": text, "filename": "sized.c", "defines": {"N": "1048576"},
                                               "hints": {"transfer": 8388608}, "thresholds": [4, 1]})
    as_list = client.post("/v1/predict", json={"source": text, "filename": "sized.c", "defines": ["N=1048576"],
                                               "hints": {"transfer": 8388608}, "thresholds": [1, 4]})
    as_form = client.post("/v1/predict/file", files={"file": ("sized.c", text.encode())},
                          data={"defines": "N=1048576", "hints": "transfer=8388608", "thresholds": ["4", "1"]})
    for response in (as_json, as_list, as_form):
        assert response.status_code == 200, response.text
        assert response.json() == expected
    (region,) = expected["results"]
    assert [p["threshold"] for p in region["predictions"]] == [1.0, 4.0]
    default = client.post("/v1/predict", json={"source": text, "filename": "sized.c"}).json()
    assert default != expected     # the macro and the hint did change what the model saw


def test_comma_separated_and_repeated_form_fields_mean_the_same(client):
    text = kernel("sized.c")
    one = client.post("/v1/predict/file", files={"file": ("sized.c", text.encode())},
                      data={"defines": "N=4096,M=8", "hints": "transfer=1048576,wgsize=256"})
    many = client.post("/v1/predict/file", files={"file": ("sized.c", text.encode())},
                       data={"defines": ["N=4096", "M=8"], "hints": ["transfer=1048576", "wgsize=256"]})
    assert one.status_code == many.status_code == 200
    assert one.json() == many.json()


def test_language_field_overrides_the_suffix(client, predictor):
    text = kernel("vector_add.cl")
    response = client.post("/v1/predict", json={"source": text, "language": "opencl"})
    assert response.status_code == 200
    assert response.json() == reference_document(predictor, text, "upload.cl", language="opencl")
    assert {r["kind"] for r in response.json()["results"]} == {"kernel"}


def test_serial_code_is_reported_as_not_offloadable(client):
    source = "int sum(int *a, int n) { int s = 0; for (int i = 1; i < n; i++) a[i] += a[i-1]; return s; }\n"
    (region,) = client.post("/v1/predict", json={"source": source}).json()["results"]
    assert region["offloadable"] is False and region["predictions"] == []
    assert "no parallel loop" in region["not_offloadable_because"]


def test_the_schema_names_every_field_the_pipeline_writes(client, predictor):
    # The service passes unknown fields on; this keeps /openapi.json from lagging behind them.
    written = {f.name for f in fields(RegionPrediction)} - {"features"} | set(schemas.REPORT_FIELDS)
    assert written == set(schemas.RegionResult.model_fields)
    assert {f.name for f in fields(ThresholdProbability)} == set(schemas.ThresholdProbability.model_fields)
    assert {f.name for f in fields(Reason)} == set(schemas.Reason.model_fields)
    assert set(predictor.model_summary()) == set(schemas.ModelSummary.model_fields)
    document = prediction_document(predictor.model_summary(), [], [])
    assert set(document) == set(schemas.PredictResponse.model_fields)


def test_a_serial_region_estimates_no_hints(client):
    source = "void scan(int *a, int n) { for (int i = 1; i < n; i++) a[i] += a[i-1]; }\n"
    (region,) = client.post("/v1/predict", json={"source": source}).json()["results"]
    assert region["offloadable"] is False and region["estimated_hints"] == {}


def test_health(client):
    body = client.get("/v1/health").json()
    assert body == {"schema_version": SCHEMA_VERSION, "status": "ok", "reason": None, "version": __version__,
                    "model": body["model"], "workers": 2, "live_workers": 2, "in_flight": 0, "queued": 0,
                    "capacity": 2 + 64, "receiving": 0}
    assert body["model"]


def test_model_card_is_the_loaded_bundle_card(client, predictor):
    card = client.get("/v1/model").json()
    assert card == json.loads(json.dumps(predictor.bundle.card))
    assert card["thresholds"] == list(predictor.bundle.thresholds)
    assert set(card["feature_names"]) >= {"outer_parallel", "is_kernel"}


def test_openapi_documents_routes_bodies_and_error_codes(client):
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    assert set(paths) == {"/v1/predict", "/v1/predict/file", "/v1/health", "/v1/model"}
    for route in ("/v1/predict", "/v1/predict/file"):
        responses = paths[route]["post"]["responses"]
        assert {"200", "413", "415", "422", "503", "504"} <= set(responses)
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    request = doc["components"]["schemas"]["PredictRequest"]
    assert set(request["properties"]) == {"source", "filename", "language", "std", "defines", "hints", "thresholds",
                                         "target", "sizes"}
    assert request["additionalProperties"] is False and request["required"] == ["source"]
    schemas = set(doc["components"]["schemas"])
    assert {"PredictResponse", "RegionResult", "Health", "ModelCard", "ErrorResponse"} <= schemas


def test_docs_page(client):
    response = client.get("/docs")
    assert response.status_code == 200 and "swagger-ui" in response.text and "/openapi.json" in response.text


def test_unknown_route_and_method_answer_json_errors(client):
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFound"
    wrong = client.get("/v1/predict")
    assert wrong.status_code == 405 and wrong.json()["error"]["type"] == "MethodNotAllowed"
    assert "POST" in wrong.headers["allow"]


def test_the_target_field_picks_the_hardware_in_both_routes(client):
    source = kernel("matmul.c")
    default = client.post("/v1/predict", json={"source": source}).json()
    t4 = client.post("/v1/predict", json={"source": source, "filename": "matmul.c", "target": "t4"}).json()
    form = client.post("/v1/predict/file", files={"file": ("matmul.c", source.encode())}, data={"target": "t4"}).json()
    assert default["model"]["target"]["name"] == "h100" and t4["model"]["target"]["name"] == "t4"
    assert t4["results"] == form["results"] and t4["results"][0]["target"] == "t4"
    assert t4["results"][0]["estimate"]["speedup"] < default["results"][0]["estimate"]["speedup"]
    bad = client.post("/v1/predict", json={"source": source, "target": "h200"})
    assert bad.status_code in (400, 422) and "unknown target" in bad.text


def test_sizes_in_the_request_bind_an_unknown_size(client):
    source = "void scale(int n, double *a) {\n  for (int i = 0; i < n; i++)\n    a[i] = 2.0 * a[i];\n}\n"
    unknown = client.post("/v1/predict", json={"source": source}).json()["results"][0]
    assert unknown["estimate"] is None and unknown["size_unknown"]["names"] == {"n": "from the caller"}
    sized = client.post("/v1/predict", json={"source": source, "sizes": {"scale:n": 1 << 20}}).json()["results"][0]
    assert sized["estimate"]["cpu_seconds"] > 0 and sized["size_unknown"] is None
    assert client.post("/v1/predict", json={"source": source, "sizes": {"n m": 3}}).status_code in (400, 422)


BROKEN = """void scale(float *a, float *b, int n) {
    for (int i = 0; i < n; i++)
        a[i] = 2.0f * b[i];
}

void broken(float *a, int n) {
    int x = ;
}
"""
NOTHING_LEFT = "void broken(float *a, int n) {\n    for (int i = 0; i < n; i++ {\n        a[i] = a[i] +;\n    }\n"


def test_a_file_with_parse_errors_is_answered_with_its_regions_and_a_warning(client):
    response = client.post("/v1/predict", json={"source": BROKEN, "filename": "broken.c"})
    assert response.status_code == 200, response.text
    doc = response.json()
    assert [r["function"] for r in doc["results"]] == ["scale"] and doc["errors"] == []
    (warning,) = doc["warnings"]
    assert warning["file"] == "broken.c"
    assert warning["message"].startswith("1 parse error, the first at line 7: expected expression")


def test_a_file_whose_errors_leave_nothing_is_refused_with_its_diagnostics(client):
    response = client.post("/v1/predict", json={"source": NOTHING_LEFT, "filename": "nothing.c"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["type"] == "ParseError"
    assert error["message"].startswith("nothing.c: 3 parse errors (the first at line 2: expected ')') left no loop")
    assert error["details"][0] == {"line": 2, "column": 32, "severity": "error", "message": "expected ')'"}
    assert len(error["details"]) == 3
    # A file without errors and without loops is not an error: 200, no results.
    clean = client.post("/v1/predict", json={"source": "int one(void) { return 1; }\n"})
    assert clean.status_code == 200 and clean.json()["results"] == [] and clean.json()["warnings"] == []


def test_a_define_the_upload_overrides_is_a_warning(client):
    source = "#define N 1024\nvoid f(float *a) {\n  for (int i = 0; i < N; i++) a[i] = 2.0f * a[i];\n}\n"
    doc = client.post("/v1/predict", json={"source": source, "filename": "own.c", "defines": {"N": "4096"}}).json()
    (warning,) = doc["warnings"]
    assert warning["message"].startswith("-D N has no effect: `#define N` at own.c:1 redefines it")
