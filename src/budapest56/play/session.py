"""One game in progress: the loop, the commands and the saves, the same for every front end.

The engine decides what a choice does; the session only keeps the current state, the undo
stack and the files (autosave after every move, the player's profile), and turns what the
player typed into a move or a command. A front end is a `Screen`:

    class Screen(Protocol):
        width: int          columns to wrap text to
        ornate: bool        False in plain mode: no box-drawing, nothing a screen reader stumbles on
        interactive: bool   True when a person sits at a terminal (the game may ask at start-up)

        def show(self, text: str | Text) -> None
            Print text: a str, or play.screens.Text, a list of (style, text) pairs such as
            [("class:heading", "Review\\n"), ("", "Three questions on chapter 2.\\n")].
        def ask(self, prompt: str, options: Sequence[str]) -> int | None
            A numbered multiple-choice question; the 0-based index picked, or None when the
            player skips it (an empty answer, Escape). Ctrl-C, Ctrl-D and the end of input
            raise Quit: let it propagate, and the game saves and says goodbye.
        def read(self, menu: Menu) -> int | str
            The main prompt: a 0-based index into menu.items (arrows or number keys + Enter),
            or the line the player typed (a number or a command). Raises Quit as above.
        def status(self, line: str) -> None
            The status line (date, place, facts found) for the prompts that follow.

The learning layer's hooks: `Session.interlude(finished_chapter_id, state)` is called when a
choice leads into another chapter (before the new chapter's first scene is shown) and when it
reaches an ending (after the ending is shown, for the ending's chapter).
`Session.opening(chapter_id, state)` is called at the start of a chapter, once the player has
read its first scene and taken its first choice (before the second scene is shown), so that
questions missed at the last break come back after a short gap. Both do nothing by default;
assign a callable that uses `session.screen.show/ask` to run a review there. The game has
already autosaved when they are called.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from typing import Callable, Protocol, Sequence

from .. import engine

from . import journal
from ..engine import State
from ..errors import StoryError, suggest
from ..story.model import Story
from ..persist.profile import Progress, load_progress, save_progress
from ..persist.saves import AUTOSAVE, SaveFolder, check_name
from . import screens
from .screens import Text

PREVIOUS = "previous"  # where a new game keeps the old game's autosave
IDLE_CAP = 300.0  # seconds: a player who walked away stops counting as playing after this


class Quit(Exception):
    """The player left: `quit`, Ctrl-C, Ctrl-D or the end of input."""


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    available: bool = True


@dataclass(frozen=True, slots=True)
class Menu:
    items: tuple[Item, ...]
    toolbar: str


class Screen(Protocol):
    width: int
    ornate: bool
    interactive: bool

    def show(self, text: str | Text) -> None: ...

    def ask(self, prompt: str, options: Sequence[str]) -> int | None: ...

    def read(self, menu: Menu) -> int | str: ...

    def status(self, line: str) -> None: ...


def no_interlude(finished_chapter: str, state: State) -> None:
    """The default: go straight on to the next chapter."""


class Session:
    def __init__(self, story: Story, screen: Screen, saves: SaveFolder, state: State,
                 history: Sequence[State] = (), origin: State | None = None, resume_hint: str = "budapest56 --continue"):
        self.story, self.screen, self.saves = story, screen, saves
        self.state = state
        self.history = list(history)  # the undo stack, oldest first
        self.origin = origin or engine.start(story)  # where 'restart' goes
        self.resume_hint = resume_hint
        self.interlude: Callable[[str, State], None] = no_interlude
        self.opening: Callable[[str, State], None] = no_interlude
        self._clock = time.monotonic()
        self._warned: set[str] = set()

    # --- the loop -------------------------------------------------------------------------

    def run(self, unlocked: Sequence[str] = ()) -> int:
        """Play until the player leaves; always returns exit code 0 (leaving is not an error)."""
        try:
            self.show_scene(unlocked)
            while True:
                self.handle(self.screen.read(self.menu()))
        except (Quit, KeyboardInterrupt, EOFError):
            self.leave()
        return 0

    def menu(self) -> Menu:
        toolbar = screens.toolbar(self.story, self.state)
        if engine.is_ending(self.story, self.state):
            return Menu((Item("Play again from the beginning"), Item("Quit")), toolbar)
        return Menu(tuple(Item(o.choice.label, o.available) for o in self._options()), toolbar)

    def handle(self, answer: int | str) -> None:
        if isinstance(answer, int):
            return self._pick(answer)
        text = answer.strip()
        if text.isdecimal():
            return self._pick(int(text) - 1)
        word, _, rest = text.partition(" ")
        word = word.lower()
        command = self._commands().get(word)
        if command is not None:
            return command(rest.strip())
        if not text:
            return self._say(f"{_pick_range(len(self.menu().items))}, or ? for help.")
        hint = suggest(word, [c for c in self._commands() if len(c) > 1])
        self._say(f"'{text}' is not a choice or a command." + (f" ({hint.capitalize()})" if hint else "")
                  + " Type ? for help.")

    def show_scene(self, unlocked: Sequence[str] = (), chapter_heading: bool = True) -> None:
        self.screen.show(screens.node_screen(self.story, self.state, self.screen.width, self.screen.ornate,
                                             unlocked, chapter_heading))

    def leave(self) -> None:
        if self.autosave():
            self.screen.show(f"Saved. Goodbye! ('{self.resume_hint}' picks up where you left off.)\n")
        else:
            self.screen.show("Goodbye!\n")

    # --- moves ----------------------------------------------------------------------------

    def _options(self) -> list[engine.Option]:
        return [o for o in engine.choices(self.story, self.state) if o.visible]

    def _pick(self, index: int) -> None:
        items = self.menu().items
        if not 0 <= index < len(items):
            return self._say(f"There is no choice {index + 1}. {_pick_range(len(items))}, or ? for help.")
        if engine.is_ending(self.story, self.state):
            return self._restart("") if index == 0 else self._quit("")
        option = self._options()[index]
        if not option.available:
            return self._say(f"“{option.choice.label}” is not possible now. Pick another choice.")
        before = self.state
        self.history.append(before)
        self.state = engine.choose(self.story, before, option.index)
        self.autosave()
        finished = self.story.nodes[before.node].chapter
        arrived = self.story.nodes[self.state.node]
        if arrived.chapter != finished:
            # The review belongs to the chapter just finished: its date and place, today's facts.
            self._status(replace(self.state, node=before.node))
            self.interlude(finished, self.state)
        else:
            self._status(self.state)  # for questions asked here
            if _opened_chapter(self.story, before):
                self.opening(finished, self.state)
        self.show_scene(journal.new_facts(before, self.state), arrived.chapter != finished)
        if arrived.ending is not None:
            self._all_games()
            self._status(self.state)
            self.interlude(arrived.chapter, self.state)

    def _status(self, state: State) -> None:
        self.screen.status(screens.toolbar(self.story, state))

    def _all_games(self) -> None:
        """At an ending, what every game so far has found: the reason to play again."""
        try:
            progress = load_progress(self.saves.home, self.story.id)
        except StoryError:
            return  # already reported by _record
        facts = len(set(progress.facts_found) & set(self.story.facts))
        endings = len(set(progress.endings) & {n.id for n in self.story.endings})
        self._say(f"In all your games: {facts} of {len(self.story.facts)} facts found, "
                  f"{endings} of {len(self.story.endings)} endings reached.")

    def autosave(self) -> bool:
        """Write the autosave and update the profile; a failure is reported, never fatal."""
        saved = True
        try:
            self.saves.write(AUTOSAVE, self.state, self.history)
        except OSError as e:
            saved = False
            self._warn("autosave", f"Could not save the game in {self.saves.folder}: {e.strerror or e}. "
                                   "You can play on, but this game cannot be continued later.")
        self._record()
        return saved

    def _record(self) -> None:
        now = time.monotonic()
        spent, self._clock = min(now - self._clock, IDLE_CAP), now
        node = self.story.nodes[self.state.node]
        try:
            progress = load_progress(self.saves.home, self.story.id)
        except StoryError as e:
            finding = e.findings[0]
            self._warn("profile", f"{finding.message[0].upper()}{finding.message[1:]} ({finding.hint}); "
                                  "starting a new profile.")
            progress = Progress(self.story.id)
        progress = progress.found(self.state.facts).played(spent)
        if node.ending is not None:
            progress = progress.ended(node.id)
        try:
            save_progress(self.saves.home, progress)
        except OSError as e:
            self._warn("profile-write", f"Could not update your profile: {e.strerror or e}.")

    # --- commands -------------------------------------------------------------------------

    def _commands(self) -> dict[str, Callable[[str], None]]:
        return {"?": self._help, "help": self._help, "h": self._help,
                "journal": self._journal, "j": self._journal,
                "timeline": self._timeline, "t": self._timeline,
                "glossary": self._glossary, "g": self._glossary,
                "save": self._save, "load": self._load, "saves": self._saves,
                "undo": self._undo, "u": self._undo, "restart": self._restart,
                "look": self._look, "l": self._look,
                "quit": self._quit, "q": self._quit, "exit": self._quit}

    def _help(self, _: str) -> None:
        self.screen.show(screens.help_text(self.story, self.resume_hint))

    def _journal(self, _: str) -> None:
        self.screen.show(screens.journal_text(self.story, self.state, self.screen.width, self.screen.ornate))

    def _timeline(self, _: str) -> None:
        self.screen.show(screens.timeline_text(self.story, self.state, self.screen.width))

    def _glossary(self, _: str) -> None:
        self.screen.show(screens.glossary_text(self.story, self.state, self.screen.width))

    def _look(self, _: str) -> None:
        self.show_scene()

    def _quit(self, _: str) -> None:
        raise Quit

    def _save(self, name: str) -> None:
        name = name or "quicksave"
        try:
            check_name(name)
            self.saves.write(name, self.state, self.history)
        except StoryError as e:
            return self._say(f"{e.findings[0].message}: {e.findings[0].hint}.")
        except OSError as e:
            return self._say(f"Could not save: {e.strerror or e}.")
        self._say(f"Saved as '{name}'. ('load {name}' comes back here.)")

    def _saves(self, _: str) -> None:
        self.screen.show(screens.saves_text(self.story, self.saves.list(), self.screen.width))

    def _load(self, name: str) -> None:
        if not name:
            usable = [s for s in self.saves.list() if not s.problem]
            if not usable:
                return self._say("There are no saves yet. 'save NAME' makes one.")
            picked = self.screen.ask("Load which save?", [screens.save_label(self.story, s) for s in usable])
            if picked is None:
                return self._say("Nothing loaded.")
            name = usable[picked].name
        try:
            saved = self.saves.read(name)
        except StoryError as e:
            finding = e.findings[0]
            return self._say(f"{finding.message.capitalize()}." + (f" ({finding.hint.capitalize()}.)" if finding.hint else "")
                             + " Your game goes on where it was.")
        self.state, self.history = saved.state, list(saved.history)
        self.autosave()
        self._say(f"Loaded '{name}'.")
        self.show_scene()

    def _undo(self, _: str) -> None:
        if not self.history:
            return self._say("There is nothing to undo: this is where this game began.")
        self.state = self.history.pop()
        self.autosave()
        self._say("Undone: you are back before your last choice.")
        self.show_scene(chapter_heading=False)

    def _restart(self, _: str) -> None:
        self.history.append(self.state)
        self.state = self.origin
        self.autosave()
        self._say("The story starts again. ('undo' takes you back to where you were.)")
        self.show_scene(self.state.facts)

    # --- messages -------------------------------------------------------------------------

    def _say(self, message: str) -> None:
        self.screen.show([("class:message", message + "\n")])

    def _warn(self, key: str, message: str) -> None:
        """Say a problem once per session, not after every choice."""
        if key not in self._warned:
            self._warned.add(key)
            self._say(message)



def _opened_chapter(story: Story, state: State) -> bool:
    """True when the current scene is the first of its chapter: the previous one was in another."""
    trail = state.trail
    return len(trail) >= 2 and story.nodes[trail[-2]].chapter != story.nodes[trail[-1]].chapter


def _pick_range(count: int) -> str:
    return "Type 1 to go on" if count == 1 else f"Type a number from 1 to {count}"


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
        except StoryError as e:
            finding = e.findings[0]
            if finding.code == "no-such-save":
                screen.show("There is no game to continue yet, so a new one begins.\n")
            else:
                screen.show(f"Your last game cannot be continued: {finding.message}.\n"
                            + (f"({finding.hint.capitalize()}.)\n" if finding.hint else ""))
                if screen.ask("Start a new game?", ["Start a new game", "Quit"]) != 0:
                    return None
    if saves.exists(AUTOSAVE):
        # A new game would overwrite the old one's autosave at the first choice: keep it.
        os.replace(saves.path(AUTOSAVE), saves.path(PREVIOUS))
        screen.show(f"(Your last game is kept as the save '{PREVIOUS}'; 'load {PREVIOUS}' goes back to it.)\n")
    about = [("", "\n" + screens.wrap(story.about, screen.width) + "\n")] if story.about else []
    screen.show([("class:title", story.title + "\n"), *about,
                 ("class:message", "\nType ? at any prompt for help: journal, timeline, saves, undo.\n\n")])
    return Session(story, screen, saves, fresh, origin=fresh, resume_hint=resume_hint), fresh.facts
