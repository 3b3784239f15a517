"""The files of one game: the autosave after every move, the player's profile, and what went
wrong with either, said once a game rather than after every choice.

Every save goes through persist.saves; nothing here touches a path itself. A failure to write is
never fatal: the player plays on and is told once that this game cannot be continued later.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from ..engine import State
from ..errors import BadSaveName, ProfileError
from ..persist.profile import Progress, load_progress, save_progress
from ..persist.saves import AUTOSAVE, Listing, Saved, SaveFolder, check_name
from ..story.model import Story

IDLE_CAP = 300.0  # seconds: a player who walked away stops counting as playing after this


class Keeper:
    def __init__(self, story: Story, saves: SaveFolder, say: Callable[[str], None]) -> None:
        self.story, self.saves, self._say = story, saves, say
        self._clock = time.monotonic()
        self._warned: set[str] = set()

    def autosave(self, state: State, history: Sequence[State]) -> bool:
        """Write the autosave and update the profile; a failure is reported, never fatal."""
        if not self.saves.writable:  # the player was told once, at the start, that nothing is saved
            return False
        saved = True
        try:
            self.saves.write(AUTOSAVE, state, history)
        except OSError as e:
            saved = False
            self.warn("autosave", f"Could not save the game in {self.saves.folder}: {e.strerror or e}. "
                                  "You can play on, but this game cannot be continued later.")
        self._record(state)
        return saved

    def save(self, name: str, state: State, history: Sequence[State]) -> str:
        """Save under a name of the player's: what to tell them, done or not."""
        try:
            self.saves.write(check_name(name), state, history)
        except BadSaveName as e:
            return f"{e.first.message}: {e.first.hint}."
        except OSError as e:
            return f"Could not save: {e.strerror or e}."
        return f"Saved as '{name}'. ('load {name}' comes back here.)"

    def read(self, name: str) -> Saved:
        """A save of the player's (SaveError when it cannot be used; a damaged one is moved aside)."""
        return self.saves.read(name)

    def listings(self) -> list[Listing]:
        return self.saves.list()

    def progress(self) -> Progress | None:
        """Every game's progress so far, or None when the profile cannot be read (said once), or
        when nothing is saved: then the profile leaves this game out, and its sum would be wrong."""
        if not self.saves.writable:
            return None
        try:
            return load_progress(self.saves.home, self.story.id)
        except ProfileError:
            return None

    def _record(self, state: State) -> None:
        now = time.monotonic()
        spent, self._clock = min(now - self._clock, IDLE_CAP), now
        node = self.story.nodes[state.node]
        try:
            progress = load_progress(self.saves.home, self.story.id)
        except ProfileError as e:
            self.warn("profile", f"{e.first.sentence()[:-1]}; starting a new profile.")
            progress = Progress(self.story.id)
        progress = progress.found(state.facts).played(spent)
        if node.ending is not None:
            progress = progress.ended(node.id)
        try:
            save_progress(self.saves.home, progress)
        except OSError as e:
            self.warn("profile-write", f"Could not update your profile: {e.strerror or e}.")

    def warn(self, key: str, message: str) -> None:
        """Say a problem once per game, not after every choice."""
        if key not in self._warned:
            self._warned.add(key)
            self._say(message)
