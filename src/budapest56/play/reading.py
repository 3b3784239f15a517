"""How long a playthrough takes: the words a player reads on the way to an ending, measured
over random playthroughs, so an author can see whether a story plays in 20 minutes or an hour.

    words_read(story, path)            -> int       one playthrough, replayed from its choices
    playthroughs(story, runs, seed)    -> Reading   many random ones

"Read" means what the screen shows: the scene text whose conditions hold on arrival, the
labels of the choices shown, each fact as it unlocks (summary and quote) and the epilogue.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Callable

from .. import engine
from ..analysis.explore import random_runs
from ..story.model import Story

# Silent reading with comprehension is about 204 words a minute in grade 8 and 224 in grade 10
# (Taylor, Frackenpohl and Pettee, 1960). The slower end, so the estimate does not flatter.
WORDS_PER_MINUTE = 200


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


def word_counter() -> Callable[[str], int]:
    """len(text.split()), remembered: a thousand runs read the same few hundred texts."""
    known: dict[str, int] = {}

    def count(text: str) -> int:
        n = known.get(text)
        if n is None:
            n = known[text] = len(text.split())
        return n

    return count


def words_read(story: Story, path: tuple[int, ...], count: Callable[[str], int] | None = None) -> int:
    words_in = count or word_counter()
    state = engine.start(story)
    words, known = 0, 0
    for index in (*path, None):
        node = story.nodes[state.node]
        words += sum(words_in(story.facts[f].summary) + words_in(story.facts[f].quote) for f in state.facts[known:])
        known = len(state.facts)
        words += sum(map(words_in, engine.narrative(story, state)))
        words += sum(words_in(o.choice.label) for o in engine.choices(story, state) if o.visible)
        if node.ending:
            words += words_in(node.ending.epilogue)
        if index is None:
            break
        state = engine.choose(story, state, index)
    return words


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
