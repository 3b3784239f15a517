"""Asking questions, whatever the screen: the quiz runner and its feedback.

    run_quiz(items, screen, rng, on_answer) -> QuizResult

A screen is anything with `show(text)` and `ask(prompt, options) -> int | None` (None: the
player skipped or quit), so the same quiz runs in the terminal game, in plain mode and in tests.
Feedback is immediate and low-stakes: right or wrong, then the fact's summary and quote;
at the end, "You recalled 3 of 4." and no grade.
"""
from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from typing import Callable, Protocol, TextIO

from .learning import Item


class Screen(Protocol):
    def show(self, text: str) -> None: ...

    def ask(self, prompt: str, options: list[str]) -> int | None: ...


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


def options_for(item: Item, rng: random.Random) -> list[str]:
    options = [item.question.answer, *item.question.wrong]
    rng.shuffle(options)
    return options


def feedback(item: Item, right: bool, width: int = 78) -> str:
    """What the player reads after answering: the verdict, then the record it rests on."""
    fact = item.fact
    verdict = "Right." if right else f"Not quite. The answer is: {item.question.answer}."
    return "\n".join([_fill(verdict, width), _fill(f"From the record: {fact.title} ({fact.date.human()})", width),
                      _fill(fact.summary, width, "  "), _fill(f"“{fact.quote}”", width, "  ")]) + "\n"


def _fill(text: str, width: int, indent: str = "") -> str:
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
        options = options_for(item, rng)
        chosen = screen.ask(f"Question {number} of {len(items)}: {item.question.ask}", options)
        if chosen is None or not 0 <= chosen < len(options):
            return _finish(screen, answers, stopped=True)
        right = options[chosen] == item.question.answer
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


class PlainScreen:
    """The line protocol: text out, numbered options one a line, one answer read a line.

    For pipes, scripts and screen readers. 'q' or the end of input answers None."""

    STOP = ("q", "quit", "s", "skip")

    def __init__(self, read: Callable[[], str | None], out: TextIO, width: int = 78) -> None:
        self.read, self.out, self.width = read, out, width

    def show(self, text: str) -> None:
        self.out.write("\n".join(self._wrap(line) for line in text.rstrip("\n").split("\n")) + "\n\n")
        self.out.flush()

    def ask(self, prompt: str, options: list[str]) -> int | None:
        self.out.write(self._wrap(prompt) + "\n")
        for number, option in enumerate(options, 1):
            self.out.write(f"  {number}. {option}\n")
        while True:
            self.out.write("> ")
            self.out.flush()
            line = self.read()
            if line is None:
                self.out.write("\n")
                return None
            answer = line.strip().lower()
            if answer in self.STOP:
                return None
            if answer.isdigit() and 1 <= int(answer) <= len(options):
                self.out.write("\n")
                return int(answer) - 1
            self.out.write(f"Type a number from 1 to {len(options)}, or 'q' to stop.\n")

    def _wrap(self, line: str) -> str:
        indent = line[: len(line) - len(line.lstrip(" "))]
        return textwrap.fill(line.strip(), self.width, initial_indent=indent, subsequent_indent=indent) or line
