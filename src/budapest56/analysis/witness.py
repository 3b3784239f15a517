"""Witnesses past the bound: one search aimed at every open item at once.

    walks(story, runs, seed, max_steps)   -> Cover   random playthroughs that put off the endings,
                                                     recording every node passed and every
                                                     choice offered on the way
    cover(story, nodes, choices, budget)  -> Cover   a breadth-first search from the start that
                                                     keeps a state only when it shows its node
                                                     something new; stops when every wanted node
                                                     and choice is found or the budget is spent

When the exhaustive search stops at its bound, thousands of items can still be open, and one
aimed search each, from scratch, costs thousands of searches. This one search serves them all.
A state is kept only if it is the first at its node to give some name a conditions read (a flag,
a fact, a visited node, a counter or visit count up to its cap) a value not seen there before:
the width-1 novelty pruning of classical planning (Lipovetzky and Geffner's IW(1)). What it
keeps is bounded by the number of such (node, name, value) atoms, not by the product of the
values, so ten thousand knocks on a door with seven free switches beside it cost ten thousand
states, not 1.3 million, and a plain route through a long counter loop is found.
"""
from __future__ import annotations

import random
from array import array
from collections import deque
from dataclasses import dataclass, field

from .. import engine
from ..engine import State
from ..story.conditions import names_read
from ..story.model import Story
from .explore import NO_CAP, reads


@dataclass
class Cover:
    nodes: dict[str, tuple[int, ...]] = field(default_factory=dict)            # node -> a path there
    choices: dict[tuple[str, int], tuple[int, ...]] = field(default_factory=dict)  # ... that takes it
    expanded: int = 0
    # The search tree: kept state i was reached from parent[i] by choice via[i].
    parent: array[int] = field(default_factory=lambda: array("i", [-1]))
    via: array[int] = field(default_factory=lambda: array("h", [-1]))
    first: dict[str, tuple[State, int]] = field(default_factory=dict)  # node -> first state kept there
    _paths: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def path(self, i: int) -> tuple[int, ...]:
        """The choices from the start to kept state i (remembered: siblings share the walk)."""
        if i not in self._paths:
            steps, j = [], i
            while self.parent[j] >= 0 and j not in self._paths:
                steps.append(self.via[j])
                j = self.parent[j]
            self._paths[i] = self._paths.get(j, ()) + tuple(reversed(steps))
        return self._paths[i]

    def state_at(self, node: str) -> State | None:
        """The first state kept at a node, with its path: a seed for an aimed search."""
        if node not in self.first:
            return None
        state, i = self.first[node]
        return State(state.node, state.flags, state.counters, state.facts, state.trail, self.path(i))


class _Novelty:
    """What has been seen at each node, per name a condition reads; `fresh` keeps a state that
    adds something (and records it)."""

    def __init__(self, story: Story, names: set[tuple[str, str]]):
        r = reads(story)
        self.read_flags = frozenset(n for k, n in names if k == "flag")
        self.unread = frozenset(story.flags) - self.read_flags
        self.read_facts = frozenset(n for k, n in names if k == "unlocked")
        order = list(story.counters)
        self.counters = [(order.index(n), r.caps.get(("counter", n), NO_CAP)) for k, n in sorted(names)
                         if k == "counter"]
        self.visited = tuple(sorted(n for k, n in names if k == "visited"))
        self.visits = [(n, r.caps.get(("visits", n), NO_CAP)) for k, n in sorted(names) if k == "visits"]
        self.true: dict[str, set[str]] = {}        # flags and facts seen true at the node
        self.never_false: dict[str, set[str]] = {}  # read ones not yet seen false there
        self.values: dict[str, list[set[int]]] = {}  # per counter, visited node, visit count

    def _numbers(self, s: State) -> list[int]:
        out = [min(s.counters[i], cap) for i, cap in self.counters]
        out += [n in s.trail for n in self.visited]
        return out + [min(s.trail.count(n), cap) for n, cap in self.visits]

    def fresh(self, s: State) -> bool:
        node = s.node
        true = self.true.get(node)
        have = s.flags
        if self.read_facts:
            have = have | self.read_facts.intersection(s.facts)
        numbers = self._numbers(s) if self.counters or self.visited or self.visits else []
        if true is None:
            self.true[node] = set(have | self.unread)
            self.never_false[node] = set((self.read_flags | self.read_facts) & have)
            self.values[node] = [{v} for v in numbers]
            return True
        never_false, values = self.never_false[node], self.values[node]
        new = not have <= true or not never_false <= have
        for v, seen in zip(numbers, values):
            if v not in seen:
                new = True
                seen.add(v)
        if new:
            true.update(have)
            never_false.intersection_update(have)
        return new


