"""Witnesses past the bound, one item at a time.

    witness(story, goal, near, budget)    -> (State | None, expanded)   a best-first search aimed
                                             at one item: by the distance to it in the story's
                                             graph plus how far the state is from the condition
                                             it waits for (`guard`)
    deficit(tree, state, counters)        -> int   that distance from a condition: 0 when it holds
    distances_to(story, targets)          -> {node: choices to the nearest target}, ignoring conditions

analysis.settle runs these for the items a wider search leaves; analysis.bounds re-exports
`witness` and `distances_to`, where they lived first.
"""
from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping

from .. import engine
from ..engine import State
from ..story.conditions import Tree
from ..story.model import Story
from .explore import Key, state_key


def distances_to(story: Story, targets: Collection[str],
                 back: Mapping[str, list[str]] | None = None) -> dict[str, int]:
    """Choices needed to reach any target node, ignoring conditions (the search's guide);
    `back` (each node's predecessors) saves rebuilding it when many searches run."""
    back = back if back is not None else predecessors(story)
    dist = dict.fromkeys(targets, 0)
    todo = deque(targets)
    while todo:
        n = todo.popleft()
        for m in back[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                todo.append(m)
    return dist


def predecessors(story: Story) -> dict[str, list[str]]:
    back: dict[str, list[str]] = {n: [] for n in story.nodes}
    for node in story.nodes.values():
        for choice in node.choices:
            back[choice.goto].append(node.id)
    return back


def witness(story: Story, goal: Callable[[State], bool], near: Collection[str], budget: int,
            seeds: Iterable[State] = (), guard: Tree | None = None,
            dist: Mapping[str, int] | None = None, key: Key | None = None) -> tuple[State | None, int]:
    """A state satisfying `goal`, found by expanding at most `budget` states, nearest first;
    with the number of states expanded. The search starts from the start and from `seeds`
    (states found earlier: a witness for one node is often most of the way to the next).
    Nearest means fewest choices to a node in `near` plus, when the goal waits for a condition
    (`guard`), how far the state is from it: ten thousand knocks short of `knocks >= 10000`
    is ten thousand away, so the search knocks instead of trying every switch on the wall."""
    dist = dist if dist is not None else distances_to(story, near)
    key = key or state_key(story)  # many searches of one story pass theirs: building it reads every condition
    counters = {name: i for i, name in enumerate(story.counters)}

    def far(s: State) -> int:
        return dist[s.node] + (deficit(guard, s, counters) if guard is not None else 0)

    tie = itertools.count()
    heap, seen = [], set()
    for state in (engine.start(story), *seeds):
        if goal(state):
            return state, 0
        if state.node in dist and key(state) not in seen:
            seen.add(key(state))
            heap.append((far(state), len(state.path), next(tie), state))
    heapq.heapify(heap)
    used = 0
    while heap and used < budget:
        _, depth, _, state = heapq.heappop(heap)
        used += 1
        for c in engine.available(story, state):
            nxt = engine.step(story, state, c)
            if goal(nxt):
                return nxt, used
            k = key(nxt)
            if k in seen or nxt.node not in dist:  # a node from which the target is out of reach
                continue
            seen.add(k)
            heapq.heappush(heap, (far(nxt), depth + 1, next(tie), nxt))
    return None, used


def deficit(tree: Tree, s: State, counters: Mapping[str, int]) -> int:
    """How far a state is from satisfying a condition: 0 when it holds; for a comparison of a
    counter or a visit count with a number, how many steps of one the number is away; for a
    flag, fact or visit that should be otherwise, 1 each."""
    kind = tree[0]
    if kind == "and":
        return deficit(tree[1], s, counters) + deficit(tree[2], s, counters)
    if kind == "or":
        return min(deficit(tree[1], s, counters), deficit(tree[2], s, counters))
    if kind == "not":
        return 0 if deficit(tree[1], s, counters) else 1
    if kind == "bool":
        return 0 if tree[1] else 1
    if kind == "flag":
        return 0 if tree[1] in s.flags else 1
    if kind == "unlocked":
        return 0 if tree[1] in s.facts else 1
    if kind == "visited":
        return 0 if tree[1] in s.trail else 1
    if kind == "cmp":
        op, left, right = tree[1:]
        if left[0] not in ("num", "counter", "visits"):
            same = (deficit(left, s, counters) == 0) == (deficit(right, s, counters) == 0)
            return 0 if same == (op == "==") else 1
        a, b = _number(left, s, counters), _number(right, s, counters)
        gap = {"<": a - b + 1, "<=": a - b, ">": b - a + 1, ">=": b - a, "==": abs(a - b),
               "!=": 1 if a == b else 0}[op]
        return max(0, gap)
    return 0


def _number(tree: Tree, s: State, counters: Mapping[str, int]) -> int:
    if tree[0] == "num":
        return int(tree[1])
    if tree[0] == "counter":
        return s.counters[counters[tree[1]]]
    return s.trail.count(tree[1])
