"""convert's quick ways out give what the long way gives, on every kind of string."""

from __future__ import annotations

import importlib
import random

import pytest

from vellum.convert.text import clean, html5_entities, squash

prepare_module = importlib.import_module("vellum.convert.prepare")

# Whitespace of every kind, entities, invisible and control characters, ordinary text.
ALPHABET = (" \t\n\r\f\v\u00a0\u2007\u202f\u00ad\u200b\u2060\ufeff\u180e\x00\x1c\x1f\x7f\x85"
            "&;amp percnt lpar #39 abc XYZ é中🚀 *_`[]<>|{}\\")


def _strings(seed: int, count: int = 400) -> list[str]:
    rng = random.Random(seed)
    pools = [ALPHABET, " \t\n\r", " \t\n\r\f\u00a0", "abc def", "&percnt;&amp; &lpar;"]
    return ["".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 12)))
            for _ in range(count)]


@pytest.mark.parametrize("seed", range(5))
def test_text_hygiene_shortcuts_match_the_three_steps(seed: int) -> None:
    for text in _strings(seed) + ["", " ", "\n", "\n  \n", " \f ", "\u00a0", "a  b", "a b"]:
        assert prepare_module._hygienic(text) == squash(clean(html5_entities(text))), repr(text)


cleanup = importlib.import_module("vellum.convert.cleanup")


def _squeezed_the_long_way(line: str) -> str:
    parts, last = [], 0
    for span in cleanup.CODE_SPAN_RE.finditer(line):
        parts.append(cleanup.SPACE_RUN_RE.sub(" ", line[last:span.start()]))
        parts.append(span.group())
        last = span.end()
    parts.append(cleanup.SPACE_RUN_RE.sub(" ", line[last:]))
    return "".join(parts)


@pytest.mark.parametrize("seed", range(5))
def test_space_squeezing_shortcut_matches_the_code_span_walk(seed: int) -> None:
    rng = random.Random(seed)
    lines = ["".join(rng.choice("a b  `x`\\\t") for _ in range(rng.randint(0, 20)))
             for _ in range(400)]
    for line in lines + ["a  `b  c`  d", "`  `", "    indented", "x\\", "x\\\\"]:
        assert cleanup._squeeze_spaces(line) == _squeezed_the_long_way(line), repr(line)
        match = cleanup.TRAILING_BACKSLASHES_RE.search(line)
        long_way = match is not None and len(match.group()) % 2 == 1
        assert cleanup._ends_in_hard_break(line) == long_way, repr(line)
