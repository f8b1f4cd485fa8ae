"""`xapp scan --cluster` on a real `distributed.LocalCluster` of worker processes (loopback only)."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest

from xapp.cluster import INSTALL_HINT, ClusterSpec, batches, map_batches, open_cluster
from xapp.errors import InputError
from xapp.features import ParseOptions
from xapp.cli.scan import main
from xapp.scan import discover, extract_all

from .cluster_tasks import fail_on_poison
from .tree import EXPECTED_STATUS, MAX_BYTES, inside, model_args

pytestmark = pytest.mark.slow(16)   # seconds, serial, on the idle 2-core machine

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def session():
    """Two single-threaded worker processes behind a scheduler the tests also join by address, as they would
    one started with `dask scheduler` (plain TCP: `local:N` clusters speak TLS with credentials of their own,
    which a second client cannot have); started once for this module."""
    import dask
    import distributed

    from xapp.cluster import ClusterSession

    config = dask.config.set({"distributed.worker.daemon": False, "distributed.worker.profile.enabled": False})
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address="127.0.0.1:0")
    with ClusterSession(distributed.Client(local), local, config) as s:
        yield s


def test_a_local_cluster_speaks_tls_and_refuses_a_client_without_its_credentials():
    import distributed

    with open_cluster("local:1") as s:
        assert s.address.startswith("tls://127.0.0.1:") and s.dashboard is None
        assert s.client.submit(sum, [1, 2]).result() == 3
        for stranger in (distributed.Security.temporary(), None):      # another CA's certificate, or none
            with pytest.raises((OSError, TimeoutError, TypeError)):
                distributed.Client(s.address, security=stranger, timeout=5)


def _without_times(doc):
    """A report with its measured durations removed: everything else must match."""
    if isinstance(doc, dict):
        return {k: _without_times(v) for k, v in doc.items() if k != "seconds"}
    if isinstance(doc, list):
        return [_without_times(v) for v in doc]
    return doc


def _scan(capsys, *args) -> tuple[int, dict, str]:
    code = main([*args, "--format", "json", "--quiet", *model_args()])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def test_cluster_spec_reads_addresses_and_local_counts():
    assert ClusterSpec.parse("local:3") == ClusterSpec(local_workers=3)
    assert ClusterSpec.parse("tcp://127.0.0.1:8786") == ClusterSpec(address="tcp://127.0.0.1:8786")
    assert ClusterSpec.parse("127.0.0.1:8786") == ClusterSpec(address="tcp://127.0.0.1:8786")
    for bad in ("local:0", "local:x", "http://host:1", "nowhere"):
        with pytest.raises(InputError, match="--cluster"):
            ClusterSpec.parse(bad)


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    import socket

    with socket.socket() as probe:                 # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr("xapp.cluster.CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(InputError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        open_cluster(f"127.0.0.1:{port}")


def test_batches_shrink_as_the_work_runs_out_and_cover_every_item():
    groups = batches([1.0] * 315, 2)
    assert [i for g in groups for i in g] == list(range(315))          # every item once, in order
    sizes = [len(g) for g in groups]
    assert sizes[:3] == [64, 62, 47]            # bounded, then a quarter of what is left
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] <= 4
    assert batches([1.0] * 3, 8) == [[0, 1, 2]]
    assert batches([], 2) == []


def test_batches_weigh_items_so_a_few_large_files_do_not_fill_one_task():
    weights = [100.0] * 4 + [1.0] * 400          # four files hold half the work
    groups = batches(weights, 2)
    assert groups[:2] == [[0, 1], [2]]           # a quarter of the 800 left, then of the 600 left
    assert max(sum(weights[i] for i in g) for g in groups) <= 200
    assert [i for g in groups for i in g] == list(range(len(weights)))


def test_without_dask_the_flag_says_how_to_install_it(tree, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)      # `import distributed` raises ImportError
    with inside(tree.root):
        code = main(["src/dense/saxpy.c", "--no-cache", "--cluster", "local:2", *model_args()])
    assert code == 2
    assert INSTALL_HINT in capsys.readouterr().err


def test_cluster_report_equals_the_local_one(tree, session, capsys, tmp_path):
    with inside(tree.root):
        common = ["-p", "build", "--max-bytes", str(MAX_BYTES), "--no-cache"]
        local_code, local, _ = _scan(capsys, *common, "-j", "2")
        code, remote, err = _scan(capsys, *common, "--cluster", session.address)
    assert code == local_code == 0
    assert f"Dask cluster {session.address}: 2 worker threads" in err
    assert _without_times(remote) == _without_times(local)
    status = {f["file"]: f["status"] for f in remote["files"]}
    assert {f: s for f, s in status.items() if s != "ok"} == EXPECTED_STATUS     # crash.c: crashed, not lost
    assert remote["counts"]["candidates"] == 5


def test_the_cache_is_consulted_before_anything_is_sent(tree, session, capsys, tmp_path, monkeypatch):
    with inside(tree.root):
        common = ["-p", "build", "--max-bytes", str(MAX_BYTES), "--cache-dir", str(tmp_path / "cache"),
                  "--cluster", session.address, "--exclude", "src/bad/crash.c"]   # a crash is never cached
        _, first, _ = _scan(capsys, *common)

        def refuse(*args, **kwargs):
            raise AssertionError("a cached file was sent to the cluster")
        monkeypatch.setattr("xapp.scan.dask_stage.extract_on_cluster", refuse)
        _, second, _ = _scan(capsys, *common)
    assert first["counts"]["cached"] == 0
    assert _without_times(second["results"]) == _without_times(first["results"])
    uncached = {f["file"] for f in second["files"] if not f["cached"]}
    assert uncached == {"src/bad/blob.c", "src/bad/big.c", "src/gone.c"}     # refused here, before any parse


def test_a_failing_batch_is_split_and_only_the_bad_item_is_lost(session):
    items = ["a", "b", "poison", "c", "d", "e", "f", "g"]
    seen: dict[int, str] = {}

    def done(i, result):
        assert i not in seen, "an item reported twice"
        seen[i] = result
    map_batches(session, fail_on_poison, items, done=done, lost=lambda item, why: f"lost {item}: {why}", batch=4)
    assert sorted(seen) == list(range(len(items)))
    assert [seen[i] for i in range(len(items)) if i != 2] == ["A", "B", "C", "D", "E", "F", "G"]
    assert seen[2].startswith("lost poison: RuntimeError: poisoned")


@pytest.fixture()
def daemonic_session():
    """One nanny-managed worker process that may not start children (the `dask worker` default), and a
    scheduler that gives up on a task at the first worker death it is part of (the default, 3, only
    makes this slower: each death is a worker restart). An innocent task that dies beside the culprit,
    or with a worker lost for another reason, is still safe: map_batches runs every failed item once
    more alone, and only an item that fails alone is reported."""
    import dask
    import distributed

    from xapp.cluster import ClusterSession

    config = dask.config.set({"distributed.scheduler.allowed-failures": 0, "distributed.worker.daemon": True})
    local = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None)
    with ClusterSession(distributed.Client(local), local, config) as s:
        yield s


def test_a_file_that_kills_the_worker_is_crashed_and_its_batch_mates_are_kept(tree, tmp_path, daemonic_session):
    """On a daemonic worker libclang runs in the worker itself: crash.c kills it; the batch is split and
    crash.c, alone, kills the restarted worker again and is reported crashed."""
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.c").write_text(f"void {name}(float *x, int n) {{ for (int i = 0; i < n; i++) "
                                            f"x[i] = x[i] * 2; }}\n")
    (tmp_path / "crash.c").write_bytes((tree / "src/bad/crash.c").read_bytes())
    targets = discover([str(tmp_path)], ParseOptions())
    outcomes = extract_all(targets, workers=1, cluster=daemonic_session)
    status = {o.target.path.name: o.status for o in outcomes}
    assert status == {"a.c": "ok", "b.c": "ok", "c.c": "ok", "crash.c": "crashed"}, [o.message for o in outcomes]
    crashed = next(o for o in outcomes if o.status == "crashed")
    assert "kept failing on the Dask workers" in crashed.message and "KilledWorker" in crashed.message


def test_featurizing_a_corpus_on_the_cluster_gives_the_local_matrix(session):
    """train/evaluate --cluster: the same rows, columns and skipped sources as on this machine."""
    import numpy as np

    from xapp.models import load_corpus
    from xapp.cluster import map_ordered
    from xapp.models.featurization import featurize, featurize_with

    corpus = load_corpus(Path(__file__).resolve().parents[1] / "fixtures" / "models" / "corpus.csv")
    here = featurize(corpus, n_jobs=1)
    with featurize_with(functools.partial(map_ordered, session)):
        there = featurize(corpus, n_jobs=1)
    assert there.feature_names == here.feature_names and len(there) == len(here) > 0
    np.testing.assert_array_equal(there.X, here.X)
    assert [str(s) for s in there.skipped] == [str(s) for s in here.skipped]


def test_train_without_dask_says_how_to_install_it(monkeypatch, capsys):
    from xapp.cli import main as xapp_main

    monkeypatch.setitem(sys.modules, "distributed", None)
    corpus = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "corpus.csv"
    assert xapp_main(["evaluate", str(corpus), "--cluster", "local:2"]) == 2
    assert INSTALL_HINT in capsys.readouterr().err
