"""`budapest56 [play] [PATH]`: play a story.

Before the game starts: the data folder's lock (one game per folder), stale temporary files
of killed writes removed, and one notice when the folder cannot be written. SIGTERM and SIGHUP
(a closed terminal window, a shutdown) leave like Ctrl-C, so the goodbye save runs; once the
game is leaving, further interrupts are ignored so they cannot skip that save.

`--watch` hands the game to play/live.py: an author's preview that saves nothing, so it takes no
lock and touches no data folder.
"""
from __future__ import annotations

import argparse
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from .. import engine
from ..engine import State
from ..errors import PlayError, UsageError
from ..persist.lock import acquire_lock, locked_message
from ..persist.saves import SaveFolder
from ..persist.storage import check_writable, clean_stale_temps, data_home, not_saving_message
from ..play.contract import Quit
from ..play.front import screen_for
from ..play.opening import open_game
from ..story.controls import shown
from ..story.model import Story
from .common import add_story_argument, load_or_report, story_folder, whole_number


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    parser.add_argument("--plain", action="store_true",
                        help="plain text mode: no colours or screen control (for pipes and screen readers)")
    parser.add_argument("--continue", dest="resume", action="store_true",
                        help="continue the last game, exactly where you left off")
    parser.add_argument("--width", type=whole_number, metavar="N", help="wrap text at N columns")
    parser.add_argument("--from", dest="start_at", metavar="NODE", help="start at this node (for authors)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="set a flag (true/false) or counter before starting; repeatable")
    parser.add_argument("--before-check", action="store_true",
                        help="offer the 'What do you know already?' questions in plain mode too "
                             "(a terminal offers them by itself, once)")
    parser.add_argument("--watch", action="store_true",
                        help="a live preview for authors: reload the story when one of its files changes and "
                             "take the same choices again; a story that does not check shows its errors and "
                             "waits for the fix. Saves nothing.")


def parse_values(pairs: list[str]) -> dict[str, bool | int]:
    values: dict[str, bool | int] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        raw = raw.strip().lower()
        if not sep or not name.strip():
            raise UsageError(f"--set takes NAME=VALUE, not '{shown(pair)}'")
        if raw in ("true", "false"):
            values[name.strip()] = raw == "true"
        elif re.fullmatch(r"-?[0-9]+", raw) and len(raw.lstrip("-")) <= 9:
            values[name.strip()] = int(raw)
        elif re.fullmatch(r"-?[0-9]+", raw):
            raise UsageError(f"--set {shown(name)}: {len(raw.lstrip('-')):,} digits is too long; "
                             "counters hold whole numbers of up to 9 digits")
        else:
            raise UsageError(f"--set {shown(name)}: the value must be true, false or a whole number, "
                             f"not '{shown(raw)}'")
    return values


def run(args: argparse.Namespace) -> int:
    if args.width is not None and not 20 <= args.width <= 1000:
        raise UsageError(f"--width must be between 20 and 1000, not {args.width}")
    if args.start_at is not None and not args.start_at.strip():
        raise UsageError("--from needs the id of a node to start at, not an empty text")
    values = parse_values(args.set)
    if args.watch:
        return _play_live(args, values)
    story = load_or_report(args.path, cached=True)
    if story is None:
        return 1
    try:
        fresh = engine.start(story, args.start_at, values)
    except PlayError as e:
        print(e, file=sys.stderr)
        return 1
    home = data_home()
    lock = acquire_lock(home)
    if lock is None:
        print(locked_message(home), file=sys.stderr)
        return 1
    try:
        with _leave_on_signals():
            return _play(args, story, fresh, home)
    finally:
        lock.release()


def _play(args: argparse.Namespace, story: Story, fresh: engine.State, home: Path) -> int:
    screen = screen_for(args.plain, args.width)
    why = check_writable(home)
    if why:
        screen.show(not_saving_message(home, why) + "\n")
    else:
        clean_stale_temps(home)
    hint = "budapest56 --continue" if args.path is None else f"budapest56 play {args.path} --continue"
    saves = SaveFolder(home, story, writable=not why)
    try:
        opened = open_game(story, screen, saves, fresh, args.resume, hint)
    except (Quit, KeyboardInterrupt, EOFError):
        opened = None
    if opened is None:
        screen.show("Goodbye!\n")
        return 0
    session, unlocked = opened
    # The learning layer is imported once the first screen is up, not before it (start-up).
    from ..learning.gain import after_check, before_check
    from ..learning.reviews import chapter_review

    review = chapter_review(story, screen, saves.home)  # the learning layer's chapter-end review

    def interlude(chapter: str, state: State) -> None:
        review(chapter, state)
        if engine.is_ending(story, state):  # and at an ending, the before-check's questions again
            after_check(story, screen, saves.home)

    session.interlude = interlude
    # Only a new game (not one continued) is offered the before-check; piped plain mode asks for it,
    # so scripted answers do not shift.
    new_game = session.state is fresh
    if new_game and args.start_at is None and (screen.interactive or args.before_check):
        try:
            before_check(story, screen, saves.home)
        except (Quit, KeyboardInterrupt, EOFError):
            session.leave()
            return 0
    return session.run(unlocked)


def _play_live(args: argparse.Namespace, values: dict[str, bool | int]) -> int:
    """--watch: an author's preview, which saves nothing, so it neither continues a game nor asks
    the learning layer's questions, and takes no lock on the data folder."""
    for flag, given in (("--continue", args.resume), ("--before-check", args.before_check)):
        if given:
            raise UsageError(f"--watch plays a preview that saves nothing; it cannot be combined with {flag}")
    from ..play.live import play_live
    from .check import as_text  # the findings exactly as `budapest56 check` prints them

    with _leave_on_signals():
        return play_live(story_folder(args.path), args.plain, args.width, args.start_at, values, as_text)


_LEAVING_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextmanager
def _leave_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise KeyboardInterrupt like Ctrl-C does, so the session's own
    save-and-goodbye runs. The first of them starts the leaving; later ones are ignored,
    so a second Ctrl-C during the goodbye save cannot cut it short. (persist.storage also
    holds these signals during each write, for the Ctrl-C that the terminal UI reads as a key.)"""
    leaving = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal leaving
        if leaving:
            return
        leaving = True
        raise KeyboardInterrupt

    try:
        previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {
            s: signal.signal(s, handler) for s in _LEAVING_SIGNALS}
    except ValueError:  # not the main thread (the game run from a test or an embedding): leave them be
        yield
        return
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old if old is not None else signal.SIG_DFL)
