"""A witness for a choice whose condition needs rare flags together, found on the compiled form
by what the condition needs.

    Regress(story, approx)                  the tables, built once per story
    r.must(node)                            atoms every way to the node holds on arrival
    r.walk(node, index, pool, budget)       -> (State | None, choices made)   a state at `node`
    r.reach(node, index, seeds, budget)     -> (State | None, expanded)       where its choice
                                            `index` is open

What the choice needs is its condition's plain atoms (`a and not b`: flag a on, flag b off) and
those every way to its node holds, which the over-approximation proves (analysis.bounds): a
choice that needs a, at a node every way into which passed a gate needing b, however far back,
needs a and b together. A state that holds an atom needed off, which no choice turns off
again, is dropped by both searches.

`walk` plays at random, but never leaves the cone of what is still missing: the nodes from
which, for each missing atom, a move turning it on and then the node can be reached (conditions
ignored); once all are held, the nodes from which the node can be reached. A dead end is
backed out of a few choices, a walk that gives up leaves its furthest point for the next, and
walks begin at the states found nearest the node. On stories whose ways in are gated by rare
flags this finds in a few thousand choices what a best-first search misses in a million.

`reach` goes in stages, each a best-first search: reach some state that holds one more of the
missing atoms, guided by the nearest detour through a move setting it, then, with all held, go
to the choice.

Every state found is replayed by engine.step from the start before it is returned: the witness
is the engine's, whatever the tables say.
"""
from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence

from .. import engine
from ..engine import State
from ..story.conditions import Tree
from ..story.model import Story
from .bounds import Approx
from .compiled import Compiled, compiled

