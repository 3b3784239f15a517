"""Conditions that a complete search proves always true, or always false, where they stand.

A choice whose `if:` never holds at its node is a choice no player can take (`test --exhaustive`
reports it as never taken); one whose `if:` always holds locks nothing. A text variant whose
`if:` never holds is never read; one whose `if:` always holds needs no condition. Each is decided
by visiting every state of the story, with analysis.explore's exhaustive search, when that search
completes within BOUND states; when it does not, nothing is claimed and one info line says so.

The search tells states apart only by what the *choice* conditions read (explore.reads): two
states that differ in a flag only a text variant reads are searched as one. So a text variant
is decided here only when everything it reads is read by some choice too; one that reads more
is left to the over-approximation of analysis.bounds (text-never-shown), since keeping those
states apart multiplies them (the bundled story's 1,870 states become more than two million).
"""
from __future__ import annotations

from collections.abc import Collection, Iterator

from .. import engine
from ..engine import State
from ..errors import Finding, Loc
from ..story.conditions import names_read
from ..story.model import Story, names_set
from .explore import exhaustive, reads

BOUND = 5_000  # states: a moment for `check` (benchmarks/README.md); `test --exhaustive` searches 1,000,000


def condition_findings(story: Story, shown_never: Collection[Loc] = (), bound: int = BOUND) -> Iterator[Finding]:
    """`shown_never`: text variants already reported as never shown (by analysis.bounds)."""
    choices = [(n, c) for n in story.nodes.values() for c in n.choices if c.condition is not None]
    parts = [(n, p) for n in story.nodes.values() for p in n.text if p.condition is not None]
    if not choices and not parts:
        return
    g = None if _past(story, bound) else exhaustive(story, bound)
    if g is None or not g.complete:
        yield Finding("info", "conditions-not-proved", story.loc,
                      f"no condition was checked for being always true or always false: the story has more "
                      f"than {bound:,} states", "budapest56 test --exhaustive searches further")
        return
    readable = _key_names(story)
    # A counter or visits() a text variant compares may be capped lower in the key than its
    # constants need (explore caps them at what the choices compare): left out too.
    parts = [(n, p) for n, p in parts if p.condition is not None and names_read(p.condition.tree) <= readable
             and not any(kind in ("counter", "visits") for kind, _ in names_read(p.condition.tree))]
    held: dict[int, set[bool]] = {}  # id of a condition -> the values it took
    states: list[State] = [engine.start(story)]
    for i in range(g.states):
        if i:
            states.append(engine.step(story, states[g.parent[i]], g.via[i]))
        node = story.nodes[g.node[i]]
        for cond in [c.condition for c in node.choices] + [p.condition for p in node.text]:
            if cond is not None:
                held.setdefault(id(cond), set()).add(bool(cond.test(states[i])))
    searched = f"all {g.states:,} states searched"
    # A condition reading a flag nothing sets is constant, and flag-never-set says so already.
    written = names_set(story.nodes)
    unset = {("flag", f) for f in story.flags if f not in written}
    unset |= {("counter", c) for c in story.counters if c not in written}
    choices = [(n, c) for n, c in choices if c.condition is not None and not names_read(c.condition.tree) & unset]
    parts = [(n, p) for n, p in parts if p.condition is not None and not names_read(p.condition.tree) & unset]
    for node, choice in choices:
        assert choice.condition is not None
        seen = held.get(id(choice.condition))
        if seen == {False}:
            yield Finding("error", "choice-never-available", choice.loc,
                          f"choice '{choice.label}' of '{node.id}' can never be taken: its condition "
                          f"'{_short(choice.condition.source)}' never holds there ({searched})",
                          "fix the condition, or remove the choice")
        elif seen == {True}:
            yield Finding("warning", "condition-always-true", choice.condition.loc,
                          f"the condition '{_short(choice.condition.source)}' of choice '{choice.label}' always "
                          f"holds at '{node.id}' ({searched}), so it locks nothing",
                          "remove the 'if:', or fix the condition")
    for node, part in parts:
        assert part.condition is not None
        seen = held.get(id(part.condition))
        if seen == {False} and part.condition.loc not in shown_never:
            yield Finding("warning", "text-never-shown", part.condition.loc,
                          f"this text of '{node.id}' is never shown: its condition '{_short(part.condition.source)}' "
                          f"never holds when a player is there ({searched})",
                          "fix the condition, or move the text to a scene where it can hold")
        elif seen == {True}:
            yield Finding("warning", "text-always-shown", part.condition.loc,
                          f"this text of '{node.id}' is always shown: its condition "
                          f"'{_short(part.condition.source)}' holds whenever a player is there ({searched})",
                          "remove the 'if:' and keep the text, or fix the condition")


def _past(story: Story, bound: int) -> bool:
    """True when the search cannot complete within `bound` states, known without it: that many
    nodes are reached from the start by choices without a condition, and each is a state of its
    own. Compiling a big story for a search that is bound to stop would cost more than the rest
    of the lints together (at 10,000 nodes)."""
    nodes = story.nodes
    seen = {story.start}
    todo = [story.start]
    while todo:
        for choice in nodes[todo.pop()].choices:
            if choice.condition is None and choice.goto not in seen:
                if len(seen) + 1 >= bound:
                    return True
                seen.add(choice.goto)
                todo.append(choice.goto)
    return len(seen) >= bound


def _key_names(story: Story) -> set[tuple[str, str]]:
    """What the search keeps apart (as story.conditions.names_read names it)."""
    r = reads(story)
    return ({("flag", f) for f in r.flags} | {("unlocked", f) for f in r.facts}
            | {("visited", n) for n in (*r.visited, *r.visits)} | {("visits", n) for n in r.visits}
            | {("counter", c) for i, c in enumerate(story.counters) if i in r.counters})


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
