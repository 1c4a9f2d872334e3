#!/usr/bin/env python3
"""Print a pip constraints file pinning every runtime dependency to its declared minimum.

CI installs the project under these constraints into a second venv and runs the tests
again, so a lower bound in pyproject.toml is only ever one that was seen to work.
Usage: python .ci/min_constraints.py [pyproject.toml] > constraints.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: pip carries a copy of the same parser
    from pip._vendor import tomli as tomllib  # type: ignore[no-redef]

# "httpx[brotli,http2]>=0.27,<1" -> name "httpx", lower bound "0.27"
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
LOWER = re.compile(r">=\s*([0-9][^,;\s]*)")


def pins(requirements: list[str]) -> list[str]:
    found = []
    for requirement in requirements:
        # A marker is kept: one package may have a higher minimum on newer Pythons.
        spec, semicolon, marker = requirement.partition(";")
        name, lower = NAME.match(spec), LOWER.search(spec)
        if name is None or lower is None:
            raise SystemExit(f"min_constraints: no lower bound in {requirement!r}")
        found.append(f"{name.group(1)}=={lower.group(1)}{semicolon}{marker}")
    return found


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    sys.stdout.write("\n".join(pins(project["dependencies"])) + "\n")


if __name__ == "__main__":
    main()
