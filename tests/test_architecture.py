"""The import rules of DESIGN: cli → archive → stages → base modules, never sideways."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "vellum"

BASE = {"errors", "models", "urls", "frontmatter", "soup", "decode", "rules", "marks", "_version",
        "__init__", "__main__"}
STAGES = {"fetch", "extract", "convert", "store", "dedup", "feeds"}
LAYERS = {"archive": 1, "cli": 2}
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


# Stages whose rules (patterns, tag and class tables) all live in vellum.rules.
RULES_MOVED = ("convert",)


@pytest.mark.parametrize("path", [p for p in MODULES if _unit(p) in RULES_MOVED],
                         ids=lambda p: str(p.relative_to(SRC)))
def test_patterns_live_in_rules(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    compiled = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute) and n.func.attr == "compile"
                and isinstance(n.func.value, ast.Name) and n.func.value.id == "re"]
    assert not compiled, f"{path.name} compiles patterns (lines {compiled}): vellum.rules"
