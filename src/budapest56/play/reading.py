"""How long a playthrough takes: the words a player reads on the way to an ending, measured
over random playthroughs, so an author can see whether a story plays in 20 minutes or an hour.

    words_read(story, path)            -> int       one playthrough, replayed from its choices
    playthroughs(story, runs, seed)    -> Reading   many random ones

"Read" means exactly what plain mode prints for that playthrough, prompts and the player's own
answers aside: the first screen, every scene as play/screens.py words it (its heading, the text
whose conditions hold, each fact as it unlocks, the ending), every menu, and the line that
counts all games at the ending. The chapter reviews are not counted here.
"""
from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial

from .. import engine
from ..analysis.explore import random_runs
from ..story.model import Story
from . import screens
from .contract import Text

# Silent reading with comprehension is about 204 words a minute in grade 8 and 224 in grade 10
# (Taylor, Frackenpohl and Pettee, 1960). The slower end, so the estimate does not flatter.
WORDS_PER_MINUTE = 200
WIDTH = 78  # words do not depend on the width; one is needed to render


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


def words_read(story: Story, path: Sequence[int], count: Counter | None = None) -> int:
    words = count or word_counter()
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
        menu = screens.menu_for(story, state)
        total += words(("menu", menu.items), partial(screens.menu_lines, menu, WIDTH))
        if index is None:
            break
        before, state = state, engine.choose(story, state, index)
        unlocked = engine.new_facts(before, state)
    return total


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
