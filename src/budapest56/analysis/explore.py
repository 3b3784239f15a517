"""Play a story by machine: random playthroughs and an exhaustive search of every state.

Both only call the engine (`available`, `choose`); nothing here knows what a choice does.
The exhaustive search deduplicates states by their *key*: the node plus only what some
choice condition can read (flags, counters, unlocked facts, visited nodes). Two states with
the same key offer the same choices with the same effects, so exploring one explores both.

    random_runs(story, runs, seed)        -> RandomReport
    exhaustive(story, max_states)         -> Graph   (the explored state graph, by index)
"""
from __future__ import annotations

import random
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

from .. import engine
from ..engine import State
from ..errors import Finding
from ..story.model import Story
from .compiled import NO_CAP, Reads, compiled, reads

__all__ = ["NO_CAP", "Graph", "RandomReport", "Reads", "can_reach", "exhaustive", "player_numbers",
           "random_runs", "random_witnesses", "reads", "state_key", "traps"]

Key = Callable[[State], Hashable]


def state_key(story: Story) -> Key:
    """A function from a State to its key, as cheap to build and as small as the story allows:
    (node, flags) when conditions read only flags, else flags and facts as bit masks, capped
    counters and visit counts."""
    r = reads(story)
    flag_bit = {f: 1 << i for i, f in enumerate(r.flags)}
    fact_bit = {f: 1 << i for i, f in enumerate(r.facts)}
    visited, visits, counters = r.visited, r.visits, r.counters
    names = list(story.counters)
    counter_caps = [(i, r.caps.get(("counter", names[i]), NO_CAP)) for i in counters]
    visit_caps = [(n, r.caps.get(("visits", n), NO_CAP)) for n in visits]

    def flags_only(s: State) -> Hashable:
        mask = 0
        for f in s.flags:
            mask |= flag_bit.get(f, 0)
        return (s.node, mask)

    if not (fact_bit or visited or visits or counters):
        if len(r.flags) == len(story.flags):
            # Every flag is read: the frozenset itself is the key (its hash is cached, no loop).
            return lambda s: (s.node, s.flags)
        return flags_only

    def full(s: State) -> Hashable:
        facts = 0
        for f in s.facts:
            facts |= fact_bit.get(f, 0)
        trail = s.trail
        return (flags_only(s), facts, tuple([min(s.counters[i], cap) for i, cap in counter_caps]),
                tuple([n in trail for n in visited]), tuple([min(trail.count(n), cap) for n, cap in visit_caps]))

    return full


# -- random playthroughs ------------------------------------------------------------------------
@dataclass
class RandomReport:
    runs: int
    seed: int
    endings: Counter[str] = field(default_factory=Counter)     # ending node -> runs that reached it
    lengths: list[int] = field(default_factory=list)      # choices per finished run
    failures: list[Finding] = field(default_factory=list)
    nodes: set[str] = field(default_factory=set)          # nodes visited
    choices: set[tuple[str, int]] = field(default_factory=set)  # (node, choice index) taken
    choices_made: int = 0


def random_runs(story: Story, runs: int, seed: int, max_steps: int = 10_000,
                progress: Callable[[int], None] | None = None,
                finished: Callable[[State], None] | None = None) -> RandomReport:
    """Play `runs` random playthroughs; run r uses Random(seed, r), so any run can be replayed alone.
    `finished` receives the last state of every run that reaches an ending."""
    report = RandomReport(runs, seed)
    c = compiled(story)
    walk, ids, ending = c.walk, c.ids, c.ending
    rng = random.Random()
    pick = rng.random
    taken: set[int] = set()  # edges, named once at the end: a set of ints costs least per choice
    for r in range(runs):
        rng.seed(seed * 1_000_003 + r)
        problem, node, vals, found, path = walk(pick, max_steps)
        if not problem and not ending[node]:
            problem = "soft-lock"
        steps = len(path)
        report.choices_made += steps
        taken.update(path)
        if problem:
            state = c.decode_run(node, vals, found, path)
            report.failures.append(_random_failure(story, state, problem, r, seed, max_steps))
        else:
            report.endings[ids[node]] += 1
            report.lengths.append(steps)
            if finished is not None:
                finished(c.decode_run(node, vals, found, path))
        if progress is not None and r % 256 == 255:
            progress(r + 1)
    if runs > 0:
        edges = c.edges
        report.nodes = {c.node_of(c.search_start), *(ids[edges[e].goto] for e in taken)}
        report.choices = {(ids[edges[e].node], edges[e].index) for e in taken}
    return report


