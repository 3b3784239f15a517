"""Routes: few playthroughs that together unlock every fact, for a teacher to hand out.

Finding the fewest is a set-cover problem over all playthroughs, so this is greedy set cover,
an approximation: each round adds the route that unlocks the most facts not yet covered.
When the explored state graph is acyclic that route is found exactly (the heaviest path, by
dynamic programming); a second strategy walks to the nearest uncovered fact again and again.
The smaller result wins. A lower bound comes with it: facts that no single playthrough can
unlock together (pairwise) each need a route of their own; when the bound equals the number
of routes, the set is proved to be the smallest.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ..engine import step_unlocks
from .explore import Graph, can_reach

LOWER_BOUND_WORK = 20_000_000  # states x facts beyond which the bound is not worth its time
Unlocks = Callable[[str, int], tuple[str, ...]]  # (node, choice index) -> the facts the move unlocks


@dataclass(frozen=True)
class Routes:
    paths: list[tuple[int, ...]]        # choice indexes from the start, one playthrough each
    facts: list[list[str]]              # facts each route unlocks that earlier routes did not
    unroutable: list[str]               # facts reached only where no ending can follow
    lower_bound: int                    # no set of playthroughs covering every fact is smaller (0: unknown)

    @property
    def proved_smallest(self) -> bool:
        return self.lower_bound == len(self.paths)


def edge_facts(g: Graph) -> Unlocks:
    """Facts a choice unlocks, including those of the node it arrives at (engine.step_unlocks),
    asked of the engine once per choice of the story and then looked up: the routes ask it for
    every edge of the state graph, many times over."""
    story = g.story
    table = {(node.id, c): step_unlocks(story, node.id, c) for node in story.nodes.values()
             for c in range(len(node.choices))}
    return lambda node, c: table[node, c]


def fact_routes(g: Graph) -> Routes:
    nodes = g.story.nodes
    unlocks = edge_facts(g)
    ends = [i for i in range(g.expanded) if nodes[g.node[i]].ending is not None]
    ok = can_reach(g, ends)
    start_facts = set(nodes[g.node[0]].effects.unlock)
    everything = set(start_facts)
    for i in range(g.expanded):
        everything.update(f for c, j in g.edges(i) if ok[j] for f in unlocks(g.node[i], c))
    reached = set(start_facts).union(*(unlocks(n, c) for n, c in g.taken()))
    todo = set(everything) if ok[0] else set()

    def nearest(wanted: set[str]) -> list[int]:
        return _nearest_route(g, ok, unlocks, wanted)

    candidates = [_cover(g, unlocks, todo, start_facts, nearest)]
    order = _topological(g, ok)
    if order is not None:  # acyclic: the heaviest path each round is exact for that round
        candidates.append(_cover(g, unlocks, todo, start_facts,
                                 lambda wanted: _heaviest_route(g, unlocks, ok, order, wanted)))
    paths, facts = min(candidates, key=lambda c: (len(c[0]), sum(map(len, c[0]))))
    return Routes(paths, facts, sorted(reached - everything), _lower_bound(g, unlocks, ok, everything) if paths else 0)


def _cover(g: Graph, unlocks: Unlocks, todo: set[str], start_facts: set[str],
           route: Callable[[set[str]], list[int]]) -> tuple[list[tuple[int, ...]], list[list[str]]]:
    """Greedy set cover: ask for one route at a time until every fact is unlocked by some route."""
    todo = set(todo)
    paths, facts = [], []
    while todo:
        path = route(todo)
        got = start_facts | _walk(g, unlocks, 0, path)[1]
        if not got & todo:
            break
        paths.append(tuple(path))
        facts.append(sorted(got & todo))
        todo -= got
    return paths, facts


def _nearest_route(g: Graph, ok: bytearray, unlocks: Unlocks,
                   todo: set[str]) -> list[int]:
    """Walk to the nearest wanted fact, again and again, then to the nearest ending."""
    nodes = g.story.nodes
    got: set[str] = set()
    cur, path = 0, []
    while True:
        wanted = todo - got
        # _nearest calls the test within this round, so it reads this round's `wanted`.
        step = _nearest(g, cur, ok, lambda n, c: any(f in wanted for f in unlocks(n, c)))  # noqa: B023
        if step is None:
            break
        cur, found = _walk(g, unlocks, cur, step)
        path += step
        got |= found
    end = _nearest(g, cur, ok, lambda n, c: nodes[nodes[n].choices[c].goto].ending is not None)
    return path + (end or [])


def _topological(g: Graph, ok: bytearray) -> list[int] | None:
    """The states that can end, parents before children; None when they hold a cycle."""
    indegree = [0] * g.states
    for i in range(g.expanded):
        if ok[i]:
            for _, j in g.edges(i):
                indegree[j] += ok[j]
    order = [0] if ok[0] else []
    for i in order:
        for _, j in g.edges(i):
            if ok[j]:
                indegree[j] -= 1
                if indegree[j] == 0:
                    order.append(j)
    return order if len(order) == sum(ok) else None


def _heaviest_route(g: Graph, unlocks: Unlocks, ok: bytearray, order: list[int], todo: set[str]) -> list[int]:
    """The playthrough unlocking the most wanted facts (counted per choice), by dynamic programming."""
    nodes = g.story.nodes
    best = [-1] * g.states
    follow: dict[int, int] = {}
    for i in reversed(order):
        if nodes[g.node[i]].ending is not None:
            best[i] = 0
            continue
        for c, j in g.edges(i):
            if best[j] >= 0:
                weight = best[j] + sum(f in todo for f in unlocks(g.node[i], c))
                if weight > best[i]:
                    best[i], follow[i] = weight, c
    path, i = [], 0
    while i in follow:
        c = follow[i]
        path.append(c)
        i = next(j for cc, j in g.edges(i) if cc == c)
    return path


def _walk(g: Graph, unlocks: Unlocks, i: int, path: list[int]) -> tuple[int, set[str]]:
    """Follow choices from state i: the state arrived at and the facts unlocked on the way."""
    got: set[str] = set()
    for c in path:
        got.update(unlocks(g.node[i], c))
        i = next(j for cc, j in g.edges(i) if cc == c)
    return i, got


def _nearest(g: Graph, src: int, ok: bytearray, want: Callable[[str, int], bool]) -> list[int] | None:
    """Breadth-first from src to the nearest edge `want` accepts, keeping to states that can still end."""
    back: dict[int, tuple[int, int]] = {src: (-1, -1)}
    todo = deque([src])
    while todo:
        i = todo.popleft()
        for c, j in g.edges(i) if i < g.expanded else ():
            if not ok[j]:
                continue
            if want(g.node[i], c):
                path = [c]
                while i != src:
                    i, c = back[i]
                    path.append(c)
                return path[::-1]
            if j not in back:
                back[j] = (i, c)
                todo.append(j)
    return None


def _lower_bound(g: Graph, unlocks: Unlocks, ok: bytearray, facts: set[str]) -> int:
    """The size of a set of pairwise incompatible facts, found greedily (0 when too costly)."""
    if g.states * max(len(facts), 1) > LOWER_BOUND_WORK:
        return 0
    sources: dict[str, set[int]] = {f: set() for f in facts}
    after: dict[str, set[int]] = {f: set() for f in facts}
    for f in set(g.story.nodes[g.node[0]].effects.unlock) & facts:
        sources[f].add(0)
        after[f].add(0)
    together: set[tuple[str, str]] = set()  # facts one choice unlocks at once
    for i in range(g.expanded):
        for c, j in g.edges(i):
            found = [f for f in unlocks(g.node[i], c) if f in facts] if ok[j] else []
            for f in found:
                sources[f].add(i)
                after[f].add(j)
            together.update((a, b) for a in found for b in found)
    reach = {f: _closure(g, after[f]) for f in facts}

    def compatible(a: str, b: str) -> bool:
        return bool(reach[a] & sources[b]) or bool(reach[b] & sources[a]) or (a, b) in together

    clique: list[str] = []
    for f in sorted(facts, key=lambda f: len(reach[f])):
        if all(not compatible(f, other) for other in clique):
            clique.append(f)
    return len(clique)


def _closure(g: Graph, starts: set[int]) -> set[int]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        i = todo.pop()
        if i < g.expanded:
            for _, j in g.edges(i):
                if j not in seen:
                    seen.add(j)
                    todo.append(j)
    return seen
