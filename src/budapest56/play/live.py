"""A live preview for authors: `play --watch` follows every edit of the story, `check --watch`
re-checks on every change.

    play_live(path, plain, width, start_at, values, render) -> exit code
    check_live(path, once)                                  -> exit code (0 after Ctrl-C)
    replay(story, origin, steps_taken(old_story, state))    -> Replay   the path so far, on a new story

A thread watches the folder (play/watch.py) and wakes the screen: the terminal's live prompt
ends at once (TerminalScreen.wake), plain mode's read waits on stdin and a pipe together
(watch.LineReader), so the reload needs no key press. The prompt raises contract.Changed; the
loop below re-checks the story, replays the path onto it with engine.choose and starts a new
Session there. A story that does not check shows its findings as `check` prints them
(`render`, from the check command) and waits for the next change.

A preview saves nothing: no autosave, no profile, no saves, so the player's real game of the
story is never overwritten. Its session keeps its files in a temporary folder it never writes.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, Protocol, TextIO, runtime_checkable

from .. import engine
from ..analysis.lint import Report, check
from ..engine import State
from ..errors import Budapest56Error, PlayError
from ..persist.saves import SaveFolder
from ..story.model import Story
from . import screens, verbs
from .contract import Changed, Item, Menu, Quit, Screen
from .front import screen_for
from .session import Session
from .watch import LineReader, Watcher, names, need_watchfiles, watch_folder


@runtime_checkable
class _Wakes(Protocol):
    def wake(self) -> None: ...


# -- replaying the path so far -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Step:
    """One choice of the path so far, as the author wrote it: where, its label, where it led."""

    node: str
    label: str
    goto: str


@dataclass(frozen=True, slots=True)
class Replay:
    states: tuple[State, ...]  # the origin, then the state after each choice replayed
    stopped: str = ""          # why the replay stopped short, or '' when every choice was replayed


def steps_taken(story: Story, state: State) -> tuple[Step, ...]:
    """The choices that led from the start to `state`, each named by its label and target, so they
    can be found again in an edited story whose choices moved."""
    out = []
    for node_id, index in zip(state.trail, state.path):
        choice = story.nodes[node_id].choices[index]
        out.append(Step(node_id, choice.label, choice.goto))
    return tuple(out)


def replay(story: Story, origin: State, steps: Sequence[Step]) -> Replay:
    """Take the same choices again with engine.choose, as long as each still exists (same label,
    or else the one choice that leads to the same node), can be taken, and leads where it did."""
    states = [origin]
    for step in steps:
        state = states[-1]
        if state.node != step.node:  # only at the start: each later step is checked as it is taken
            why = (f"node '{step.node}' no longer exists" if step.node not in story.nodes
                   else f"the story now starts at '{state.node}', not at '{step.node}'")
            return Replay(tuple(states), why)
        option = _same_choice(story, state, step)
        if option is None:
            gone = f", nor does node '{step.goto}'" if step.goto not in story.nodes else ""
            return Replay(tuple(states), f"the choice “{step.label}” at '{step.node}' no longer exists{gone}")
        if not option.available:
            condition = option.choice.condition.source if option.choice.condition else ""
            return Replay(tuple(states), f"“{option.choice.label}” at '{step.node}' is not possible now: "
                                         f"its condition '{condition}' does not hold")
        if option.choice.goto != step.goto:
            gone = " (which no longer exists)" if step.goto not in story.nodes else ""
            return Replay(tuple(states), f"“{option.choice.label}” at '{step.node}' now leads to "
                                         f"'{option.choice.goto}', not to '{step.goto}'{gone}")
        states.append(engine.choose(story, state, option.index))
    return Replay(tuple(states))


def _same_choice(story: Story, state: State, step: Step) -> engine.Option | None:
    options = engine.choices(story, state)
    labelled = [o for o in options if o.choice.label == step.label]
    if labelled:  # two with one label (check warns): the one going the same way, else one that can be taken
        return next((o for o in labelled if o.choice.goto == step.goto),
                    next((o for o in labelled if o.available), labelled[0]))
    # A reworded label keeps its place when exactly one choice still leads where it did.
    same_way = [o for o in options if o.choice.goto == step.goto]
    return same_way[0] if len(same_way) == 1 else None


def replayed_line(replayed: Replay, steps: int) -> str:
    if not replayed.stopped:
        return (f"your {_choices(steps)} replayed." if steps else "you are at the start.")
    return (f"your path is replayed up to '{replayed.states[-1].node}' ({len(replayed.states) - 1} of "
            f"{_choices(steps)}): {replayed.stopped}.")


def _choices(n: int) -> str:
    return f"{n} choice{'s' * (n != 1)}"


# -- the live game -------------------------------------------------------------------------------
NOT_SAVED = "A --watch preview saves nothing and loads no saves: play without --watch to keep a game."


def _not_here(session: Session, _: str) -> None:
    session.say(NOT_SAVED)


# The game's help without what a preview cannot do: it keeps no saves, and leaving keeps nothing.
PREVIEW_COMMANDS = tuple((name, "leave the preview") if name == "quit" else (name, about)
                         for name, about in screens.COMMANDS if name.split()[0] not in ("save", "load", "saves"))


def _help(session: Session, _: str) -> None:
    session.screen.show(screens.help_text(session.story, session.resume_hint, session.screen.width,
                                          PREVIEW_COMMANDS, "Ctrl-C or Ctrl-D also leaves. " + NOT_SAVED))


PREVIEW_VERBS: Mapping[str, verbs.Verb] = {
    **verbs.VERBS, "save": _not_here, "load": _not_here, "saves": _not_here,
    **{name: _help for name, verb in verbs.VERBS.items() if verb is verbs.help_},
}
WAITING = Menu((Item("Quit the preview"),), "waiting for the story to check")


def play_live(path: Path, plain: bool, width: int | None, start_at: str | None,
              values: Mapping[str, bool | int], render: Callable[[Report], str]) -> int:
    """Play the story at `path`, following its edits, until the player leaves (exit code 0)."""
    need_watchfiles()
    folder = (path if path.is_dir() else path.parent).resolve()
    reader = LineReader.for_stdin()
    screen = screen_for(plain, width, reader.read)
    watcher = Watcher(folder, screen.wake if isinstance(screen, _Wakes) else reader.wake)
    try:
        watcher.start()
    except OSError as e:
        print(f"cannot watch {folder}: {e}", file=sys.stderr)
        return 1
    at_once = isinstance(screen, _Wakes) or reader.at_once
    screen.show(screens.message(notice(path, at_once), screen.width))
    try:
        with tempfile.TemporaryDirectory(prefix="budapest56-preview-") as home:
            return _live(path, screen, watcher, Path(home), start_at, values, render)
    except (Quit, KeyboardInterrupt, EOFError):
        screen.show(screens.message("Goodbye!", screen.width))
        return 0
    finally:
        watcher.stop()
        reader.close()


def notice(path: Path, at_once: bool) -> str:
    when = "" if at_once else " (here a change shows at your next answer)"
    return (f"Live preview of {path}: save a change to the story and the game reloads it{when}, then "
            "takes your choices again. It saves nothing (no autosave, no profile, no saves), so a game "
            "of this story played without --watch stays as it was.")


def _live(path: Path, screen: Screen, watcher: Watcher, home: Path, start_at: str | None,
          values: Mapping[str, bool | int], render: Callable[[Report], str]) -> int:
    last: tuple[Story, State] | None = None  # the story last played, and where the player was in it
    broken = told = False
    while True:
        changed = names(watcher.folder, watcher.take())
        after = f" after a change to {changed}" if changed else ""
        if watcher.problem and not told:  # the watcher thread stopped: the game goes on, unwatched
            told = True
            screen.show(screens.message(f"Edits are no longer followed: watching {path} stopped "
                                        f"({watcher.problem}).", screen.width))
        report = check(str(path))
        story, origin, problem = report.story, None, render(report) if report.errors else ""
        if story is not None and not problem:
            try:
                origin = engine.start(story, start_at, values)
            except PlayError as e:
                problem = str(e)
        if story is None or origin is None:
            watcher.everything = True  # any file may hold the fix: a source not named yet
            what = "does not check yet" if last is None and not broken else "no longer checks"
            screen.show(screens.message(f"The story {what}{after}. The game waits here until it does: "
                                        "fix it and save, and it goes on.", screen.width))
            screen.show(problem + "\n")
            broken = True
            try:
                _wait(screen)
            except Changed:
                continue
        watcher.follow(story)
        history: Sequence[State]
        if last is None:
            if broken:
                screen.show(screens.message(f"The story checks now{after}: the game begins.", screen.width))
            screen.show(screens.intro_text(story, screen.width, "journal, timeline, undo"))
            state, history, unlocked = origin, (), origin.facts
        else:
            steps = steps_taken(*last)
            replayed = replay(story, origin, steps)
            state, history, unlocked = replayed.states[-1], replayed.states[:-1], ()
            head = "The story checks again" if broken else "The story changed"
            screen.show(screens.message(f"{head}: reloaded{after}; {replayed_line(replayed, len(steps))}",
                                        screen.width))
        broken = False
        session = Session(story, screen, SaveFolder(home, story, writable=False), state, history, origin,
                          resume_hint=f"budapest56 play {path} --watch")
        session.verbs = PREVIEW_VERBS
        try:
            return session.run(unlocked)
        except Changed:
            last = (story, session.state)


def _wait(screen: Screen) -> NoReturn:
    """Until a file changes (Changed) or the player leaves (Quit)."""
    while True:
        answer = screen.read(WAITING)
        typed = answer.strip().lower() if isinstance(answer, str) else ""
        if answer == 0 or typed in ("1", "q", "quit", "exit"):
            raise Quit
        screen.show(screens.message("The story still does not check: fix what is listed above and save; "
                                    "the game goes on by itself. (1 leaves.)", screen.width))


# -- check --watch -------------------------------------------------------------------------------
def check_live(path: Path, once: Callable[[], int], out: TextIO | None = None, clear: bool = True) -> int:
    """Run `once` (a check that prints its findings), then again after every change in the
    story's folder, each time under a time stamp written to `out` (stdout unless given), on a
    cleared screen when `out` is a terminal and `clear` allows. Ctrl-C ends it: exit 0."""
    need_watchfiles()
    out = out or sys.stdout
    folder = (path if path.is_dir() else path.parent).resolve()
    clear = clear and out.isatty() and os.environ.get("TERM") != "dumb"
    try:
        for n, batch in enumerate(watch_folder(folder, lambda _: True)):
            what = "checked" if n == 0 else f"re-checked after a change to {names(folder, batch)}"
            out.write(("\x1b[H\x1b[2J" if clear else "\n" if n else "")
                      + f"[{time.strftime('%H:%M:%S')}] {path}: {what} (Ctrl-C stops watching)\n")
            out.flush()
            try:
                once()
            except Budapest56Error as e:  # the folder itself went away: say so, and keep watching
                print(e, file=sys.stderr)
            sys.stderr.flush()
            out.flush()
    except KeyboardInterrupt:
        out.write("\nStopped watching.\n")
    except OSError as e:
        print(f"cannot watch {folder}: {e}", file=sys.stderr)
        return 1
    return 0
