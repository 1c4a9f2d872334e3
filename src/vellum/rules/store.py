"""Rules of the store stage: which file and folder names the archive writes and reads."""

from __future__ import annotations

import re

# store/history.py
STAMP_NAME = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?\.md$")


# store/assets.py
SAFE_NAME = re.compile(r"[^a-z0-9]+")


# store/files.py
SAFE_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9.-]*$")

# ``atomic_write``'s temporary names: "." + file name + "." + mkstemp's 8 random characters.
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


# store/search.py
QUERY_TOKEN = re.compile(r'"[^"]*"?|\S+')
