"""The learning layer's rules: which questions to ask, and when to ask them again.

Pure functions over the story and a `Book`, the player's review record; no I/O and no UI.
The quiz runner (quiz.py) asks; the commands and the game save `Book.as_json()` into
`Progress.review`, whose shape is:

    {"version": 1,
     "cards":    {"f_occupied#1": {"box": 2, "due": "2026-11-28", "right": 1, "wrong": 1, "missed": false}},
     "pending":  ["f_took_over#1"],            # missed in the game: asked again at the next chapter's start
     "chapters": {"liberation": {"asked": 4, "right": 3}},   # by the fact's chapter, in game and in review
     "history":  [{"day": "2026-11-27", "card": "f_occupied#1", "right": true, "where": "chapter"}]}

A card is one question, keyed `<fact id>#<n>` (n counts the fact's questions from 1). The
schedule is Leitner's: a right answer moves the card up a box, a wrong one back to box 1, and
each box waits longer before the card is due again (INTERVALS). A record written by an older or
damaged game is read leniently: entries that do not fit are dropped one by one, never the file.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from ..engine import found_in
from ..story.model import Fact, Question, Story
from ..persist.profile import Progress

VERSION = 1
INTERVALS = (0, 1, 3, 7, 16)  # days to wait in boxes 1..5; box 1 is due again at once
HISTORY_KEPT = 300             # answers remembered, newest last, so the profile stays small
CHAPTER_MIN, CHAPTER_MAX = 2, 4
SESSION_MIN, SESSION_MAX = 5, 10


@dataclass(frozen=True, slots=True)
class Item:
    """One question to ask: the card's key, the fact it tests and the question itself."""

    key: str
    fact: Fact
    question: Question


@dataclass(frozen=True, slots=True)
class Card:
    box: int = 1
    due: str = ""          # ISO date; "" for a card never answered
    right: int = 0
    wrong: int = 0
    missed: bool = False   # the last answer was wrong


@dataclass(frozen=True)
class Book:
    """The player's review record for one story (immutable; `answered` returns a new one)."""

    cards: Mapping[str, Card] = field(default_factory=dict)
    pending: tuple[str, ...] = ()
    chapters: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # chapter -> (asked, right)
    history: tuple[tuple[str, str, bool, str], ...] = ()                  # (day, card, right, where)

    def answered(self, item: Item, right: bool, today: date, where: str) -> "Book":
        """Record an answer: move the card between boxes and count it for its chapter."""
        old = self.cards.get(item.key, Card())
        box = min(old.box + 1, len(INTERVALS)) if right else 1
        card = Card(box, (today + timedelta(days=INTERVALS[box - 1])).isoformat(),
                    old.right + right, old.wrong + (not right), not right)
        asked, got = self.chapters.get(item.fact.chapter, (0, 0))
        pending = tuple(k for k in self.pending if k != item.key)
        if not right and where == "chapter":
            pending += (item.key,)
        return Book({**self.cards, item.key: card}, pending,
                    {**self.chapters, item.fact.chapter: (asked + 1, got + right)},
                    (self.history + ((today.isoformat(), item.key, right, where),))[-HISTORY_KEPT:])

    def as_json(self) -> dict:
        return {"version": VERSION,
                "cards": {k: {"box": c.box, "due": c.due, "right": c.right, "wrong": c.wrong, "missed": c.missed}
                          for k, c in self.cards.items()},
                "pending": list(self.pending),
                "chapters": {k: {"asked": a, "right": r} for k, (a, r) in self.chapters.items()},
                "history": [{"day": d, "card": k, "right": r, "where": w} for d, k, r, w in self.history]}


def read_book(data: Mapping[str, Any]) -> Book:
    """The Book stored in `Progress.review`; whatever does not fit is left out, never an error."""
    def number(value: object, low: int = 0, high: int = 10**9) -> int | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return value if ok else None  # type: ignore[return-value]

    cards: dict[str, Card] = {}
    for key, raw in _mapping(data.get("cards")).items():
        if not isinstance(raw, Mapping):
            continue
        box, right, wrong = number(raw.get("box"), 1, len(INTERVALS)), number(raw.get("right")), number(raw.get("wrong"))
        due = raw.get("due")
        if box is not None and right is not None and wrong is not None and isinstance(due, str) and _is_day(due):
            cards[key] = Card(box, due, right, wrong, raw.get("missed") is True)
    pending = data.get("pending")
    chapters: dict[str, tuple[int, int]] = {}
    for key, raw in _mapping(data.get("chapters")).items():
        asked, right = (number(raw.get("asked")), number(raw.get("right"))) if isinstance(raw, Mapping) else (None, None)
        if asked is not None and right is not None and right <= asked:
            chapters[key] = (asked, right)
    history = data.get("history")
    return Book(cards,
                tuple(dict.fromkeys(k for k in pending if isinstance(k, str))) if isinstance(pending, list) else (),
                chapters,
                tuple((h["day"], h["card"], h["right"], h["where"] if isinstance(h.get("where"), str) else "review")
                      for h in history if isinstance(h, Mapping) and isinstance(h.get("day"), str)
                      and isinstance(h.get("card"), str) and isinstance(h.get("right"), bool))
                if isinstance(history, list) else ())


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


def _best(story: Story, book: Book, fact_id: str, today: date, rng: random.Random) -> Item | None:
    """The question of a fact most worth asking now: missed, then due, then the lowest box."""
    items = items_of(story, fact_id)
    if not items:
        return None
    return min(items, key=lambda it: _urgency(book, it.key, today) + (rng.random(),))


def _urgency(book: Book, key: str, today: date) -> tuple:
    card = book.cards.get(key)
    if card is None:
        return (2, 0, "")                       # never asked
    if card.missed:
        return (0, card.box, card.due)          # got it wrong last time
    if card.due <= today.isoformat():
        return (1, card.box, card.due)          # due again
    return (3, card.box, card.due)              # not due yet: only to fill a session


def chapter_questions(story: Story, book: Book, fact_ids: list[str], today: date,
                      rng: random.Random) -> list[Item]:
    """The end-of-chapter review: 2–4 questions on the facts found in that chapter, and only those.

    Fewer than two when the chapter unlocked fewer facts: the rule is 'only those'."""
    wanted = min(CHAPTER_MAX, max(CHAPTER_MIN, len(fact_ids)))
    chosen = [it for f in fact_ids if (it := _best(story, book, f, today, rng))]
    # Missed and unasked first; among equals, chance, so a replayed chapter asks something new.
    chosen.sort(key=lambda it: (_urgency(book, it.key, today)[0], rng.random()))
    picked = chosen[:wanted]
    rng.shuffle(picked)
    return picked


def returning_questions(story: Story, book: Book, earlier: list[str], today: date,
                        rng: random.Random) -> list[Item]:
    """Questions missed in the game, for the start of the next chapter, mixed with one or two
    from earlier chapters (none when nothing was missed).

    `earlier` are facts the player found in chapters already finished (the extras come from them)."""
    missed = [it for k in book.pending if (it := item(story, k)) and it.fact.id in earlier]
    taken = {it.fact.id for it in missed}
    others = [it for f in earlier if f not in taken and (it := _best(story, book, f, today, rng))]
    others.sort(key=lambda it: _urgency(book, it.key, today) + (rng.random(),))
    extras = others[: (rng.choice((1, 2)) if missed else 0)]
    mixed = missed + extras
    rng.shuffle(mixed)
    return mixed


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
