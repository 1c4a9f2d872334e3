"""robots.txt as RFC 9309 reads it: groups per user agent, longest match wins, ``*`` and ``$``.

The standard library's ``urllib.robotparser`` predates the RFC: it takes the first
matching rule instead of the longest and ignores wildcards, which real files
(``Disallow: /*?replytocom=``) depend on.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from ..rules.fetch import PERCENT, USER_AGENT_TOKEN

# Servers must answer at least this much; the RFC lets crawlers ignore the rest.
MAX_ROBOTS_BYTES = 500 * 1024
RULE_KEYS = ("allow", "disallow")
UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
# Common misspellings of "disallow" that Google also accepts.
DISALLOW_ALIASES = ("dissallow", "dissalow", "disalow", "diasllow", "disallaw")


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str

    def matches(self, path: str) -> bool:
        return _regex(self.pattern).match(path) is not None


@dataclass(frozen=True)
class Robots:
    """The rules of one host's robots.txt that apply to our user agent."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        path = _normalise(parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path == "/robots.txt":
            return True
        best: Rule | None = None
        for rule in self.rules:
            if not rule.matches(path):
                continue
            # Longest pattern wins; on a tie the least restrictive (allow) rule wins.
            if best is None or (len(rule.pattern), rule.allow) > (len(best.pattern), best.allow):
                best = rule
        return best is None or best.allow


ALLOW_ALL = Robots()
DISALLOW_ALL = Robots((Rule(False, "/"),))


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: ``vellum`` of ``vellum/1.0 (...)``."""
    token = USER_AGENT_TOKEN.match(user_agent.strip())
    return token.group(0).lower() if token else user_agent.lower()


def parse_robots(text: str, user_agent: str) -> Robots:
    """The rules for ``user_agent``: its own groups if any name it, else the ``*`` groups."""
    groups = _groups(text[:MAX_ROBOTS_BYTES])
    token = product_token(user_agent)
    mine = [g for agents, g in groups if token in agents]
    chosen = mine or [g for agents, g in groups if "*" in agents]
    rules: list[Rule] = []
    delay: float | None = None
    for lines in chosen:
        for key, value in lines:
            if key in RULE_KEYS and value:
                rules.append(Rule(key == "allow", _normalise(value)))
            elif key == "crawl-delay" and delay is None:
                delay = _seconds(value)
    return Robots(tuple(rules), delay)


def _groups(text: str) -> list[tuple[set[str], list[tuple[str, str]]]]:
    """(user agents, [(key, value)...]) per group, in file order."""
    groups: list[tuple[set[str], list[tuple[str, str]]]] = []
    in_agents = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = "disallow" if key.lower() in DISALLOW_ALIASES else key.lower().replace("_", "-")
        if key == "user-agent":
            if not in_agents:
                groups.append((set(), []))
            groups[-1][0].add(product_token(value) if value != "*" else "*")
            in_agents = True
        elif groups:
            in_agents = False
            groups[-1][1].append((key, value))
    return groups


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _normalise(path: str) -> str:
    """Decode percent-escapes of unreserved characters so ``/%7Efoo`` matches ``/~foo``."""
    return PERCENT.sub(_unescape, path)


def _unescape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in UNRESERVED else match.group(0).upper()


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern[str]:
    anchored = pattern.endswith("$")
    body = ".*".join(re.escape(part) for part in pattern.rstrip("$").split("*"))
    return re.compile(body + ("$" if anchored else ""))
