"""The learning layer's rules: which questions to ask, and when to ask them again.

Pure functions over the story and a `Book`, the player's review record; no I/O and no UI.
The quiz runner (quiz.py) asks; the commands and the game save `Book.as_json()` into
`Progress.review`, whose shape is:

    {"version": 1,
     "cards":    {"f_occupied#1": {"box": 2, "due": "2026-11-28", "right": 1, "wrong": 1, "missed": false}},
     "chapters": {"liberation": {"asked": 4, "right": 3}},   # by the fact's chapter, in game and in review
     "history":  [{"day": "2026-11-27", "card": "f_occupied#1", "right": true, "where": "chapter"}],
     "run":      {"path": [0, 2, 1], "asked": 3, "right": ["f_occupied#1"],   # this playthrough's reviews
                  "returning": ["f_took_over#1"], "came_back": []}}

A card is one question, keyed `<fact id>#<n>` (n counts the fact's questions from 1). The
schedule is Leitner's: a right answer moves the card up a box, a wrong one back to box 1, and
each box waits longer before the card is due again (INTERVALS). A record written by an older or
damaged game is read leniently: entries that do not fit are dropped one by one, never the file.

The game's reviews keep a rhythm (retrieval works when it is brief, spaced and effortful): a
playthrough asks at most its budget of questions (DEFAULT_BUDGET, or the story's own), spread
over its chapter ends and only there; a question answered right is not asked again in that
playthrough; one missed comes back once, at a later chapter end, and after that waits for
`budapest56 review`. `Run` is that playthrough's record.
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import combinations, pairwise
from typing import Any

from ..engine import found_in
from ..persist.profile import Progress
from ..story.model import Fact, Question, Story

VERSION = 1
INTERVALS = (0, 1, 3, 7, 16)  # days to wait in boxes 1..5; box 1 is due again at once
HISTORY_KEPT = 300             # answers remembered, newest last, so the profile stays small
CHAPTER_MAX = 4               # questions at one chapter end, at most
DEFAULT_BUDGET = 12           # questions in a whole playthrough, unless the story sets its own
SESSION_MIN, SESSION_MAX = 5, 10


@dataclass(frozen=True, slots=True)
class Item:
    """One question to ask: the card's key, the fact it tests and the question itself. An order
    question ('put these in time order') has the facts to order as `events`, earliest first, and
    the latest of them as its `fact`; the story does not write it, the dates prove it."""

    key: str
    fact: Fact
    question: Question
    events: tuple[Fact, ...] = ()


ORDER = "order:"  # the key of an order question: order:<fact id>,<fact id>,<fact id>
ORDER_EVENTS = 3


def order_item(story: Story, fact_ids: Sequence[str]) -> Item | None:
    """The order question on these facts, earliest first; None unless their dates are strictly in
    order (each over before the next begins), so the answer is proved by the data."""
    facts = sorted((story.facts[f] for f in fact_ids if f in story.facts), key=lambda f: f.date.earliest)
    if len(facts) < 2 or len(facts) != len(set(fact_ids)):
        return None
    if any(a.date.latest >= b.date.earliest for a, b in pairwise(facts)):
        return None
    question = Question("Put these in the order they happened.", facts[0].title, (), facts[-1].loc, "order")
    return Item(ORDER + ",".join(f.id for f in facts), facts[-1], question, tuple(facts))


@dataclass(frozen=True, slots=True)
class Card:
    box: int = 1
    due: str = ""          # ISO date; "" for a card never answered
    right: int = 0
    wrong: int = 0
    missed: bool = False   # the last answer was wrong


@dataclass(frozen=True)
class Run:
    """One playthrough's reviews. `path` is the playthrough's choices at its last review: a game
    whose path does not continue it (a new game, a restart, a save from elsewhere) is a new run."""

    path: tuple[int, ...] = ()
    asked: int = 0
    right: tuple[str, ...] = ()       # answered right in this playthrough: not asked again in it
    returning: tuple[str, ...] = ()   # missed, to be asked once more at a later chapter end
    came_back: tuple[str, ...] = ()   # asked that once more: from now on only `budapest56 review`

    def answered(self, key: str, right: bool) -> Run:
        returning = tuple(k for k in self.returning if k != key)
        if right:
            return replace(self, asked=self.asked + 1, right=(*self.right, key), returning=returning)
        if key in self.returning or key in self.came_back:
            came_back = self.came_back if key in self.came_back else (*self.came_back, key)
            return replace(self, asked=self.asked + 1, returning=returning, came_back=came_back)
        return replace(self, asked=self.asked + 1, returning=(*returning, key))


@dataclass(frozen=True)
class Book:
    """The player's review record for one story (immutable; `answered` returns a new one)."""

    cards: Mapping[str, Card] = field(default_factory=dict)
    chapters: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # chapter -> (asked, right)
    history: tuple[tuple[str, str, bool, str], ...] = ()                  # (day, card, right, where)
    run: Run = field(default_factory=Run)                                 # the game's current playthrough

    def answered(self, item: Item, right: bool, today: date, where: str) -> Book:
        """Record an answer: move the card between boxes and count it for its chapter."""
        old = self.cards.get(item.key, Card())
        box = min(old.box + 1, len(INTERVALS)) if right else 1
        card = Card(box, (today + timedelta(days=INTERVALS[box - 1])).isoformat(),
                    old.right + right, old.wrong + (not right), not right)
        asked, got = self.chapters.get(item.fact.chapter, (0, 0))
        run = self.run.answered(item.key, right) if where == "chapter" else self.run
        return Book({**self.cards, item.key: card},
                    {**self.chapters, item.fact.chapter: (asked + 1, got + right)},
                    (self.history + ((today.isoformat(), item.key, right, where),))[-HISTORY_KEPT:], run)

    def playing(self, path: tuple[int, ...]) -> Book:
        """The book with the run for a playthrough at `path`: this one's, or a new one."""
        same = self.run.path == path[: len(self.run.path)]
        return replace(self, run=replace(self.run if same else Run(), path=path))

    def as_json(self) -> dict[str, Any]:
        return {"version": VERSION,
                "cards": {k: {"box": c.box, "due": c.due, "right": c.right, "wrong": c.wrong, "missed": c.missed}
                          for k, c in self.cards.items()},
                "chapters": {k: {"asked": a, "right": r} for k, (a, r) in self.chapters.items()},
                "history": [{"day": d, "card": k, "right": r, "where": w} for d, k, r, w in self.history],
                "run": {"path": list(self.run.path), "asked": self.run.asked, "right": list(self.run.right),
                        "returning": list(self.run.returning), "came_back": list(self.run.came_back)}}


