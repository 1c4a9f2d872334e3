"""The README tells the truth: set-up commands first, every command shown with an example."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from vellum.cli import app

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_readme_starts_with_the_two_setup_commands() -> None:
    blocks = README.split("```")
    first = [line for line in blocks[1].splitlines()[1:] if line.strip()]
    assert len(first) == 2
    # A venv first: a bare `pip install .` fails on an externally managed system Python.
    assert first[0].startswith("python3 -m venv .venv && . .venv/bin/activate && pip install .")
    assert "vellum add" in first[0]
    assert first[1].startswith("pip install")
    assert "pytest" in first[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert first[1].split("&&", 1)[1].strip() in ci


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"vellum {command}" in README
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
