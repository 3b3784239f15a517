"""The story compiled for machines: numbers and bit masks instead of names, tuples and sets.

    compiled(story)               -> Compiled   built once per Story and kept with it
    c.run_start() / c.walk(...)   a playthrough in the run form (random runs, the reading measure)
    c.encode_run / c.decode_run   between engine.State and the run form, fully
    c.search_start / c.successors the search form (the exhaustive search, bounds)
    c.encode_search / c.run_key   the search state of an engine.State / of a run-form state

Nothing here decides a rule of play. Every choice becomes an Edge read off `engine.step` itself,
run on two probe states (every flag off, every counter 0, no fact; every flag on, every counter
1, every fact): what stays the same across the probes is an assignment, what moves with them
is an addition, and the facts the first probe gains are the move's new facts, in their order
(the second probe turns on only the flags the move's effects name: no other can change).
The first state is `engine.start`'s, encoded. Conditions are the story's parsed trees
(story/conditions.py) compiled to closures over the compiled state, with the same operators;
tests/test_compiled.py holds every compiled step equal to engine.step.

Two forms of a state, for two jobs:

    run form     a list `vals` (slot 0 always 1; one slot per flag, fact and node read by
                 visited(); then every counter and the visit count of every node read by
                 visits()), the facts in the order found, and the path as a list of edge
                 numbers, appended to (the trail is the path's targets). One per playthrough,
                 changed in place: copying nothing per choice keeps a choice's cost flat.
    search form  one int: the node in the low bits, then only what some choice condition reads
                 (flags, facts, visited() nodes as bits; counters and visits() counts as fields,
                 capped where larger values look alike). Hashable, small, and a move is
                 `s & keep | put`, plus a field update for the few moves that add.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import engine
from ..engine import State
from ..story import conditions
from ..story.conditions import COMPARISONS, Tree
from ..story.model import Story

NO_CAP = 1 << 62
WIDE = 64               # bits of a search field whose values have no cap
OFFSET = 1 << (WIDE - 1)  # stored value = value + OFFSET, so negative values fit
ALWAYS = 0              # the run form's slot that is always 1: the test of an unconditional choice

Test = Callable[[Any], Any]  # a compiled condition over one form's state (int or list)
RunEffect = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...], tuple[int, ...], Exception | None]


# -- what conditions read ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Reads:
    """Everything the story's choice conditions can read; the rest of a State cannot change a future."""

    flags: tuple[str, ...]
    counters: tuple[int, ...]     # indexes into State.counters
    facts: tuple[str, ...]
    visited: tuple[str, ...]      # nodes read by visited() (and not by visits())
    visits: tuple[str, ...]       # nodes read by visits(): the count matters
    caps: dict[tuple[str, str], int]  # ('counter'|'visits', name) -> values from here on look alike


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


# -- one choice, read off engine.step -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Edge:
    """Taking choice `index` of node `node`: its effects, then the arrival's, as engine.step does them."""

    node: int
    index: int
    goto: int
    on: tuple[int, ...]                   # flags (by number) true afterwards, whatever they were
    off: tuple[int, ...]                  # flags false afterwards
    sets: tuple[tuple[int, int], ...]     # (counter, value): assigned
    adds: tuple[tuple[int, int], ...]     # (counter, amount): added
    unlock: tuple[int, ...]               # facts (by number) the move unlocks, in engine order
    condition: Tree | None
    error: Exception | None = None        # what engine.step raised on this move, if it did


def _edges(story: Story, number: dict[str, int], flags: dict[str, int], facts: dict[str, int],
           node_id: str) -> list[Edge]:
    out = []
    n = len(story.counters)
    for i, choice in enumerate(story.nodes[node_id].choices):
        condition = None if choice.condition is None else choice.condition.tree
        # The second probe starts with every flag the move names on (the others cannot change:
        # starting them all on would make compiling a story cost flags x choices).
        named = frozenset(f for e in (choice.effects, story.nodes[choice.goto].effects) for f, _ in e.set_flags)
        try:
            low = engine.step(story, State(node_id, frozenset(), (0,) * n, (), (), ()), i)
            high = engine.step(story, State(node_id, named, (1,) * n, (), (), ()), i)
        except Exception as e:  # the engine fails on this move: taking it fails the same way
            out.append(Edge(number[node_id], i, number[node_id], (), (), (), (), (), condition, e))
            continue
        sets, adds = [], []
        for k, (a, b) in enumerate(zip(low.counters, high.counters)):
            if a == b - 1:
                if a:
                    adds.append((k, a))
            else:
                sets.append((k, a))
        out.append(Edge(number[node_id], i, number[low.node], tuple(sorted(flags[f] for f in low.flags)),
                        tuple(sorted(flags[f] for f in named - high.flags)),
                        tuple(sets), tuple(adds), tuple(facts[f] for f in low.facts), condition))
    return out


