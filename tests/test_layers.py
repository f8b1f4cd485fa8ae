"""The layering rules of the architecture, read from every module's import statements.

Data flows one way (source -> parse -> IR -> analysis -> features -> model -> prediction -> report),
so a lower layer never imports a higher one; these tests fail on the first import that breaks it,
including imports inside functions.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "xapp"

# layer -> packages/modules of xapp it must never import
_ABOVE_FEATURES = {"models", "api", "scan", "reports", "predict", "cli", "isolation", "estimate", "targets",
                   "labels", "extraction"}
FORBIDDEN = {
    # source -> front end (parse, headers, lowering to IR) -> analysis -> feature families
    "frontend": _ABOVE_FEATURES | {"analysis", "features"},
    "analysis": _ABOVE_FEATURES | {"features"},
    "features": _ABOVE_FEATURES,
    # the one extraction service (pool, cache, warm-up): above features, below every caller of it
    "extraction": {"models", "api", "scan", "reports", "predict", "cli", "estimate", "targets", "labels"},
    "models": {"api", "scan", "reports", "predict", "cli"},
    "reports": {"api", "scan", "cli"},
    "scan": {"api", "cli", "labels"},
    "api": {"cli", "scan", "labels"},
    "labels": {"cli", "api", "scan", "reports", "predict", "models"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache      # every rule reads every file: parse each once
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


def _package_of(name: str) -> str | None:
    """The xapp subpackage or top-level module a module name belongs to (xapp.scan.runner -> scan)."""
    layer = _layer_of(name)
    if layer is None:
        return None
    return layer if (PACKAGE / layer).is_dir() or (PACKAGE / f"{layer}.py").is_file() else None


def _package_graph() -> dict[str, set[str]]:
    """package -> the other xapp packages (and top-level modules) its modules import, at any depth."""
    graph: dict[str, set[str]] = {}
    for path in _sources():
        source = _package_of(_module_name(path))
        if source is None:
            continue
        targets = {_package_of(name) for _, name in _imports(path)}
        graph.setdefault(source, set()).update(t for t in targets if t and t != source)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle between packages as [a, b, ..., a], or [] (depth-first search, three colours)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_import_cycle_between_xapp_packages():
    assert _cycle(_package_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    """The checker itself: it must report a planted cycle and accept a chain."""
    assert _cycle({"cli": {"scan"}, "scan": {"features", "cli"}, "features": set()}) == ["cli", "scan", "cli"]
    assert _cycle({"cli": {"scan"}, "scan": {"features"}, "features": set()}) == []


def test_the_graph_sees_the_cli_package():
    graph = _package_graph()
    assert {"scan", "features", "predict"} <= graph["cli"]
    assert [p for p, targets in graph.items() if "cli" in targets] == ["__main__"]   # `python -m xapp`


def test_only_the_front_end_touches_libclang():
    bad = [f"{p.relative_to(PACKAGE.parent)}:{line}" for p in _sources()
           if not p.is_relative_to(PACKAGE / "frontend")
           for line, name in _imports(p) if name == "clang" or name.startswith("clang.")]
    assert bad == []


def test_the_rule_checker_sees_relative_imports():
    """The checker itself: a relative import two levels up resolves to the package above."""
    imports = dict((name, line) for line, name in _imports(PACKAGE / "features" / "extract.py"))
    assert "xapp.errors" in imports          # `from ..errors import ...` in xapp/features/extract.py
    assert "xapp.frontend.parse" in imports  # `from ..frontend.parse import ...`


def _module_graph() -> dict[str, set[str]]:
    """module -> the xapp modules it imports (any depth, inside functions too; TYPE_CHECKING ones left out)."""
    names = {_module_name(p) for p in _sources()}
    graph: dict[str, set[str]] = {}
    for path in _sources():
        source = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {n.lineno for node in ast.walk(tree) if isinstance(node, ast.If)
                       and getattr(node.test, "id", "") == "TYPE_CHECKING"
                       for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))}
        targets = {name for line, name in _imports(path) if name in names and line not in typing_only}
        graph[source] = {t for t in targets if t != source and not source.startswith(t + ".")}
    return graph


def test_no_import_cycle_between_modules_of_a_package():
    """Within a package too, two modules never import each other (the scan runner and its Dask stage did)."""
    graph = {m: {t for t in targets if t.rpartition(".")[0] == m.rpartition(".")[0]}
             for m, targets in _module_graph().items()}
    assert _cycle(graph) == []