def read_book(data: Mapping[str, Any]) -> Book:
    """The Book stored in `Progress.review`; whatever does not fit is left out, never an error."""
    def number(value: object, low: int = 0, high: int = 10**9) -> int | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return value if ok else None  # type: ignore[return-value]

    cards: dict[str, Card] = {}
    for key, raw in _mapping(data.get("cards")).items():
        if not isinstance(raw, Mapping):
            continue
        box = number(raw.get("box"), 1, len(INTERVALS))
        right, wrong = number(raw.get("right")), number(raw.get("wrong"))
        due = raw.get("due")
        if box is not None and right is not None and wrong is not None and isinstance(due, str) and _is_day(due):
            cards[key] = Card(box, due, right, wrong, raw.get("missed") is True)
    chapters: dict[str, tuple[int, int]] = {}
    for key, raw in _mapping(data.get("chapters")).items():
        if not isinstance(raw, Mapping):
            continue
        asked, right = number(raw.get("asked")), number(raw.get("right"))
        if asked is not None and right is not None and right <= asked:
            chapters[key] = (asked, right)
    history = data.get("history")
    return Book(cards, chapters,
                tuple((h["day"], h["card"], h["right"], h["where"] if isinstance(h.get("where"), str) else "review")
                      for h in history if isinstance(h, Mapping) and isinstance(h.get("day"), str)
                      and isinstance(h.get("card"), str) and isinstance(h.get("right"), bool))
                if isinstance(history, list) else (),
                _read_run(_mapping(data.get("run"))))


def _read_run(data: Mapping[str, Any]) -> Run:
    def keys(name: str) -> tuple[str, ...]:
        value = data.get(name)
        return tuple(dict.fromkeys(k for k in value if isinstance(k, str))) if isinstance(value, list) else ()

    path, asked = data.get("path"), data.get("asked")
    if not (isinstance(path, list) and all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < 1000
                                           for i in path) and len(path) <= 100_000):
        return Run()
    count = asked if isinstance(asked, int) and not isinstance(asked, bool) and 0 <= asked <= 10**6 else 0
    return Run(tuple(path), count, keys("right"), keys("returning"), keys("came_back"))


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _is_day(text: str) -> bool:
    if text == "":
        return True
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# --- which questions ----------------------------------------------------------------------

def items_of(story: Story, fact_id: str) -> list[Item]:
    fact = story.facts.get(fact_id)
    if fact is None:
        return []
    return [Item(f"{fact.id}#{n}", fact, q) for n, q in enumerate(fact.questions, 1)]


def item(story: Story, key: str) -> Item | None:
    if key.startswith(ORDER):
        return order_item(story, key[len(ORDER):].split(","))
    fact_id, _, n = key.rpartition("#")
    items = items_of(story, fact_id)
    # The key comes from the profile: ASCII digits only, and few ('²' and 4,301 digits break int()).
    return items[int(n) - 1] if n.isascii() and n.isdigit() and len(n) < 6 and 1 <= int(n) <= len(items) else None


def unlocked_in(story: Story, trail: tuple[str, ...], path: tuple[int, ...], facts: Iterable[str],
                chapter: str) -> list[str]:
    """Facts (of `facts`, in that order) that the player first unlocked while in `chapter`: a
    fact the story lets you find a chapter late is reviewed in the chapter where you found it,
    and not again where the story offers it a second time."""
    where = found_in(story, trail, path)
    return [f for f in facts if where.get(f) == chapter]


