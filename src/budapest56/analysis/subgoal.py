"""A witness for a choice whose condition needs rare flags together, found on the compiled form
by working backwards from the condition.

    Regress(story)                          the tables, built once per story
    r.reach(node, index, seeds, budget)     -> (State | None, expanded)   a state at `node`
                                            where its choice `index` is open

The condition's plain atoms say what the state must hold (`a and not b`: flag a on, flag b
off). For each atom still missing, the choices that turn it on are its setters; how far a node
is from the choice *through* a setter of the atom (to the setter, take it, on to the choice) is
one backward shortest-path pass. The search then goes in stages, each a best-first search on
the compiled form: reach some state that holds one more of the missing atoms, guided by the
nearest such detour, keeping the first few such states as the next stage's starts; then, with
all held, go to the choice. A state that holds an atom the condition needs off, which no choice
can turn off again, is dropped. Every state found is replayed by engine.step from the start
before it is returned: the witness is the engine's, whatever the tables say.
"""
from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection, Iterable, Sequence

from .. import engine
from ..engine import State
from ..story.conditions import Tree
from ..story.model import Story
from .compiled import Compiled, compiled

INF = 1 << 60
KEEP = 8  # states a stage hands to the next one
MORE = 200  # states a stage expands past its first find, for the others


def literals(tree: Tree | None) -> list[tuple[str, str, bool]] | None:
    """A condition that is only and-ed flags and facts, each perhaps negated: (kind, name, wanted);
    None for any other condition (its witness is left to analysis.witness)."""
    if tree is None or tree == ("bool", True):
        return []
    if tree[0] == "and":
        a, b = literals(tree[1]), literals(tree[2])
        return None if a is None or b is None else a + b
    if tree[0] == "not" and tree[1][0] in ("flag", "unlocked"):
        return [(tree[1][0], tree[1][1], False)]
    if tree[0] in ("flag", "unlocked"):
        return [(tree[0], tree[1], True)]
    return None


