"""The input rules of xapp.inputs: defined once, the same answer from every front end."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from xapp import inputs
from xapp.errors import InputError, ModelError


def test_each_rule_has_one_definition():
    import xapp.api.service as service
    import xapp.frontend.options as options
    import xapp.predict as predict
    import xapp.scan.compile_db as compile_db

    assert inputs.is_macro_name is options.is_macro_name is service.is_macro_name is compile_db.is_macro_name
    assert inputs.parse_define is options.parse_define is compile_db.parse_define
    assert predict.parse_hint is inputs.parse_hint and predict.parse_sweep is inputs.parse_sweep


@pytest.mark.parametrize("name, ok", [("N", True), ("_n2", True), ("2N", False), ("-I/etc", False),
                                      ("N -include x", False), ("é", False), ("", False)])
def test_a_macro_name_is_an_ascii_c_identifier(name, ok):
    assert inputs.is_macro_name(name) is ok


def test_manifests_and_corpora_use_the_same_macro_rule():
    from xapp.labels.manifest import parse_size
    from xapp.models.corpus import RowError, parse_defines

    assert parse_defines("N=4096;M=8") == (("N", "4096"), ("M", "8"))
    with pytest.raises(RowError):
        parse_defines("é=1")                  # a Python identifier, not a C macro name
    assert parse_size(["N=1024"], "size") == ("N=1024",)
    with pytest.raises(InputError):
        parse_size(["é=1"], "size")


def test_hints_and_sweeps_parse_or_say_what_is_expected():
    assert inputs.parse_hint(" transfer =1048576") == ("transfer", 1048576.0)
    assert inputs.parse_sweep("N=1024:4096") == ("N", 1024.0, 4096.0)
    for bad in ("transfer", "transfer=lots", "=1", "transfer=inf"):
        with pytest.raises(InputError, match="NAME=NUMBER"):
            inputs.parse_hint(bad)
    for bad in ("N=4096:1024", "N=0:10", "N=1024", "N"):
        with pytest.raises(InputError, match="LOW:HIGH"):
            inputs.parse_sweep(bad)


def test_check_request_refuses_an_unknown_threshold_or_hint():
    bundle = SimpleNamespace(thresholds=(1.0, 2.0, 4.0), hint_names=("transfer", "wgsize"))
    inputs.check_request(bundle, [4.0, 1.0], [("transfer", 8.0)])
    with pytest.raises(ModelError, match="threshold.*3 not in the model"):
        inputs.check_request(bundle, [3.0], [])
    with pytest.raises(InputError, match="unknown hint foo"):
        inputs.check_request(bundle, None, [("foo", 1.0)])
    assert inputs.check_thresholds([4.0, 1.0, 4.0], bundle.thresholds) == (1.0, 4.0)
    assert inputs.check_thresholds(None, bundle.thresholds) == (1.0, 2.0, 4.0)
