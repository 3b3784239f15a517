"""Witnesses past the bound for thousands of items at once, in a few searches.

    walks(story, runs, seed, max_steps)   -> Cover   random playthroughs that put off the endings,
                                                     recording every node passed and every
                                                     choice offered on the way
    cover(story, nodes, choices, budget)  -> Cover   a breadth-first search from the start that
                                                     keeps a state only when it shows its node
                                                     something new; stops when every wanted node
                                                     and choice is found or the budget is spent
    settle(story, nodes, choices, known, ...) -> Settled   both, then aimed searches node by
                                                     node for the rest: for a condition of plain
                                                     flags and facts, walks in the cones of what
                                                     it needs, then the search working back from
                                                     it (analysis.subgoal); for any other, a
                                                     best-first search (analysis.witness)

When the exhaustive search stops at its bound, thousands of items can still be open, and one
aimed search each, from scratch, costs thousands of searches; `cover` serves them all at once.
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
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import engine
from ..engine import State
from ..story.conditions import names_read
from ..story.model import Story
from .bounds import Approx
from .explore import NO_CAP, reads, state_key
from .subgoal import Regress, literals
from .witness import deficit, distances_to, predecessors, witness

SEEDS = 16    # states an aimed search starts from
SCAN = 4_000  # nodes, nearest first, whose states are looked at as seeds for it
WALK_STEPS = 500_000     # choices the walks aimed at one item may make (subgoal.Regress.walk)
WALKS_TOTAL = 4_000_000  # ... and all of them together


@dataclass
class Cover:
    nodes: dict[str, tuple[int, ...]] = field(default_factory=dict)            # node -> a path there
    choices: dict[tuple[str, int], tuple[int, ...]] = field(default_factory=dict)  # ... that takes it
    expanded: int = 0
    # The search tree: kept state i was reached from parent[i] by choice via[i].
    parent: array[int] = field(default_factory=lambda: array("i", [-1]))
    via: array[int] = field(default_factory=lambda: array("h", [-1]))
    first: dict[str, tuple[State, int]] = field(default_factory=dict)  # node -> first state kept there
    samples: dict[str, list[State]] = field(default_factory=dict)  # walks: a few states at each node, with paths
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


def walks(story: Story, runs: int, seed: int, max_steps: int, patience: int = 32, keep: int = 2) -> Cover:
    """Random playthroughs that take a choice leading to an ending only when nothing else is
    open, so each one runs as deep as the story goes (a uniform pick ends many early); every
    node arrived at and every choice offered on the way gets the shortest path seen to it.
    Stops after `runs` or `max_steps` choices in all, or after `patience` runs in a row that
    found no new item. The first `keep` states of different runs at each node are kept as
    samples, for aimed searches to start from."""
    out = Cover()
    samples: dict[str, list[tuple[State, int, int]]] = {}
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
            here = samples.setdefault(state.node, [])
            if len(here) < keep and (not here or here[-1][1] != run):
                here.append((state, run, k))
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
    out.samples = {n: [State(s.node, s.flags, s.counters, s.facts, s.trail, tuple(paths[run][:k]))
                       for s, run, k in here] for n, here in samples.items()}
    return _arrivals(story, out)


@dataclass
class Settled:
    """Witnesses past the bound: (path, 'random' or 'aimed') for each node and choice found."""

    nodes: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    choices: dict[tuple[str, int], tuple[tuple[int, ...], str]] = field(default_factory=dict)
    tried: set[str | tuple[str, int]] = field(default_factory=set)  # items an aimed search was run for
    starved: set[str | tuple[str, int]] = field(default_factory=set)  # ... would have been, had any budget been left
    pool: dict[str, list[State]] = field(default_factory=dict)     # states found, with their paths
    used: int = 0                                                   # states the aimed searches expanded
    regressed: int = 0                                              # ... and the searches working back
    walked: int = 0                                                 # choices the walks in cones made


def settle(story: Story, open_nodes: set[str], open_choices: set[tuple[str, int]],
           known: Mapping[str, tuple[int, ...]], budget: int, per_item: int,
           runs: int, steps: int, approx: Approx | None = None) -> Settled:
    """Witnesses for the open items: random walks first, then one novelty-pruned search aimed
    at all that is left, then, node by node in the order the story reaches them, an aimed search
    for a way in through each choice leading there, and one for each choice still open. `known`
    holds paths to nodes reached already; `budget` bounds every aimed search's states together,
    `per_item` each one's (and the shared search's, times the items it is aimed at)."""
    out = Settled()
    lucky = walks(story, runs, 0, steps)
    for n, path in lucky.nodes.items():
        out.nodes[n] = (path, "random")
    for nc, path in lucky.choices.items():
        out.choices[nc] = (path, "random")
    nodes = {n for n in open_nodes if n not in out.nodes}
    choices = {nc for nc in open_choices if nc not in out.choices}
    if not nodes and not choices:
        return out
    # The shared search takes at most a quarter of the allowance: the aimed searches after it
    # reach the deep items it leaves.
    aimed = cover(story, nodes, choices, min(budget // 4, per_item * (len(nodes) + len(choices))))
    out.used = aimed.expanded
    out.nodes.update((n, (p, "aimed")) for n, p in aimed.nodes.items() if n in nodes)
    out.choices.update((nc, (p, "aimed")) for nc, p in aimed.choices.items() if nc in choices)
    out.pool = lucky.samples
    for n in aimed.first:
        if (state := aimed.state_at(n)) is not None:
            out.pool.setdefault(n, []).append(state)
    back = predecessors(story)
    counters = {name: i for i, name in enumerate(story.counters)}
    key = state_key(story)
    regressors: list[Regress] = []

    def regressor() -> Regress:
        if not regressors:
            regressors.append(Regress(story, approx))
        return regressors[0]

    def path_to(n: str) -> tuple[int, ...] | None:
        return known[n] if n in known else out.nodes[n][0] if n in out.nodes else None

    def aim(node: str, c: int, limit: int) -> State | None:
        """A state at `node` where its choice c is open, found by an aimed search."""
        out.tried.add((node, c))
        allowed = min(limit, budget - out.used)
        if allowed <= 0:
            out.starved.add((node, c))
            return None
        guard = story.nodes[node].choices[c].condition
        plain = literals(guard.tree if guard is not None else None) is not None
        if plain:
            # Plain flags and facts: walks in the cones of what the choice needs, on the compiled
            # form, then the search working back from them (analysis.subgoal).
            found, walked = regressor().walk(node, c, out.pool, min(allowed, WALKS_TOTAL - out.walked))
            out.walked += walked
            if found is not None:
                record(found)
                return found
        dist = distances_to(story, {node}, back)
        tree = guard.tree if guard is not None else ("bool", True)
        # When every way into the node waits for a condition too, a state far from all of them
        # is far from the goal: the guide counts the nearest of them as well.
        ways = [ch.condition for q in dict.fromkeys(back[node]) for ch in story.nodes[q].choices if ch.goto == node]
        if ways and all(w is not None for w in ways):
            either = ways[0].tree  # type: ignore[union-attr]
            for w in ways[1:]:
                either = ("or", either, w.tree)  # type: ignore[union-attr]
            tree = ("and", tree, either)
        # The states nearest the choice that already satisfy its condition, then the nearest
        # others: a state with the flag it needs, however far back, beats one beside it without.
        near: list[tuple[int, int, int, State]] = []
        ready = 0
        for i, (n, d) in enumerate(dist.items()):  # nearest first: stop once enough are ready
            for s in out.pool.get(n, ()):
                near.append((deficit(tree, s, counters), d, i, s))
                ready += near[-1][0] == 0
            if ready >= SEEDS or i >= SCAN:
                break
        near.sort(key=lambda t: t[:3])

        def offers(s: State) -> bool:
            return s.node == node and c in engine.available(story, s)

        seeds = [t[3] for t in near[:SEEDS]]
        if plain:
            found, used = regressor().reach(node, c, seeds, allowed)
        else:
            found, used = witness(story, offers, {node}, allowed, seeds, tree, dist, key)
        out.used += used
        if found is not None:
            record(found)
        return found

    def record(state: State) -> None:
        """A state found at a node: every choice open there is found too, and where it leads."""
        out.pool.setdefault(state.node, []).append(state)
        for c in engine.available(story, state):
            if (state.node, c) not in out.choices:
                out.choices[state.node, c] = (state.path + (c,), "aimed")
            goto = story.nodes[state.node].choices[c].goto
            if goto not in out.nodes and goto not in known:
                out.nodes[goto] = (state.path + (c,), "aimed")

    examined: set[str] = set()

    def examine(node: str) -> None:
        """Play the node's witness, which may have come from a choice into it that was seen
        offered but not taken, and look at the choices open where it arrives."""
        path = path_to(node)
        if node in examined or path is None:
            return
        examined.add(node)
        if node in out.pool:  # already looked at
            return
        state = engine.start(story)
        for index in path:
            state = engine.step(story, state, index)
        record(state)

    # Node by node, nearest the start first: a way in found for one is a seed for the next.
    # Twice: first with a tenth of each item's allowance, so a few hard items cannot use up
    # the whole budget before the many easy ones are tried, then with all of it for the rest.
    order = distances_from(story)
    for limit in (max(1, per_item // 10), per_item):
        out.tried, out.starved = set(), set()
        for m in sorted((n for n in nodes if n not in out.nodes and n in order), key=order.__getitem__):
            if m in out.nodes:  # found on the way to an earlier one
                continue
            out.tried.add(m)
            if budget <= out.used:
                out.starved.add(m)
                continue
            for p in dict.fromkeys(back[m]):
                for c, choice in enumerate(story.nodes[p].choices):
                    if choice.goto == m and (p, c) in choices and (p, c) not in out.tried and path_to(p) is not None:
                        examine(p)
                        if m in out.nodes:
                            break
                        found = aim(p, c, limit)
                        if found is not None:
                            record(engine.step(story, found, c))
                            break
                if m in out.nodes:
                    break
        for node, c in sorted(choices):
            if (node, c) not in out.choices and (node, c) not in out.tried and path_to(node) is not None:
                examine(node)
                if (node, c) not in out.choices:
                    aim(node, c, limit)
    # What is left may need rare flags together: the ways into the nodes still open first, the
    # nearest first, then the choices, each tried by the search working back from its condition
    # and by walks in the cones of what it needs (analysis.subgoal), with allowances of their own.
    # A walk begins at the start, so the choice's node need not have been reached yet.
    left = [(p, c) for m in sorted((n for n in nodes if n not in out.nodes and n in order), key=order.__getitem__)
            for p in dict.fromkeys(back[m]) for c, choice in enumerate(story.nodes[p].choices)
            if choice.goto == m and (p, c) in choices]
    left += sorted((nc for nc in choices if nc not in out.choices and nc[0] in order), key=lambda nc: order[nc[0]])
    spare = budget // 2
    for node, c in dict.fromkeys(left):
        if (node, c) in out.choices:
            continue
        goto = story.nodes[node].choices[c].goto
        if goto in out.nodes and (node, c) not in choices:
            continue
        found = None
        if spare > 0:
            seeds = sorted(out.pool.get(node, []), key=lambda s: len(s.path))[:SEEDS]
            found, used = regressor().reach(node, c, seeds, min(spare, per_item // 4))
            spare -= used
            out.regressed += used
        if found is None and out.walked < WALKS_TOTAL:
            found, walked = regressor().walk(node, c, out.pool, min(WALKS_TOTAL - out.walked, WALK_STEPS))
            out.walked += walked
        if found is not None:
            record(found)
            record(engine.step(story, found, c))
    return out


def distances_from(story: Story) -> dict[str, int]:
    """Choices from the start to each node, ignoring conditions."""
    dist = {story.start: 0}
    todo = deque([story.start])
    while todo:
        n = todo.popleft()
        for choice in story.nodes[n].choices:
            if choice.goto not in dist:
                dist[choice.goto] = dist[n] + 1
                todo.append(choice.goto)
    return dist
