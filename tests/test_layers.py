"""The layering rules of the architecture, read from every module's import statements.

Data flows one way (source -> parse -> IR -> analysis -> features -> model -> prediction -> report),
so a lower layer never imports a higher one; these tests fail on the first import that breaks it,
including imports inside functions.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "xapp"

# layer -> packages/modules of xapp it must never import
FORBIDDEN = {
    "features": {"models", "api", "scan", "reports", "predict", "cli", "isolation", "estimate", "targets",
                 "labels"},
    "models": {"api", "scan", "reports", "predict", "cli"},
    "reports": {"api", "scan", "cli"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append((node.lineno, mod))
            out.extend((node.lineno, f"{mod}.{alias.name}") for alias in node.names)
    return out


def _sources():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _layer_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "xapp" else None


def _violations(layer: str) -> list[str]:
    bad = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for line, name in _imports(path):
            target = _layer_of(name)
            if target in FORBIDDEN[layer]:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_lower_layers_never_import_higher_ones(layer):
    assert _violations(layer) == []


def test_only_the_feature_extractor_touches_libclang():
    bad = [f"{p.relative_to(PACKAGE.parent)}:{line}" for p in _sources()
           if not p.is_relative_to(PACKAGE / "features")
           for line, name in _imports(p) if name == "clang" or name.startswith("clang.")]
    assert bad == []


def test_the_rule_checker_sees_relative_imports():
    """The checker itself: a relative import two levels up resolves to the package above."""
    imports = dict((name, line) for line, name in _imports(PACKAGE / "features" / "extract.py"))
    assert "xapp.errors" in imports          # `from ..errors import ...` in xapp/features/extract.py
    assert "xapp.features.parse" in imports  # `from .parse import ...`