def _fail(error: Exception) -> Callable[..., Any]:
    def fail(*_: object) -> Any:
        raise error.with_traceback(None)

    return fail


def _compile(tree: Tree, leaf: Callable[[str, str], Test]) -> Test:
    """A condition tree as a closure; `leaf` reads a flag, counter, fact or visit in one form.
    The operators are conditions.compile_tree's, so both forms test exactly what the engine does."""
    kind = tree[0]
    if kind in ("bool", "num"):
        value = tree[1]
        return lambda s: value
    if kind == "not":
        inner = _compile(tree[1], leaf)
        return lambda s: not inner(s)
    if kind in ("and", "or"):
        a, b = _compile(tree[1], leaf), _compile(tree[2], leaf)
        return (lambda s: a(s) and b(s)) if kind == "and" else (lambda s: a(s) or b(s))
    if kind == "cmp":
        op = COMPARISONS[tree[1]]
        x, y = _compile(tree[2], leaf), _compile(tree[3], leaf)
        return lambda s: op(x(s), y(s))
    return leaf(kind, tree[1])


def _literals(tree: Tree) -> list[tuple[str, str, bool]] | None:
    """A condition that is only and-ed yes/no atoms, each perhaps negated: (kind, name, wanted)."""
    if tree[0] == "and":
        a, b = _literals(tree[1]), _literals(tree[2])
        return None if a is None or b is None else a + b
    if tree[0] == "not" and tree[1][0] in ("flag", "unlocked", "visited"):
        return [(tree[1][0], tree[1][1], False)]
    if tree[0] in ("flag", "unlocked", "visited"):
        return [(tree[0], tree[1], True)]
    if tree == ("bool", True):
        return []
    return None


# -- the compiled story ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Field:
    """A number in the search form: bits [shift, shift + width), holding value - low (capped at top)."""

    shift: int
    width: int
    low: int
    top: int        # the largest stored value: cap - low, or all ones when uncapped
    capped: bool

    @property
    def mask(self) -> int:
        return (1 << self.width) - 1

    def read(self, s: int) -> int:
        return ((s >> self.shift) & self.mask) + self.low

    def store(self, value: int) -> int:
        v = value - self.low
        if v > self.top:
            if not self.capped:
                raise OverflowError(f"a counter reached {value}, past what the search can hold")
            v = self.top
        elif v < 0:
            raise OverflowError(f"a counter reached {value}, past what the search can hold")
        return v << self.shift


