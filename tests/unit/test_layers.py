"""The package's layers, as docs/architecture.md draws them, checked on the source itself.

Every ``import`` is read from the syntax tree, wherever it stands: at module level, inside a
function, or under ``TYPE_CHECKING``. A package's own ``__init__`` is not counted as imported
by its submodules (Python runs it first, but that is how packages work, not a dependency).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "emulator"

#: Each layer and the layers it may import besides itself. ``__main__`` modules are programs
#: (the top of everything) and may import any layer.
ALLOWED: dict[str, set[str]] = {
    "_version": set(),
    "transports": set(),
    "errors": set(),
    "settings": set(),
    "domain": {"_version", "errors", "settings"},
    "store": {"errors", "domain"},
    "backend": {"errors", "settings", "domain", "store"},
    "control": {"_version", "errors", "settings", "domain", "store"},
    "wire": {"errors", "settings", "domain"},
    "systems": {"errors", "settings", "domain", "store", "backend", "control", "wire"},
    "endpoints": {
        "_version", "errors", "settings", "domain", "backend", "control", "wire", "systems",
        "transports",
    },
    "openapi": {"_version", "errors", "settings", "domain", "endpoints"},
    # the dashboard: beside openapi over the end points, whose control-plane access rule
    # it reuses; the systems' data through the backend's verbs, never the store
    "ui": {
        "_version", "errors", "settings", "domain", "backend", "control", "wire", "systems",
        "endpoints",
    },
    "docs": {"settings", "domain", "backend", "endpoints"},
}  # fmt: skip
TOP = {"serving", "testing", "pytest_plugin", "__init__", "__main__"}
DATABASE_LIBRARIES = {"sqlalchemy", "sqlite3", "psycopg"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports (emulator's resolved to the module, others by name)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: a relative import (the house style is absolute)"
            base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in modules() else base


def layer(module: str) -> str:
    parts = module.split(".")
    if parts[-1] == "__main__":
        return "__main__"
    return "__init__" if len(parts) == 1 else parts[1]


def emulator_imports(module: str) -> set[str]:
    return {m for m in imports(modules()[module]) if m.split(".")[0] == "emulator"}


def test_only_the_store_imports_a_database_library() -> None:
    offenders = {
        module: sorted(m for m in imports(path) if m.split(".")[0] in DATABASE_LIBRARIES)
        for module, path in modules().items()
        if layer(module) != "store"
    }
    assert {m: found for m, found in offenders.items() if found} == {}


@pytest.mark.parametrize("module", sorted(modules()))
def test_a_module_imports_only_its_own_layer_and_the_layers_below(module: str) -> None:
    mine = layer(module)
    if mine in TOP:
        return
    allowed = ALLOWED[mine] | {mine}
    assert {m for m in emulator_imports(module) if layer(m) not in allowed} == set()


def test_no_end_point_nor_dashboard_page_imports_the_store() -> None:
    offenders = {
        module: {m for m in emulator_imports(module) if layer(m) == "store"}
        for module in modules()
        if layer(module) in ("endpoints", "ui")
    }
    assert {m: found for m, found in offenders.items() if found} == {}


def test_there_is_no_import_cycle_anywhere() -> None:
    graph = {module: emulator_imports(module) - {module} for module in modules()}
    for module in graph:  # a package is not imported by its own submodules
        graph[module] = {m for m in graph[module] if not module.startswith(m + ".")}
    assert find_cycle(graph) is None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` as a list of its modules, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph.get(node, ())):
            found = visit(target, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle_and_no_false_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
