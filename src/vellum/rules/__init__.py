"""RULES: the data that decides what a page's parts are, in one place.

Selectors, class patterns, regular expressions and phrase lists that say what is
chrome, content, a platform's markup or a phrase live here, one module per stage
that uses them (``rules.extract``, ``rules.convert``, ...). The stage modules hold
the logic; a test forbids ``re.compile`` in them, so a rule cannot hide in code.
This package is data only: it imports nothing from the rest of vellum.
"""
