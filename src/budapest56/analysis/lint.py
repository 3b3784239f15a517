"""The author's linter: load errors plus what a valid story can still get wrong."""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..engine import unlocked_by
from ..errors import Finding, Loc
from ..story import conditions
from ..story.loader import READ_CODES, in_order, read_story
from ..story.model import MONTHS, NO_EFFECTS, Choice, Node, Story, names_set, unlock_places
from ..story.quotes import Match, Sentence
from .condition_proofs import condition_findings
from .question_lint import question_findings
from .seams import decisions_into_review, texts_that_may_be_empty

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")


@dataclass
class Coverage:
    covered: int
    total: int
    uncovered: list[tuple[str, Sentence]]  # (source file, sentence)

    def as_json(self) -> dict[str, Any]:
        return {"covered": self.covered, "total": self.total,
                "uncovered": [{"file": f, "line": s.line, "sentence": s.number, "text": s.text}
                              for f, s in self.uncovered]}


@dataclass
class Report:
    story: Story | None
    findings: list[Finding] = field(default_factory=list)
    coverage: Coverage | None = None
    elisions: list[Finding] = field(default_factory=list)  # info, kept apart: for reading, not problems

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def check(path: str, freeze: bool = False) -> Report:
    """Load and lint; `freeze` as for load_story. A story with errors is linted too, as far as
    its partial form allows, so its warnings are shown and counted with the errors."""
    story, problems = read_story(path, freeze=freeze)
    if story is None:
        return Report(None, problems)
    if any(p.severity == "error" for p in problems):
        whole = not any(p.code in READ_CODES for p in problems)
        return Report(None, in_order([*problems, *lint(story, complete=False, whole=whole)]))
    return Report(story, in_order(lint(story)), coverage(story), list(elisions(story)))


def lint(story: Story, complete: bool = True, whole: bool = True) -> Iterator[Finding]:
    """What a story that loads can still get wrong. `complete=False` for the partial story of one
    with errors (story.loader.read_story): what each item says on its own is checked (labels,
    summaries, dates, questions), while the passes that look across the story (what
    reaches, unlocks, lists or reads what) wait until nothing is left out of it; `whole=False`
    when a file or a source could not be read, so the questions cannot be held to it either."""
    if complete:
        yield from story.warnings  # what the loader cleaned up: control characters in story text
        yield from _reachability(story)
        yield from _dead_ends(story)
        yield from _unused_terms(story)
        yield from _flags(story)
    if whole:
        yield from question_findings(story)
    yield from _same_labels(story)
    yield from _locked_texts(story)
    yield from _summaries(story)
    yield from _dates(story)
    if complete:
        yield from _flashback_returns(story)
        never_shown = list(_text_variants(story))
        yield from never_shown
        yield from condition_findings(story, {f.loc for f in never_shown})
        yield from decisions_into_review(story)
        yield from texts_that_may_be_empty(story)
        yield from _attribution(story)  # a value present but wrong would read as missing


def _warn(loc: Loc, code: str, message: str, hint: str = "") -> Finding:
    return Finding("warning", code, loc, message, hint)


def _reachability(story: Story) -> Iterator[Finding]:
    seen = {story.start}
    queue = deque([story.start])
    while queue:
        for choice in story.nodes[queue.popleft()].choices:
            if choice.goto not in seen:
                seen.add(choice.goto)
                queue.append(choice.goto)
    unlocked: set[str] = set()
    for node in story.nodes.values():
        if node.id not in seen:
            yield _warn(node.loc, "unreachable-node", f"node '{node.id}' cannot be reached from the start",
                        "add a choice that goes to it, or remove it")
    for _, _, facts in unlock_places(story.nodes):
        unlocked.update(facts)
    for fact in story.facts.values():
        if fact.id not in unlocked:
            yield _warn(fact.loc, "orphan-fact", f"no node or choice unlocks fact '{fact.id}'",
                        f"add 'unlock: [{fact.id}]' to the node where the player learns it")


def _dead_ends(story: Story) -> Iterator[Finding]:
    """An error, as in `test --exhaustive`: the player would be stuck at a prompt with nothing to pick."""
    for node in story.nodes.values():
        if node.ending is None and not node.choices:
            yield Finding("error", "dead-end", node.loc,
                          f"node '{node.id}' has no choices and is not an ending: the player would be stuck there",
                          "add 'choices:' with at least one choice, or 'ending: {title: ..., epilogue: ...}'")


def _unused_terms(story: Story) -> Iterator[Finding]:
    """The glossary shows a term once a fact listing it is found: a term no fact lists never shows."""
    listed = {t for fact in story.facts.values() for t in fact.terms}
    used = {w for parts in story.words.values() for words in parts for w in words}
    for term in story.glossary.values():
        if term.story_word:
            if term.id not in used:
                yield _warn(term.loc, "unused-word", f"no scene uses the story word '{term.name}', so no player "
                            "sees its definition", f"use '{term.name}' in a scene's text, or remove it")
        elif term.id not in listed:
            yield _warn(term.loc, "unused-term", f"no fact lists glossary term '{term.id}', so no player sees it",
                        f"add '{term.id}' to 'terms:' of the facts that name {term.name}, or remove the term")


