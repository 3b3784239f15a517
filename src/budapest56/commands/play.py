"""`budapest56 [play] [PATH]`: play a story."""
from __future__ import annotations

import argparse
import sys

from .. import engine
from ..engine import State
from ..errors import PlayError, UsageError
from ..learning.gain import after_check, before_check
from ..learning.reviews import chapter_review
from ..persist.saves import SaveFolder
from ..persist.storage import data_home
from ..play.contract import Quit
from ..play.front import screen_for
from ..play.opening import open_game
from .common import add_story_argument, load_or_report


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    parser.add_argument("--plain", action="store_true",
                        help="plain text mode: no colours or screen control (for pipes and screen readers)")
    parser.add_argument("--continue", dest="resume", action="store_true",
                        help="continue the last game, exactly where you left off")
    parser.add_argument("--width", type=int, metavar="N", help="wrap text at N columns")
    parser.add_argument("--from", dest="start_at", metavar="NODE", help="start at this node (for authors)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="set a flag (true/false) or counter before starting; repeatable")
    parser.add_argument("--before-check", action="store_true",
                        help="offer the 'What do you know already?' questions in plain mode too "
                             "(a terminal offers them by itself, once)")


def parse_values(pairs: list[str]) -> dict[str, bool | int]:
    values: dict[str, bool | int] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        raw = raw.strip().lower()
        if not sep or not name.strip():
            raise UsageError(f"--set takes NAME=VALUE, not '{pair}'")
        if raw in ("true", "false"):
            values[name.strip()] = raw == "true"
        elif raw.lstrip("-").isdecimal():
            values[name.strip()] = int(raw)
        else:
            raise UsageError(f"--set {name}: the value must be true, false or a whole number, not '{raw}'")
    return values


def run(args: argparse.Namespace) -> int:
    if args.width is not None and not 20 <= args.width <= 1000:
        raise UsageError(f"--width must be between 20 and 1000, not {args.width}")
    story = load_or_report(args.path)
    if story is None:
        return 1
    try:
        fresh = engine.start(story, args.start_at, parse_values(args.set))
    except PlayError as e:
        print(e, file=sys.stderr)
        return 1
    screen = screen_for(args.plain, args.width)
    hint = "budapest56 --continue" if args.path is None else f"budapest56 play {args.path} --continue"
    saves = SaveFolder(data_home(), story)
    try:
        opened = open_game(story, screen, saves, fresh, args.resume, hint)
    except (Quit, KeyboardInterrupt, EOFError):
        opened = None
    if opened is None:
        screen.show("Goodbye!\n")
        return 0
    session, unlocked = opened
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
