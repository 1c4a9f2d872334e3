"""The import rules of DESIGN: cli → commands → pipeline → stages → base modules, never sideways."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "vellum"

BASE = {"errors", "models", "urls", "frontmatter", "soup", "decode", "rules", "marks", "_version",
        "defaults", "__init__", "__main__"}
STAGES = {"fetch", "extract", "convert", "store", "dedup", "feeds"}
LAYERS = {"pipeline": 1, "commands": 2, "cli": 3}
PRINTING = ("typer", "click", "rich")


def _unit(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imported_units(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = path.relative_to(SRC).parent.parts
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                parts = base + (node.module.split(".") if node.module else [])
                if parts:
                    found.add(parts[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("vellum."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("vellum."):
                    found.add(alias.name.split(".")[1])
    return found


def _external(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


MODULES = sorted(p for p in SRC.rglob("*.py") if p.name != "__main__.py" or p.parent != SRC)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_flow_one_way(path: Path) -> None:
    unit = _unit(path)
    assert unit in BASE | STAGES | set(LAYERS), f"classify {unit} in tests/test_architecture.py"
    if unit == "__init__" and path.parent == SRC:
        return  # the package root re-exports the public API
    imported = _imported_units(path) - {unit}
    if unit in BASE:
        assert imported <= BASE, f"{unit} is a base module and imports {imported - BASE}"
    elif unit in STAGES:
        assert imported <= BASE, f"stage {unit} imports {imported - BASE}"
    else:
        higher = {u for u in imported if LAYERS.get(u, 0) >= LAYERS[unit]}
        assert not higher, f"{unit} imports the higher layer {higher}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_cli_prints(path: Path) -> None:
    if _unit(path) == "cli":
        return
    assert not (_external(path) & set(PRINTING)), f"{path.name} imports a terminal library"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id in {"print", "input"}]
    assert not calls, f"{path.name} prints"
    assert "os.environ" not in path.read_text(encoding="utf-8"), f"{path.name} reads the env"


# -- cycles inside a package ------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> Iterator[ast.ImportFrom | ast.Import]:
    """The imports run when the module loads: module level and inside plain blocks
    (try/if), not in functions, classes or ``if TYPE_CHECKING:``."""
    todo: list[ast.stmt] = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                todo += [*node.body, *node.orelse]
        elif isinstance(node, ast.Try):
            todo += [*node.body, *node.orelse, *node.finalbody,
                     *(s for h in node.handlers for s in h.body)]


KNOWN = {_module_name(p) for p in SRC.rglob("*.py")}


def _loads(path: Path) -> set[str]:
    """The vellum modules that loading ``path`` imports, named in full."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in _top_level_imports(path):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in KNOWN)
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target in KNOWN:
            found.add(target)
        found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in KNOWN)
    return found - {here}


PACKAGES = sorted(p.parent for p in SRC.glob("*/__init__.py"))


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (``[a, b, ..., a]``), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, [*path, nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_no_import_cycle_inside_a_package(package: Path) -> None:
    prefix = _module_name(package / "__init__.py") + "."
    graph = {_module_name(p): {m for m in _loads(p) if m.startswith(prefix)}
             for p in package.rglob("*.py")}
    cycle = _find_cycle(graph)
    assert cycle is None, f"import cycle: {' -> '.join(cycle or [])}"


def test_the_cycle_check_sees_cycles_and_relative_imports() -> None:
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
    # ``from . import assets, files`` and ``from .index import Index`` both count.
    assert {"vellum.store.files", "vellum.store.index"} <= _loads(SRC / "store" / "facade.py")
    # An import only for the type checker does not run when the module loads.
    assert "vellum.commands.refresh" not in _loads(SRC / "commands" / "plan.py")


# -- HTML and XML parsing stays in the stages that read markup ---------------------------------

PARSERS = {"bs4", "lxml", "html5lib", "markdownify"}
# The units that read or write markup: the shared tree helpers, the stages that turn
# pages into articles and Markdown, dedup (reads posts in any form, HTML included) and
# feeds (XML feeds, and the <link rel="alternate"> of a page).
PARSING_UNITS = {"soup", "extract", "convert", "dedup", "feeds"}
# Still parsing outside them; each a known debt with the work that removes it.
PARSING_DEBT = {
    "pipeline/multipage.py": "joins split posts' footnotes with html.parser: the join "
                             "moves into extract with the one-tree work of issue 16",
}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_markup_is_parsed_only_in_the_stages(path: Path) -> None:
    rel = path.relative_to(SRC).as_posix()
    if _unit(path) in PARSING_UNITS or rel in PARSING_DEBT:
        return
    assert not (_external(path) & PARSERS), f"{rel} imports {_external(path) & PARSERS}"


def test_parsing_debt_is_still_owed() -> None:
    """An entry of PARSING_DEBT whose module no longer parses must leave the list."""
    for rel in PARSING_DEBT:
        assert _external(SRC / rel) & PARSERS, f"{rel} no longer parses: drop it from the debt"