def random_witnesses(story: Story, runs: int, seed: int) -> tuple[dict[str, tuple[int, ...]],
                                                                   dict[tuple[str, int], tuple[int, ...]]]:
    """The shortest path random playthroughs found to each node and to each (node, choice): a
    cheap first try at items a bounded search left undecided."""
    c = compiled(story)
    rng = random.Random(seed)
    first = c.search_start & c.node_mask
    # node -> (depth, the path it was first reached at that depth by); edge -> the same
    nodes: dict[int, tuple[int, list[int]]] = {}
    edges: dict[int, tuple[int, list[int]]] = {}
    goto = c.goto
    for _ in range(runs):
        _, _, _, _, path = c.walk(rng.random, 10 * len(story.nodes))
        at = first
        for k in range(len(path) + 1):
            known = nodes.get(at)
            if known is None or k < known[0]:
                nodes[at] = (k, path)
            if k < len(path):
                e = path[k]
                known = edges.get(e)
                if known is None or k + 1 < known[0]:
                    edges[e] = (k + 1, path)
                at = goto[e]
    index = c.index

    def named(depth: int, path: list[int]) -> tuple[int, ...]:
        return tuple(index[e] for e in path[:depth])

    return ({c.ids[n]: named(*found) for n, found in nodes.items()},
            {(c.ids[c.edges[e].node], c.edges[e].index): named(*found) for e, found in edges.items()})


def _random_failure(story: Story, state: State, problem: str, run: int, seed: int, max_steps: int) -> Finding:
    node = story.nodes[state.node]
    numbers = " ".join(map(str, player_numbers(story, state.path)))
    hint = f"replay: run {run} of seed {seed}, choices (as the player numbers them): {numbers or 'none'}"
    where = f"random run {run} (seed {seed})"
    if problem == "soft-lock":
        return Finding("error", "soft-lock", node.loc,
                       f"{where} is stuck at '{node.id}': it is not an ending and no choice is available", hint)
    if problem == "no-ending":
        return Finding("error", "no-ending", node.loc,
                       f"{where} made {max_steps} choices without reaching an ending; it was at '{node.id}'",
                       hint[:300] + ("…" if len(hint) > 300 else ""))
    return Finding("error", "runtime-error", node.loc, f"{where} failed at '{node.id}': {problem[6:]}", hint)


def player_numbers(story: Story, path: tuple[int, ...]) -> list[int]:
    """Choice indexes as the numbers a player types (locked, hidden choices are not numbered)."""
    state, out = engine.start(story), []
    for index in path:
        out.append(engine.number_of(story, state, index))
        state = engine.choose(story, state, index)
    return out


# -- exhaustive search --------------------------------------------------------------------------
@dataclass
class Graph:
    """The explored state graph. State i was first reached from parent[i] by choice via[i]."""

    story: Story
    node: list[str]                 # node of each state
    parent: array[int]              # int32, -1 for the start
    via: array[int]                 # choice index taken from the parent
    offsets: array[int]             # edges of state i: targets[offsets[i]:offsets[i+1]] (explored states)
    targets: array[int]
    choices: array[int]             # the choice index of each edge
    complete: bool                  # False when --max-states stopped the search
    expanded: int                   # states whose choices were explored
    soft_locks: list[int] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (state, choice, message)
    endings: dict[str, int] = field(default_factory=dict)             # ending node -> first state
    keys: list[int] = field(default_factory=list)  # compiled search state of each (exhaustive(keep_states=True))

    @property
    def states(self) -> int:
        return len(self.node)

    def path(self, i: int) -> tuple[int, ...]:
        """The choice indexes of the shortest known playthrough to state i."""
        out = []
        while self.parent[i] >= 0:
            out.append(self.via[i])
            i = self.parent[i]
        return tuple(reversed(out))

    def edges(self, i: int) -> Iterator[tuple[int, int]]:
        lo, hi = self.offsets[i], self.offsets[i + 1]
        return zip(self.choices[lo:hi], self.targets[lo:hi])

    def taken(self) -> dict[tuple[str, int], int]:
        """Every (node, choice index) some explored state takes, with the first state that does."""
        out: dict[tuple[str, int], int] = {}
        for i in range(self.expanded):
            node = self.node[i]
            for c in self.choices[self.offsets[i]:self.offsets[i + 1]]:
                out.setdefault((node, c), i)
        return out


