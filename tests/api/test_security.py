"""Uploaded code is parsed hermetically: its #include lines read no file of the server and echo nothing of it."""
from __future__ import annotations

from pathlib import Path

import pytest

from xapp.features import ParseOptions, extract_source

from .helpers import running_app

SECRET = "xapp_secret_7f3a9c"
# If the header were read, SEEN would switch the upload to its `leaked` function, and the header's
# second line (not C) would put the secret into clang's error messages.
SECRET_HEADER = f"#define SEEN 1\n{SECRET} is not C;\n"
LOOP = "(float *y, int n) {\n  for (int i = 0; i < n; i++) y[i] = 2.0f * y[i];\n}\n"
BODY = f"#ifdef SEEN\nvoid leaked{LOOP}#else\nvoid mine{LOOP}#endif\n"


@pytest.fixture(scope="module")
def client():
    with running_app(workers=1) as c:
        yield c


@pytest.fixture()
def secret_file(tmp_path) -> Path:
    path = tmp_path / "secret.h"
    path.write_text(SECRET_HEADER)
    return path


def test_the_probe_would_see_a_file_that_is_read(secret_file):
    # Control: parsed as trusted local code, the include is honoured and the secret shows.
    text = f'#include "{secret_file}"\n{BODY}'
    (region,) = extract_source(text, str(secret_file.parent / "x.c"), ParseOptions()).regions
    assert region.function == "leaked"


@pytest.mark.parametrize("include", ["{secret}", "../../secret.h", "/etc/passwd", "/etc/shadow", "/proc/self/environ"])
@pytest.mark.parametrize("route", ["json", "file"])
def test_includes_of_server_files_read_and_echo_nothing(client, secret_file, include, route):
    directive = "#include " + '"' + include.format(secret=secret_file) + '"'
    text = f"{directive}\n#include <{secret_file}>\n{BODY}"
    if route == "json":
        response = client.post("/v1/predict", json={"source": text, "filename": "a/b/x.c"})
    else:
        response = client.post("/v1/predict/file", files={"file": ("x.c", text.encode())})
    assert response.status_code == 200, response.text
    assert [r["function"] for r in response.json()["results"]] == ["mine"]     # nothing came in from the header
    assert SECRET not in response.text
    assert "root:" not in response.text and "PATH=" not in response.text


def test_include_hidden_behind_comments_and_line_splices_is_blanked_too(client, secret_file):
    text = f'# /* c */ inc\\\nlude "{secret_file}"\n%:include "{secret_file}"\n{BODY}'
    response = client.post("/v1/predict", json={"source": text})
    assert response.status_code == 200
    assert [r["function"] for r in response.json()["results"]] == ["mine"] and SECRET not in response.text


def test_a_macro_value_cannot_smuggle_a_directive_or_a_flag(client, secret_file):
    # A -D value is one argument: "-I/x" inside it is text, and a newline is refused outright.
    text = f"#include INC\n{BODY}"
    response = client.post("/v1/predict", json={"source": text, "defines": {"INC": f'"{secret_file}"'}})
    assert response.status_code == 200 and SECRET not in response.text
    assert [r["function"] for r in response.json()["results"]] == ["mine"]
    flag = client.post("/v1/predict", json={"source": BODY, "defines": {"N": f"1 -include {secret_file}"}})
    assert flag.status_code == 200 and SECRET not in flag.text
    assert client.post("/v1/predict", json={"source": BODY, "defines": {"N": "1\n#include x"}}).status_code == 422


def test_has_include_does_not_reveal_whether_a_server_file_exists(client, secret_file):
    probe = f'#if __has_include("{secret_file}")\n#define SEEN 1\n#endif\n{BODY}'
    response = client.post("/v1/predict", json={"source": probe})
    assert [r["function"] for r in response.json()["results"]] == ["mine"]
