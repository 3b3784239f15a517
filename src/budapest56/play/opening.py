"""The start of a game: continue the autosave, or begin a new game and keep the old one.

    open_game(story, screen, saves, fresh, resume, resume_hint) -> (Session, facts to announce) | None
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..engine import State
from ..errors import DamagedSave, NoSuchSave, SaveError
from ..persist.saves import AUTOSAVE, PREVIOUS, SaveFolder
from ..story.model import Story
from . import screens
from .contract import Screen
from .layout import wrap

if TYPE_CHECKING:
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
        screen.show([("class:title", wrap(story.title, screen.width) + "\n")])
        ended = _ended(story, saves)
        if ended:  # nothing to continue: a game that ended starts again, the old one kept
            screen.show(screens.message(f"Your last game ended: “{ended}”. A new one begins.", screen.width))
        else:
            resume = screen.ask(_last_game(story, saves), ["Continue it", "Start a new game"]) != 1
    if resume:
        try:
            saved = saves.read(AUTOSAVE)
            screen.show(screens.message("Welcome back. Your game goes on where you left it; type ? for help.",
                                        screen.width))
            return _session(story, screen, saves, saved.state, saved.history, resume_hint=resume_hint), ()
        except NoSuchSave:
            screen.show(screens.message("There is no game to continue yet, so a new one begins.", screen.width))
        except SaveError as e:
            # A child need not read a parser's words: a damaged file is just damaged.
            why = "its save is damaged" if isinstance(e, DamagedSave) else e.first.message
            screen.show(screens.message(f"Your last game cannot be continued: {why}."
                                        + (f" ({e.first.hint.capitalize()}.)" if e.first.hint else ""), screen.width))
            return _instead(story, screen, saves, fresh, resume_hint)
    if saves.writable and saves.exists(AUTOSAVE):
        # A new game would overwrite the old one's autosave at the first choice: keep it.
        saves.rename(AUTOSAVE, PREVIOUS)
        screen.show(screens.message(f"(Your last game is kept as the save '{PREVIOUS}'; 'load {PREVIOUS}' goes back "
                                    "to it.)", screen.width))
    screen.show(screens.intro_text(story, screen.width))
    if screen.interactive:  # the title and premise stay on screen until the player is ready
        screen.ask("When you are ready:", ["Begin"])
    return _session(story, screen, saves, fresh, origin=fresh, resume_hint=resume_hint), fresh.facts


def _session(story: Story, screen: Screen, saves: SaveFolder, state: State, history: Sequence[State] = (),
             origin: State | None = None, resume_hint: str = "") -> Session:
    # Imported once a game is chosen, after the first screen: the session brings the verbs, the
    # journal and the keeper, which the terminal game need not load before drawing it (start-up).
    from .session import Session

    return Session(story, screen, saves, state, history, origin, resume_hint)


def _ended(story: Story, saves: SaveFolder) -> str:
    """The title of the ending the autosave stopped at, or '' when it is a game in progress."""
    listing = next((s for s in saves.list() if s.name == AUTOSAVE), None)
    node = story.nodes.get(listing.node) if listing and not listing.problem else None
    return node.ending.title if node is not None and node.ending is not None else ""


def _instead(story: Story, screen: Screen, saves: SaveFolder, fresh: State,
             resume_hint: str) -> tuple[Session, Sequence[str]] | None:
    """After an autosave was refused: a new game, another save of the player's, or leave."""
    others = [s for s in saves.list() if not s.problem and s.name != AUTOSAVE]
    options = ["Start a new game", *(["Load another save"] if others else []), "Quit"]
    picked = screen.ask("What now?", options)
    if picked is None or options[picked] == "Quit":
        return None
    if options[picked] == "Load another save":
        which = screen.ask("Load which save?", [screens.save_label(story, s) for s in others])
        if which is not None:
            try:
                saved = saves.read(others[which].name)
            except SaveError as e:
                screen.show(screens.message(f"{e.first.sentence()} A new game begins instead.", screen.width))
            else:
                screen.show(screens.message(f"Loaded '{saved.name}'.", screen.width))
                return _session(story, screen, saves, saved.state, saved.history, resume_hint=resume_hint), ()
    return open_game(story, screen, saves, fresh, False, resume_hint)
