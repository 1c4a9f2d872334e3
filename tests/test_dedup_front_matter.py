"""The key-only front-matter reader gives what the YAML parse gives for the keys dedup
reads, takes the YAML parse whenever it is unsure, and a broken block stays broken."""

from __future__ import annotations

import random
from typing import Any

import pytest

from vellum import frontmatter
from vellum.dedup import front_matter
from vellum.dedup.front_matter import COPY_KEYS, DATE_KEYS, EDIT_KEYS, TITLE_KEYS, URL_KEYS
from vellum.dedup.normalize import _first, normalize


def _view(data: dict[str, Any] | None, body: str) -> tuple[object, ...]:
    """What ``normalize`` reads of a split: the key groups' first values, the copy mark."""
    if data is None:
        return (None, body)
    return (tuple(_first(data, keys) for keys in (TITLE_KEYS, URL_KEYS, DATE_KEYS, EDIT_KEYS)),
            any(k in data for k in COPY_KEYS), body)


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("the YAML parse was used")

    monkeypatch.setattr(front_matter.frontmatter, "split", refuse)


def test_common_blocks_are_read_without_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_yaml(monkeypatch)
    mkdocs = ("---\ntitle: \"Taming Autovacuum\"\ndate:\n  created: 2024-03-01\n"
              "  updated: 2024-04-02\nauthors:\n  - someone\ntags:\n- postgres\n- ops\n---\n\n"
              "Body.\n")
    data, body = front_matter.read(mkdocs)
    assert data == {"title": "Taming Autovacuum",
                    "date": {"created": "2024-03-01", "updated": "2024-04-02"}}
    assert body == "Body.\n"
    aggregator = ("---\nauthor: Jane Doe\nbio: Jane writes about queues and\n  the tables"
                  " behind them, C# and F# too\ncategories: [databases, ops-notes]\n"
                  "blog_subtitle: \"News \\U0001F469 and \\u00e9vents\"\n"
                  "date: '2015-03-01 09:30:00'\nlayout: post\n"
                  "original_url: https://blog.example.org/2015/taming/?utm_source=rss\n"
                  "title: 'It''s a queue'\n---\n<p>Text</p>\n")
    data, body = front_matter.read(aggregator)
    assert data == {"date": "2015-03-01 09:30:00", "title": "It's a queue",
                    "original_url": "https://blog.example.org/2015/taming/?utm_source=rss"}
    assert body == "<p>Text</p>\n"


@pytest.mark.parametrize("block", [
    '"title": A Quoted Key\nurl: https://e.org/a',  # quoted key
    "title: A long title\n  folded over two lines",  # multi-line value of a key read
    "title: >\n  Folded block\n  scalar",  # block scalar
    "date: 2015-50-01\ncreated: 2015-50-01 00:00:00",  # dates that are not dates
    "date: 2015-03-01T09:30:00Z\ntitle: yes",  # a timestamp, a boolean
    "title: [unclosed\n  : : nonsense",  # broken YAML
    "title: A\ntitle: B",  # a repeated key
    "title: a # comment\n# a comment line",
    "title: &anchor A\nname: *anchor",
    "title: \"Escaped \\u00e9\"",  # an escape in a value that is read
    "title:\tTabbed",
])
def test_tricky_blocks_read_as_yaml_reads_them(block: str) -> None:
    text = f"---\n{block}\n---\n\nThe body of the post.\n"
    assert _view(*front_matter.read(text)) == _view(*frontmatter.split(text))


def test_a_date_that_is_not_a_date_stays_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "---\ntitle: A bad date\ndate: 2015-50-01\n---\n\nBody.\n"
    assert _view(*front_matter.read(text)) == _view(*frontmatter.split(text))
    _no_yaml(monkeypatch)
    assert front_matter.read(text)[0] == {"title": "A bad date", "date": "2015-50-01"}
    assert normalize(text).date == "2015-50-01"


def test_broken_yaml_is_still_no_front_matter() -> None:
    text = "---\ntitle: [unclosed\n  : : nonsense\n---\n\nBody words here.\n"
    assert front_matter.read(text) == (None, text)
    assert normalize(text).format != "markdown-front-matter"


def test_unclosed_or_absent_blocks() -> None:
    for text in ("---\ntitle: never closed\n", "----\ntitle: x\n---\n", "no front matter\n",
                 "---"):
        assert front_matter.read(text) == frontmatter.split(text)[0:1] + (text,)


KEYS = ["title", "date", "url", "updated", "name", "created", "ingested_from", "authors",
        "tags", "Title", "'title'", '"url"', "on", "null", "date ", "- a"]
VALUES = ["", "Hello", "Hello, World", "'q'", '"dq"', '"a\\"b"', "'it''s'", "2015-03-01",
          "2015-50-01", "2015-3-1", "2015-03-01 09:30:00", "'2015-50-01 00:00:00'", "yes",
          "~", "null", "123", "1.5", "0x1F", "a: b", "a #c", "C#", "[a, b]", "[a, , b]",
          "{a: 1}", "&x a", "*x", "|", "-x", "a:", "x\u00a0", "café", "\u2028", "\x07",
          '"\\U0001F469 x"', '"\\q"', "https://e.org/a?b=1#c", "1:20", ".5"]
NESTED = ["  - someone", "  created: 2024-01-01", "  updated: yes", "    deeper: x",
          "  - a: b", " odd", "  created:", "- top", "# comment", "", "  continued text",
          "  more: text", "  #x", "  a #b", "  - listy"]


def test_random_blocks_read_as_yaml_reads_them() -> None:
    rng = random.Random(12)
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.7:
                value = rng.choice(VALUES)
                lines.append(f"{rng.choice(KEYS)}:{' ' + value if value else ''}")
            else:
                lines.append(rng.choice(NESTED) if roll < 0.9 else rng.choice(VALUES))
        close = rng.choice(["---", "...", "--- ", "----"])
        text = "---\n" + "\n".join(lines) + f"\n{close}\n" + rng.choice(["", "\nBody\n"])
        assert _view(*front_matter.read(text)) == _view(*frontmatter.split(text)), text
