"""What a `vellum` command loads: those that need no stage (`--help`, `search`, `list`)
import neither the parsers nor the HTTP client, which cost about a second of CPU.

Each check runs in a new interpreter, since this one has loaded everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from vellum import frontmatter
from vellum.models import Entry
from vellum.store import Store

SRC = Path(__file__).resolve().parent.parent / "src"
# The third-party libraries of the stages, and the stages themselves.
HEAVY = ("bs4", "lxml", "html5lib", "soupsieve", "markdownify", "ftfy", "dateparser", "numpy",
         "httpx", "httpcore", "charset_normalizer", "vellum.fetch", "vellum.extract",
         "vellum.convert", "vellum.dedup", "vellum.feeds", "vellum.pipeline")

CHILD = textwrap.dedent("""
    import json, sys
    HEAVY = {heavy!r}
    def loaded():
        return sorted(m for m in HEAVY if m in sys.modules)
    import vellum.cli.app
    report = {{"import vellum.cli.app": {{"loaded": loaded()}}}}
    from typer.testing import CliRunner
    from vellum.cli import app
    for args in {runs!r}:
        result = CliRunner().invoke(app, args)
        report[" ".join(args)] = {{"loaded": loaded(), "exit": result.exit_code,
                                  "stdout": result.stdout}}
    print(json.dumps(report))
""")


def in_new_process(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def small_archive(root: Path) -> None:
    with Store(root) as store:
        for n, (title, word) in enumerate((("Static sites", "hugo"), ("Gardening", "leeks"))):
            text = frontmatter.join({"title": title, "date": f"2024-05-0{n + 1}"},
                                    f"A post about {word} and other things.\n")
            store.save(Entry(path=f"blog.example/post-{n}.md", url=f"https://blog.example/{n}/",
                             title=title, date=f"2024-05-0{n + 1}"), text)


def test_help_search_and_list_load_no_stage(tmp_path: Path) -> None:
    small_archive(tmp_path / "archive")
    archive = str(tmp_path / "archive")
    runs = [["--help"], ["search", "--help"], ["add", "--help"], ["search", "hugo", "-a", archive],
            ["list", "-a", archive], ["list", "--json", "-a", archive]]
    report = json.loads(in_new_process(CHILD.format(heavy=HEAVY, runs=runs)))
    for what, seen in report.items():
        assert seen["loaded"] == [], f"{what} loaded {seen['loaded']}"
        assert seen.get("exit", 0) == 0, f"{what}: {seen}"
    assert "post-0.md" in report[f"search hugo -a {archive}"]["stdout"]
    assert report[f"list -a {archive}"]["stdout"].count(".md") == 2
    assert "--max-image-bytes" in report["add --help"]["stdout"]


def test_the_library_loads_a_stage_when_its_name_is_used() -> None:
    code = textwrap.dedent(f"""
        import sys
        import vellum
        before = sorted(m for m in {HEAVY!r} if m in sys.modules)
        from vellum import extract_article, fetch_page
        from vellum.extract import extract
        from vellum.fetch import fetch
        assert extract_article is extract and fetch_page is fetch
        print(before, "bs4" in sys.modules, "httpx" in sys.modules)
    """)
    assert in_new_process(code).split() == ["[]", "True", "True"]


def test_the_function_add_keeps_its_name_over_its_module() -> None:
    # Importing vellum/commands/add.py binds the module on its package; the re-exported
    # function must stay what `from vellum.commands import add` gives.
    code = textwrap.dedent("""
        import vellum.commands.add
        from vellum.commands import add, convert_url, rebuild
        import vellum
        print(callable(add), add.__module__, vellum.add is add, rebuild.__module__)
    """)
    assert in_new_process(code).split() == ["True", "vellum.commands.add", "True",
                                            "vellum.commands.maintain"]
