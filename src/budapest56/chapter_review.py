"""The review at each chapter break of the game: the learning layer's side of the session hook.

    session.interlude = chapter_review(story, screen, home)

At the break after chapter N the player is offered one short quiz: questions missed at an
earlier break come back first, mixed with one or two from earlier chapters, then 2–4 questions
on the facts found in chapter N, and only those. The player may take it, skip it this time, or
turn chapter reviews off (remembered in the profile; `budapest56 review --chapter-reviews on`
turns them back on). The story never depends on the answers. Each answer is saved at once, so
quitting in the middle of a review (Ctrl-C, Ctrl-D) loses nothing.
"""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable

from .engine import State
from .errors import StoryError
from .learning import Item, chapter_questions, read_book, returning_questions, unlocked_in, with_book
from .model import Story
from .profile import Progress, load_progress, save_progress
from .quiz import Screen, fill, run_quiz

SKIP_SETTING = "skip_reviews"  # Progress.settings key: True = no review at chapter breaks
TAKE, NOT_NOW, NEVER = range(3)


def chapter_review(story: Story, screen: Screen, home: Path, rng: random.Random | None = None,
                   today: Callable[[], date] = date.today) -> Callable[[str, State], None]:
    """The callable the session runs when the player finishes a chapter."""
    rng = rng or random.Random()

    def interlude(finished: str, state: State) -> None:
        try:
            progress = load_progress(home, story.id)
        except StoryError:
            return  # the session has already said so and started a new profile; no review this time
        if progress.settings.get(SKIP_SETTING) is True:
            return
        book = read_book(progress.review)
        day = today()
        here = unlocked_in(story, state.trail, state.path, state.facts, finished)
        earlier = [f for f in state.facts if f not in here]
        back = returning_questions(story, book, earlier, day, rng)
        new = chapter_questions(story, book, here, day, rng)
        items = back + new
        if not items:
            return
        width = getattr(screen, "width", 78)
        choice = screen.ask(fill(_offer(story, finished, len(new), len(back)), width),
                            ["Answer them", "Not now", "Turn chapter reviews off"])
        if choice == NEVER:
            problem = _store(home, replace(progress, settings={**progress.settings, SKIP_SETTING: True}))
            screen.show(fill(problem or "Chapter reviews are off. 'budapest56 review --chapter-reviews on' turns "
                             "them back on; 'budapest56 review' asks about everything you have found, whenever "
                             "you like.", width) + "\n")
            return
        if choice != TAKE:
            screen.show("Review skipped. The story goes on.\n")
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
        elif result.missed:
            screen.show("What you missed comes back at the next chapter break.\n")

    return interlude


def _store(home: Path, progress: Progress) -> str:
    """Save the profile; '' when done, else what went wrong in words (never a traceback mid-game)."""
    try:
        save_progress(home, progress)
    except OSError as e:
        return f"Could not save your review answers in {home}: {e.strerror or e}. The story goes on."
    return ""


def _offer(story: Story, finished: str, new: int, back: int) -> str:
    chapter = story.chapters.get(finished)
    name = f"“{chapter.title}”" if chapter else "this chapter"
    parts = [f"{new} on what you found in {name}" if new else "",
             f"{back} from earlier chapters" if back else ""]
    total = new + back
    return (f"End of chapter: a short review, {total} question{'s' * (total != 1)} "
            f"({' and '.join(p for p in parts if p)}). No marks; the story does not depend on it.")
