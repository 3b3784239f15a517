"""The story as frozen data. Built by the loader, read by everything else.

Every item keeps the Loc it was written at, so any later tool (checker, explorer,
transcripts) can point an author at the exact line.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..errors import Finding, Loc
from .conditions import Tree
from .quotes import SourceIndex

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


@dataclass(frozen=True, slots=True, order=True)
class Date:
    """A year, a month or a day (`1949`, `1955-04`, `1956-10-23`), or for facts that the source
    does not pin to one moment, a span between two of them (`1949..1956`) or one with no end
    (`1956..`: "decades later" in the source, where any end year would be ours, not its)."""

    year: int
    month: int = 0  # 0: not given
    day: int = 0
    until: tuple[int, int, int] = (0, 0, 0)  # the end of a span; (0, 0, 0): not a span

    def __str__(self) -> str:
        start = _iso(self.year, self.month, self.day)
        if not self.until[0]:
            return start
        return f"{start}.." if self.open else f"{start}..{_iso(*self.until)}"

    def human(self) -> str:
        """`23 October 1956`, `April 1955`, `1949`, `1949–1956`, `1956 onwards`."""
        start = _human(self.year, self.month, self.day)
        if not self.until[0]:
            return start
        return f"{start} onwards" if self.open else f"{start}–{_human(*self.until)}"

    @property
    def open(self) -> bool:
        return self.until == ONWARDS

    @property
    def earliest(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> tuple[int, int, int]:
        year, month, day = self.until if self.until[0] else (self.year, self.month, self.day)
        return (year, month or 12, day or 31)


ONWARDS = (9999, 12, 31)  # the end of a span with no end: later than any date


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def _human(year: int, month: int, day: int) -> str:
    return " ".join(p for p in (str(day) if day else "", MONTHS[month - 1] if month else "", str(year)) if p)


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: its text, its tree (for tools) and a compiled test."""

    source: str
    tree: Tree
    test: Callable[..., bool] = field(compare=False, repr=False)
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Effects:
    """What arriving at a node or taking a choice does to the state."""

    set_flags: tuple[tuple[str, bool], ...] = ()
    set_counters: tuple[tuple[str, int], ...] = ()
    add_counters: tuple[tuple[str, int], ...] = ()
    unlock: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.set_flags or self.set_counters or self.add_counters or self.unlock)


NO_EFFECTS = Effects()


@dataclass(frozen=True, slots=True)
class TextPart:
    text: str
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    goto: str
    condition: Condition | None
    effects: Effects
    show_locked: bool  # show dimmed when unavailable, instead of hiding
    loc: Loc
    goto_loc: Loc
    locked_text: str = ""  # why it cannot be taken yet, in the author's words


@dataclass(frozen=True, slots=True)
class Ending:
    title: str
    epilogue: str


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    chapter: str
    date: Date
    place: str
    text: tuple[TextPart, ...]
    choices: tuple[Choice, ...]
    effects: Effects
    ending: Ending | None
    flashback: bool
    loc: Loc


@dataclass(frozen=True, slots=True)
class Question:
    ask: str
    answer: str
    wrong: tuple[str, ...]
    loc: Loc
    kind: str = "choice"  # choice | recall | source (see AUTHORING.md); the game adds order questions itself


@dataclass(frozen=True, slots=True)
class Elided:
    """Words a quote's '…' leaves out, shown to whoever reviews the story."""

    dropped: str
    loc: Loc  # the '…' in the quote


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    title: str
    summary: str
    quote: str
    date: Date
    chapter: str
    source: str
    terms: tuple[str, ...]
    questions: tuple[Question, ...]
    loc: Loc
    elided: tuple[Elided, ...] = ()
    context: str = ""  # the authors' note: not the source's words, and always shown as such
    when: str = ""     # how the date reads, where the date alone would mislead ("decades later")

    @property
    def shown_date(self) -> str:
        """The date as a reader should see it: the `when` label, or the date in words."""
        return self.when or self.date.human()


