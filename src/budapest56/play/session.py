"""One game in progress: the current state, the undo stack and the loop, the same for every front end.

The engine decides what a choice does; the session keeps the state and history, turns what the
player typed into a move (engine.pick_number) or a command (play/verbs.py), and has the keeper
(play/keeper.py) autosave after every move. A front end is a play.contract.Screen.

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from .. import engine
from ..engine import State
from ..errors import suggest
from ..persist.saves import Saved, SaveFolder
from ..story.model import Story
from . import screens, verbs
from .contract import Menu, Quit, Screen
from .keeper import Keeper

__all__ = ["Quit", "Screen", "Session", "no_interlude"]


def no_interlude(finished_chapter: str, state: State) -> None:
    """The default: go straight on to the next chapter."""


class Session:
    def __init__(self, story: Story, screen: Screen, saves: SaveFolder, state: State,
                 history: Sequence[State] = (), origin: State | None = None,
                 resume_hint: str = "budapest56 --continue") -> None:
        self.story, self.screen, self.saves = story, screen, saves
        self.state = state
        self.history = list(history)  # the undo stack, oldest first
        self.origin = origin or engine.start(story)  # where 'restart' goes
        self.resume_hint = resume_hint
        self.keeper = Keeper(story, saves, self.say)
        self.interlude: Callable[[str, State], None] = no_interlude
        self.opening: Callable[[str, State], None] = no_interlude
        # What the player may type besides a number; a --watch preview answers the saving ones itself.
        self.verbs: Mapping[str, verbs.Verb] = verbs.VERBS

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
        return screens.menu_for(self.story, self.state)

    def handle(self, answer: int | str) -> None:
        """A menu index from the screen, or a line the player typed: a number or a command."""
        if isinstance(answer, int):
            return self.pick(answer)
        text = answer.strip()
        count = len(self.menu().items)
        if engine.is_number(text):
            index = engine.pick_number(text, count)
            if index is None:
                return self.say(f"There is no choice {_clip(text)}. {_pick_range(count)}, or ? for help.")
            return self.pick(index)
        word, _, rest = text.partition(" ")
        verb = self.verbs.get(word.lower())
        if verb is not None:
            return verb(self, rest.strip())
        if not text:
            return self.say(f"{_pick_range(count)}, or ? for help.")
        hint = suggest(word.lower(), verbs.names())
        self.say(f"'{_clip(text)}' is not a choice or a command." + (f" ({hint.capitalize()})" if hint else "")
                 + " Type ? for help.")

    def show_scene(self, unlocked: Sequence[str] = (), chapter_heading: bool = True) -> None:
        self.screen.show(screens.node_screen(self.story, self.state, self.screen.width, self.screen.ornate,
                                             unlocked, chapter_heading))

    def leave(self) -> None:
        if self.autosave():
            self.say(f"Saved. Goodbye! ('{self.resume_hint}' picks up where you left off.)")
        else:
            self.say("Goodbye!")

    # --- moves ----------------------------------------------------------------------------

    def pick(self, index: int) -> None:
        """Take the menu item at `index` (0-based, as the player numbers them from 1)."""
        count = len(self.menu().items)
        if not 0 <= index < count:
            return self.say(f"There is no choice {index + 1}. {_pick_range(count)}, or ? for help.")
        if engine.is_ending(self.story, self.state):
            return self.restart() if index == 0 else verbs.quit_game(self, "")
        option = engine.shown(self.story, self.state)[index]
        if not option.available:
            why = option.choice.locked_text.strip()
            return self.say(f"“{option.choice.label}”: {why}" if why
                            else f"“{option.choice.label}” is not possible now. Pick another choice.")
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
        self.show_scene(engine.new_facts(before, self.state), arrived.chapter != finished)
        if arrived.ending is not None:
            progress = self.keeper.progress()
            if progress is not None:
                self.say(screens.all_games_line(self.story, progress.facts_found, progress.endings))
            self._status(self.state)
            self.interlude(arrived.chapter, self.state)

    def undo(self) -> None:
        if not self.history:
            return self.say("There is nothing to undo: this is where this game began.")
        self.state = self.history.pop()
        self.autosave()
        self.say("Undone: you are back before your last choice.")
        self.show_scene(chapter_heading=False)

    def restart(self) -> None:
        self.history.append(self.state)
        self.state = self.origin
        self.autosave()
        self.say("The story starts again. ('undo' takes you back to where you were.)")
        self.show_scene(self.state.facts)

    def load(self, saved: Saved) -> None:
        self.state, self.history = saved.state, list(saved.history)
        self.autosave()
        self.say(f"Loaded '{saved.name}'.")
        self.show_scene()

    def autosave(self) -> bool:
        return self.keeper.autosave(self.state, self.history)

    def say(self, message: str) -> None:
        self.screen.show(screens.message(message, self.screen.width))

    def _status(self, state: State) -> None:
        self.screen.status(screens.toolbar(self.story, state))


def _opened_chapter(story: Story, state: State) -> bool:
    """True when the current scene is the first of its chapter: the previous one was in another."""
    trail = state.trail
    return len(trail) >= 2 and story.nodes[trail[-2]].chapter != story.nodes[trail[-1]].chapter


def _pick_range(count: int) -> str:
    return "Type 1 to go on" if count == 1 else f"Type a number from 1 to {count}"


def _clip(text: str, width: int = 40) -> str:
    """What the player typed, short enough to say back on one line."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
