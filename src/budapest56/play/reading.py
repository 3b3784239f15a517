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

import multiprocessing
import os
import random
import statistics
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from .. import engine
from ..analysis.compiled import compiled
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

    def __init__(self, count: Counter, expert: Expert) -> None:
        self.words, self._count = 0, count
        self._expert = expert

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
    return _words_read(story, path, count or word_counter(), reviews, seed, Expert(story))


def _words_read(story: Story, path: Sequence[int], words: Counter, reviews: bool, seed: int,
                expert: Expert) -> int:
    reader = _Reader(words, expert)
    review = reviewer(story, reader, _Memory(story), random.Random(seed), lambda: REVIEW_DAY) if reviews else None
    # The playthrough is replayed in the compiled run form (analysis/compiled.py, held equal to
    # the engine by its tests); an engine State is built only where a screen is rendered for
    # the first time and where a chapter's review runs.
    c = compiled(story)
    node, vals, found, edges = c.run_start()

    def state() -> engine.State:
        return c.decode_run(node, vals, found, edges)

    total = words(("intro",), lambda: screens.intro_text(story, WIDTH))
    fresh = 0  # found[fresh:]: the facts the move here unlocked (all of them, at the start)
    for index in (*path, None):
        # A screen's words depend only on its node, the text parts shown and the facts announced
        # (the counts in it are one word each, whatever their value); a menu's on its node and
        # which of its choices are available. Each render runs at once, inside words(), so the
        # closures below see this step's values.
        unlocked = tuple(c.facts[f] for f in found[fresh:])
        total += words(("scene", node, c.text_shown(node, vals), unlocked),
                       lambda: screens.node_screen(story, state(), WIDTH, False, unlocked))  # noqa: B023
        node_id = c.ids[node]
        if c.ending[node]:
            total += words(("all-games",), lambda: screens.all_games_line(story, state().facts, [node_id]))  # noqa: B023
            if review is not None:  # the last chapter's review, after the ending
                review(story.nodes[node_id].chapter, state())
        options = c.run_options(node, vals)
        total += words(("menu", node, tuple(options)),
                       lambda: screens.menu_lines(screens.menu_for(story, state()), WIDTH))
        if index is None:
            break
        edge = c.out[node][index] if 0 <= index < len(c.out[node]) else -1
        if edge not in options:
            engine.choose(story, state(), index)  # says why, as the game would
        fresh = len(found)
        node = c.run_step(vals, found, edges, edge)
        finished = story.nodes[node_id].chapter
        if review is not None and story.nodes[c.ids[node]].chapter != finished:
            review(finished, state())  # the session's interlude, at the same moment
    return total + reader.words


def playthroughs(story: Story, runs: int = 1_000, seed: int = 1956) -> Reading | None:
    """The spread of words read and facts found over random playthroughs that end; None when
    none does (the test command says why)."""
    ends: list[engine.State] = []
    random_runs(story, runs, seed, finished=ends.append)
    if not ends:
        return None
    paths = [s.path for s in ends]
    words = _in_two(story, paths) if len(paths) >= TWO_FROM and _can_fork() else _words_of(story, paths)
    return Reading(len(ends), seed, Spread.of(words), Spread.of([len(s.facts) for s in ends]))


# Below this many playthroughs a second process costs more than it saves (starting it is about
# as long as 50 playthroughs' reviews).
TWO_FROM = 200
_forked: list[Story] = []  # the story a forked worker measures: inherited, never pickled


def _words_of(story: Story, paths: Sequence[Sequence[int]]) -> list[int]:
    count, expert = word_counter(), Expert(story)  # the expert only looks answers up: one serves all
    return [_words_read(story, p, count, True, 0, expert) for p in paths]


def _words_of_forked(paths: Sequence[Sequence[int]]) -> list[int]:
    return _words_of(_forked[0], paths)


def _can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _in_two(story: Story, paths: list[tuple[int, ...]]) -> list[int]:
    """The words of every playthrough, the second half measured by a forked process at the same
    time: each playthrough is measured on its own (its own reviews, a fresh profile), so where
    it is measured changes nothing, and the halves come back in order."""
    half = len(paths) // 2
    _forked[:] = [story]
    try:
        pool = multiprocessing.get_context("fork").Pool(1)
    except OSError:  # no process to be had (limits, a sandbox): one does it all
        return _words_of(story, paths)
    try:
        with pool:
            theirs = pool.apply_async(_words_of_forked, (paths[half:],))
            mine = _words_of(story, paths[:half])
            return mine + theirs.get()
    finally:
        _forked.clear()
