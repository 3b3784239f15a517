"""How each kind of question is asked and judged, whatever the screen.

    choice   the answer among two or three wrong ones, by number (recognition)
    recall   the quote with a gap: type the missing words (matched forgivingly: case, accents, a
             leading article, one letter wrong in a longer word)
    source   a line from the record or from the story: say which (telling the two apart)
    order    three facts found so far: which came first, then next (the timeline skill; built
             from the facts' dates, not written by the author)

ask(item, heading, screen, rng, width) -> bool | None: right or wrong, or None when skipped.
"""
from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol

from ..story.model import Story
from .schedule import Item

GAP = "____"
RECORD, STORY = "The record: the source says it", "The story: it is fiction"
ARTICLES = frozenset({"a", "an", "the"})


class Screen(Protocol):
    def show(self, text: str) -> None: ...

    def ask(self, prompt: str, options: Sequence[str]) -> int | None: ...

    def line(self, prompt: str) -> str | None: ...


def options_for(item: Item, rng: random.Random) -> list[str]:
    options = [item.question.answer, *item.question.wrong]
    rng.shuffle(options)
    return options


def with_gap(quote: str, words: str) -> str:
    """The quote with the words to recall cut out: “His secret police, the ____, carried out …”."""
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)"
    return re.sub(pattern, GAP, quote, count=1)


def recall_prompt(item: Item) -> str:
    lead = item.question.ask or "Type the missing words."
    return f"{lead} “{with_gap(item.fact.quote.strip(), item.question.answer)}”"


def source_prompt(item: Item) -> str:
    return f"Did the record say this, or did the story invent it? “{item.question.ask}”"


def matches(typed: str, wanted: str) -> bool:
    """Forgiving: case, accents and punctuation do not count, nor a leading article, and a word of
    five letters or more may have one letter wrong, missing or extra."""
    got, want = _words(typed), _words(wanted)
    if got[:1] and got[0] in ARTICLES and (not want or want[0] != got[0]):
        got = got[1:]
    if want[:1] and want[0] in ARTICLES and (not got or got[0] != want[0]):
        want = want[1:]
    return len(got) == len(want) and all(g == w or (len(w) >= 5 and _one_edit(g, w)) for g, w in zip(got, want))


def _words(text: str) -> list[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def ask(item: Item, heading: str, screen: Screen, rng: random.Random, fill: Fill, width: int) -> bool | None:
    """Put one question to the player: True or False for their answer, None when they skipped."""
    kind = item.question.kind
    if kind == "recall":
        typed = screen.line(fill(f"{heading}: {recall_prompt(item)}", width))
        return None if typed is None or not typed.strip() else matches(typed, item.question.answer)
    if kind == "source":
        chosen = screen.ask(fill(f"{heading}: {source_prompt(item)}", width), [RECORD, STORY])
        return None if chosen is None else (chosen == 0) == (item.question.answer == "record")
    if kind == "order":
        return _order(item, heading, screen, rng, fill, width)
    options = options_for(item, rng)
    chosen = screen.ask(fill(f"{heading}: {item.question.ask}", width), options)
    if chosen is None or not 0 <= chosen < len(options):
        return None
    return options[chosen] == item.question.answer


def _order(item: Item, heading: str, screen: Screen, rng: random.Random, fill: Fill, width: int) -> bool | None:
    left = list(item.events)
    rng.shuffle(left)
    right = True
    for n, when in enumerate(("Which of these happened first?", "And which of these came next?")):
        prompt = f"{heading}: Put these in the order they happened. {when}" if n == 0 else when
        chosen = screen.ask(fill(prompt, width), [f.title for f in left])
        if chosen is None or not 0 <= chosen < len(left):
            return None
        right = right and left[chosen] is min(left, key=lambda f: f.date.earliest)
        del left[chosen]
    return right


class Fill(Protocol):
    def __call__(self, text: str, width: int, indent: str = "") -> str: ...


class Expert:
    """Knows every answer: reads a prompt as a player would and gives the right one. The reading
    measure runs the reviews with it, so they are counted as a student who takes them reads them."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self._choice: dict[str, str] = {}
        self._source: dict[str, str] = {}
        self._recall: dict[str, str] = {}
        for fact in story.facts.values():
            for n, q in enumerate(fact.questions, 1):
                it = Item(f"{fact.id}#{n}", fact, q)
                if q.kind == "recall":
                    self._recall[_flat(recall_prompt(it))] = q.answer
                elif q.kind == "source":
                    self._source[_flat(q.ask)] = q.answer
                else:
                    self._choice[_flat(q.ask)] = q.answer
        self._when = {f.title: f.date.earliest for f in story.facts.values()}

    def choose(self, prompt: str, options: Sequence[str]) -> int:
        flat = _flat(prompt)
        if "happened first?" in flat or flat.endswith("came next?"):
            return min(range(len(options)), key=lambda i: self._when.get(options[i], (9999, 12, 31)))
        line = flat.rpartition("“")[2].rstrip("”")
        if RECORD in options and line in self._source:
            return options.index(RECORD if self._source[line] == "record" else STORY)
        answer = self._choice.get(flat.partition(": ")[2])
        return options.index(answer) if answer in options else 0  # an offer: take it

    def type(self, prompt: str) -> str:
        return self._recall.get(_flat(prompt).partition(": ")[2], "")


def _flat(text: str) -> str:
    return " ".join(text.split())
