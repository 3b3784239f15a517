"""The reviews inside the game: the learning layer's side of the session's chapter-end hook.

    session.interlude = chapter_review(story, screen, home)

At the end of each chapter (and at the ending, for the last one) the player is offered a few
questions: the playthrough's budget shared over its chapter ends (schedule.chapter_questions),
first one missed at an earlier end, then the facts found in the chapter just finished. Never
before a scene has been read, never one already answered right in this playthrough. The offer
is one prompt: answer, not now, or turn chapter reviews off (remembered in the profile;
`budapest56 review --chapter-reviews on` turns them back on). The story never depends on the
answers. Each answer is saved at once, so quitting in the middle (Ctrl-C, Ctrl-D) loses nothing.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Protocol

from ..engine import State, is_ending, unlocked_by
from ..errors import ProfileError
from ..persist.profile import Progress, load_progress, save_progress
from ..persist.storage import NotSaving
from ..story.model import Story
from .quiz import Screen, fill, run_quiz
from .schedule import Item, chapter_questions, read_book, unlocked_in, with_book

SKIP_SETTING = "skip_reviews"  # Progress.settings key: True = no review at chapter breaks
TAKE, NOT_NOW, NEVER = range(3)


class Store(Protocol):
    """Where the player's progress lives: the profile on disk, or (for the reading measure) memory."""

    def load(self) -> Progress | None: ...   # None: it cannot be read (the game has said so)

    def save(self, progress: Progress) -> str: ...  # '' when saved, else what went wrong, in words


class ProfileStore:
    def __init__(self, home: Path, story: str) -> None:
        self.home, self.story = home, story

    def load(self) -> Progress | None:
        try:
            return load_progress(self.home, self.story)
        except ProfileError:
            return None  # the session has already said so and started a new profile

    def save(self, progress: Progress) -> str:
        try:
            save_progress(self.home, progress)
        except NotSaving:
            return ""  # a folder the game cannot write to: the player was told so when it started
        except OSError as e:
            return f"Could not save your review answers in {self.home}: {e.strerror or e}. The story goes on."
        return ""


def chapter_review(story: Story, screen: Screen, home: Path, rng: random.Random | None = None,
                   today: Callable[[], date] = date.today) -> Callable[[str, State], None]:
    """The callable the session runs when the player finishes a chapter (and at the ending)."""
    return reviewer(story, screen, ProfileStore(home, story.id), rng or random.Random(), today)


def offer(story: Story, items: list[Item], chapter: str, returning: int) -> str:
    """The one prompt at a chapter end."""
    title = story.chapters[chapter].title if chapter in story.chapters else "this chapter"
    back = "" if not returning else f" ({'one' if returning == 1 else returning} you missed earlier)"
    return (f"End of chapter: a short review, {_count(items)} on what you found in “{title}”{back}. "
            "No marks; the story does not depend on it.")


def _count(items: list[Item]) -> str:
    return f"{len(items)} question{'s' * (len(items) != 1)}"


def reviewer(story: Story, screen: Screen, store: Store, rng: random.Random,
             today: Callable[[], date]) -> Callable[[str, State], None]:
    def review(chapter: str, state: State) -> None:
        progress = store.load()
        if progress is None or progress.settings.get(SKIP_SETTING) is True:
            return
        book = read_book(progress.review).playing(state.path)
        day = today()
        here = unlocked_in(story, state.trail, state.path, state.facts, chapter)
        if not is_ending(story, state) and len(state.trail) >= 2 and state.path:
            # The choice into the next chapter may have unlocked facts no scene has shown yet.
            unseen = set(unlocked_by(story, state.trail[-2], state.path[-1]))
            here = [f for f in here if f not in unseen]
        items = chapter_questions(story, book, here, chapter, day, rng, found=state.facts)
        if not items:
            return
        width = getattr(screen, "width", 78)
        answer = "Answer it" if len(items) == 1 else "Answer them"
        returning = sum(it.key in book.run.returning for it in items)
        choice = screen.ask(fill(offer(story, items, chapter, returning), width),
                            [answer, "Not now", "Turn chapter reviews off"])
        if choice == NEVER:
            problem = store.save(replace(progress, settings={**progress.settings, SKIP_SETTING: True}))
            screen.show(fill(problem or "Chapter reviews are off. 'budapest56 review --chapter-reviews on' turns "
                             "them back on; 'budapest56 review' asks about everything you have found, whenever "
                             "you like.", width) + "\n")
            return
        if choice != TAKE:
            screen.show("Review skipped.\n")
            return
        problems: list[str] = []
        kept = progress  # the profile, as each answer updates it

        def save(item: Item, right: bool) -> None:
            nonlocal book, kept
            book = book.answered(item, right, day, "chapter")
            kept = with_book(kept, book)
            if not problems and (problem := store.save(kept)):
                problems.append(problem)  # said once, after the review; the quiz itself goes on

        result = run_quiz(items, screen, rng, save)
        if problems:
            screen.show(fill(problems[0], width) + "\n")
        elif result.missed and is_ending(story, state):
            screen.show(fill("What you missed comes back when you run 'budapest56 review'.", width) + "\n")
        elif any(it.key in book.run.returning for it in result.missed):
            screen.show(fill("What you missed comes back at a later chapter's end, once.", width) + "\n")
        elif result.missed:  # missed on its one return: from now on, the review command's
            screen.show(fill("What you missed comes back when you run 'budapest56 review'.", width) + "\n")

    return review
