"""Asking questions, whatever the screen: the quiz runner and its feedback.

    run_quiz(items, screen, rng, on_answer) -> QuizResult

A screen is anything with `show(text)` and `ask(prompt, options) -> int | None` (None: the
player skipped; the rest of the quiz is skipped too), and optionally `width`: the game's own
screens (ui.plain, ui.terminal) and the tests' scripted ones. Ctrl-C or the end of input raise
out of `ask` (session.Quit); answers given so far were already passed to `on_answer`.
Feedback is immediate and low-stakes: right, with the fact and the source's words; or wrong,
with the answer, the fact, its summary and quote (and its authors' note, labelled, either way);
at the end, "You recalled 3 of 4." and no grade.
"""
from __future__ import annotations

import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..story.model import NOTE_LABEL
from . import kinds
from .schedule import Item

Screen = kinds.Screen


@dataclass(frozen=True, slots=True)
class QuizResult:
    answers: tuple[tuple[Item, bool], ...]  # each question answered, and whether rightly
    stopped: bool                           # the player skipped the rest

    @property
    def right(self) -> int:
        return sum(ok for _, ok in self.answers)

    @property
    def missed(self) -> list[Item]:
        return [it for it, ok in self.answers if not ok]


options_for = kinds.options_for


def feedback(item: Item, right: bool, width: int = 78) -> str:
    """What the player reads after answering: the verdict, then the record it rests on. A right
    answer is confirmed by the source's words; a wrong one also gets the fact's summary again, to
    learn from. An authors' note follows either way, labelled."""
    fact = item.fact
    if item.question.kind == "order":  # the record of each, in the order they happened
        verdict = "Right." if right else f"Not quite. {_answer(item)}"
        lines = [fill(verdict, width)] + [fill(f"{f.shown_date}: {f.title}", width, "  ") for f in item.events]
        return "\n".join(lines) + "\n"
    record = fill(f"From the record: {fact.title} ({fact.shown_date})", width)
    if right:
        lines = [fill("Right.", width), record, fill(f"“{fact.quote}”", width, "  ")]
    else:
        lines = [fill(f"Not quite. {_answer(item)}", width), record, fill(fact.summary, width, "  "),
                 fill(f"“{fact.quote}”", width, "  ")]
    if fact.context:  # after the record and marked, so the authors' words are not taken for the source's
        lines.append(fill(f"{NOTE_LABEL}: {fact.context}", width, "  "))
    return "\n".join(lines) + "\n"


def _answer(item: Item) -> str:
    q = item.question
    if q.kind == "source":
        return ("That line is the record's own words." if q.answer == "record"
                else "That line is the story's: the source does not say it.")
    if q.kind == "order":
        return "In the order they happened:"
    return f"The answer is: {q.answer}."


@lru_cache(maxsize=4096)  # the reading measure asks the same questions a thousand times
def fill(text: str, width: int, indent: str = "") -> str:
    """One paragraph wrapped to the screen: front ends print text as they get it."""
    return textwrap.fill(" ".join(text.split()), max(width, 20), initial_indent=indent, subsequent_indent=indent)


def recalled(right: int, asked: int) -> str:
    return f"You recalled {right} of {asked}.\n"


def run_quiz(items: list[Item], screen: Screen, rng: random.Random,
             on_answer: Callable[[Item, bool], None] | None = None) -> QuizResult:
    """Ask each question in turn; stop early when the screen returns None.

    `on_answer` is called after every answer, so a caller can save at once and lose nothing
    to Ctrl-C or a closed terminal."""
    answers: list[tuple[Item, bool]] = []
    width = getattr(screen, "width", 78)
    for number, item in enumerate(items, 1):
        right = kinds.ask(item, f"Question {number} of {len(items)}", screen, rng, fill, width)
        if right is None:
            return _finish(screen, answers, stopped=True)
        answers.append((item, right))
        if on_answer is not None:
            on_answer(item, right)
        screen.show(feedback(item, right, width))
    return _finish(screen, answers, stopped=False)


def _finish(screen: Screen, answers: list[tuple[Item, bool]], stopped: bool) -> QuizResult:
    result = QuizResult(tuple(answers), stopped)
    if answers:
        screen.show(recalled(result.right, len(answers)))
    return result
