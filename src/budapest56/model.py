"""The story as frozen data. Built by the loader, read by everything else.

Every item keeps the Loc it was written at, so any later tool (checker, explorer,
transcripts) can point an author at the exact line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from .errors import Loc

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


@dataclass(frozen=True, slots=True, order=True)
class Date:
    """A year, a month or a day: `1949`, `1955-04`, `1956-10-23`."""

    year: int
    month: int = 0  # 0: not given
    day: int = 0

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """`23 October 1956`, `April 1955`, `1949`."""
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    @property
    def earliest(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> tuple[int, int, int]:
        return (self.year, self.month or 12, self.day or 31)


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: its text, its tree (for tools) and a compiled test."""

    source: str
    tree: tuple
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


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    name: str
    kind: str
    definition: str
    quote: str
    loc: Loc


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

    @property
    def endings(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.ending is not None]
