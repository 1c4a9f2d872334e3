"""Rules as data: the stages' patterns and tables live in vellum.rules, not in their code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vellum.rules import extract as extract_rules

SRC = Path(extract_rules.__file__).parent.parent
STAGES = ("fetch", "extract", "convert", "store", "dedup", "feeds.py")
STAGE_MODULES = sorted(p for stage in STAGES for p in
                       ([SRC / stage] if stage.endswith(".py") else (SRC / stage).rglob("*.py")))
RULE_MODULES = sorted((SRC / "rules").glob("*.py"))


PATTERN_CALLS = {f"re.{name}" for name in ("compile", "search", "match", "fullmatch", "sub",
                                             "subn", "split", "findall", "finditer")}


def _compiled_literals(path: Path) -> list[int]:
    """Lines where a pattern written in the module is compiled or used through ``re``'s
    functions. A pattern built from what a page or site sends (robots.txt's wildcards,
    a marker found in the text) is not a rule of ours and is allowed."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and ast.unparse(node.func) in PATTERN_CALLS
                and not any(isinstance(n, ast.Name) for n in ast.walk(node.args[0]))):
            found.append(node.lineno)
    return found


@pytest.mark.parametrize("path", STAGE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_pattern_is_compiled_in_a_stage(path: Path) -> None:
    lines = _compiled_literals(path)
    assert not lines, f"{path.name} compiles patterns (lines {lines}): move them to vellum.rules"


def test_the_check_sees_a_compiled_pattern(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('import re\nA = re.compile(r"x+")\nB = re.compile(f"{A}" + "y")\n'
                      "def f(s):\n    return re.compile(s)\n"
                      'def g(s):\n    return re.sub(r"\\d", "", s)\n')
    assert _compiled_literals(module) == [2, 7]


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: p.name)
def test_rules_are_data(path: Path) -> None:
    """A rules module imports only ``re``, other rules modules and vellum.marks (the names
    vellum writes into pages), and defines no code beyond private helpers that build its
    tables when it loads."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import):
            assert [a.name for a in node.names] == ["re"], ast.unparse(node)
        elif isinstance(node, ast.ImportFrom):
            allowed = node.module == "__future__" or (node.level == 1 and not node.module) \
                or (node.level == 2 and node.module == "marks")
            assert allowed, f"{path.name}: {ast.unparse(node)}"
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            assert isinstance(node, ast.FunctionDef), f"{path.name} defines class {node.name}"
            assert node.name.startswith("_"), f"{path.name}: {node.name} is logic, not data"


def test_the_two_read_more_vocabularies_have_their_own_names() -> None:
    assert isinstance(extract_rules.TEASER_LINK_RE, re.Pattern)
    assert isinstance(extract_rules.READ_MORE_START_RE, re.Pattern)
    assert extract_rules.TEASER_LINK_RE.pattern != extract_rules.READ_MORE_START_RE.pattern
