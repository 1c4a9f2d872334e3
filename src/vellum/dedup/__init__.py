"""Recognising the same post in any form: normalisation, fingerprints, verified groups.

``normalize`` reduces any copy (Markdown with or without front matter, an HTML
body or page, raw text with page chrome, ``chrome``) to comparable text and the
metadata it carries; ``signatures`` turns it into a set of word shingles;
``match`` verifies a pair by containment; ``groups`` finds candidates, drops
boilerplate and forms groups by complete linkage (the rule is in its docstring).
``find_groups`` returns the groups of documents that are the same post, each with
the kept copy and every other copy's evidence. Pure: no archive, no printing (a
temporary file holds the shingles of a large run).
"""

from __future__ import annotations

from .groups import DuplicateGroup, Evidence, find_groups, fingerprint_all, group_fingerprints
from .match import REASONS, PairScore, compare
from .normalize import FORMAT_RANK, NormalizedDoc, normalize
from .signatures import ALGORITHM, Fingerprint, fingerprint, signature_key

__all__ = [
    "ALGORITHM",
    "FORMAT_RANK",
    "REASONS",
    "DuplicateGroup",
    "Evidence",
    "Fingerprint",
    "NormalizedDoc",
    "PairScore",
    "compare",
    "find_groups",
    "fingerprint",
    "fingerprint_all",
    "group_fingerprints",
    "normalize",
    "signature_key",
]