def exhaustive(story: Story, max_states: int = 1_000_000,
               progress: Callable[[int], None] | None = None, keep_states: bool = False) -> Graph:
    """Breadth-first over every distinct state, so the first path to anything is a shortest one.
    States are the compiled search form (analysis/compiled.py): an int holding the node and what
    conditions read, so a state is its own key. `keep_states` keeps them in Graph.keys."""
    c = compiled(story)
    ids, mask_node, table, ending = c.ids, c.node_mask, c.search_table, c.ending
    first = c.search_start
    index = {first: 0}
    states = [first]  # in the order found: the queue is states[i:]
    g = Graph(story, [], array("i", [-1]), array("h", [-1]), array("i", [0]), array("i"), array("h"), False, 0)
    parent, via, targets, edge_choice, offsets = g.parent, g.via, g.targets, g.choices, g.offsets
    new_parent, new_via, new_state = parent.append, via.append, states.append
    target, choice_of, offset = targets.append, edge_choice.append, offsets.append
    found = 1  # len(states)
    i = 0
    while i < found and found < max_states:
        s = states[i]
        node = s & mask_node
        failed = False
        n_edges = len(targets)
        for mask, wanted, test, keep, put, add, ch in table[node]:
            if s & mask != wanted or (test is not None and not test(s)):
                continue
            t = s & keep | put
            if add is not None:
                try:
                    t = add(t)
                except Exception as e:  # past a field's range, or a move the engine fails on
                    g.errors.append((i, ch, f"{type(e).__name__}: {e}"))
                    failed = True
                    continue
            j = index.setdefault(t, found)
            if j == found:
                found += 1
                new_state(t)
                new_parent(i)
                new_via(ch)
            target(j)
            choice_of(ch)
        if len(targets) == n_edges and not failed:
            if ending[node]:
                g.endings.setdefault(ids[node], i)
            else:
                g.soft_locks.append(i)
        i += 1
        offset(len(targets))
        if progress is not None and not i & 4095:
            progress(found)
    del index  # the largest table: gone before the node names are built
    g.node = [ids[s & mask_node] for s in states]
    g.expanded = i
    g.complete = i == found
    if keep_states:
        g.keys = states
    return g


def can_reach(g: Graph, goal: list[int]) -> bytearray:
    """1 for every expanded state from which some state in `goal` can be reached."""
    back: list[list[int]] = [[] for _ in range(g.states)]
    for i in range(g.expanded):
        for j in g.targets[g.offsets[i]:g.offsets[i + 1]]:
            back[j].append(i)
    mark = bytearray(g.states)
    todo = list(goal)
    for j in todo:
        mark[j] = 1
    while todo:
        for i in back[todo.pop()]:
            if not mark[i]:
                mark[i] = 1
                todo.append(i)
    return mark


def traps(g: Graph) -> list[tuple[int, list[str]]]:
    """Loops with no way out: (first state of the trap, nodes the loop runs through).

    A state is trapped when no ending and no soft-lock can be reached from it (soft-locks are
    reported on their own); only meaningful when the search was complete.
    """
    endings = [i for i in range(g.expanded) if g.offsets[i] == g.offsets[i + 1]]
    ok = can_reach(g, endings + list(range(g.expanded, g.states)))
    out = []
    for i in range(g.expanded):
        if not ok[i] and (g.parent[i] < 0 or ok[g.parent[i]]):
            seen, todo = {i}, [i]
            while todo:
                for _, j in g.edges(todo.pop()):
                    if j not in seen:
                        seen.add(j)
                        todo.append(j)
            out.append((i, list(dict.fromkeys(g.node[s] for s in sorted(seen)))))
    return out
