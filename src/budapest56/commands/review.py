"""`budapest56 review [PATH]`: spaced review of every fact the player has ever found.

Five to ten questions, missed and due ones first (learning.session_questions), on the game's
own screens: the terminal one at a terminal, plain mode (numbered answers, one a line) for
pipes, --plain and screen readers. Each answer is saved to the profile at once, so Ctrl-C or
the end of input loses nothing.
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..errors import UsageError
from ..learning.quiz import Screen, fill, recalled, run_quiz
from ..learning.reviews import SKIP_SETTING
from ..learning.schedule import SESSION_MAX, Book, Item, next_due, read_book, session_questions, with_book
from ..persist.lock import acquire_lock, locked_message
from ..persist.profile import Progress, save_progress
from ..persist.storage import data_home
from ..play.contract import Quit
from ..play.front import screen_for
from ..story.model import Story
from .common import add_story_argument, load_or_report, whole_number
from .progress import open_progress


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    parser.add_argument("--plain", action="store_true",
                        help="plain text mode (the default when input or output is not a terminal)")
    parser.add_argument("--width", type=whole_number, metavar="N", help="wrap text at N columns")
    parser.add_argument("--count", type=whole_number, metavar="N",
                        help=f"at most N questions (default {SESSION_MAX}; fewer when fewer are waiting)")
    parser.add_argument("--seed", type=whole_number, metavar="N", help="choose and order questions reproducibly")
    parser.add_argument("--chapter-reviews", choices=("on", "off"),
                        help="turn the review at the end of each chapter on or off, and stop")


def run(args: argparse.Namespace) -> int:
    if args.count is not None and not 1 <= args.count <= 50:
        raise UsageError("--count must be between 1 and 50")
    if args.width is not None and not 20 <= args.width <= 1000:
        raise UsageError(f"--width must be between 20 and 1000, not {args.width}")
    story = load_or_report(args.path)
    if story is None:
        return 1
    home = data_home()
    lock = acquire_lock(home)  # a game running on this folder would write the profile over these answers
    if lock is None:
        print(locked_message(home), file=sys.stderr)
        return 1
    try:
        return _review(story, home, args)
    finally:
        lock.release()


def _review(story: Story, home: Path, args: argparse.Namespace) -> int:
    progress = open_progress(home, story)
    if progress is None:
        return 1
    try:
        if args.chapter_reviews:
            save_progress(home, replace(progress, settings={**progress.settings,
                                                            SKIP_SETTING: args.chapter_reviews == "off"}))
            print(f"Chapter-end reviews are now {args.chapter_reviews}.")
            return 0
        return _session(story, home, progress, args)
    except OSError as e:
        print(f"budapest56 review: cannot save your progress in {home}: {e.strerror or e}", file=sys.stderr)
        return 1


def _when_next(story: Story, book: Book, found: list[str], today: date) -> str:
    upcoming = next_due(story, book, found, today)
    if upcoming is None:
        return ""
    day, count = upcoming
    when = "now" if day == today else "tomorrow" if (day - today).days == 1 else f"on {day.day} {day.strftime('%B %Y')}"
    return f"Next: {count} question{'s' * (count != 1)} waiting {when}.\n"


def _session(story: Story, home: Path, progress: Progress, args: argparse.Namespace) -> int:
    found = [f for f in progress.facts_found if f in story.facts]
    if not found:
        print("You have not found any facts yet, so there is nothing to review.")
        print("Play first ('budapest56'); every fact you find joins your review.")
        return 0
    book = read_book(progress.review)
    rng = random.Random(args.seed)
    today = date.today()
    items = session_questions(story, book, found, today, rng, args.count or SESSION_MAX)
    if not items:
        print("None of the facts you have found has review questions yet.")
        return 0
    screen: Screen = screen_for(args.plain, args.width)

    given: list[bool] = []

    def save(item: Item, right: bool) -> None:
        nonlocal book, progress
        given.append(right)
        book = book.answered(item, right, today, "review")
        progress = with_book(progress, book)
        save_progress(home, progress)

    missed_before = sum(1 for it in items if (card := book.cards.get(it.key)) and card.missed)
    intro = f"Review: {len(items)} question{'s' * (len(items) != 1)} on the {len(found)} facts you have found"
    intro += f", {missed_before} you missed last time." if missed_before else "."
    screen.show(fill(intro + " Skipping a question ends the review; your answers are kept.",
                     getattr(screen, "width", 78)) + "\n\n")
    try:
        result = run_quiz(items, screen, rng, save)
    except (Quit, KeyboardInterrupt, EOFError):
        screen.show((recalled(sum(given), len(given)) if given else "")
                    + "Stopped. Your answers so far are saved. Goodbye.\n")
        return 0
    if result.missed:
        screen.show("The ones you missed come back next time.\n")
    screen.show(_when_next(story, book, found, today) + ("Progress saved. Goodbye.\n" if result.answers
                                                         else "Nothing answered, nothing changed. Goodbye.\n"))
    return 0
