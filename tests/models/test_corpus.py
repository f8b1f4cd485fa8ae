"""The xapp corpus format: CSV and JSONL, inline and file sources, malformed rows."""
from __future__ import annotations

import math

import pytest

from xapp.errors import CorpusError
from xapp.models.corpus import load_xapp_corpus, parse_defines, source_group

from .paths import FIXTURES

HEADER = "source,src,function,speedup,runtime_cpu,runtime_gpu,defines,transfer_bytes\n"


def test_csv_with_relative_source_paths():
    corpus = load_xapp_corpus(FIXTURES / "corpus.csv")
    assert corpus.name == "corpus" and corpus.format == "xapp"
    assert len(corpus) == 80 and corpus.rows == 80 and corpus.skipped == []
    first = corpus.instances[0]
    assert first.source == (FIXTURES / "kernels" / "map0.cl").read_text()
    assert first.filename.endswith("kernels/map0.cl")
    assert first.function == "map0" and first.group == "map0.cl" and first.row == 1
    assert first.speedup == pytest.approx(0.4)
    assert first.hints == {"transfer": 8192.0, "wgsize": 64.0}
    serial = [i for i in corpus.instances if i.name.startswith("serial")]
    assert len(serial) == 20 and all(i.hints == {"transfer": i.hints["transfer"]} for i in serial)
    assert corpus.ignored_columns == ()


def test_jsonl_with_inline_src_defines_and_hints():
    corpus = load_xapp_corpus(FIXTURES / "inline.jsonl")
    assert [i.row for i in corpus.instances] == [1, 2, 4, 5]  # JSONL rows are line numbers
    small, large, add, from_file = corpus.instances
    assert small.defines == (("N", "4096"),) and large.defines == (("N", "1048576"),)
    assert large.speedup == pytest.approx(3.0)  # runtime_cpu / runtime_gpu
    assert small.hints == {"transfer": 32768.0} and large.hints == {"transfer": 8388608.0}
    assert small.group == large.group == "scale"
    assert small.filename.endswith(".c")
    assert add.filename.endswith(".cl") and add.language == "opencl"
    assert add.hints == {"wgsize": 128.0, "streams": 2.0}
    assert add.group == source_group(add.source)
    assert from_file.group == "kernels/serial3.c" and "x[i - 2]" in from_file.source
    assert corpus.platform == "synthetic test platform"


def test_parse_defines():
    assert parse_defines("N=4096;M=8") == (("N", "4096"), ("M", "8"))
    assert parse_defines(" N = 4 ; ; DEBUG ") == (("N", "4"), ("DEBUG", None))
    assert parse_defines({"N": 16}) == (("N", "16"),)
    assert parse_defines("") == ()


def _write(tmp_path, text, name="bad.csv"):
    (tmp_path / "k.c").write_text("void f(float *x) { for (int i = 0; i < 8; i++) x[i] = 0; }\n")
    path = tmp_path / name
    path.write_text(text)
    return path


MALFORMED = (
    HEADER
    + "k.c,,,2.0,,,,\n"                   # 1 good
    + ",,,2.0,,,,\n"                      # 2 no source
    + "k.c,,,,,,,\n"                      # 3 no speed-up
    + "k.c,,,-1,,,,\n"                    # 4 negative
    + "k.c,,,fast,,,,\n"                  # 5 not a number
    + "k.c,int x;,,2,,,,\n"               # 6 both source and src
    + "missing.c,,,2,,,,\n"               # 7 no such file
    + "k.c,,,,1.0,,,\n"                   # 8 runtime_cpu alone
    + "k.c,,,5,1.0,0.5,,\n"               # 9 speedup disagrees with runtimes
    + "k.c,,,2,,,1N=3,\n"                 # 10 bad macro name
    + "k.c,,,2,,,,inf\n"                  # 11 infinite hint
    + "k.c,,,2,,,,,extra\n"               # 12 too many cells
    + "k.c,,,,4.0,2.0,N=8,100\n"          # 13 good
)


def test_malformed_rows_are_skipped_with_row_and_reason(tmp_path):
    corpus = load_xapp_corpus(_write(tmp_path, MALFORMED))
    assert [i.row for i in corpus.instances] == [1, 13]
    assert corpus.instances[1].speedup == 2.0 and corpus.instances[1].hints == {"transfer": 100.0}
    reasons = {s.row: s.reason for s in corpus.skipped}
    assert sorted(reasons) == list(range(2, 13))
    assert corpus.rows == 13 and len(corpus.skipped) == 11
    assert "no source path and no inline src" in reasons[2]
    assert "no speedup" in reasons[3]
    assert "must be positive" in reasons[4]
    assert "speedup is not a number: 'fast'" in reasons[5]
    assert "both source and src" in reasons[6]
    assert "source file not found: missing.c" in reasons[7]
    assert "given together" in reasons[8]
    assert "disagrees" in reasons[9]
    assert "'1N' is not a macro name" in reasons[10]
    assert "not finite" in reasons[11]
    assert "more cells than the header" in reasons[12]
    assert str(corpus.skipped[0]) == "row 2: no source path and no inline src"


def test_strict_raises_on_the_first_bad_row(tmp_path):
    with pytest.raises(CorpusError, match=r"bad\.csv: row 2: no source path"):
        load_xapp_corpus(_write(tmp_path, MALFORMED), strict=True)


def test_malformed_jsonl_lines(tmp_path):
    text = ('{"src": "int f(void) { return 0; }", "speedup": 2}\n'
            '{"src": "x", "speedup": 2\n'
            '[1, 2]\n'
            '{"src": 5, "speedup": 2}\n'
            '{"src": "x", "speedup": 2, "hints": [1]}\n')
    corpus = load_xapp_corpus(_write(tmp_path, text, "bad.jsonl"))
    assert len(corpus) == 1
    reasons = {s.row: s.reason for s in corpus.skipped}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert reasons[2].startswith("invalid JSON")
    assert reasons[3] == "a row must be a JSON object"
    assert "src must be text" in reasons[4]
    assert "hints must be an object" in reasons[5]


def test_no_usable_rows_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="no usable rows .1 skipped, first: row 1: no speedup"):
        load_xapp_corpus(_write(tmp_path, HEADER + "k.c,,,,,,,\n"))


def test_unknown_columns_are_listed_and_platform_must_agree(tmp_path):
    text = ("source,speedup,notes,platform\n"
            "k.c,2,first,GPU A vs CPU B\n"
            "k.c,3,second,GPU C vs CPU D\n")
    corpus = load_xapp_corpus(_write(tmp_path, text))
    assert corpus.ignored_columns == ("notes",)
    assert corpus.platform == "GPU A vs CPU B"
    assert [s.row for s in corpus.skipped] == [2] and "differs from earlier rows" in corpus.skipped[0].reason


def test_missing_or_unsupported_corpus_file(tmp_path):
    with pytest.raises(CorpusError, match="corpus not found"):
        load_xapp_corpus(tmp_path / "nope.csv")
    (tmp_path / "c.txt").write_text("x")
    with pytest.raises(CorpusError, match=r"\.csv or \.jsonl"):
        load_xapp_corpus(tmp_path / "c.txt")


def test_speedup_and_hint_values_are_exact(tmp_path):
    corpus = load_xapp_corpus(_write(tmp_path, "source,runtime_cpu,runtime_gpu,hint_regs,wgsize\n"
                                                "k.c,3.0,0.5,32,\n"))
    (instance,) = corpus.instances
    assert instance.speedup == 6.0
    assert instance.hints == {"regs": 32.0}
    assert not any(math.isnan(v) for v in instance.hints.values())