def cover(story: Story, nodes: set[str], choices: set[tuple[str, int]], budget: int) -> Cover:
    """Paths to as many of the wanted nodes and (node, choice index) pairs as `budget` expanded
    states find; breadth-first, so each path is as short as the pruned search allows."""
    out = Cover()
    nodes, choices = set(nodes), set(choices)
    # Only what the wanted choices' conditions read can tell two states apart for them (a state
    # new at its node counts too): the search is projected on it.
    guards = [story.nodes[n].choices[c].condition for n, c in choices]
    novelty = _Novelty(story, {k for g in guards if g is not None for k in names_read(g.tree)})
    r = reads(story)
    keep_trail = bool(r.visited or r.visits)
    available, step = engine.available, engine.step
    first = engine.start(story)
    novelty.fresh(first)
    parent, via, path = out.parent, out.via, out.path

    def found(state: State, i: int) -> None:
        if state.node not in out.first:
            out.first[state.node] = (state, i)
        if state.node in nodes:
            nodes.discard(state.node)
            out.nodes[state.node] = path(i)

    found(first, 0)
    queue = deque([(first, 0)])
    while queue and (nodes or choices) and out.expanded < budget:
        state, i = queue.popleft()
        out.expanded += 1
        options = available(story, state)
        for c in options:
            if (state.node, c) in choices:
                choices.discard((state.node, c))
                out.choices[state.node, c] = path(i) + (c,)
        for c in options:
            nxt = step(story, state, c)
            if novelty.fresh(nxt):
                j = len(parent)
                parent.append(i)
                via.append(c)
                # Like the exhaustive search, queue the state without the path it carries.
                nxt = State(nxt.node, nxt.flags, nxt.counters, nxt.facts, nxt.trail if keep_trail else (), ())
                found(nxt, j)
                queue.append((nxt, j))
    return _arrivals(story, out)


def _arrivals(story: Story, out: Cover) -> Cover:
    """A choice found offered is a way into the node it leads to."""
    for (node, c), path in out.choices.items():
        goto = story.nodes[node].choices[c].goto
        if goto not in out.nodes or len(path) < len(out.nodes[goto]):
            out.nodes[goto] = path
    return out


def walks(story: Story, runs: int, seed: int, max_steps: int, patience: int = 32) -> Cover:
    """Random playthroughs that take a choice leading to an ending only when nothing else is
    open, so each one runs as deep as the story goes (a uniform pick ends many early); every
    node arrived at and every choice offered on the way gets the shortest path seen to it.
    Stops after `runs` or `max_steps` choices in all, or after `patience` runs in a row that
    found no new item."""
    out = Cover()
    endings = {n.id for n in story.endings}
    to_end = {n.id: frozenset(i for i, c in enumerate(n.choices) if c.goto in endings) for n in story.nodes.values()}
    r = reads(story)
    keep_trail = bool(r.visited or r.visits)
    available, step, nodes = engine.available, engine.step, story.nodes
    rng = random.Random(seed)
    first = engine.start(story)
    best_node: dict[str, tuple[int, int]] = {}   # node -> (steps, run)
    best_choice: dict[tuple[str, int], tuple[int, int]] = {}
    paths: list[list[int]] = []
    dull = 0
    for run in range(runs):
        state, path, found = first, [], False
        for k in range(10 * len(nodes)):
            known = best_node.get(state.node)
            if known is None or k < known[0]:
                best_node[state.node], found = (k, run), found or known is None
            options = available(story, state)
            if not options:
                break
            for c in options:
                known = best_choice.get((state.node, c))
                if known is None or k < known[0]:
                    best_choice[state.node, c], found = (k, run), found or known is None
            ends = to_end[state.node]
            onward = ([c for c in options if c not in ends] or options) if ends else options
            c = onward[int(rng.random() * len(onward))]
            nxt = step(story, state, c)
            state = State(nxt.node, nxt.flags, nxt.counters, nxt.facts, nxt.trail if keep_trail else (), ())
            path.append(c)
        paths.append(path)
        out.expanded += len(path)
        dull = 0 if found else dull + 1
        if dull >= patience or out.expanded >= max_steps:
            break
    out.nodes = {n: tuple(paths[run][:k]) for n, (k, run) in best_node.items()}
    out.choices = {(n, c): tuple(paths[run][:k]) + (c,) for (n, c), (k, run) in best_choice.items()}
    return _arrivals(story, out)