class Regress:
    def __init__(self, story: Story, reachable: Collection[str] | None = None) -> None:
        self.story = story
        self.reachable = reachable if reachable is not None else set(story.nodes)
        self._ways: dict[str, frozenset[tuple[str, str, bool]]] = {}
        self.c: Compiled = compiled(story)
        c = self.c
        self.back: list[list[int]] = [[] for _ in c.ids]  # node -> nodes with a choice into it
        self.setters: dict[int, list[tuple[int, int]]] = {}  # bit -> (from, to) of the moves turning it on
        self.cleared = 0  # bits some move turns off
        mask = c.node_mask
        for u, row in enumerate(c.search_table):
            for _, _, _, keep, put, _, _ in row:
                v = put & mask
                self.back[v].append(u)
                bits = put & ~mask
                while bits:
                    low = bits & -bits
                    self.setters.setdefault(low, []).append((u, v))
                    bits ^= low
                self.cleared |= ~keep & ~put & ~mask
        # Bits by name, flags and facts apart (a fact may share a flag's name).
        self._flags = {c.flags[i]: b for i, b in c.flag_bit.items()}
        self._facts = {c.facts[i]: b for i, b in c.fact_bit.items()}
        self._to: dict[int, list[int]] = {}
        self._via: dict[tuple[int, int], list[int]] = {}

    def _bit(self, kind: str, name: str) -> int:
        c = self.c
        if kind == "flag":
            return c.flag_bit.get(c.flags.index(name), 0) if name in c.flags else 0
        return c.fact_bit.get(c.facts.index(name), 0) if name in c.facts else 0

    def to(self, node: int) -> list[int]:
        """Choices from each node to `node`, ignoring conditions (INF: no way)."""
        if node not in self._to:
            dist = [INF] * len(self.c.ids)
            dist[node] = 0
            todo, back = [node], self.back
            for n in todo:
                d = dist[n] + 1
                for m in back[n]:
                    if dist[m] == INF:
                        dist[m] = d
                        todo.append(m)
            self._to[node] = dist
        return self._to[node]

    def via(self, node: int, bit: int) -> list[int]:
        """Choices from each node to `node` through a move that turns `bit` on."""
        key = (node, bit)
        if key not in self._via:
            d0 = self.to(node)
            dist = [INF] * len(self.c.ids)
            heap = []
            for u, v in self.setters.get(bit, ()):
                if d0[v] < INF and 1 + d0[v] < dist[u]:
                    dist[u] = 1 + d0[v]
                    heap.append((dist[u], u))
            heapq.heapify(heap)
            back = self.back
            while heap:
                d, n = heapq.heappop(heap)
                if d > dist[n]:
                    continue
                for m in back[n]:
                    if d + 1 < dist[m]:
                        dist[m] = d + 1
                        heapq.heappush(heap, (d + 1, m))
            self._via[key] = dist
        return self._via[key]

    def ways_in(self, node_id: str, depth: int = 3) -> frozenset[tuple[str, str, bool]]:
        """Atoms every way into the node needs on the way: those of every choice into it (from a
        node that may be reached), and what every way into that node needs, `depth` choices back;
        an atom the choice into the node turns off again is not counted."""
        if node_id in self._ways:
            return self._ways[node_id]
        self._ways[node_id] = frozenset()  # a loop back here needs nothing more
        common: frozenset[tuple[str, str, bool]] | None = None
        for q in dict.fromkeys(self.back_ids(node_id)):
            if q not in self.reachable:
                continue
            for choice in self.story.nodes[q].choices:
                if choice.goto != node_id:
                    continue
                atoms = literals(choice.condition.tree if choice.condition else None) or []
                here = frozenset(atoms) | (self.ways_in(q, depth - 1) if depth > 1 else frozenset())
                changed = {f for f, _ in choice.effects.set_flags} | {f for f, _ in
                                                                      self.story.nodes[node_id].effects.set_flags}
                here = frozenset(a for a in here if a[1] not in changed)
                common = here if common is None else common & here
        self._ways[node_id] = common or frozenset()
        return self._ways[node_id]

    def back_ids(self, node_id: str) -> list[str]:
        c = self.c
        return [c.ids[m] for m in self.back[c.number[node_id]]]

    def reach(self, node_id: str, index: int, seeds: Iterable[State], budget: int) -> tuple[State | None, int]:
        """A state at `node_id` where its choice `index` is open, from the start or a seed, in at
        most `budget` expanded states; None when the condition is not plain atoms or none is found."""
        c = self.c
        guard = self.story.nodes[node_id].choices[index].condition
        atoms = literals(guard.tree if guard is not None else None)
        if atoms is None:
            return None, 0
        node = c.number[node_id]
        need = off = 0
        # The condition's atoms, and those every way to the node needs: a choice that needs a,
        # at a node every way into which needs b, needs a and b together.
        for kind, name, on in {*atoms, *self.ways_in(node_id)}:
            bit = self._bit(kind, name)
            if on:
                need |= bit
            else:
                off |= bit
        if need & off:
            return None, 0
        dead = off & ~self.cleared  # on and never turned off again: the condition cannot hold
        mask, wanted, test = c.search_table[node][index][:3]
        d0 = self.to(node)

        def opens(s: int) -> bool:
            return s & c.node_mask == node and s & mask == wanted and (test is None or bool(test(s)))

        origin: dict[int, State] = {}  # search state -> the engine state of the seed it is
        parent: dict[int, tuple[int, int]] = {}  # search state -> (state before, choice taken)
        starts: list[int] = []
        for seed in (engine.start(self.story), *seeds):
            s = self.encode(seed)
            if s not in origin and d0[s & c.node_mask] < INF:
                origin[s] = seed
                starts.append(s)
        used = 0
        while starts:
            missing = [b for b in _bits(need) if not all(s & b for s in starts)]
            held = need & ~sum(missing)
            if not missing:  # the last stage: to the choice, keeping what it needs
                found, n = self._stage(starts, budget - used, opens, lambda s: d0[s & c.node_mask],
                                       need, dead, parent, origin, 1)
                used += n
                if found:
                    return self._replay(found[0], parent, origin), used
                break
            guides = [self.via(node, b) for b in missing]

            def far(s: int, guides: Sequence[list[int]] = guides, missing: Sequence[int] = missing) -> int:
                n = s & c.node_mask
                # The farthest detour first: the setter furthest back is passed on the way to the others.
                return max((g[n] for b, g in zip(missing, guides) if not s & b), default=0)

            def gained(s: int, missing: Sequence[int] = missing, held: int = held) -> bool:
                return any(s & b for b in missing) and s & held == held and far(s) < INF

            found, n = self._stage(starts, budget - used, gained, far, held, dead, parent, origin, KEEP)
            used += n
            # The next stage starts where this one gained the most: states that hold all of it first.
            # The next stage starts from the states holding what the best of them holds, so
            # each stage holds strictly more than the one before.
            best = max(found, key=lambda s: bin(s & need).count("1"), default=None)
            starts = [] if best is None or used >= budget else [s for s in found if s & need == best & need]
        if seeds and used < budget:  # the seeds led astray: from the start alone
            state, more = self.reach(node_id, index, (), budget - used)
            return state, used + more
        return None, used

    def _stage(self, starts: Sequence[int], budget: int, goal: Callable[[int], bool], far: Callable[[int], int],
               held: int, dead: int, parent: dict[int, tuple[int, int]], origin: dict[int, State],
               want: int) -> tuple[list[int], int]:
        """Best-first from `starts` until `want` states meet `goal` or `budget` states are expanded;
        a state that lost what is `held` or holds a `dead` atom is not followed."""
        c = self.c
        found = [s for s in starts if goal(s)]
        if len(found) >= want:
            return found[:want], 0
        tie = itertools.count(0, -1)  # newest first among equals: down one slope, not across a plateau
        heap = [(far(s), next(tie), s) for s in starts if far(s) < INF]
        heapq.heapify(heap)
        seen = set(starts)
        used = 0
        while heap and used < budget:
            _, _, s = heapq.heappop(heap)
            used += 1
            for index, t in c.successors(s):
                if t in seen or t & dead or t & held != held:
                    continue
                seen.add(t)
                if t not in origin and t not in parent:
                    parent[t] = (s, index)
                if goal(t):
                    found.append(t)
                    if len(found) >= want:
                        return found, used
                    budget = min(budget, used + MORE)  # a few more, close by, not a hunt
                    continue
                h = far(t)
                if h < INF:
                    heapq.heappush(heap, (h, next(tie), t))
        return found, used

    def _replay(self, s: int, parent: dict[int, tuple[int, int]], origin: dict[int, State]) -> State:
        """The engine's state at the end of the choices found: played by engine.step from the
        seed (itself an engine state, with its path) they start at."""
        steps = []
        while s not in origin:
            s, index = parent[s]
            steps.append(index)
        state = origin[s]
        for index in reversed(steps):
            state = engine.step(self.story, state, index)
        return state

    def encode(self, state: State) -> int:
        """compiled's encode_search, by dictionaries when only flags and facts are read."""
        c = self.c
        if c.seen_bit or c.counter_field or c.count_field:
            return c.encode_search(state)
        s = c.number[state.node]
        flags, facts = self._flags, self._facts
        for f in state.flags:
            s |= flags.get(f, 0)
        for f in state.facts:
            s |= facts.get(f, 0)
        return s


def _bits(x: int) -> list[int]:
    out = []
    while x:
        low = x & -x
        out.append(low)
        x ^= low
    return out
