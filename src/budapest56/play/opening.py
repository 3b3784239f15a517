"""The start of a game: continue the autosave, or begin a new game and keep the old one.

    open_game(story, screen, saves, fresh, resume, resume_hint) -> (Session, facts to announce) | None
"""
from __future__ import annotations

from collections.abc import Sequence

from ..engine import State
from ..errors import NoSuchSave, SaveError
from ..persist.saves import AUTOSAVE, PREVIOUS, SaveFolder
from ..story.model import Story
from . import screens
from .contract import Screen
from .session import Session


def _last_game(story: Story, saves: SaveFolder) -> str:
    """What the autosave holds, in a line, without reading it as a save (which may move it aside)."""
    listing = next((s for s in saves.list() if s.name == AUTOSAVE), None)
    node = story.nodes.get(listing.node) if listing and not listing.problem else None
    if node is None:
        return "You have a game in progress."
    if node.ending is not None:
        return f"Your last game ended: “{node.ending.title}”."
    return f"You have a game in progress: {screens.located(story, node)}."


def open_game(story: Story, screen: Screen, saves: SaveFolder, fresh: State, resume: bool,
              resume_hint: str) -> tuple[Session, Sequence[str]] | None:
    """The game to run and the facts to announce at once: the autosave when resuming, else a new
    game from `fresh`. None when the player would rather leave (a save refused, 'Quit' picked)."""
    if not resume and screen.interactive and saves.exists(AUTOSAVE):
        screen.show([("class:title", story.title + "\n")])
        resume = screen.ask(_last_game(story, saves), ["Continue it", "Start a new game"]) != 1
    if resume:
        try:
            saved = saves.read(AUTOSAVE)
            screen.show("Welcome back. Your game goes on where you left it; type ? for help.\n\n")
            return Session(story, screen, saves, saved.state, saved.history, resume_hint=resume_hint), ()
        except NoSuchSave:
            screen.show("There is no game to continue yet, so a new one begins.\n")
        except SaveError as e:
            screen.show(f"Your last game cannot be continued: {e.first.message}.\n"
                        + (f"({e.first.hint.capitalize()}.)\n" if e.first.hint else ""))
            if screen.ask("Start a new game?", ["Start a new game", "Quit"]) != 0:
                return None
    if saves.writable and saves.exists(AUTOSAVE):
        # A new game would overwrite the old one's autosave at the first choice: keep it.
        saves.rename(AUTOSAVE, PREVIOUS)
        screen.show(f"(Your last game is kept as the save '{PREVIOUS}'; 'load {PREVIOUS}' goes back to it.)\n")
    screen.show(screens.intro_text(story, screen.width))
    return Session(story, screen, saves, fresh, origin=fresh, resume_hint=resume_hint), fresh.facts
