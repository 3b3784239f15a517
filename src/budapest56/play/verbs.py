"""What the player can type besides a choice's number: journal, timeline, saves, undo, quit…

Each verb is a plain function of the session and the rest of the line. The moves themselves
(undo, restart, load) belong to the session; a verb only reads, asks and reports.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import SaveError
from . import credits as credits_page
from . import notes, screens
from .contract import Quit

if TYPE_CHECKING:  # the session imports this module; the type is only for checking
    from .session import Session

Verb = Callable[["Session", str], None]


def help_(session: Session, _: str) -> None:
    session.screen.show(screens.help_text(session.story, session.resume_hint, session.screen.width))


def journal(session: Session, _: str) -> None:
    session.screen.show(screens.journal_text(session.story, session.state, session.screen.width,
                                             session.screen.ornate))


def timeline(session: Session, _: str) -> None:
    session.screen.show(screens.timeline_text(session.story, session.state, session.screen.width))


def glossary(session: Session, _: str) -> None:
    session.screen.show(screens.glossary_text(session.story, session.state, session.screen.width))


def credits(session: Session, _: str) -> None:
    session.screen.show(credits_page.credits_text(session.story, session.screen.width))


def left_out(session: Session, _: str) -> None:
    page = notes.leaves_out_text(session.story, session.screen.width)
    session.screen.show(page or screens.message("This story does not say what it leaves out.", session.screen.width))


def look(session: Session, _: str) -> None:
    session.show_scene()


def quit_game(session: Session, _: str) -> None:
    raise Quit


def save(session: Session, name: str) -> None:
    session.say(session.keeper.save(name or "quicksave", session.state, session.history))


def saves(session: Session, _: str) -> None:
    session.screen.show(screens.saves_text(session.story, session.keeper.listings(), session.screen.width))


def load(session: Session, name: str) -> None:
    if not name:
        usable = [s for s in session.keeper.listings() if not s.problem]
        if not usable:
            return session.say("There are no saves yet. 'save NAME' makes one.")
        picked = session.screen.ask("Load which save?", [screens.save_label(session.story, s) for s in usable])
        if picked is None:
            return session.say("Nothing loaded.")
        name = usable[picked].name
    try:
        saved = session.keeper.read(name)
    except SaveError as e:
        hint = f" ({e.first.hint.capitalize()}.)" if e.first.hint else ""
        return session.say(f"{e.first.message.capitalize()}.{hint} Your game goes on where it was.")
    session.load(saved)


def undo(session: Session, _: str) -> None:
    session.undo()


def restart(session: Session, _: str) -> None:
    session.restart()


VERBS: dict[str, Verb] = {
    "?": help_, "help": help_, "h": help_,
    "journal": journal, "j": journal,
    "timeline": timeline, "t": timeline,
    "glossary": glossary, "g": glossary,
    "save": save, "load": load, "saves": saves,
    "undo": undo, "u": undo, "restart": restart,
    "look": look, "l": look,
    "credits": credits, "left-out": left_out, "leftout": left_out,
    "quit": quit_game, "q": quit_game, "exit": quit_game,
}


def names() -> list[str]:
    """The verbs' full names, for 'did you mean'."""
    return [name for name in VERBS if len(name) > 1]