class Compiled:
    """The story's tables. Node, flag and fact numbers follow the story's own order."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids: tuple[str, ...] = tuple(story.nodes)
        self.number = {n: i for i, n in enumerate(self.ids)}
        self.flags: tuple[str, ...] = tuple(story.flags)
        self.facts: tuple[str, ...] = tuple(story.facts)
        self.counters: tuple[str, ...] = tuple(story.counters)
        self.ending = tuple(story.nodes[n].ending is not None for n in self.ids)
        self.flag_no = {f: i for i, f in enumerate(self.flags)}
        self.fact_no = {f: i for i, f in enumerate(self.facts)}
        self.counter_no = {c: i for i, c in enumerate(self.counters)}
        self.edges: tuple[Edge, ...] = tuple(e for n in self.ids for e in _edges(story, self.number, self.flag_no,
                                                                                  self.fact_no, n))
        out: list[list[int]] = [[] for _ in self.ids]
        for k, e in enumerate(self.edges):
            out[e.node].append(k)
        self.out: tuple[tuple[int, ...], ...] = tuple(map(tuple, out))  # edge numbers of each node, in order
        self.goto: tuple[int, ...] = tuple(e.goto for e in self.edges)
        self.index: tuple[int, ...] = tuple(e.index for e in self.edges)
        self.reads = reads(story)
        self._first = engine.start(story)
        self._run_tables()
        self._search_tables()

    # -- the run form -----------------------------------------------------------------------------------
    def _run_tables(self) -> None:
        # The run form also answers the text's conditions (for the reading measure), so it keeps
        # the visits those read too.
        read = {(k, n) for node in self.story.nodes.values() for p in node.text if p.condition is not None
                for k, n in conditions.names_read(p.condition.tree) if k in ("visited", "visits")}
        visits = sorted({*self.reads.visits, *(n for k, n in read if k == "visits")})
        visited = sorted({*self.reads.visited, *(n for k, n in read if k == "visited")} - set(visits))
        nf, nk = len(self.flags), len(self.facts)
        self.flag_slot = tuple(1 + i for i in range(nf))
        self.fact_slot = tuple(1 + nf + i for i in range(nk))
        self.seen_slot = {n: 1 + nf + nk + i for i, n in enumerate(visited)}  # visited() as a bit
        base = 1 + nf + nk + len(visited)
        self.counter_slot = tuple(base + i for i in range(len(self.counters)))
        self.count_slot = {n: base + len(self.counters) + i for i, n in enumerate(visits)}  # visits()
        self.slots = base + len(self.counters) + len(visits)

        def leaf(kind: str, name: str) -> Test:
            if kind == "visited" and name in self.count_slot:
                k = self.count_slot[name]
                return lambda v: v[k] > 0
            k = self._slot(kind, name)
            if kind in ("counter", "visits"):
                return lambda v: v[k]
            return lambda v: v[k] == 1

        # Per node, either (edge, slot, wanted) for every choice (unconditional, or one flag,
        # fact or visited() bit, perhaps negated: the common case, tested without a call), or
        # (edge, test or None).
        literal: list[tuple[tuple[int, int, int], ...] | None] = []
        general: list[tuple[tuple[int, Test | None], ...]] = []
        for edges in self.out:
            lits: list[tuple[int, int, int]] | None = []
            tests: list[tuple[int, Test | None]] = []
            for e in edges:
                tree = self.edges[e].condition
                tests.append((e, None if tree is None else _compile(tree, leaf)))
                found = [] if tree is None else _literals(tree)
                if lits is None or found is None or len(found) > 1 or any(
                        kind == "visited" and name in self.count_slot for kind, name, _ in found):
                    lits = None
                elif not found:
                    lits.append((e, ALWAYS, 1))
                else:
                    kind, name, wanted = found[0]
                    lits.append((e, self._slot(kind, name), int(wanted)))
            literal.append(None if lits is None else tuple(lits))
            general.append(tuple(tests))
        self.run_literal = tuple(literal)
        self.run_general = tuple(general)
        # Each node's text parts: None for one always shown, else its condition over `vals`.
        self.run_text: tuple[tuple[Test | None, ...], ...] = tuple(
            tuple(None if p.condition is None else _compile(p.condition.tree, leaf) for p in self.story.nodes[n].text)
            for n in self.ids)
        # What a move does to `vals`: (slot, value) assignments, (slot, amount) additions, the
        # fact numbers it may unlock in order, and the engine's error if the move fails; None
        # for a move that changes nothing.
        effects: list[RunEffect | None] = []
        for edge in self.edges:
            goto = self.ids[edge.goto]
            writes = [(self.flag_slot[f], 1) for f in edge.on] + [(self.flag_slot[f], 0) for f in edge.off]
            writes += [(self.counter_slot[c], v) for c, v in edge.sets]
            if goto in self.seen_slot:
                writes.append((self.seen_slot[goto], 1))
            adds = [(self.counter_slot[c], v) for c, v in edge.adds]
            if goto in self.count_slot:
                adds.append((self.count_slot[goto], 1))
            fx = (tuple(writes), tuple(adds), edge.unlock, edge.error)
            effects.append(fx if any(fx) else None)
        self.run_effects = tuple(effects)
        self._run_first = self.encode_run(self._first)

    def _slot(self, kind: str, name: str) -> int:
        """The run form's slot of a flag, fact, visited() node, counter or visits() node."""
        if kind == "flag":
            return self.flag_slot[self.flag_no[name]]
        if kind == "unlocked":
            return self.fact_slot[self.fact_no[name]]
        if kind == "visited":
            return self.seen_slot[name]
        if kind == "counter":
            return self.counter_slot[self.counter_no[name]]
        return self.count_slot[name]

    def encode_run(self, state: State) -> tuple[int, list[int], list[int], list[int]]:
        """(node, vals, facts in order found, path as edge numbers) of an engine State."""
        vals = [0] * self.slots
        vals[ALWAYS] = 1
        for f in state.flags:
            vals[self.flag_slot[self.flag_no[f]]] = 1
        for f in state.facts:
            vals[self.fact_slot[self.fact_no[f]]] = 1
        for n, k in self.seen_slot.items():
            vals[k] = int(n in state.trail)
        for k, v in zip(self.counter_slot, state.counters):
            vals[k] = v
        for n, k in self.count_slot.items():
            vals[k] = state.trail.count(n)
        path = [self.out[self.number[n]][i] for n, i in zip(state.trail, state.path)]
        return self.number[state.node], vals, [self.fact_no[f] for f in state.facts], path

    def run_start(self) -> tuple[int, list[int], list[int], list[int]]:
        """The first state in the run form: fresh lists, copied from the one encoding of it."""
        node, vals, found, path = self._run_first
        return node, list(vals), list(found), list(path)

    def decode_run(self, node: int, vals: Sequence[int], found: Sequence[int], path: Sequence[int],
                   start: State | None = None) -> State:
        """The engine State of a playthrough begun at `start` (the story's start by default)."""
        first = start or self._first
        ids, goto, index = self.ids, self.goto, self.index
        return State(ids[node], frozenset(f for f, k in zip(self.flags, self.flag_slot) if vals[k]),
                     tuple(vals[k] for k in self.counter_slot), tuple(self.facts[f] for f in found),
                     first.trail + tuple(ids[goto[e]] for e in path), first.path + tuple(index[e] for e in path))

    def run_options(self, node: int, vals: Sequence[int]) -> list[int]:
        """The edges available now, in choice order: engine.available, compiled."""
        lits = self.run_literal[node]
        if lits is not None:
            return [e for e, k, w in lits if vals[k] == w]
        return [e for e, t in self.run_general[node] if t is None or t(vals)]

    def text_shown(self, node: int, vals: Sequence[int]) -> tuple[bool, ...]:
        """Which of the node's text parts show now: engine.narrative, compiled."""
        return tuple(t is None or bool(t(vals)) for t in self.run_text[node])

    def run_step(self, vals: list[int], found: list[int], path: list[int], e: int) -> int:
        """Take edge e in place; the node arrived at."""
        fx = self.run_effects[e]
        if fx is not None:
            _apply(fx, vals, found, self.fact_slot)
        path.append(e)
        return self.goto[e]

    def walk(self, pick: Callable[[], float], max_steps: int
             ) -> tuple[str, int, list[int], list[int], list[int]]:
        """One random playthrough from the start: each move takes option int(pick() * n) of the
        n available, as random_runs always has. Returns (how it stopped: '' at a node with no
        choice left, 'no-ending' after max_steps choices, 'error:...' when the engine fails on a
        move; node, vals, facts found, path)."""
        node, vals, found, path = self.run_start()
        literal, general, goto, effects, fact_slot = (self.run_literal, self.run_general, self.goto,
                                                      self.run_effects, self.fact_slot)
        append = path.append
        steps = 0
        try:
            while True:
                lits = literal[node]
                if lits is not None:
                    options = [e for e, k, w in lits if vals[k] == w]
                else:
                    options = [e for e, t in general[node] if t is None or t(vals)]
                if not options:
                    return "", node, vals, found, path
                if steps >= max_steps:
                    return "no-ending", node, vals, found, path
                e = options[int(pick() * len(options))]
                fx = effects[e]
                if fx is not None:
                    _apply(fx, vals, found, fact_slot)
                append(e)
                node = goto[e]
                steps += 1
        except Exception as error:  # an engine failure is reported with its run, at the state before
            return f"error:{type(error).__name__}: {error}", node, vals, found, path

    # -- the search form -----------------------------------------------------------------------------
    def _search_tables(self) -> None:
        r = self.reads
        self.node_bits = max(1, (len(self.ids) - 1).bit_length())
        self.node_mask = (1 << self.node_bits) - 1
        at = self.node_bits
        self.flag_bit: dict[int, int] = {}
        for f in r.flags:
            self.flag_bit[self.flag_no[f]] = 1 << at
            at += 1
        self.fact_bit: dict[int, int] = {}
        for f in r.facts:
            self.fact_bit[self.fact_no[f]] = 1 << at
            at += 1
        self.seen_bit: dict[str, int] = {}
        for n in r.visited:
            self.seen_bit[n] = 1 << at
            at += 1
        self.counter_field: dict[int, Field] = {}
        for c in r.counters:
            name = self.counters[c]
            cap = r.caps.get(("counter", name), NO_CAP)
            if cap < NO_CAP:  # only grows (or is assigned): from its least value up to the cap
                low = min([self.story.counters[name], cap,
                           *(v for e in self.edges for k, v in e.sets if k == c)])
                width = max(1, (cap - low).bit_length())
                self.counter_field[c] = Field(at, width, low, cap - low, True)
            else:
                self.counter_field[c] = Field(at, WIDE, -OFFSET, (1 << WIDE) - 1, False)
            at += self.counter_field[c].width
        self.count_field: dict[str, Field] = {}
        for n in r.visits:
            cap = r.caps.get(("visits", n), NO_CAP)
            count = (Field(at, max(1, cap.bit_length()), 0, cap, True) if cap < NO_CAP
                     else Field(at, WIDE, -OFFSET, (1 << WIDE) - 1, False))
            self.count_field[n] = count
            at += count.width
        self.search_bits = at
        everything = (1 << at) - 1

        def leaf(kind: str, name: str) -> Test:
            if kind == "visited" and name in self.count_field:
                shift, mask = self.count_field[name].shift, self.count_field[name].mask
                stored_zero = -self.count_field[name].low
                return lambda s: (s >> shift) & mask != stored_zero
            if kind in ("counter", "visits"):
                number = (self.counter_field[self.counter_no[name]] if kind == "counter"
                          else self.count_field[name])
                shift, mask, low = number.shift, number.mask, number.low
                return lambda s: ((s >> shift) & mask) + low
            bit = self._bit(kind, name)
            return lambda s: s & bit != 0

        # Per node: (mask, wanted, test or None, keep, put, add or None, choice index) per edge,
        # the edge available when s & mask == wanted and the test (if any) holds.
        table: list[tuple[tuple[int, int, Test | None, int, int, Callable[[int], int] | None, int], ...]] = []
        for edges in self.out:
            row = []
            for k in edges:
                e = self.edges[k]
                mask = wanted = 0
                test: Test | None = None
                found = [] if e.condition is None else _literals(e.condition)
                if found is not None and all(not (kind == "visited" and name in self.count_field)
                                             for kind, name, _ in found):
                    for kind, name, want in found:
                        bit = self._bit(kind, name)
                        if mask & bit and (wanted & bit) != (bit if want else 0):
                            mask, wanted = 1, 2  # 'a and not a': never (s & 1 is never 2)
                            break
                        mask |= bit
                        wanted |= bit if want else 0
                else:
                    assert e.condition is not None
                    test = _compile(e.condition, leaf)
                keep, put, add = self._move(e, everything)
                row.append((mask, wanted, test, keep, put, add, e.index))
            table.append(tuple(row))
        self.search_table = tuple(table)
        self.search_start = self.encode_search(self._first)
        # Where run_key finds each bit and field of the search form in the run form's slots.
        self._key_bits = ([(self.flag_slot[f], b) for f, b in self.flag_bit.items()]
                          + [(self.fact_slot[f], b) for f, b in self.fact_bit.items()]
                          + [(self.seen_slot[n] if n in self.seen_slot else self.count_slot[n], b)
                             for n, b in self.seen_bit.items()])
        self._key_fields = ([(self.counter_slot[c], f) for c, f in self.counter_field.items()]
                            + [(self.count_slot[n], f) for n, f in self.count_field.items()])

    def _bit(self, kind: str, name: str) -> int:
        if kind == "flag":
            return self.flag_bit[self.flag_no[name]]
        if kind == "unlocked":
            return self.fact_bit[self.fact_no[name]]
        return self.seen_bit[name]

    def _move(self, e: Edge, everything: int) -> tuple[int, int, Callable[[int], int] | None]:
        """A move on the search form: s & keep | put, then add(s) when some field grows."""
        if e.error is not None:
            return everything, 0, _fail(e.error)
        clear = self.node_mask
        put = e.goto
        for f in (*e.on, *e.off):
            bit = self.flag_bit.get(f, 0)
            clear |= bit
            put |= bit if f in e.on else 0
        for f in e.unlock:
            put |= self.fact_bit.get(f, 0)
        goto = self.ids[e.goto]
        put |= self.seen_bit.get(goto, 0)
        for c, v in e.sets:
            if c in self.counter_field:
                field_ = self.counter_field[c]
                clear |= field_.mask << field_.shift
                put |= field_.store(v)
        grows = [(self.counter_field[c], v) for c, v in e.adds if c in self.counter_field]
        if goto in self.count_field:
            grows.append((self.count_field[goto], 1))
        if not grows:
            return everything & ~clear, put, None
        steps = tuple((f.shift, f.mask, f.top, f.capped, v) for f, v in grows)

        def add(s: int) -> int:
            for shift, mask, top, capped, amount in steps:
                v = ((s >> shift) & mask) + amount
                if v > top or v < 0:
                    if not capped:
                        raise OverflowError("a counter grew past what the search can hold")
                    v = top
                s = (s & ~(mask << shift)) | (v << shift)
            return s

        return everything & ~clear, put, add

    def encode_search(self, state: State) -> int:
        """The search state of an engine State: its node and what conditions read, packed."""
        s = self.number[state.node]
        for f in state.flags:
            s |= self.flag_bit.get(self.flag_no[f], 0)
        for f in state.facts:
            s |= self.fact_bit.get(self.fact_no[f], 0)
        for n, bit in self.seen_bit.items():
            s |= bit if n in state.trail else 0
        for c, field_ in self.counter_field.items():
            s |= field_.store(state.counters[c])
        for n, field_ in self.count_field.items():
            s |= field_.store(state.trail.count(n))
        return s

    def run_key(self, node: int, vals: Sequence[int]) -> int:
        """The search state of a run-form state (the same int encode_search gives its engine
        State): a key to deduplicate full states by, for searches that keep whole playthroughs."""
        s = node
        for k, bit in self._key_bits:
            if vals[k]:
                s |= bit
        for k, field_ in self._key_fields:
            s |= field_.store(vals[k])
        return s

    def node_of(self, s: int) -> str:
        return self.ids[s & self.node_mask]

    def successors(self, s: int) -> Iterator[tuple[int, int]]:
        """(choice index, next search state) for every choice available in s, in choice order."""
        for mask, wanted, test, keep, put, add, c in self.search_table[s & self.node_mask]:
            if s & mask == wanted and (test is None or test(s)):
                t = s & keep | put
                yield c, (t if add is None else add(t))


def _apply(fx: RunEffect, vals: list[int], found: list[int], fact_slot: tuple[int, ...]) -> None:
    writes, adds, unlock, error = fx
    if error is not None:  # a move the engine fails on fails the same way here
        raise error.with_traceback(None)
    for k, v in writes:
        vals[k] = v
    for k, v in adds:
        vals[k] += v
    for f in unlock:
        k = fact_slot[f]
        if not vals[k]:
            vals[k] = 1
            found.append(f)


_cache: list[Compiled] = []  # the last few stories compiled, newest last
KEEP = 4  # a test run loads many stories; a command one or two


def compiled(story: Story) -> Compiled:
    """The story's compiled form, built on first use and kept for the few stories used last
    (a Story is neither hashable nor weakly referable: it is found by identity)."""
    for c in _cache:
        if c.story is story:
            return c
    was_on = gc.isenabled()
    gc.disable()  # the tables are many objects and no cycles: collecting would only re-scan the story
    try:
        c = Compiled(story)
    finally:
        if was_on:
            gc.enable()
    _cache.append(c)
    del _cache[:-KEEP]
    return c
