"""GFM pipe tables for data tables (layout and code tables were unwrapped earlier).

markdownify converts children before parents, so each cell and row is handed up
wrapped in control-character sentinels that ``render_table`` parses back; the
text pass removed control characters from the page, so they cannot collide.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import Tag

from ..rules.convert import (
    ALIGN_RE,
    CAPTION_CLOSE,
    CAPTION_OPEN,
    CAPTION_RE,
    CELL_CLOSE,
    CELL_HARD_BREAK_RE,
    CELL_OPEN,
    CELL_RE,
    CELL_SEP,
    DELIMITER_ROWS,
    ROW_MARK,
    ROW_RE,
    SPACE_RUN_RE_ANY,
    SPAN_MAX,
)


@dataclass
class Cell:
    text: str
    header: bool
    colspan: int = 1
    rowspan: int = 1
    align: str = ""


def _span(el: Tag, attr: str) -> int:
    value = str(el.get(attr, "1")).strip()
    return max(1, min(SPAN_MAX, int(value))) if value.isdigit() else 1


def _align(el: Tag) -> str:
    align = str(el.get("align", "")).lower()
    style = ALIGN_RE.search(str(el.get("style", "")))
    if style:
        align = style.group(1).lower()
    return align if align in DELIMITER_ROWS else ""


def wrap_cell(el: Tag, text: str) -> str:
    meta = f"{el.name}:{_span(el, 'colspan')}:{_span(el, 'rowspan')}:{_align(el)}"
    return f"{CELL_OPEN}{meta}{CELL_SEP}{text}{CELL_CLOSE}"


def wrap_row(el: Tag, text: str) -> str:
    kind = "h" if isinstance(el.parent, Tag) and el.parent.name == "thead" else "b"
    return f"{ROW_MARK}{kind}{ROW_MARK}{text}{ROW_MARK}/"


def wrap_caption(text: str) -> str:
    return f"{CAPTION_OPEN}{text}{CAPTION_CLOSE}"


def _cell_text(text: str) -> str:
    text = CELL_HARD_BREAK_RE.sub(" ", text)  # hard breaks: a cell is one line
    return SPACE_RUN_RE_ANY.sub(" ", text).strip()


def _parse(text: str) -> list[tuple[bool, list[Cell]]]:
    rows = []
    for kind, body in ROW_RE.findall(text):
        cells = []
        for meta, cell_text in CELL_RE.findall(body):
            name, colspan, rowspan, align = meta.split(":")
            cells.append(Cell(_cell_text(cell_text), name == "th", int(colspan),
                              int(rowspan), align))
        if cells:
            rows.append((kind == "h", cells))
    return rows


def _grid(rows: list[list[Cell]]) -> list[list[Cell | None]]:
    """Place cells on a grid: spans leave empty cells (None) to the right and below."""
    grid: list[list[Cell | None]] = []
    taken: dict[tuple[int, int], bool] = {}
    for r, cells in enumerate(rows):
        line: list[Cell | None] = []
        col = 0
        for cell in cells:
            while taken.get((r, col)):
                line.append(None)
                col += 1
            line.append(cell)
            line.extend([None] * (cell.colspan - 1))
            for dr in range(1, cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, col + dc)] = True
            col += cell.colspan
        while taken.get((r, col)):
            line.append(None)
            col += 1
        grid.append(line)
    return grid


def _line(cells: list[Cell | None], width: int) -> str:
    texts = [(c.text if c is not None else "") for c in cells]
    texts += [""] * (width - len(texts))
    return "|" + "|".join(f" {t} " if t else " " for t in texts) + "|"


def render_table(text: str) -> str:
    """The pipe table for a converted <table>'s sentinel-wrapped rows."""
    parsed = _parse(text)
    if not parsed:
        return ""
    head_index = next((i for i, (in_thead, _) in enumerate(parsed) if in_thead), None)
    if head_index is None:
        head_index = 0  # the first row is the header, <th> or not: GFM needs one
    rows = [parsed[head_index][1]] + [cells for i, (_, cells) in enumerate(parsed)
                                      if i != head_index]
    grid = _grid(rows)
    width = max(len(line) for line in grid)
    aligns = [(c.align if c is not None else "") for c in grid[0]] + [""] * width
    lines = [_line(grid[0], width),
             "| " + " | ".join(DELIMITER_ROWS[a] for a in aligns[:width]) + " |"]
    lines += [_line(line, width) for line in grid[1:]]
    caption = CAPTION_RE.search(text)
    caption_text = _cell_text(caption.group(1)) if caption else ""
    table = "\n".join(line.rstrip() for line in lines)
    if caption_text:
        table = f"_{caption_text}_\n\n{table}"
    return f"\n\n{table}\n\n"