# How every front end introduces a fact's `context`, so the authors' words are never mistaken
# for the record's.
NOTE_LABEL = "Authors' note, not from the source"


@dataclass(frozen=True, slots=True)
class LeftOut:
    """One paragraph of the 'What this story leaves out' page."""

    title: str
    text: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    name: str
    kind: str          # person | organisation | place | term, from the record; word: the story's own
    definition: str
    quote: str         # "" for a word: its definition is the authors', not the source's
    loc: Loc
    elided: tuple[Elided, ...] = ()

    @property
    def story_word(self) -> bool:
        return self.kind == WORD


WORD = "word"


def word_pattern(name: str) -> str:
    """Where a story word is used: its name at the start of a word, any ending ('norms', 'class
    enemies'), any case."""
    words = [re.escape(w) for w in name.split()]
    if words and words[-1].endswith("y"):  # 'class enemy', 'class enemies'
        words[-1] = words[-1][:-1] + "(?:y|ie)"
    return r"(?i)(?<!\w)" + r"\s+".join(words) + r"\w*"


@dataclass(frozen=True, slots=True)
class Chapter:
    id: str
    title: str
    number: int  # 1-based, in play order
    loc: Loc


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    file: str
    text: str
    loc: Loc
    index: SourceIndex = field(repr=False, compare=False)  # its sentences, for quotes and coverage
    publisher: str = ""
    url: str = ""
    licence: str = ""
    retrieved: Date | None = None
    changes: str = ""

    @property
    def unattributed(self) -> list[str]:
        """The attribution keys left empty."""
        return [k for k in ATTRIBUTION if not getattr(self, k)]


ATTRIBUTION = ("publisher", "url", "licence", "retrieved", "changes")


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    version: int
    about: str
    start: str
    period: tuple[Date, Date]
    sources: Mapping[str, Source]
    chapters: Mapping[str, Chapter]
    flags: Mapping[str, str]           # name -> description; all start false
    counters: Mapping[str, int]        # name -> start value
    nodes: Mapping[str, Node]
    facts: Mapping[str, Fact]
    glossary: Mapping[str, Term]
    root: str                          # the folder it was loaded from, for messages
    loc: Loc
    declared_at: Mapping[str, Loc] = field(default_factory=dict)  # flag/counter -> where declared
    review_budget: int | None = None   # questions a playthrough asks at its chapter ends; None: the default
    # node id -> for each of its text parts, the story's own words (glossary kind 'word') it uses
    words: Mapping[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    leaves_out: tuple[LeftOut, ...] = ()
    warnings: tuple[Finding, ...] = ()  # what the loader cleaned up (control characters), for `check`

    @property
    def endings(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.ending is not None]


def names_set(nodes: Mapping[str, Node]) -> set[str]:
    """Every flag and counter some node or choice sets or changes (`set:`, `add:`)."""
    out: set[str] = set()
    for node in nodes.values():
        for effects in (node.effects, *(c.effects for c in node.choices)):
            if effects is not NO_EFFECTS:  # most nodes and choices (the loader shares one empty Effects)
                out.update(n for n, _ in (*effects.set_flags, *effects.set_counters, *effects.add_counters))
    return out


def unlock_places(nodes: Mapping[str, Node]) -> Iterator[tuple[Node, int | None, tuple[str, ...]]]:
    """Every place in a story that unlocks facts, in story order: (node, None, facts) for arriving
    at a node, (node, i, facts) for taking its choice i. The one definition of where facts come
    from; engine.unlocked_by and engine.step_unlocks read the same two fields."""
    for node in nodes.values():
        if node.effects.unlock:
            yield node, None, node.effects.unlock
        for i, choice in enumerate(node.choices):
            if choice.effects.unlock:
                yield node, i, choice.effects.unlock
