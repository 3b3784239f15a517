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
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import engine
from ..engine import State
from ..errors import Finding
from ..story import conditions
from ..story.model import Story

Key = Callable[[State], Hashable]
Tree = tuple[Any, ...]  # a parsed condition (story.conditions)


@dataclass(frozen=True)
class Reads:
    """Everything the story's choice conditions can read; the rest of a State cannot change a future."""

    flags: tuple[str, ...]
    counters: tuple[int, ...]     # indexes into State.counters
    facts: tuple[str, ...]
    visited: tuple[str, ...]      # nodes read by visited()
    visits: tuple[str, ...]       # nodes read by visits(): the count matters
    caps: dict[tuple[str, str], int]  # ('counter'|'visits', name) -> values from here on look alike


NO_CAP = 1 << 62


def reads(story: Story) -> Reads:
    found: set[tuple[str, str]] = set()
    trees = [c.condition.tree for n in story.nodes.values() for c in n.choices if c.condition is not None]
    for tree in trees:
        found |= conditions.names_read(tree)
    names = list(story.counters)

    def pick(kind: str) -> tuple[str, ...]:
        return tuple(sorted(n for k, n in found if k == kind))

    return Reads(pick("flag"), tuple(names.index(c) for c in pick("counter")), pick("unlocked"),
                 tuple(n for n in pick("visited") if ("visits", n) not in found), pick("visits"),
                 _caps(story, trees))


def _caps(story: Story, trees: list[Tree]) -> dict[tuple[str, str], int]:
    """A number that only grows and is only compared with constants cannot be told apart from
    any larger value once it passes the largest constant: so a loop that counts knocks, or
    visits(), leaves a finite number of states to search instead of an endless one."""
    caps: dict[tuple[str, str], int] = {}

    def walk(tree: Tree) -> None:
        if tree[0] in ("and", "or"):
            walk(tree[1])
            walk(tree[2])
        elif tree[0] == "not":
            walk(tree[1])
        elif tree[0] == "cmp":
            for a, b in ((tree[2], tree[3]), (tree[3], tree[2])):
                if a[0] in ("counter", "visits"):
                    limit = b[1] + 1 if b[0] == "num" else NO_CAP
                    caps[a[0], a[1]] = max(caps.get((a[0], a[1]), 0), limit)
                else:
                    walk(a)

    for tree in trees:
        walk(tree)
    shrinking = {name for n in story.nodes.values() for e in (n.effects, *(c.effects for c in n.choices))
                 for name, value in e.add_counters if value < 0}
    return {k: (NO_CAP if k[0] == "counter" and k[1] in shrinking else cap) for k, cap in caps.items()}


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
    first = engine.start(story)
    available, choose, nodes = engine.available, engine.step, story.nodes
    rng = random.Random()
    pick = rng.random
    for r in range(runs):
        rng.seed(seed * 1_000_003 + r)
        state, steps, problem = first, 0, ""
        try:
            while True:
                options = available(story, state)
                if not options:
                    if nodes[state.node].ending is None:
                        problem = "soft-lock"
                    break
                if steps >= max_steps:
                    problem = "no-ending"
                    break
                state = choose(story, state, options[int(pick() * len(options))])
                steps += 1
        except Exception as e:  # an engine bug must be reported with its run, not crash the test
            problem = f"error:{type(e).__name__}: {e}"
        report.choices_made += steps
        report.nodes.update(state.trail)
        report.choices.update(zip(state.trail, state.path))
        if problem:
            report.failures.append(_random_failure(story, state, problem, r, seed, max_steps))
        else:
            report.endings[state.node] += 1
            report.lengths.append(steps)
            if finished is not None:
                finished(state)
        if progress is not None and r % 256 == 255:
            progress(r + 1)
    return report


def random_witnesses(story: Story, runs: int, seed: int) -> tuple[dict[str, tuple[int, ...]],
                                                                   dict[tuple[str, int], tuple[int, ...]]]:
    """The shortest path random playthroughs found to each node and to each (node, choice): a
    cheap first try at items a bounded search left undecided."""
    nodes: dict[str, tuple[int, ...]] = {}
    choices: dict[tuple[str, int], tuple[int, ...]] = {}
    available, step, first = engine.available, engine.step, engine.start(story)
    rng = random.Random(seed)
    for _ in range(runs):
        state = first
        for _ in range(10 * len(story.nodes)):
            options = available(story, state)
            if not options:
                break
            state = step(story, state, options[int(rng.random() * len(options))])
        path = state.path
        for k, node in enumerate(state.trail):
            if k < len(nodes.get(node, path)) or node not in nodes:
                nodes[node] = path[:k]
            if k < len(path) and ((node, path[k]) not in choices or k + 1 < len(choices[node, path[k]])):
                choices[node, path[k]] = path[:k + 1]
    return nodes, choices


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
               progress: Callable[[int], None] | None = None) -> Graph:
    """Breadth-first over every distinct state, so the first path to anything is a shortest one."""
    key = state_key(story)
    r = reads(story)
    keep_trail = bool(r.visited or r.visits)
    available, choose, nodes = engine.available, engine.step, story.nodes
    first = engine.start(story)
    index = {key(first): 0}
    g = Graph(story, [first.node], array("i", [-1]), array("h", [-1]), array("i", [0]), array("i"),
              array("h"), False, 0)
    node_of, parent, via, targets, edge_choice = g.node, g.parent, g.via, g.targets, g.choices
    queue = deque([first])
    i = 0
    while queue:
        if len(node_of) >= max_states:
            break
        state = queue.popleft()
        try:
            options = available(story, state)
        except Exception as e:
            g.errors.append((i, -1, f"{type(e).__name__}: {e}"))
            options = []
        if not options:
            if nodes[state.node].ending is not None:
                g.endings.setdefault(state.node, i)
            else:
                g.soft_locks.append(i)
        for c in options:
            try:
                nxt = choose(story, state, c)
                k = key(nxt)
            except Exception as e:
                g.errors.append((i, c, f"{type(e).__name__}: {e}"))
                continue
            j = index.get(k)
            if j is None:
                j = index[k] = len(node_of)
                node_of.append(nxt.node)
                parent.append(i)
                via.append(c)
                # The path lives in parent/via; the trail only matters when a condition reads it.
                # Dropping them keeps a queued state small and the next choose() from copying them.
                queue.append(State(nxt.node, nxt.flags, nxt.counters, nxt.facts, nxt.trail if keep_trail else (), ()))
            targets.append(j)
            edge_choice.append(c)
        i += 1
        g.offsets.append(len(targets))
        if progress is not None and i % 4096 == 0:
            progress(len(node_of))
    g.expanded = i
    g.complete = not queue
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
