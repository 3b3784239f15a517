"""Saved games: one versioned JSON file per save, in `<data home>/saves/<story id>/<name>.json`.

    {"format": "budapest56-save", "version": 1, "story": "budapest56", "story_version": 1,
     "name": "autosave", "saved_at": "2026-11-27T01:02:03", "state": {...}, "history": [{...}, ...]}

`state` and every entry of `history` (the undo stack, oldest first) are engine.to_json values,
so a save names nodes, flags and facts rather than positions. Writes go through
storage.atomic_write_json. A save that cannot be used (corrupt, truncated, another story's, or
naming a node this version of the story no longer has) is moved aside and refused with a
SaveError saying why; it is never deleted.
"""
from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import engine
from ..engine import State
from ..errors import BadSaveName, DamagedSave, Loc, NoSuchSave, PlayError, SaveError
from ..story.model import Story
from .storage import NotSaving, atomic_write_json, corrupt, peek_json, read_json

FORMAT, VERSION = "budapest56-save", 1
AUTOSAVE = "autosave"
PREVIOUS = "previous"  # where a new game keeps the old game's autosave
UNDO_LIMIT = 200  # steps kept for undo; older ones are dropped so a save stays small
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
_NAME = re.compile(r"^[^\W][\w-]{0,39}$")  # letters (any script), digits, _ and -; no paths


@dataclass(frozen=True, slots=True)
class Saved:
    name: str
    saved_at: str
    state: State
    history: tuple[State, ...]  # undo stack, oldest first


@dataclass(frozen=True, slots=True)
class Listing:
    """One line of the `saves` list; `problem` is set when the file could not be read."""

    name: str
    saved_at: str = ""
    node: str = ""
    problem: str = ""


def check_name(name: str) -> str:
    """The name itself, or BadSaveName explaining what a save name may hold."""
    if not _NAME.match(name):
        raise BadSaveName.at(Loc(name), "bad-save-name", f"'{name}' cannot be a save name",
                            "use up to 40 letters, digits, '-' or '_', starting with a letter or digit")
    return name


@dataclass(frozen=True, slots=True)
class SaveFolder:
    """The saves of one story in one data home. `writable` is False when the data folder
    cannot be written (storage.check_writable said why): then nothing is written or renamed,
    and write() and rename() raise NotSaving at once."""

    home: Path
    story: Story
    writable: bool = True

    @property
    def folder(self) -> Path:
        return self.home / "saves" / self.story.id

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}.json"

    def exists(self, name: str) -> bool:
        try:
            return self.path(name).is_file()
        except OSError:  # an unreadable folder: nothing there that could be continued
            return False

    def rename(self, name: str, new_name: str) -> None:
        """Keep a save under another name (a new game keeps the old autosave as 'previous');
        NotSaving when the folder is read-only."""
        try:
            if not self.writable:
                raise NotSaving(errno.EROFS, "the data folder cannot be written", str(self.folder))
            os.replace(self.path(name), self.path(new_name))
        except OSError as e:
            raise NotSaving(e.errno, f"could not rename the save '{name}': {e.strerror or e}") from None

    def write(self, name: str, state: State, history: Sequence[State]) -> Path:
        path = self.path(name)
        if not self.writable:
            raise NotSaving(errno.EROFS, "the data folder cannot be written", str(self.folder))
        atomic_write_json(path, {
            "format": FORMAT, "version": VERSION,
            "story": self.story.id, "story_version": self.story.version,
            "name": name, "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "state": engine.to_json(self.story, state),
            "history": [engine.to_json(self.story, s) for s in history[-UNDO_LIMIT:]],
        })
        return path

    def read(self, name: str) -> Saved:
        path = self.path(name)
        if not self.exists(name):
            raise NoSuchSave.at(Loc(str(path)), "no-such-save", f"there is no save called '{name}'",
                                "type 'saves' to list them")
        what = f"the save '{name}'"
        try:
            data = read_json(path, what, DamagedSave)
        except OSError as e:  # unreadable rather than damaged (permissions): leave it where it is
            raise SaveError.at(Loc(str(path)), "unreadable-save", f"{what} cannot be read: {e.strerror or e}",
                                f"check the permissions of {path}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise corrupt(path, what, "it is not a budapest56 save", DamagedSave)
        if data.get("version") != VERSION:
            raise corrupt(path, what, f"it has format version {_clip(data.get('version'))}; this game reads {VERSION}",
                          SaveError)
        if data.get("story") != self.story.id:
            raise corrupt(path, what, f"it belongs to another story ({_clip(data.get('story'))}, "
                                      f"not '{self.story.id}')", SaveError)
        try:
            state = engine.from_json(self.story, data.get("state"))
            history = data.get("history", [])
            if not isinstance(history, list):
                raise PlayError.at(Loc(str(path)), "bad-state", "its undo history is not a list")
            if len(history) > UNDO_LIMIT:
                raise PlayError.at(Loc(str(path)), "bad-state",
                                   f"its undo history has {len(history):,} steps; the game keeps {UNDO_LIMIT}")
            past = tuple(engine.from_json(self.story, s) for s in history)
        except PlayError as e:
            # Most often the story changed under the save: a node renamed or removed.
            reason = e.findings[0].message
            version = data.get("story_version")
            if version != self.story.version:
                reason += (f" (it was made with version {_clip(version)} of the story; "
                           f"this is version {self.story.version})")
            raise corrupt(path, what, reason, SaveError) from None
        return Saved(name, _time(data.get("saved_at")), state, past)

    def list(self) -> list[Listing]:
        """Every save, newest first. Unreadable ones are listed with their problem, not moved."""
        out = []
        try:
            paths = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        except OSError:
            paths = []  # an unreadable folder lists nothing
        for path in paths:
            if not _NAME.match(path.stem):
                continue  # not a save this game wrote (and its name could hold escape codes)
            data = peek_json(path)
            state = data.get("state") if isinstance(data, dict) else None
            saved_at = data.get("saved_at") if isinstance(data, dict) else None
            node = state.get("node") if isinstance(state, dict) else None
            if isinstance(saved_at, str) and isinstance(node, str):
                # Both reach the screen: only a time as this game writes it, only a node of the story.
                out.append(Listing(path.stem, _time(saved_at), node if node in self.story.nodes else ""))
            else:
                out.append(Listing(path.stem, problem="cannot be read"))
        return sorted(out, key=lambda s: s.saved_at, reverse=True)


def _time(value: object) -> str:
    """A save's time as written by write(), or '' for anything else (it is shown to the player)."""
    return value if isinstance(value, str) and _TIME.fullmatch(value) else ""


def _clip(value: object) -> str:
    """A value from a file, for a message: its repr on one line, at most 40 characters."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a very long number"
    return text if len(text) <= 40 else text[:39] + "…"