def _same_labels(story: Story) -> Iterator[Finding]:
    """Two choices a player cannot tell apart; a transcript's `choose:` would always take the first.
    Not when one's condition is exactly the other's negated: they are never offered together."""
    for node in story.nodes.values():
        first: dict[str, Choice] = {}
        for choice in node.choices:
            key = " ".join(choice.label.casefold().split())
            other = first.setdefault(key, choice)
            if other is not choice and not _exclusive(other, choice):
                yield _warn(choice.loc, "duplicate-label",
                            f"node '{node.id}' has two choices labelled '{choice.label}' "
                            f"(the other at line {other.loc.line})",
                            "reword one so the player can tell them apart")


def _exclusive(a: Choice, b: Choice) -> bool:
    if a.condition is None or b.condition is None:
        return False
    return a.condition.tree == ("not", b.condition.tree) or b.condition.tree == ("not", a.condition.tree)


def _locked_texts(story: Story) -> Iterator[Finding]:
    """A reason for a lock on a choice that is never locked is a reason nobody reads."""
    for node in story.nodes.values():
        for choice in node.choices:
            if choice.locked_text and choice.condition is None:
                yield _warn(choice.loc, "locked-text-unused",
                            f"choice '{choice.label}' has a 'locked_text' but no 'if:', so it is never locked",
                            "add the 'if:' that locks it, or remove 'locked_text'")


def _flags(story: Story) -> Iterator[Finding]:
    read: dict[str, Loc] = {}
    for node in story.nodes.values():
        conds = [p.condition for p in node.text if p.condition] + [c.condition for c in node.choices if c.condition]
        for cond in conds:
            for kind, name in conditions.names_read(cond.tree):
                if kind in ("flag", "counter"):
                    read.setdefault(name, cond.loc)
    written = names_set(story.nodes)
    for name in [*story.flags, *story.counters]:
        what = "flag" if name in story.flags else "counter"
        loc = story.declared_at.get(name, story.loc)
        if name in written and name not in read:
            yield _warn(loc, "flag-never-read", f"{what} '{name}' is set but no condition reads it",
                        "read it in an 'if:', or remove it")
        elif name in read and name not in written:
            yield _warn(read[name], "flag-never-set", f"{what} '{name}' is read but nothing sets it",
                        "set it with 'set:' on a node or choice" if what == "flag"
                        else "change it with 'set:' or 'add:'")
        elif name not in read:
            yield _warn(loc, "flag-never-read", f"{what} '{name}' is declared but never used", "remove it")


def _summaries(story: Story) -> Iterator[Finding]:
    for fact in story.facts.values():
        quote_numbers = {n.replace(",", "") for n in _NUMBER.findall(fact.quote)}
        quote_months = set(_MONTH.findall(fact.quote))
        extra = [n for n in _NUMBER.findall(fact.summary) if n.replace(",", "") not in quote_numbers]
        extra += [m for m in _MONTH.findall(fact.summary) if m not in quote_months]
        if extra:
            yield _warn(fact.loc, "summary-adds-number",
                        f"summary of fact '{fact.id}' says {', '.join(repr(_short(x)) for x in extra)}, "
                        "which its quote does not",
                        f"take {_and([repr(x) for x in extra])} out of the summary, or quote the source's words "
                        "that give them")


def _dates(story: Story) -> Iterator[Finding]:
    first, last = story.period
    # Each node's dates worked out once, not once per choice that leads to it.
    latest = {n.id: n.date.latest for n in story.nodes.values()}
    for node in story.nodes.values():
        if not node.date.year:  # a partial story's node whose date is missing or wrong: reported
            continue
        earliest = node.date.earliest
        if latest[node.id] < first.earliest or earliest > last.latest:
            yield _warn(node.loc, "date-out-of-period",
                        f"node '{node.id}' is dated {node.date}, outside the story's period {first} to {last}")
        unlocks = node.effects is not NO_EFFECTS or any(c.effects is not NO_EFFECTS for c in node.choices)
        for fact_id in _unlocked_at(story, node) if unlocks else ():
            fact = story.facts.get(fact_id)
            if fact is not None and fact.date.year and fact.date.earliest > latest[node.id]:
                yield _warn(node.loc, "fact-from-the-future",
                            f"node '{node.id}' ({node.date}) unlocks fact '{fact.id}', dated {fact.date}: "
                            "before it happened", "unlock it in a scene dated on or after the fact")
        for choice in node.choices:
            target = story.nodes.get(choice.goto)
            if target is None or not target.date.year:  # a partial story's broken item: reported already
                continue
            if latest[target.id] < earliest and not target.flashback:
                yield _warn(choice.goto_loc, "chronology-backwards",
                            f"choice goes back in time from {node.date} ('{node.id}') to {target.date} ('{target.id}')",
                            f"mark '{target.id}' with 'flashback: true' if that is meant")


