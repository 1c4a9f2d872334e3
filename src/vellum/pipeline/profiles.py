"""Front-matter profiles of an archive: the built-ins plus ``profiles:`` in its ``vellum.yml``.

A profile name reaches the pipeline from a flag, a followed source or an archived
entry; ``resolve`` turns it into the ``Profile`` the converter uses (picklable,
so it can travel to convert worker processes).
"""

from __future__ import annotations

from pathlib import Path

from ..convert import PROFILES, Profile
from ..convert.profiles import parse_profiles
from ..errors import InputError
from ..store.config import read_settings, sources_path

PROFILES_KEY = "profiles"


def load_profiles(root: Path) -> dict[str, Profile]:
    """Every profile the archive at ``root`` knows: built-ins, then its own (which may
    redefine a built-in)."""
    specs = read_settings(root).get(PROFILES_KEY)
    if specs is None:
        return dict(PROFILES)
    return {**PROFILES, **parse_profiles(specs, str(sources_path(root)))}


def resolve(root: Path, profile: str | Profile) -> Profile:
    """The profile named ``profile`` in the archive at ``root``; ``InputError`` if unknown."""
    if isinstance(profile, Profile):
        return profile
    known = load_profiles(root)
    if profile not in known:
        raise InputError(profile, f"unknown profile (choose from {', '.join(known)})")
    return known[profile]


def profile_names(root: Path) -> tuple[str, ...]:
    return tuple(load_profiles(root))
