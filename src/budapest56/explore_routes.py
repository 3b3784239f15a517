"""Routes: few playthroughs that together unlock every fact, for a teacher to hand out.

Finding the fewest is a set-cover problem over all playthroughs, so this is a greedy
approximation: each route walks the explored state graph to the nearest fact no route has
yet, until none is left within reach, then takes the shortest way to an ending. A lower
bound comes with it: facts that no single playthrough can unlock together (pairwise) each
need a route of their own; when the bound equals the number of routes, the set is smallest.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable

from .explore import Graph, can_reach

LOWER_BOUND_WORK = 20_000_000  # states x facts beyond which the bound is not worth its time


@dataclass(frozen=True)
class Routes:
    paths: list[tuple[int, ...]]        # choice indexes from the start, one playthrough each
    facts: list[list[str]]              # facts each route unlocks that earlier routes did not
    unroutable: list[str]               # facts reached only where no ending can follow
    lower_bound: int                    # no set of playthroughs covering every fact is smaller (0: unknown)

    @property
    def proved_smallest(self) -> bool:
        return self.lower_bound == len(self.paths)


def edge_facts(g: Graph) -> Callable[[str, int], tuple[str, ...]]:
    """Facts a choice unlocks, including those of the node it arrives at."""
    nodes = g.story.nodes

    def facts(node: str, c: int) -> tuple[str, ...]:
        choice = nodes[node].choices[c]
        return choice.effects.unlock + nodes[choice.goto].effects.unlock

    return facts


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
    paths, facts = [], []
    while todo:
        got, cur, path = set(start_facts), 0, []
        while True:
            wanted = todo - got
            step = _nearest(g, cur, ok, lambda n, c: any(f in wanted for f in unlocks(n, c)))
            if step is None:
                break
            cur, found = _walk(g, cur, step)
            path += step
            got |= found
        end = _nearest(g, cur, ok, lambda n, c: nodes[nodes[n].choices[c].goto].ending is not None)
        if end is not None:
            cur, found = _walk(g, cur, end)
            path += end
            got |= found
        new = sorted(got & todo)
        if not new:
            break
        paths.append(tuple(path))
        facts.append(new)
        todo -= got
    return Routes(paths, facts, sorted(reached - everything), _lower_bound(g, ok, everything) if paths else 0)


def _walk(g: Graph, i: int, path: list[int]) -> tuple[int, set[str]]:
    """Follow choices from state i: the state arrived at and the facts unlocked on the way."""
    unlocks = edge_facts(g)
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


def _lower_bound(g: Graph, ok: bytearray, facts: set[str]) -> int:
    """The size of a set of pairwise incompatible facts, found greedily (0 when too costly)."""
    if g.states * max(len(facts), 1) > LOWER_BOUND_WORK:
        return 0
    unlocks = edge_facts(g)
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
