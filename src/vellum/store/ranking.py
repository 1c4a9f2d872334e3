"""bm25 for a query that is one phrase, in one pass over its matches (apsw only).

FTS5's ``bm25`` first counts the posts holding each phrase of the query, for its IDF,
by matching the phrase a second time over the whole table; for a phrase of common
words that pass costs as much as the match itself (~25 ms of the ~65 ms a two-word
phrase in 19,000 of the bench's 20,000 posts took). When the query is that phrase
alone, the count is the number of rows the query matches: this scores each row in
the one pass (weighted frequency and length), counts the rows, and applies the IDF
after. Python may define an FTS5 function only through apsw; without it, or for any
other query, ``search`` ranks with ``bm25`` itself.

The arithmetic is FTS5's (``fts5Bm25Function`` in fts5_aux.c), operation for
operation, so the scores are the same floats: tests/test_search_reader.py compares
both rankers on every row. A post's length comes from ``docs.tokens``, FTS5's own
count kept beside the row at each write, since asking FTS5 for it row by row costs
a lookup per match.

Measured and left out: the two halves of the rowids ranked at once on two connections
in two threads (more wall time than one pass and twice its CPU), the length read from
a list of all lengths fetched first (as dear as the join), and the arithmetic done in
SQL (the statement must then wrap the function in a subquery, which costs as much).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

K1 = 1.2
B = 0.75
K1_PLUS_1 = K1 + 1.0  # as bm25 computes them: the same doubles
ONE_MINUS_B = 1 - B
IDF_FLOOR = 1e-6
"""FTS5 clamps the IDF of a phrase found in half the rows or more to this."""
FUNCTION = "vellum_phrase_term"


def phrase_term(weights: Sequence[float]) -> tuple[Callable[..., float],
                                                 Callable[[], tuple[int, int]]]:
    """The FTS5 function, a row's bm25 term for the query's one phrase before the IDF,
    and a reader of what it saw: (rows matched, rows in the table).

    Called once per match (SQLite evaluates it once per row of ``rank_phrase``'s
    statement; the bm25 comparison in the tests would see a row counted twice), so kept
    to the least work: a closure over locals, which costs less per call than a method
    reading attributes (-2 to -3 ms of the ~48 a phrase in 19,000 posts took).
    """
    weights = tuple(weights)
    k1, k1_plus_1, one_minus_b, b = K1, K1_PLUS_1, ONE_MINUS_B, B
    rows = total = 0
    avgdl = 0.0

    def term(api: Any, tokens: int) -> float:
        nonlocal rows, total, avgdl
        if not rows:
            total = api.row_count
            avgdl = api.column_total_size(-1) / total
        rows += 1
        columns = api.phrase_columns(0)
        if len(columns) == 1:
            # Whole weights (see usable), so n additions of w are exactly n * w.
            freq = weights[columns[0]] * api.inst_count
        else:
            freq = 0.0
            for column in columns:
                freq += weights[column] * len(api.phrase_column_offsets(0, column))
        if tokens < 0:  # a row written before docs.tokens
            tokens = api.column_size(-1)
        return (freq * k1_plus_1) / (freq + k1 * (one_minus_b + b * tokens / avgdl))

    def seen() -> tuple[int, int]:
        return rows, total

    return term, seen


def usable(db: Any, match: str, weights: Sequence[float]) -> bool:
    """True for a query that is one phrase of several words, read through apsw."""
    if not hasattr(db, "register_fts5_function"):  # the stdlib sqlite3 connection
        return False
    if not (len(match) > 2 and match[0] == match[-1] == '"'):
        return False
    inner = match[1:-1]
    # Whole weights: bm25 adds a column's weight once per instance, which only then
    # equals the multiplication above.
    return ('"' not in inner.replace('""', "") and len(inner.split()) > 1
            and all(float(w).is_integer() for w in weights))


def rank_phrase(db: Any, match: str, limit: int,
                weights: Sequence[float]) -> list[tuple[int, float]] | None:
    """The best ``limit`` (rowid, bm25 score) of the lone phrase ``match``, best first
    and rowid first among equal scores, as ``bm25`` ranks them; None when a score tie
    at the cut leaves that in doubt (the caller asks ``bm25``)."""
    term, seen = phrase_term(weights)
    db.register_fts5_function(FUNCTION, term)
    rows = db.execute(
        f"SELECT docs_fts.rowid, {FUNCTION}(docs_fts, ifnull(d.tokens, -1)) AS term "
        "FROM docs_fts "
        "LEFT JOIN docs d ON d.id = docs_fts.rowid WHERE docs_fts MATCH ? "
        "ORDER BY term DESC, docs_fts.rowid LIMIT ?", (match, limit + 1)).fetchall()
    if not rows:
        return []
    matched, total = seen()
    idf = math.log((total - matched + 0.5) / (matched + 0.5))
    if idf <= 0.0:
        idf = IDF_FLOOR
    scored = sorted((-1.0 * (0.0 + idf * value), rowid) for rowid, value in rows)
    if len(rows) > limit:
        # A row not read has a term no larger than the last row read, so a score no
        # smaller: the cut is sure only if that score is above the last one kept.
        last = -1.0 * (0.0 + idf * rows[-1][1])
        if last <= scored[limit - 1][0]:
            return None
    return [(rowid, score) for score, rowid in scored[:limit]]
