"""The package surface and its architecture rules, checked on the source."""
from __future__ import annotations

import ast
from pathlib import Path

import xapp.models

MODELS = Path(xapp.models.__file__).parent
# The model layer sees features (and their input rules), errors, and the one extraction service that
# every front end and training parse through (xapp.extraction: features run in isolated workers).
ALLOWED_XAPP = {"xapp.features", "xapp.frontend.options", "xapp.errors", "xapp.extraction"}


def test_all_names_exist_and_are_sorted():
    assert list(xapp.models.__all__) == sorted(xapp.models.__all__)
    for name in xapp.models.__all__:
        assert getattr(xapp.models, name) is not None


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_models_import_only_features_and_errors_of_xapp():
    for path in MODELS.glob("*.py"):
        for name in _imports(path):
            assert not name.startswith("."), f"{path.name}: use absolute imports ({name})"
            if name.startswith("xapp.") and not name.startswith("xapp.models"):
                assert name in ALLOWED_XAPP, f"{path.name} imports {name}"
            assert not name.startswith("clang"), f"{path.name} imports {name}: only xapp.frontend may"
            assert name not in ("pickle", "dill", "cloudpickle"), f"{path.name} imports {name}"


def test_nothing_is_persisted_with_pickle_or_joblib_dump():
    # Worker processes may pickle arguments (joblib does); models never go to disk that way.
    for path in MODELS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "joblib":
                assert {a.name for a in node.names} <= {"Parallel", "delayed"}, path.name
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) not in {("joblib", "dump"), ("joblib", "load")}, path.name
