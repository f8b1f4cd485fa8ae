"""A planted campaign: a good port, a wrong one, a crashing one, a hanging one and one that prints no time."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from xapp.cli import main
from xapp.errors import InputError
from xapp.labels import Selection, build_plan, load_manifest, write_plan
from xapp.models.corpus import load_xapp_corpus

from .conftest import needs_cc

pytestmark = pytest.mark.slow(7)   # seconds, serial, on the idle 2-core machine

SERIAL = r"""
#include <stdio.h>
void region(double *x, int n) { for (int i = 0; i < n; i++) x[i] = x[i] * 2.0 + 1.0; }
int main(void) {
  double x[64];
  for (int i = 0; i < 64; i++) x[i] = i;
  region(x, 64);
  printf("time: 0.004\n");
  for (int i = 0; i < 64; i++) fprintf(stderr, "%.3f\n", x[i]);
#ifdef WRONG
  fprintf(stderr, "1.0\n");
#endif
  return 0;
}
"""

PORTS = {
    "good": 'int main(void){ printf("time: 0.001\\n"); for (int i = 0; i < 64; i++) '
            'fprintf(stderr, "%.3f\\n", i * 2.0 + 1.0); return 0; }',
    "wrong": 'int main(void){ printf("time: 0.001\\n"); for (int i = 0; i < 64; i++) '
             'fprintf(stderr, "%.3f\\n", i * 2.0 + 1.5); return 0; }',
    "crash": 'int main(void){ volatile int *p = 0; printf("time: 0.001\\n"); fflush(stdout); return *p; }',
    "hang": 'int main(void){ for (;;) {} return 0; }',
    "silent": 'int main(void){ for (int i = 0; i < 64; i++) fprintf(stderr, "%.3f\\n", i * 2.0 + 1.0); return 0; }',
}

MANIFEST = """
[campaign]
name = "planted"
sources = "src"
platform = "{cpu} port vs {cpu} serial"
port_timing = "printed by the port"
repetitions = 2
warmup = 1
timeout = 2

[vars]
CC = "cc"

[sizes]
small = ["N=64"]

