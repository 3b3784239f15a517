"""How long a playthrough takes: the words a player reads on the way to an ending, measured
over random playthroughs, so an author can see whether a story plays in 20 minutes or an hour.

    words_read(story, path)            -> int       one playthrough, replayed from its choices
    playthroughs(story, runs, seed)    -> Reading   many random ones

"Read" means exactly what plain mode prints for that playthrough, prompts and the player's own
answers aside: the first screen, every scene as play/screens.py words it (its heading, the text
whose conditions hold, each fact as it unlocks, the ending), every menu, the line that counts
all games at the ending, and the chapter reviews of a first playthrough taken in full (the
offer, each question and its choices, the feedback): the learning layer's own reviewer runs,
against a profile in memory, with a reader who answers every question right.
"""
from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from .. import engine
from ..analysis.explore import random_runs
from ..learning.kinds import Expert
from ..learning.reviews import reviewer
from ..persist.profile import Progress
from ..story.model import Story
from . import screens
from .contract import Text

# Silent reading with comprehension is about 204 words a minute in grade 8 and 224 in grade 10
# (Taylor, Frackenpohl and Pettee, 1960). The slower end, so the estimate does not flatter.
WORDS_PER_MINUTE = 200
WIDTH = 78  # words do not depend on the width; one is needed to render
REVIEW_DAY = date(2026, 1, 1)  # any fixed day: a first playthrough's cards are all new


@dataclass(frozen=True)
class Spread:
    least: int
    median: int
    most: int

    @classmethod
    def of(cls, values: list[int]) -> Spread:
        return cls(min(values), round(statistics.median(values)), max(values))


@dataclass(frozen=True)
class Reading:
    runs: int           # random playthroughs that reached an ending
    seed: int
    words: Spread
    facts: Spread

    def minutes(self, words: int) -> int:
        return round(words / WORDS_PER_MINUTE)


Counter = Callable[[Hashable, Callable[[], Text | str]], int]


def word_counter() -> Counter:
    """count(key, render) -> the words of what render() gives, remembered by key: a thousand runs
    show the same few hundred screens, and rendering (wrapping) costs far more than a look-up."""
    known: dict[Hashable, int] = {}

    def count(key: Hashable, render: Callable[[], Text | str]) -> int:
        n = known.get(key)
        if n is None:
            shown = render()
            n = known[key] = count_words(shown if isinstance(shown, str) else screens.plain(shown))
        return n

    return count


def count_words(text: str) -> int:
    """Words as a reader meets them: runs of non-space holding a letter or a digit ('1945', '1.',
    'Rákosi's'), not the dashes and marks between them ('—', '?')."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


class _Reader:
    """A screen that only counts: it takes every review and answers every question right."""

    width, ornate, interactive = WIDTH, False, False

    def __init__(self, story: Story, count: Counter) -> None:
        self.words, self._count = 0, count
        self._expert = Expert(story)

    def show(self, text: str | Text) -> None:
        self.words += self._count(("shown", text if isinstance(text, str) else screens.plain(text)), lambda: text)

    def ask(self, prompt: str, options: Sequence[str]) -> int | None:
        self.words += self._count(("asked", prompt, tuple(options)),
                                  partial(screens.question_lines, prompt, options, WIDTH))
        return self._expert.choose(prompt, options)

    def line(self, prompt: str) -> str | None:
        self.words += self._count(("typed", prompt), partial(screens.typed_question, prompt, WIDTH))
        return self._expert.type(prompt)


class _Memory:
    """The reviews' profile, kept in memory for one playthrough: a first playthrough's."""

    def __init__(self, story: Story) -> None:
        self.progress = Progress(story.id)

    def load(self) -> Progress | None:
        return self.progress

    def save(self, progress: Progress) -> str:
        self.progress = progress
        return ""


def words_read(story: Story, path: Sequence[int], count: Counter | None = None, reviews: bool = True,
               seed: int = 0) -> int:
    """The words of one playthrough; `reviews=False` leaves the chapter reviews out, and `seed`
    picks the reviews' questions as the game's would with random.Random(seed)."""
    words = count or word_counter()
    reader = _Reader(story, words)
    review = reviewer(story, reader, _Memory(story), random.Random(seed), lambda: REVIEW_DAY) if reviews else None
    state = engine.start(story)
    total = words(("intro",), lambda: screens.intro_text(story, WIDTH))
    unlocked: Sequence[str] = state.facts
    for index in (*path, None):
        # A screen's words depend only on its node, the text parts shown and the facts announced
        # (the counts in it are one word each, whatever their value).
        shown, node = tuple(engine.narrative(story, state)), state.node
        total += words(("scene", node, shown, tuple(unlocked)),
                       partial(screens.node_screen, story, state, WIDTH, False, unlocked))
        if engine.is_ending(story, state):
            total += words(("all-games",), partial(screens.all_games_line, story, state.facts, [node]))
            if review is not None:  # the last chapter's review, after the ending
                review(story.nodes[node].chapter, state)
        menu = screens.menu_for(story, state)
        total += words(("menu", menu.items), partial(screens.menu_lines, menu, WIDTH))
        if index is None:
            break
        before, state = state, engine.choose(story, state, index)
        unlocked = engine.new_facts(before, state)
        finished = story.nodes[before.node].chapter
        if review is not None and story.nodes[state.node].chapter != finished:
            review(finished, state)  # the session's interlude, at the same moment
    return total + reader.words


def playthroughs(story: Story, runs: int = 1_000, seed: int = 1956) -> Reading | None:
    """The spread of words read and facts found over random playthroughs that end; None when
    none does (the test command says why)."""
    ends: list[engine.State] = []
    random_runs(story, runs, seed, finished=ends.append)
    if not ends:
        return None
    count = word_counter()
    return Reading(len(ends), seed, Spread.of([words_read(story, s.path, count) for s in ends]),
                   Spread.of([len(s.facts) for s in ends]))
