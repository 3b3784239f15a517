"""The reviews inside the game: the learning layer's side of the session hooks.

    session.interlude = chapter_review(story, screen, home)
    session.opening = returning_review(story, screen, home)

At the break after chapter N the player is offered 2–4 questions on the facts found in chapter
N, and only those. Questions missed there come back at the start of chapter N+1, once its first
scene has been read (a short gap helps recall), mixed with one or two from earlier chapters.
Each time the player may answer, skip it this time, or turn chapter reviews off (remembered in
the profile; `budapest56 review --chapter-reviews on` turns them back on). The story never
depends on the answers. Each answer is saved at once, so quitting in the middle of a review
(Ctrl-C, Ctrl-D) loses nothing.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..engine import State, is_ending
from ..errors import ProfileError
from ..persist.profile import Progress, load_progress, save_progress
from ..story.model import Story
from .quiz import Screen, fill, run_quiz
from .schedule import Book, Item, chapter_questions, read_book, returning_questions, unlocked_in, with_book

SKIP_SETTING = "skip_reviews"  # Progress.settings key: True = no review at chapter breaks
TAKE, NOT_NOW, NEVER = range(3)


Picker = Callable[[Story, Book, State, str, date, random.Random], tuple[list[Item], str]]


def chapter_review(story: Story, screen: Screen, home: Path, rng: random.Random | None = None,
                   today: Callable[[], date] = date.today) -> Callable[[str, State], None]:
    """The callable the session runs when the player finishes a chapter."""
    return _reviewer(story, screen, home, rng or random.Random(), today, _at_break)


def returning_review(story: Story, screen: Screen, home: Path, rng: random.Random | None = None,
                     today: Callable[[], date] = date.today) -> Callable[[str, State], None]:
    """The callable the session runs once the first scene of a chapter has been read."""
    return _reviewer(story, screen, home, rng or random.Random(), today, _at_opening)


def _at_break(story: Story, book: Book, state: State, chapter: str, day: date,
              rng: random.Random) -> tuple[list[Item], str]:
    here = unlocked_in(story, state.trail, state.path, state.facts, chapter)
    items = chapter_questions(story, book, here, day, rng)
    title = story.chapters[chapter].title if chapter in story.chapters else "this chapter"
    return items, (f"End of chapter: a short review, {_count(items)} on what you found in “{title}”. "
                   "No marks; the story does not depend on it.")


def _at_opening(story: Story, book: Book, state: State, chapter: str, day: date,
                rng: random.Random) -> tuple[list[Item], str]:
    earlier = [f for f in state.facts if f not in unlocked_in(story, state.trail, state.path, state.facts, chapter)]
    items = returning_questions(story, book, earlier, day, rng)
    missed = sum(it.key in book.pending for it in items)
    return items, (f"Before you go on: {_count(items)} from earlier chapters, {missed} of them missed last "
                   "time. No marks; the story does not depend on it.")


def _count(items: list[Item]) -> str:
    return f"{len(items)} question{'s' * (len(items) != 1)}"


def _reviewer(story: Story, screen: Screen, home: Path, rng: random.Random, today: Callable[[], date],
              pick: Picker) -> Callable[[str, State], None]:
    def review(chapter: str, state: State) -> None:
        try:
            progress = load_progress(home, story.id)
        except ProfileError:
            return  # the session has already said so and started a new profile; no review this time
        if progress.settings.get(SKIP_SETTING) is True:
            return
        book = read_book(progress.review)
        day = today()
        items, offer = pick(story, book, state, chapter, day, rng)
        if not items:
            return
        width = getattr(screen, "width", 78)
        answer = "Answer it" if len(items) == 1 else "Answer them"
        choice = screen.ask(fill(offer, width), [answer, "Not now", "Turn chapter reviews off"])
        if choice == NEVER:
            problem = _store(home, replace(progress, settings={**progress.settings, SKIP_SETTING: True}))
            screen.show(fill(problem or "Chapter reviews are off. 'budapest56 review --chapter-reviews on' turns "
                             "them back on; 'budapest56 review' asks about everything you have found, whenever "
                             "you like.", width) + "\n")
            return
        if choice != TAKE:
            screen.show("Review skipped.\n")
            return
        problems: list[str] = []

        def save(item: Item, right: bool) -> None:
            nonlocal book, progress
            book = book.answered(item, right, day, "chapter")
            progress = with_book(progress, book)
            if not problems and (problem := _store(home, progress)):
                problems.append(problem)  # said once, after the review; the quiz itself goes on

        result = run_quiz(items, screen, rng, save)
        if problems:
            screen.show(fill(problems[0], width) + "\n")
        elif result.missed and is_ending(story, state):
            screen.show(fill("What you missed comes back when you run 'budapest56 review'.", width) + "\n")
        elif result.missed:
            screen.show("What you missed comes back early in the next chapter.\n")

    return review


def _store(home: Path, progress: Progress) -> str:
    """Save the profile; '' when done, else what went wrong in words (never a traceback mid-game)."""
    try:
        save_progress(home, progress)
    except OSError as e:
        return f"Could not save your review answers in {home}: {e.strerror or e}. The story goes on."
    return ""
