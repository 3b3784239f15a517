"""What the player has learnt so far, as plain data derived from the story and a state. No I/O.

    journal(story, state)   -> [Section]  unlocked facts grouped by the chapter they were found in
    timeline(story, state)  -> [Entry]    every fact in date order; the ones not found have fact=None
    glossary(story, state)  -> [Term]     people, organisations and places named by unlocked facts

The front ends turn these into text (play/screens.py); the learning layer may reuse them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import engine
from ..engine import State
from ..story.model import Chapter, Date, Fact, Story, Term


@dataclass(frozen=True, slots=True)
class Section:
    chapter: Chapter | None  # None for facts whose chapter the story does not declare
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    date: Date
    fact: Fact | None  # None: not found yet, shown as a blank so the player sees what is left


def journal(story: Story, state: State) -> list[Section]:
    found = [story.facts[f] for f in state.facts if f in story.facts]
    order = {cid: n for n, cid in enumerate(story.chapters)}
    where = engine.found_in(story, state.trail, state.path)
    by_chapter: dict[str, list[Fact]] = {}
    for fact in found:
        by_chapter.setdefault(where.get(fact.id, fact.chapter), []).append(fact)
    # Within a chapter, facts read best in the order they happened.
    return [Section(story.chapters.get(cid), tuple(sorted(facts, key=lambda f: f.date.earliest)))
            for cid, facts in sorted(by_chapter.items(), key=lambda item: order.get(item[0], len(order)))]


def timeline(story: Story, state: State) -> list[Entry]:
    found = set(state.facts)
    facts = sorted(story.facts.values(), key=lambda f: (f.date.earliest, f.date.latest))
    return [Entry(f.date, f if f.id in found else None) for f in facts]


def glossary(story: Story, state: State) -> list[Term]:
    """The terms the facts found name, and the story's own words the scenes on this route used."""
    terms: dict[str, Term] = {}
    for node_id in state.trail:
        for words in story.words.get(node_id, ()):
            for term_id in words:
                terms.setdefault(term_id, story.glossary[term_id])
    for fact_id in state.facts:
        fact = story.facts.get(fact_id)
        for term_id in fact.terms if fact else ():
            if term_id in story.glossary:
                terms.setdefault(term_id, story.glossary[term_id])
    return sorted(terms.values(), key=lambda t: _sort_name(t.name))


def _sort_name(name: str) -> str:
    # "the AVO" files under A, as a printed glossary would.
    lowered = name.casefold()
    return lowered[4:] if lowered.startswith("the ") else lowered