[defaults]
source = "serial.c"
build = ["{CC} -O1 {defines} {src}/serial.c -o serial", "{CC} -O1 {src}/{port}.c -o port"]
runs.serial = { cmd = "./serial" }
runs.port = { cmd = "./port" }
timing.serial = { run = "serial", regex = '^time: (\\S+)' }
timing.port = { run = "port", regex = '^time: (\\S+)' }
verify = { kind = "checksum", runs = ["serial", "port"], stream = "stderr", rtol = 1e-9, atol = 0.0 }
"""


def _program(name: str, port: str) -> str:
    return f'[[program]]\nname = "{name}"\nfunction = "region"\nvalues = {{ port = "{port}" }}\n'


@pytest.fixture()
def planted(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "serial.c").write_text(SERIAL)
    for name, body in PORTS.items():
        (src / f"{name}.c").write_text("#include <stdio.h>\n" + body + "\n")
    (src / "broken.c").write_text("int main(void) { return }\n")
    programs = [_program(name, name) for name in [*PORTS, "broken"]]
    manifest = tmp_path / "planted.toml"
    manifest.write_text(MANIFEST + "\n".join(programs))
    return manifest


@needs_cc
def test_only_the_verified_port_is_labelled_and_every_failure_is_reported(planted, tmp_path, capsys):
    corpus = tmp_path / "out" / "labels.csv"
    assert main(["label", str(planted), "--out", str(corpus)]) == 0
    loaded = load_xapp_corpus(corpus)
    assert [i.name for i in loaded.instances] == ["good/small"]
    assert loaded.instances[0].speedup == pytest.approx(4.0)
    assert loaded.instances[0].function == "region"
    assert "void region" in loaded.instances[0].source          # the copied serial source
    log = json.loads(corpus.with_suffix(".log.json").read_text())
    statuses = {item["id"]: item["status"] for item in log["left_out"]}
    assert statuses == {"wrong/small": "verify_failed", "crash/small": "run_failed", "hang/small": "timeout",
                        "silent/small": "no_time", "broken/small": "build_failed"}
    reasons = {item["id"]: item["reason"] for item in log["left_out"]}
    assert "signal" in reasons["crash/small"]
    assert "timeout" in reasons["hang/small"]
    err = capsys.readouterr().err
    assert "left out: wrong/small: verify_failed" in err
    assert "1 labelled rows" in err


@needs_cc
def test_standalone_runner_then_ingest_gives_the_same_corpus(planted, tmp_path):
    plan_path = tmp_path / "ship" / "plan.json"
    assert main(["label", str(planted), "--plan-only", "--programs", "good,wrong", "--out", str(plan_path)]) == 0
    runner = plan_path.parent / "runner.py"
    assert runner.is_file()
    results = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-I", str(runner), str(plan_path), "--out", str(results),
                           "--work", str(tmp_path / "work")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    corpus = tmp_path / "ingested.csv"
    assert main(["label", "--ingest", str(results), "--out", str(corpus)]) == 0
    assert [i.name for i in load_xapp_corpus(corpus).instances] == ["good/small"]


@needs_cc
def test_environment_overrides_a_compiler_variable(planted, tmp_path, monkeypatch):
    monkeypatch.setenv("CC", "no-such-compiler-xapp")
    corpus = tmp_path / "labels.csv"
    assert main(["label", str(planted), "--programs", "good", "--out", str(corpus)]) == 1   # no row
    log = json.loads(corpus.with_suffix(".log.json").read_text())
    assert log["left_out"][0]["status"] == "build_failed"
    assert "no-such-compiler-xapp" in log["jobs"][0]["build"][0]["command"]


def test_manifest_errors_name_the_problem(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MANIFEST.replace('timing.port = { run = "port"', 'timing.port = { run = "nope"')
                   + _program("p", "good"))
    with pytest.raises(InputError, match="timing.port must name one of the runs"):
        load_manifest(bad)
    bad.write_text(MANIFEST + _program("p", "good") + 'colour = "red"\n')
    with pytest.raises(InputError, match="unknown key 'colour'"):
        load_manifest(bad)
    bad.write_text("[campaign\n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_manifest(bad)


def test_plan_selection_and_missing_sources(planted, tmp_path):
    manifest = load_manifest(planted)
    plan = build_plan(manifest, tmp_path / "src", Selection(programs=("good",), repetitions=7))
    assert [job["id"] for job in plan["jobs"]] == ["good/small"]
    assert plan["jobs"][0]["repetitions"] == 7 and plan["jobs"][0]["defines"] == [["N", "64"]]
    with pytest.raises(InputError, match="no size named 'huge'"):
        build_plan(manifest, tmp_path / "src", Selection(sizes=("huge",)))
    with pytest.raises(InputError, match="region source not found"):
        build_plan(manifest, tmp_path)
    assert main(["label", "--out", str(tmp_path / "x.csv")]) == 2


def test_plan_written_with_its_runner(planted, tmp_path):
    plan = build_plan(load_manifest(planted), tmp_path / "src")
    script = write_plan(plan, tmp_path / "p" / "plan.json")
    text = script.read_text()
    imports = {line.split()[1] for line in text.splitlines() if line.startswith(("import ", "from "))}
    assert imports <= set(sys.stdlib_module_names) | {"__future__", "concurrent.futures"}
    assert json.loads((tmp_path / "p" / "plan.json").read_text())["format"] == "xapp-label-plan/1"


def test_ingest_copies_a_cuda_region_as_cpp_with_its_headers_quoted(tmp_path):
    from xapp.labels import write_corpus
    src = tmp_path / "suite"
    (src / "util").mkdir(parents=True)
    (src / "util" / "bench.h").write_text("#define SIZE 8\n")
    (src / "prog.cu").write_text("#include <bench.h>\nvoid cpu_ref(float *a) { for (int i = 0; i < SIZE; i++) "
                                 "a[i] += 1; }\n")
    timing = {"median_s": 0.5, "rel_spread": 0.1, "times_s": [0.5, 0.45, 0.55]}
    job = {"id": "prog/s", "program": "prog", "size": "s", "group": "prog", "defines": [["SIZE", "8"]],
           "source": "prog.cu", "function": "cpu_ref", "headers": ["util/bench.h"], "transfer_bytes": 64}
    results = {"plan": {"sources": str(src), "platform": "{gpu} vs {cpu}", "jobs": [job]},
               "machine": {"cpu": "CPU-X", "gpu": "GPU-Y"},
               "jobs": [{"id": "prog/s", "status": "ok", "timing": {"serial": {**timing, "median_s": 2.0},
                                                                    "port": timing}}]}
    summary = write_corpus(results, tmp_path / "out" / "c.csv")
    assert summary.rows == 1 and summary.left_out == []
    row = load_xapp_corpus(summary.corpus).instances[0]
    assert row.filename.endswith("sources/prog/prog.cu.cpp")
    assert row.source.startswith('#include "bench.h"')
    assert row.speedup == pytest.approx(4.0) and row.hints == {"transfer": 64.0}
    assert load_xapp_corpus(summary.corpus).platform == "GPU-Y vs CPU-X"


def test_jobs_past_the_campaign_deadline_are_recorded_not_run(planted, tmp_path):
    from xapp.labels import write_corpus
    from xapp.labels.runner import run_plan
    plan = build_plan(load_manifest(planted), tmp_path / "src", Selection(programs=("good", "wrong")))
    results = run_plan(plan, tmp_path / "work", deadline=-1.0)
    assert [job["status"] for job in results["jobs"]] == ["not_run", "not_run"]
    with pytest.raises(Exception):
        load_xapp_corpus(write_corpus(results, tmp_path / "none.csv").corpus)     # no usable rows


EXCLUSIVE = """
[campaign]
name = "exclusive"
sources = "."
repetitions = 2
warmup = 0
timeout = 20
[defaults]
source = "region.c"
build = ["true"]
runs.serial = { cmd = "echo 'time: 0.2'; echo 1 >&2" }
# mkdir fails if another port holds the folder: overlapping exclusive runs would crash
runs.port = { cmd = "mkdir {shared}/gpu && sleep 0.3 && rmdir {shared}/gpu && echo 'time: 0.1' && echo 1 >&2", exclusive = true }
timing.serial = { run = "serial", regex = '^time: (\\S+)' }
timing.port = { run = "port", regex = '^time: (\\S+)' }
verify = { kind = "checksum", runs = ["serial", "port"], stream = "stderr" }
"""


def test_exclusive_runs_never_overlap_when_jobs_run_in_parallel(tmp_path):
    from xapp.labels.runner import run_plan
    (tmp_path / "region.c").write_text("void f(void) {}\n")
    manifest = tmp_path / "m.toml"
    manifest.write_text(EXCLUSIVE + "".join(f'[[program]]\nname = "p{n}"\nfunction = "f"\n' for n in range(4)))
    plan = build_plan(load_manifest(manifest), tmp_path)
    results = run_plan(plan, tmp_path / "work", jobs=4)
    assert [job["status"] for job in results["jobs"]] == ["ok"] * 4, [job.get("reason") for job in results["jobs"]]


def test_a_bad_regex_is_refused_at_load_and_a_bad_plan_loses_only_its_job(planted, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MANIFEST.replace("regex = '^time: (\\S+)' }\ntiming.port", "regex = '^time: ((' }\ntiming.port")
                   + _program("p", "good"))
    with pytest.raises(InputError, match="timing.serial.regex is not a regular expression"):
        load_manifest(bad)
    from xapp.labels.runner import run_plan
    plan = build_plan(load_manifest(planted), tmp_path / "src", Selection(programs=("good", "wrong")))
    plan["jobs"][1]["build"] = ["{CC} {unclosed"]
    results = run_plan(plan, tmp_path / "work")
    assert [job["status"] for job in results["jobs"]] == ["ok", "plan_error"]