def _attribution(story: Story) -> Iterator[Finding]:
    for source in story.sources.values():
        if missing := source.unattributed:
            yield _warn(source.loc, "source-attribution",
                        f"source '{source.id}' does not say its {_and(missing)}",
                        "a teacher must be able to cite the source, and its licence may require it: "
                        "add publisher, url, licence, retrieved (a date) and changes ('none' if none)")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def elisions(story: Story) -> Iterator[Finding]:
    """Every '…' of every quote, with the words it leaves out: allowed, but a reviewer should read
    them, since a reader of the quote cannot. Info, not a warning: they are not mistakes, and a
    warning would fail `--strict` for every honest elision."""
    quoted = [("fact", f.id, f.elided) for f in story.facts.values()]
    quoted += [("glossary term", t.id, t.elided) for t in story.glossary.values()]
    for what, item_id, elided in quoted:
        for e in elided:
            yield Finding("info", "quote-elision", e.loc,
                          f"the quote of {what} '{item_id}' leaves out: \"{e.dropped}\"")
def _flashback_returns(story: Story) -> Iterator[Finding]:
    """Dates along whole routes: a flashback must return to the date it left, or later.

    Choice by choice, 25 October -> flashback to 23 October -> 24 October looks fine (each step
    is allowed); along the route, 24 October comes after 25 October. For each node, `left` is
    the latest date (of a scene that is not a flashback) that any route can have passed before
    reaching it, found by one pass to a fixed point over the graph (conditions ignored, so it
    speaks of what the graph allows). Steps back out of a non-flashback scene are
    chronology-backwards already; this reports the step out of a flashback."""
    if not any(n.flashback for n in story.nodes.values()):
        return  # only a step out of a flashback can be wrong here
    left: dict[str, Node] = {}  # node -> the non-flashback scene with the latest date before it
    earliest = {n.id: n.date.earliest for n in story.nodes.values()}

    def later(a: Node | None, b: Node | None) -> Node | None:
        if a is None or b is None:
            return a or b
        return a if earliest[a.id] >= earliest[b.id] else b

    todo = deque([story.start])
    while todo:
        node = story.nodes[todo.popleft()]
        carry = later(left.get(node.id), None if node.flashback else node)
        for choice in node.choices:
            old = left.get(choice.goto)
            new = later(old, carry)
            if new is not None and new is not old:
                left[choice.goto] = new
                todo.append(choice.goto)
    for node in story.nodes.values():
        if not node.flashback or node.id not in left:
            continue
        before = left[node.id]
        for choice in node.choices:
            target = story.nodes[choice.goto]
            # (Back before the flashback's own date is chronology-backwards, reported once already.)
            if (not target.flashback and target.date.latest < before.date.earliest
                    and not target.date.latest < node.date.earliest):
                yield _warn(choice.goto_loc, "flashback-returns-early",
                            f"the flashback '{node.id}' returns to {target.date} ('{target.id}'), but a route "
                            f"comes into it from {before.date} ('{before.id}'): back in time",
                            f"a flashback returns to the date it left: date '{target.id}' on or after "
                            f"{before.date}, or mark it 'flashback: true' too")


def _text_variants(story: Story) -> Iterator[Finding]:
    """A text variant whose condition can never hold where it stands: its words are never read.
    Decided by the over-approximation of analysis.bounds (sound: 'never' means never)."""
    if not any(p.condition for n in story.nodes.values() for p in n.text):
        return
    from .bounds import Approx  # only stories with text variants pay for the pass

    approx = Approx(story)
    for node in story.nodes.values():
        for part in approx.never_shown(node.id):
            assert part.condition is not None
            culprits = approx.never_true(part, node.id)
            why = f" ({', '.join(culprits)})" if culprits else ""
            yield _warn(part.condition.loc, "text-never-shown",
                        f"this text of '{node.id}' is never shown: its condition '{_short(part.condition.source)}' "
                        f"cannot hold when a player arrives there{why}",
                        "check the condition, or move the text to a scene the player reaches later")


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _unlocked_at(story: Story, node: Node) -> list[str]:
    """Facts a player can learn while at this node: on arrival or by one of its choices."""
    return [*unlocked_by(story, node.id),
            *(f for i in range(len(node.choices)) for f in unlocked_by(story, node.id, i))]


def coverage(story: Story) -> Coverage:
    covered, total, uncovered = 0, 0, []
    for source in story.sources.values():
        index = source.index
        hit: set[int] = set()
        for fact in story.facts.values():
            if fact.source == source.id and isinstance(found := index.match(fact.quote), Match):
                hit.update(s.number for s in index.covered_by(found))
        total += len(index.sentences)
        covered += len(hit)
        uncovered += [(source.file, s) for s in index.sentences if s.number not in hit]
    return Coverage(covered, total, uncovered)


def stats(story: Story) -> dict[str, int]:
    words = sum(len(p.text.split()) for n in story.nodes.values() for p in n.text)
    words += sum(len(n.ending.epilogue.split()) for n in story.nodes.values() if n.ending)
    return {
        "nodes": len(story.nodes),
        "choices": sum(len(n.choices) for n in story.nodes.values()),
        "endings": len(story.endings),
        "facts": len(story.facts),
        "chapters": len(story.chapters),
        "words": words,
    }
