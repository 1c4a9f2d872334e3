"""Rules as data: the extract stage's patterns live in vellum.rules.extract, not in its code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from vellum.rules import extract as rules

STAGE = Path(rules.__file__).parent.parent / "extract"


def _compiles(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and ast.unparse(node.func) in ("re.compile", "compile")]


def test_no_pattern_is_compiled_in_the_extract_stage() -> None:
    found = {path.name: lines for path in sorted(STAGE.glob("*.py")) if (lines := _compiles(path))}
    assert found == {}, f"move these re.compile calls into vellum/rules/extract.py: {found}"


def test_the_rules_module_is_data_and_imports_nothing_of_vellum() -> None:
    source = Path(rules.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert all(isinstance(n, ast.ImportFrom) and n.module == "__future__" or
               isinstance(n, ast.Import) and [a.name for a in n.names] == ["re"]
               for n in imported)
    assert not [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert isinstance(rules.TEASER_LINK_RE, re.Pattern)