INF = 1 << 60
KEEP = 8  # states a stage hands to the next one
BACKS = 64  # dead ends a walk backs out of before the next one begins
BACK = 16   # choices it goes back at most, each time
SEEDS = 16  # states of the pool a walk may begin at
SCAN = 400  # nodes, nearest first, whose states are looked at for them
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
    def __init__(self, story: Story, approx: Approx | None = None) -> None:
        self.story = story
        self.approx = approx if approx is not None else Approx(story)
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
        self._marks: dict[tuple[int, int], bytearray] = {}  # (node, bit or 0) -> see _ahead, _before
        self._codes: dict[int, tuple[State, int]] = {}
        self._order: dict[int, list[int]] = {}  # node -> the nodes from which it can be reached, nearest first

    def _bit(self, kind: str, name: str) -> int:
        """The search form's bit of a flag, fact or visited node (0 when no condition reads it)."""
        c = self.c
        if kind == "flag":
            return self._flags.get(name, 0)
        return self._facts.get(name, 0) if kind == "unlocked" else c.seen_bit.get(name, 0)

    def to(self, node: int) -> list[int]:
        """Choices from each node to `node`, ignoring conditions (INF: no way)."""
        if node not in self._to:
            dist = [INF] * len(self.c.ids)
            marks = bytearray(len(self.c.ids))
            dist[node], marks[node] = 0, 1
            todo, back = [node], self.back
            for n in todo:
                d = dist[n] + 1
                for m in back[n]:
                    if not marks[m]:
                        dist[m], marks[m] = d, 1
                        todo.append(m)
            self._to[node], self._marks[node, 0], self._order[node] = dist, marks, todo
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

    def must(self, node_id: str) -> frozenset[tuple[str, str, bool]] | None:
        """The atoms every way to the node holds on arrival, as the over-approximation
        (analysis.bounds.Approx) proves them: a choice needing a, at a node every way into
        which needs b (and sets nothing to undo it), needs a and b together. None when no
        playthrough reaches the node."""
        a = self.approx.at.get(node_id)
        if a is None:
            return None
        return frozenset((kind, name, bool(a.true & bit)) for (kind, name), bit in self.approx.bit.items()
                         if bool(a.true & bit) != bool(a.false & bit))

    def reach(self, node_id: str, index: int, seeds: Iterable[State], budget: int) -> tuple[State | None, int]:
        """A state at `node_id` where its choice `index` is open, from the start or a seed, in at
        most `budget` expanded states; None when the condition is not plain atoms or none is found."""
        c = self.c
        goal = self._goal(node_id, index)
        if goal is None:
            return None, 0
        node, need, dead, opens = goal
        d0 = self.to(node)

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

    def walk(self, node_id: str, index: int, pool: Mapping[str, Sequence[State]], budget: int
             ) -> tuple[State | None, int]:
        """A state at `node_id` where its choice `index` is open, found by random playthroughs
        that never leave the nodes from which what is still missing can be had: while atoms
        the choice needs (its condition's and those every way in holds) are missing, the nodes
        from which, for each of them, a move turning it on and then the node can be reached;
        once all are held, the nodes from which the node can be reached. Walks begin at the
        states of `pool` (node -> states found there, with their paths) nearest the node that
        miss the least, and at the start; at most `budget` choices in all. The random choices
        are seeded by the item, so a run is repeatable."""
        c = self.c
        goal = self._goal(node_id, index)
        if goal is None:
            return None, 0
        node, need, dead, opens = goal
        table, node_mask = c.search_table, c.node_mask
        rng = random.Random(f"{node_id}#{index}")
        cones: dict[int, bytes] = {}
        d0 = self.to(node)

        def cone(missing: int) -> bytes:
            if missing not in cones:
                marks = [self._before(node, b) for b in _bits(missing)] or [self._ahead(node)]
                both = int.from_bytes(marks[0], "little")
                for m in marks[1:]:  # bytes of 0 and 1: the integers' AND is the bytes' AND
                    both &= int.from_bytes(m, "little")
                cones[missing] = both.to_bytes(len(marks[0]), "little")
            return cones[missing]

        def far(s: int) -> tuple[int, int]:
            return bin(need & ~s).count("1"), d0[s & node_mask]

        # Where walks begin: the start, the seeds, and the furthest point of each walk that gave up.
        found: list[tuple[tuple[int, int], int, State]] = []
        ready = 0
        for k, n in enumerate(self._order[node][:SCAN]):  # nearest first, until enough miss nothing
            for seed in pool.get(c.ids[n], ()):
                s = self._encoded(seed)
                if cone(need & ~s)[n] and not s & dead:
                    found.append((far(s), k, seed))
                    ready += not need & ~s
            if ready >= SEEDS:
                break
        found.sort(key=lambda t: t[:2])
        begin = [(self._encoded(seed), seed) for *_, seed in found[:SEEDS]]  # each in its cone already
        first = engine.start(self.story)
        if cone(need & ~(s := self.encode(first)))[s & node_mask]:
            begin.append((s, first))
        starts: list[tuple[int, State, tuple[int, ...]]] = [(s, seed, ()) for s, seed in begin]
        blocked: set[int] = set()  # states from which no option stays in the cones
        longest = 4 * len(c.ids)  # a walk going round a loop ends, and the next begins
        used = walk = 0
        while starts and used < budget:
            s, seed, before = starts[walk % len(starts)]
            if s in blocked:  # nowhere to go from there: never again
                del starts[walk % len(starts)]
                continue
            walk += 1
            trail: list[tuple[int, int]] = [(s, -1)]  # (state, choice into it)
            backs = 0
            while used < budget and len(trail) < longest:
                if opens(s):
                    state = seed
                    for i in (*before, *(i for _, i in trail[1:])):
                        state = engine.step(self.story, state, i)
                    return state, used
                options = []
                for mask, wanted, test, keep, put, add, i in table[s & node_mask]:
                    if s & mask == wanted and (test is None or test(s)):
                        t = s & keep | put
                        if add is not None:
                            try:
                                t = add(t)
                            except Exception:  # past a field's range, or a move the engine fails on,
                                continue       # which the exhaustive search reports
                        if not t & dead and t not in blocked and cone(need & ~t)[t & node_mask]:
                            options.append((i, t))
                if not options:
                    blocked.add(s)
                    if len(trail) == 1 or backs >= BACKS:
                        break
                    backs += 1  # a few steps back and on another way: a dead end is often near its cause
                    del trail[len(trail) - 1 - int(rng.random() * min(BACK, len(trail) - 1)):]
                    s = trail[-1][0]
                    continue
                used += 1
                i, s = options[int(rng.random() * len(options))]
                trail.append((s, i))
            else:
                continue
            best = min(range(1, len(trail)), key=lambda k: far(trail[k][0]), default=0)
            if best and trail[best][0] not in blocked and far(trail[best][0]) < far(trail[0][0]):
                starts.append((trail[best][0], seed, (*before, *(i for _, i in trail[1:best + 1]))))
        return None, used

    def _ahead(self, node: int) -> bytearray:
        """1 for each node from which `node` can be reached, ignoring conditions."""
        self.to(node)
        return self._marks[node, 0]

    def _before(self, node: int, bit: int) -> bytearray:
        """1 for each node from which a move turning `bit` on, and then `node`, can be reached."""
        if (node, bit) not in self._marks:
            ahead = self._ahead(node)
            self._marks[node, bit] = self._back_from([u for u, v in self.setters.get(bit, ()) if ahead[v]])
        return self._marks[node, bit]

    def _back_from(self, nodes: list[int]) -> bytearray:
        """Marks of the nodes from which one of `nodes` can be reached."""
        marks = bytearray(len(self.c.ids))
        for n in nodes:
            marks[n] = 1
        todo, back = list(dict.fromkeys(nodes)), self.back
        for n in todo:
            for m in back[n]:
                if not marks[m]:
                    marks[m] = 1
                    todo.append(m)
        return marks

    def _goal(self, node_id: str, index: int) -> tuple[int, int, int, Callable[[int], bool]] | None:
        """What a state must hold for the choice: the node's number, the bits it needs on, those
        it may never turn on (on for good, the condition cannot hold), and the test of a state at
        the choice."""
        c = self.c
        guard = self.story.nodes[node_id].choices[index].condition
        atoms = literals(guard.tree if guard is not None else None)
        held = self.must(node_id)
        if atoms is None or held is None:
            return None
        need = off = 0
        for kind, name, on in {*atoms, *held}:
            bit = self._bit(kind, name)
            if on:
                need |= bit
            else:
                off |= bit
        if need & off:
            return None
        node = c.number[node_id]
        mask, wanted, test = c.search_table[node][index][:3]

        def opens(s: int) -> bool:
            return s & c.node_mask == node and s & mask == wanted and (test is None or bool(test(s)))

        return node, need, off & ~self.cleared, opens

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

    def _encoded(self, state: State) -> int:
        """encode, remembered for the states of a pool, which many walks look at."""
        key = id(state)
        if key not in self._codes:
            self._codes[key] = (state, self.encode(state))  # the state is kept, so its id stays its own
        return self._codes[key][1]

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
