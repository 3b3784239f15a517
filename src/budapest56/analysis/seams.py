"""Seams a checker can see: places where the player picks or arrives and no words answer.

    decisions_into_review(story)   a choice among several that leaves the chapter: the chapter's
                                   review comes next, so the player's decision gets no reply
    texts_that_may_be_empty(story) a scene whose every text has a condition, and some values of
                                   what they read make none of them hold: the player sees a
                                   heading and a menu, nothing between

Both are warnings: the story plays, but reads as a jump. The second is decided over the values
the conditions themselves read (true/false for flags, facts and visits; for a counter, each side
of every number it is compared with), so `if: a` beside `if: not a` is proved covered.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

from .. import engine
from ..engine import State
from ..errors import Finding
from ..story.conditions import Tree, names_read
from ..story.model import Node, Story

# A scene's texts read a handful of names; past this many the check says nothing rather than
# enumerate millions of combinations (an author with 13 conditions on one scene is not stuck).
MAX_NAMES = 12


def decisions_into_review(story: Story) -> Iterator[Finding]:
    if not any(f.questions for f in story.facts.values()):
        return  # no questions, no review: the next chapter's first scene answers the choice
    for node in story.nodes.values():
        if len(node.choices) < 2:
            continue  # a lone 'Go on' after a closing scene: the player has just read the answer
        for choice in node.choices:
            target = story.nodes.get(choice.goto)
            if target is not None and target.chapter != node.chapter:
                yield Finding("warning", "decision-into-review", choice.loc,
                              f"the choice '{choice.label}' leaves chapter '{node.chapter}' straight away: "
                              f"its review comes next, so nothing answers the player's decision",
                              f"go to a short closing scene of chapter '{node.chapter}' that answers it, "
                              f"and from there on to '{choice.goto}'")


def texts_that_may_be_empty(story: Story) -> Iterator[Finding]:
    for node in story.nodes.values():
        if not node.text or any(p.condition is None for p in node.text):
            continue
        when = _none_holds(story, node)
        if when is not None:
            first = node.text[0].condition
            assert first is not None
            yield Finding("warning", "text-may-be-empty", first.loc,
                          f"scene '{node.id}' may show no text: when {when}, none of its texts' conditions hold",
                          "give the scene one text without 'if:', or a variant for that case")


def _none_holds(story: Story, node: Node) -> str | None:
    """A description of values under which no text of the node shows, or None when some always does."""
    trees = [p.condition.tree for p in node.text if p.condition is not None]
    read = sorted(set().union(*(names_read(t) for t in trees)))
    if len(read) > MAX_NAMES:
        return None
    numbers = _numbers_compared(trees)
    axes = [_values(kind, name, numbers.get((kind, name), set())) for kind, name in read]
    for combo in itertools.product(*axes):
        given = dict(zip(read, combo))
        if not _consistent(given):
            continue
        if not engine.narrative(story, _state(story, node.id, given)):
            return _describe(given)
    return None


def _consistent(given: dict[tuple[str, str], bool | int]) -> bool:
    """'visited(n)' and 'visits(n)' describe one trail: visited exactly when visited at least once."""
    return all(bool(v) == (given[("visits", n)] > 0)
               for (k, n), v in given.items() if k == "visited" and ("visits", n) in given)


def _values(kind: str, name: str, numbers: set[int]) -> list[bool | int]:
    if kind in ("counter", "visits"):
        # Either side of each number the counter is compared with, and the number itself.
        points = {v for n in numbers for v in (n - 1, n, n + 1)} or {0}
        return sorted(p for p in points if kind == "counter" or p >= 0)
    return [False, True]


def _numbers_compared(trees: list[Tree]) -> dict[tuple[str, str], set[int]]:
    out: dict[tuple[str, str], set[int]] = {}

    def walk(t: Tree) -> None:
        if t[0] == "cmp":
            sides = (t[2], t[3])
            nums = [s[1] for s in sides if s[0] == "num"]
            for s in sides:
                if s[0] in ("counter", "visits"):
                    out.setdefault((s[0], s[1]), set()).update(int(n) for n in nums)
        for child in t[1:]:
            if isinstance(child, tuple):
                walk(child)

    for t in trees:
        walk(t)
    return out


def _state(story: Story, node: str, given: dict[tuple[str, str], bool | int]) -> State:
    """A state at `node` holding the `given` values of what its conditions read."""
    counters = list(story.counters.values())
    index = {name: i for i, name in enumerate(story.counters)}
    trail: list[str] = []
    for (kind, name), value in given.items():
        if kind == "counter":
            counters[index[name]] = int(value)
        elif kind == "visits":
            trail += [name] * int(value)
        elif kind == "visited" and value:
            trail.append(name)
    return State(node, frozenset(n for (k, n), v in given.items() if k == "flag" and v), tuple(counters),
                 tuple(n for (k, n), v in given.items() if k == "unlocked" and v), (*trail, node), ())


def _describe(given: dict[tuple[str, str], bool | int]) -> str:
    words = []
    for (kind, name), value in given.items():
        if kind == "flag":
            words.append(f"'{name}' is {'true' if value else 'false'}")
        elif kind == "unlocked":
            words.append(f"fact '{name}' is {'' if value else 'not '}unlocked")
        elif kind == "visited":
            words.append(f"'{name}' was {'' if value else 'not '}visited")
        elif kind == "visits":
            words.append(f"'{name}' was visited {value} times")
        else:
            words.append(f"'{name}' is {value}")
    return ", ".join(words) or "always"
