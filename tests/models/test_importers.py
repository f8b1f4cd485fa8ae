"""Importers of the public data sets (read from ../shared/data) and format detection."""
from __future__ import annotations

import csv
import io
import tarfile

import pytest

from xapp.errors import CorpusError
from xapp.models.importers import (
    DEVMAP_PLATFORM,
    detect_format,
    load_clgen,
    load_corpus,
    load_devmap,
)

from .paths import CLGEN, DEVMAP, FIXTURES, needs_clgen, needs_devmap


@needs_devmap
def test_devmap_rows_labels_hints_and_groups():
    corpus = load_corpus(DEVMAP)
    assert corpus.format == "devmap" and corpus.platform == DEVMAP_PLATFORM
    assert len(corpus) == 680 and corpus.skipped == [] and corpus.notes == []
    with DEVMAP.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    # At threshold 1 the label is the oracle column, row for row.
    assert [i.speedup > 1 for i in corpus.instances] == [r["oracle"] == "GPU" for r in rows]
    assert sum(i.speedup > 1 for i in corpus.instances) == 280
    assert len({i.group for i in corpus.instances}) == 247  # distinct source texts
    first = corpus.instances[0]
    assert first.name == "amd-app-sdk-3.0-BinomialOption-binomial_options:default"
    assert first.speedup == pytest.approx(3.2910730000000004 / 1.443983)
    assert first.hints == {"transfer": 2048.0, "wgsize": 255.0}
    assert first.baseline_columns == {"comp": 98.0, "rational": 8.0, "mem": 13.0, "localmem": 11.0,
                                      "coalesced": 2.0, "atomic": 0.0}
    assert first.language == "opencl" and first.filename.endswith(".cl")


@needs_clgen
def test_clgen_reads_kernels_from_the_archive_in_memory():
    corpus = load_corpus(CLGEN)
    assert corpus.format == "clgen" and len(corpus) == 15919 and corpus.skipped == []
    assert corpus.notes == []  # oracle agrees with the runtimes on every row
    assert len({i.group for i in corpus.instances}) == 1000
    first = corpus.instances[0]
    assert first.filename == "005ef03ac277e7418bb806ad623f5066de5031da.cl"
    assert first.source.startswith("__kernel void A(")
    assert first.speedup == pytest.approx(0.059825 / 0.046133)
    assert first.hints == {"transfer": 24576.0, "wgsize": 256.0}


def _devmap_csv(tmp_path, rows):
    header = ["benchmark", "dataset", "comp", "rational", "mem", "localmem", "coalesced", "atomic",
              "transfer", "wgsize", "oracle", "runtime_cpu", "runtime_gpu", "src"]
    path = tmp_path / "tiny-devmap.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_devmap_oracle_mismatch_is_reported_and_bad_rows_skipped(tmp_path):
    src = "__kernel void A(__global float* a) { a[get_global_id(0)] = 0; }"
    path = _devmap_csv(tmp_path, [
        ["b-1", "S", 1, 0, 1, 0, 1, 0, 64, 32, "GPU", 2.0, 1.0, src],
        ["b-1", "W", 1, 0, 1, 0, 1, 0, 64, 32, "GPU", 1.0, 2.0, src],   # oracle disagrees
        ["b-1", "A", 1, 0, 1, 0, 1, 0, 64, 32, "FPGA", 1.0, 2.0, src],  # bad oracle
        ["b-1", "B", 1, 0, 1, 0, 1, 0, 64, 32, "CPU", 0, 2.0, src],     # zero runtime
        ["b-1", "C", 1, 0, 1, 0, 1, 0, 64, 32, "CPU", 1.0, 2.0, ""],    # no source
    ])
    assert detect_format(path) == "devmap"
    corpus = load_devmap(path)
    assert [i.row for i in corpus.instances] == [1, 2]
    assert corpus.instances[1].speedup == 0.5  # labels follow the runtimes
    assert corpus.notes == ["1 rows where oracle disagrees with runtime_cpu/runtime_gpu "
                            "(labels follow the runtimes): rows [2]"]
    assert [(s.row, s.reason) for s in corpus.skipped] == [
        (3, "oracle must be CPU or GPU, got 'FPGA'"),
        (4, "runtime_cpu must be positive, got '0'"),
        (5, "src is empty")]
    with pytest.raises(CorpusError, match="row 3: oracle must be CPU or GPU"):
        load_devmap(path, strict=True)


def test_clgen_missing_kernel_and_missing_archive(tmp_path):
    header = "benchmark,dataset,transfer,wgsize,oracle,runtime_cpu,runtime_gpu,kernel_nlines\n"
    path = tmp_path / "amd-clgen.csv"
    path.write_text(header + "aaa.cl-A,1024,100,64,GPU,2.0,1.0,3\nbbb.cl-A,1024,100,64,CPU,1.0,2.0,3\n")
    with pytest.raises(CorpusError, match="CLgen kernel archive not found"):
        load_clgen(path)
    buffer = io.BytesIO(b"__kernel void A(__global int* a) { a[0] = 1; }\n")
    with tarfile.open(tmp_path / "clgen-1000.tar.bz2", "w:bz2") as tar:
        info = tarfile.TarInfo("clgen-1000/kernels/aaa.cl")
        info.size = len(buffer.getvalue())
        tar.addfile(info, buffer)
    assert detect_format(path) == "clgen"
    corpus = load_clgen(path)
    assert len(corpus) == 1 and corpus.instances[0].source.startswith("__kernel void A")
    assert [str(s) for s in corpus.skipped] == ["row 2: kernel bbb.cl not in clgen-1000.tar.bz2"]


def test_format_detection_and_errors(tmp_path):
    assert detect_format(FIXTURES / "corpus.csv") == "xapp"
    assert detect_format(FIXTURES / "inline.jsonl") == "xapp"
    assert load_corpus(FIXTURES / "corpus.csv").format == "xapp"
    with pytest.raises(CorpusError, match="unknown corpus format 'csv'"):
        load_corpus(FIXTURES / "corpus.csv", "csv")
    with pytest.raises(CorpusError, match="not a devmap file, missing columns"):
        load_corpus(FIXTURES / "corpus.csv", "devmap")
    with pytest.raises(CorpusError, match="corpus not found"):
        load_corpus(tmp_path / "none.csv")