def _best(story: Story, book: Book, fact_id: str, today: date, rng: random.Random,
          skip: set[str] | frozenset[str] = frozenset()) -> Item | None:
    """The question of a fact most worth asking now: missed, then due, then the lowest box."""
    items = [it for it in items_of(story, fact_id) if it.key not in skip]
    if not items:
        return None
    return min(items, key=lambda it: _urgency(book, it.key, today) + (rng.random(),))


def _urgency(book: Book, key: str, today: date) -> tuple[int, int, str]:
    card = book.cards.get(key)
    if card is None:
        return (2, 0, "")                       # never asked
    if card.missed:
        return (0, card.box, card.due)          # got it wrong last time
    if card.due <= today.isoformat():
        return (1, card.box, card.due)          # due again
    return (3, card.box, card.due)              # not due yet: only to fill a session


def budget(story: Story) -> int:
    """Questions a playthrough asks in all, at its chapter ends."""
    return story.review_budget if story.review_budget is not None else DEFAULT_BUDGET


def chapter_questions(story: Story, book: Book, fact_ids: list[str], chapter: str, today: date,
                      rng: random.Random, found: Sequence[str] = ()) -> list[Item]:
    """The questions for the end of `chapter`, never one already answered right in this
    playthrough: one on a fact found in this chapter (`fact_ids`); one missed at an earlier end,
    on its one return; at every third chapter end and the last, one that puts facts found so far
    (`found`) in time order; then more, up to the chapter's share of what is left of the
    playthrough's budget, which no chapter end exceeds in total."""
    run = book.run
    order = list(story.chapters)
    ends_left = len(order) - order.index(chapter) if chapter in order else 1
    left = max(budget(story) - run.asked, 0)        # the playthrough's questions still to ask
    room = min(CHAPTER_MAX, math.ceil(left / max(ends_left, 1)))
    back = [it for k in run.returning if (it := item(story, k)) is not None]
    done = set(run.right) | {it.key for it in back}
    fresh = [it for f in fact_ids if (it := _best(story, book, f, today, rng, skip=done))]
    # Missed and unasked first; among equals, chance, so a replayed chapter asks something new.
    fresh.sort(key=lambda it: (_urgency(book, it.key, today)[0], rng.random()))
    spare = left - (ends_left - 1)                    # keep one question for each end still to come
    picked = fresh[:1] if left else []                # the chapter's own, first
    if back and len(picked) < spare:                  # then one missed earlier, its one return
        picked.append(back.pop(0))
    timeline = ends_left == 1 or (chapter in order and order.index(chapter) % 3 == 2)
    if timeline and len(picked) < min(spare, max(room, 2)):  # now and then, the timeline skill
        sequence = _in_order(story, found, fact_ids, rng)
        if sequence is not None and sequence.key not in done:
            picked.append(sequence)
    for it in back + fresh[1:]:                       # and more, up to this end's share
        if len(picked) >= min(room, spare):
            break
        picked.append(it)
    rng.shuffle(picked)
    return picked


def _in_order(story: Story, found: Sequence[str], here: Sequence[str], rng: random.Random) -> Item | None:
    """An order question on facts found so far, one of them from this chapter, from as many
    different chapters as the playthrough allows: the timeline skill, built from the dates."""
    pool = [f for f in dict.fromkeys(found) if f in story.facts]
    ours = set(here)
    chapters = len({story.facts[f].chapter for f in pool})
    fits = [c for c in combinations(pool, ORDER_EVENTS)
            if (not ours or ours & set(c)) and len({story.facts[f].chapter for f in c}) == min(ORDER_EVENTS, chapters)
            and order_item(story, c) is not None]
    return order_item(story, rng.choice(fits)) if fits else None


def session_questions(story: Story, book: Book, found: Iterable[str], today: date,
                      rng: random.Random, limit: int = SESSION_MAX) -> list[Item]:
    """A `budapest56 review` session: 5–10 questions over every fact found, one per fact,
    missed and due ones first, then new ones, then the next due to make up five."""
    ranked = [it for f in dict.fromkeys(found) if (it := _best(story, book, f, today, rng))]
    ranked.sort(key=lambda it: _urgency(book, it.key, today) + (rng.random(),))
    waiting = sum(_urgency(book, it.key, today)[0] < 3 for it in ranked)
    chosen = ranked[: min(limit, max(SESSION_MIN, waiting))]
    rng.shuffle(chosen)
    return chosen


def next_due(story: Story, book: Book, found: Iterable[str], today: date) -> tuple[date, int] | None:
    """When questions on these facts are next waiting, and how many then; None if none ever are."""
    days = [date.fromisoformat(c.due) if c.due and not c.missed else today
            for f in dict.fromkeys(found) for it in items_of(story, f)
            for c in [book.cards.get(it.key, Card())]]
    if not days:
        return None
    first = max(min(days), today)
    return first, sum(max(d, today) == first for d in days)


def with_book(progress: Progress, book: Book) -> Progress:
    """The Progress with this book as its review record."""
    return replace(progress, review=book.as_json())
