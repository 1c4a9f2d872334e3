"""Final whitespace hygiene on the Markdown text, leaving fenced code untouched."""

from __future__ import annotations

import re

from ..rules.convert import (
    BLANK_RE,
    CODE_SPAN_RE,
    FENCE_RE,
    RULE,
    SENTINELS_RE,
    SPACE_RUN_RE,
    TRAILING_BACKSLASHES_RE,
)


def _code_lines(lines: list[str]) -> list[bool]:
    """Which lines belong to fenced code blocks (the fences included)."""
    flags = []
    opened: str | None = None
    for line in lines:
        match = FENCE_RE.match(line)
        if opened is None:
            if match:
                opened = match.group(2)
            flags.append(opened is not None)
            continue
        flags.append(True)
        if match is not None and _closes(match, opened, line):
            opened = None
    return flags


def _closes(match: re.Match[str], opened: str, line: str) -> bool:
    marks = match.group(2)
    return marks[0] == opened[0] and len(marks) >= len(opened) and not line[match.end():].strip()


def _squeeze_spaces(line: str) -> str:
    """Single spaces between words, except inside code spans."""
    if "  " not in line:
        return line  # most lines: no run to squeeze, so no code span to look for
    parts, last = [], 0
    for span in CODE_SPAN_RE.finditer(line):
        parts.append(SPACE_RUN_RE.sub(" ", line[last:span.start()]))
        parts.append(span.group())
        last = span.end()
    parts.append(SPACE_RUN_RE.sub(" ", line[last:]))
    return "".join(parts)


def _ends_in_hard_break(line: str) -> bool:
    if not line.endswith("\\"):
        return False
    match = TRAILING_BACKSLASHES_RE.search(line)
    return match is not None and len(match.group()) % 2 == 1


def _drop_stray_rules(lines: list[str], code: list[bool]) -> tuple[list[str], list[bool]]:
    """Thematic breaks that separate nothing go: at the start, at the end, repeated."""
    keep = [True] * len(lines)
    previous = None  # the last kept non-blank line
    for i, line in enumerate(lines):
        if code[i] or not BLANK_RE.match(line):
            if not code[i] and line == RULE and previous in (None, RULE):
                keep[i] = False
            else:
                previous = line if not code[i] else ""
    for i in range(len(lines) - 1, -1, -1):
        if code[i] or (keep[i] and not BLANK_RE.match(lines[i]) and lines[i] != RULE):
            break
        if lines[i] == RULE:
            keep[i] = False
    return ([line for line, k in zip(lines, keep, strict=True) if k],
            [c for c, k in zip(code, keep, strict=True) if k])


def tidy(markdown: str) -> str:
    """No trailing spaces, no runs of blank lines, no hard break ending a paragraph,
    no thematic break separating nothing."""
    # The table sentinels cannot survive a well-formed table; never let them out.
    markdown = SENTINELS_RE.sub("", markdown)
    lines = [line.rstrip() for line in markdown.split("\n")]
    lines, code = _drop_stray_rules(lines, _code_lines(lines))
    out: list[str] = []
    out_code: list[bool] = []
    for line, is_code in zip(lines, code, strict=True):
        if not is_code:
            line = _squeeze_spaces(line)
            if BLANK_RE.match(line) and out and not out_code[-1] and out[-1] == line:
                continue
        out.append(line)
        out_code.append(is_code)
    for i, line in enumerate(out):
        if out_code[i] or not _ends_in_hard_break(line):
            continue
        following = out[i + 1] if i + 1 < len(out) else ""
        if BLANK_RE.match(following) or (i + 1 < len(out) and out_code[i + 1]):
            out[i] = line[:-1].rstrip()
    text = "\n".join(out).strip("\n")
    return f"{text}\n" if text else ""
