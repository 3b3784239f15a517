"""`budapest56 stats` counts exactly the words plain mode prints: one rule for what a screen shows."""
from __future__ import annotations

import io
import random
import re

import pytest

from budapest56 import engine
from budapest56.analysis.explore import player_numbers, random_runs
from budapest56.learning.kinds import Expert
from budapest56.learning.reviews import chapter_review
from budapest56.persist.saves import SaveFolder
from budapest56.play.keeper import Keeper
from budapest56.play.opening import open_game
from budapest56.play.plain import PlainScreen
from budapest56.play.reading import REVIEW_DAY, count_words, word_counter, words_read
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story

OPTION = re.compile(r"^  (\d+)\. (.*)$")


class Student:
    """Types the playthrough's numbers at the main prompt and, at a review, takes it and answers
    every question right, reading the question off the screen as a player would."""

    def __init__(self, story, numbers: list[int], out: io.StringIO) -> None:
        self.numbers, self.out = list(numbers), out
        self.expert = Expert(story)

    def __call__(self) -> str | None:
        block = self.out.getvalue().rstrip("> ").rsplit("\n\n", 1)[-1]
        if "(Type your answer" in block:
            return self.expert.type(block.partition("(Type your answer")[0]) + "\n"
        lines = block.splitlines()
        first = next((i for i, line in enumerate(lines) if OPTION.match(line)), len(lines))
        prompt = " ".join(" ".join(lines[:first]).split())
        options: list[str] = []
        for line in lines[first:]:
            m = OPTION.match(line)
            if m:
                options.append(m.group(2))
            elif options:
                options[-1] += " " + line.strip()
        if prompt.startswith(("End of chapter", "Question ", "And which")):
            return f"{self.expert.choose(prompt, options) + 1}\n"
        return f"{self.numbers.pop(0)}\n" if self.numbers else None


def printed(story, home, path, reviews: int | None = None) -> str:
    """What plain mode prints for a playthrough, prompts and answers aside; `reviews`: the seed of
    the chapter reviews' choices, None for no reviews."""
    out = io.StringIO()
    screen = PlainScreen(Student(story, player_numbers(story, path), out), out, echo=True)
    opened = open_game(story, screen, SaveFolder(home, story), engine.start(story), False, "budapest56 --continue")
    assert opened is not None
    session, unlocked = opened
    if reviews is not None:
        session.interlude = chapter_review(story, screen, home, random.Random(reviews), today=lambda: REVIEW_DAY)
    session.run(unlocked)
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("Saved. Goodbye!")  # the answer to the end of input, like an echo
    return "\n".join(line for line in lines[:-1] if not line.startswith("> "))


@pytest.fixture(scope="module")
def story():
    return load_story(bundled_story())


@pytest.fixture(scope="module")
def ends(story):
    found: list[engine.State] = []
    random_runs(story, 200, 56, finished=found.append)
    assert len(found) == 200
    return found


def test_stats_counts_the_words_plain_mode_prints(story, ends, tmp_path, monkeypatch):
    # 9,000 moves: the files they write are tested elsewhere; here only the words matter.
    monkeypatch.setattr(Keeper, "autosave", lambda self, state, history: True)
    count = word_counter()
    for n, end in enumerate(ends):
        text = printed(story, tmp_path / str(n), end.path)
        assert "THE END:" in text and "End of chapter" not in text
        assert count_words(text) == words_read(story, end.path, count, reviews=False), f"run {n}: {end.path}"


def test_with_the_chapter_reviews_taken_it_counts_them_too(story, ends, tmp_path, monkeypatch):
    monkeypatch.setattr(Keeper, "autosave", lambda self, state, history: True)
    count = word_counter()
    for n, end in enumerate(ends[:25]):
        text = printed(story, tmp_path / str(n), end.path, reviews=n)
        assert text.count("End of chapter: a short review") == len(story.chapters)
        assert count_words(text) == words_read(story, end.path, count, seed=n), f"run {n}: {end.path}"


@pytest.mark.parametrize("path", [(0, 0), (1, 2)])
def test_the_tiny_story_reads_as_many_words_as_it_prints(tiny, tmp_path, path):
    story = load_story(tiny)
    text = printed(story, tmp_path, path, reviews=1)
    assert count_words(text) == words_read(story, path, seed=1)
