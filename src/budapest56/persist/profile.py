"""The player's profile: what they have ever found, across every playthrough and session.

One JSON file, `profile.json` in the data home, with a section per story:

    {"format": "budapest56-profile", "version": 1,
     "stories": {"budapest56": {"facts_found": [...], "endings": [...], "seconds_played": 312.5,
                                "review": {...}, "settings": {"skip_reviews": false}, "gain": {...}}}}

`review`, `settings` and `gain` belong to the learning layer (learning/schedule.py,
learning/reviews.py, learning/gain.py), which keeps its own shapes inside them; `gain` is
written only once there is something in it.

`load_progress` is the game's: a corrupt profile is moved aside so the player can go on.
`peek_progress` is a teacher's: it reads a copy of someone's profile and never writes or moves it.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import Loc, ProfileError
from .storage import NotSaving, atomic_write_json, corrupt, left_in_place, parse_json, read_json

FORMAT, VERSION = "budapest56-profile", 1
FILE = "profile.json"
WHAT = "the player profile"


@dataclass(frozen=True)
class Progress:
    """One story's part of the profile."""

    story: str
    facts_found: tuple[str, ...] = ()
    endings: tuple[str, ...] = ()
    seconds_played: float = 0.0
    review: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    gain: Mapping[str, Any] = field(default_factory=dict)

    def found(self, facts: tuple[str, ...] | list[str]) -> Progress:
        new = tuple(f for f in facts if f not in self.facts_found)
        return replace(self, facts_found=self.facts_found + new) if new else self

    def ended(self, ending: str) -> Progress:
        return self if ending in self.endings else replace(self, endings=self.endings + (ending,))

    def played(self, seconds: float) -> Progress:
        return replace(self, seconds_played=self.seconds_played + max(0.0, seconds))

    def as_json(self) -> dict[str, Any]:
        data = {"facts_found": list(self.facts_found), "endings": list(self.endings),
                "seconds_played": round(self.seconds_played, 1), "review": dict(self.review),
                "settings": dict(self.settings)}
        return {**data, "gain": dict(self.gain)} if self.gain else data


def load_progress(home: Path, story: str) -> Progress:
    """This story's progress (empty if none yet). A profile that cannot be used is moved aside
    (ProfileError, code corrupt-file); one that cannot be read is left alone (code unreadable-profile)."""
    path = home / FILE
    data = _load(home)
    entry = data["stories"].get(story, {})
    if not isinstance(entry, dict):
        raise corrupt(path, WHAT, f"the entry for story '{story}' is {_kind(entry)}, not an object", ProfileError)
    try:
        return _progress(story, entry)
    except TypeError as e:
        raise corrupt(path, WHAT, f"story '{story}' has a value of the wrong kind ({e})", ProfileError) from None


def peek_progress(path: Path, story: str) -> tuple[Progress | None, tuple[str, ...]]:
    """Read someone's profile file without changing it: (this story's progress or None when it
    has none, the ids of the stories it does have). A file that cannot be used: ProfileError,
    and the file stays exactly where and as it was."""
    def bad(reason: str) -> ProfileError:
        return ProfileError.at(Loc(str(path)), "corrupt-file", f"this profile cannot be used: {reason}",
                               "it was left as it is")

    try:
        # The same checks of size, depth and numbers as the game's own files, nothing moved.
        data = parse_json(path.read_bytes().decode("utf-8"))
    except OSError as e:
        raise bad(f"it cannot be read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise bad("it is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise bad(f"it is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except ValueError as e:  # too deep, a number too long: what parse_json refuses
        raise bad(str(e)) from None
    if not (isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("stories"), dict)):
        raise bad("it is not a budapest56 profile")
    if data.get("version") != VERSION:
        raise bad(f"it has version {data.get('version')!r}; this game reads {VERSION}")
    stories = tuple(sorted(k for k in data["stories"] if isinstance(k, str)))
    entry = data["stories"].get(story)
    if entry is None:
        return None, stories
    try:
        if not isinstance(entry, dict):
            raise TypeError("expected a mapping")
        return _progress(story, entry), stories
    except (TypeError, ValueError) as e:
        raise bad(f"story '{story}' has a value of the wrong kind ({e})") from None


def _progress(story: str, entry: dict[str, Any]) -> Progress:
    """One story's entry, checked for shape: TypeError names what does not fit."""
    seconds = entry.get("seconds_played", 0.0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds < 1e12:
        raise TypeError(f"seconds_played is {_kind(seconds)}")
    return Progress(
        story=story,
        facts_found=tuple(_strings(entry.get("facts_found", []), "facts_found")),
        endings=tuple(_strings(entry.get("endings", []), "endings")),
        seconds_played=float(seconds),
        review=_object(entry.get("review", {}), "review"),
        settings=_object(entry.get("settings", {}), "settings"),
        gain=_object(entry.get("gain", {}), "gain"),
    )


def save_progress(home: Path, progress: Progress) -> None:
    """Write one story's progress atomically, keeping every other story's as it was. A profile
    that cannot be read, or is damaged but could not be moved aside, is never written over:
    NotSaving (an OSError) says why."""
    try:
        data = _load(home)
    except ProfileError as e:
        if e.findings[0].code == "unreadable-profile" or left_in_place(e):
            raise NotSaving(f"{e.findings[0].message} ({e.findings[0].hint})") from None
        data = _empty()  # a corrupt profile was just moved aside: start a clean one
    data["stories"][progress.story] = progress.as_json()
    atomic_write_json(home / FILE, data)


def _load(home: Path) -> dict[str, Any]:
    path = home / FILE
    try:
        if not path.exists():
            return _empty()
        data = read_json(path, WHAT, ProfileError)
    except NotSaving as e:
        raise ProfileError.at(Loc(str(path)), "unreadable-profile", f"{WHAT} cannot be read: {e.strerror or e}",
                            f"check the permissions of {path}") from None
    except OSError as e:  # path.exists() itself failed: an unreadable folder
        raise ProfileError.at(Loc(str(path)), "unreadable-profile", f"{WHAT} cannot be read: {e.strerror or e}",
                            f"check the permissions of {home}") from None
    if not (isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("stories"), dict)):
        raise corrupt(path, WHAT, "it is not a budapest56 profile", ProfileError)
    if data.get("version") != VERSION:
        raise corrupt(path, WHAT, f"it has version {data.get('version')!r}; this game reads {VERSION}", ProfileError)
    return data


def _empty() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "stories": {}}


def _strings(items: object, key: str) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise TypeError(f"{key}: expected a list of ids")
    return items


def _object(value: object, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{key} is {_kind(value)}, not an object")
    return value


def _kind(value: object) -> str:
    """A JSON value's kind in words, never the value itself (it may be huge)."""
    if isinstance(value, bool):
        return "true or false"
    names = {int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), "null")
