"""When the state space is too big to search: prove things unreachable, or find a witness.

    Approx(story)                 which values each flag, counter, fact and visit can possibly
                                  have on arrival at each node (a sound over-approximation: if a
                                  node gets no abstract state here, no playthrough reaches it)
    witness(story, goal, near)    a best-first search aimed at one item (analysis.witness)
    a_loop(story, approx)         nodes a playthrough may go round and round through (a cycle
                                  of choices the approximation allows), or [] when none can
    a_trap(story, approx)         such a loop through nodes not proved to keep a way out to an
                                  ending, or [] when every loop is proved to have an exit

The approximation forgets how flags depend on each other ("a and not a" across paths), so it
proves less than an exhaustive search, but it costs one pass over the nodes, not the states.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ..story.conditions import Tree, names_read
from ..story.model import Choice, Effects, Story, TextPart
from .witness import distances_to, witness

__all__ = ["Abstract", "Approx", "a_loop", "a_trap", "distances_to", "witness"]

INF = float("inf")
WIDEN_AFTER = 6  # updates of one node before a growing counter is widened to infinity
T, F = 1, 2      # what a condition can be: T | F when it may go either way
Range = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Abstract:
    """Possible values on arrival at a node, of the names some condition reads and nothing else:
    bit i of `true` set means name i (a flag, a fact, a node's visit) may be true there, of
    `false` that it may be false; `ranges` bounds each number read (a counter, a visit count)."""

    true: int
    false: int
    ranges: tuple[Range, ...]


@dataclass(frozen=True, slots=True)
class _Effects:
    """Effects on the tracked names: bits turned on and off, and (slot, set?, value) for numbers."""

    on: int
    off: int
    numbers: tuple[tuple[int, bool, int], ...]


class Approx:
    """The over-approximation, computed once per story by a worklist over nodes.

    Only what conditions read is tracked (their flags, facts and visited nodes as bits of one
    int, their counters and visit counts as ranges), so a node's entry costs a few machine words
    however many names the story has, and a choice costs a few integer operations: linear in the
    story's size, where sets of every name at every node were quadratic."""

    def __init__(self, story: Story):
        self.story = story
        self.at: dict[str, Abstract] = {}
        read = _names_read(story)
        bools = sorted(k for k in read if k[0] in ("flag", "unlocked", "visited"))
        numbers = sorted(k for k in read if k[0] in ("counter", "visits"))
        self.bit = {k: 1 << i for i, k in enumerate(bools)}
        self.slot = {k: i for i, k in enumerate(numbers)}
        self._effects: dict[Effects, _Effects] = {}
        first = tuple((float(story.counters[n]),) * 2 if kind == "counter" else (0.0, 0.0) for kind, n in numbers)
        self._arrive(story.start, Abstract(0, (1 << len(bools)) - 1, first), deque(), set(), {})
        todo, queued = deque([story.start]), {story.start}
        updates: dict[str, int] = {}
        while todo:
            node = story.nodes[todo.popleft()]
            queued.discard(node.id)
            here = self.at[node.id]
            for choice in node.choices:
                if self.possible(choice, here):
                    after = self.refine(choice, here)
                    self._arrive(choice.goto, self.apply(after, choice.effects), todo, queued, updates)

    def _arrive(self, node_id: str, a: Abstract, todo: deque[str], queued: set[str],
                updates: dict[str, int]) -> None:
        bit, slot = self.bit.get(("visited", node_id), 0), self.slot.get(("visits", node_id))
        if bit or slot is not None:
            ranges = a.ranges
            if slot is not None:
                lo, hi = ranges[slot]
                ranges = (*ranges[:slot], (lo + 1, hi + 1), *ranges[slot + 1:])
            a = Abstract(a.true | bit, a.false & ~bit, ranges)
        a = self.apply(a, self.story.nodes[node_id].effects)
        old = self.at.get(node_id)
        if old is None:
            self.at[node_id] = a
        else:
            updates[node_id] = updates.get(node_id, 0) + 1
            joined = _join(old, a, updates[node_id] > WIDEN_AFTER)
            if joined is None:
                return
            self.at[node_id] = joined
        if node_id not in queued:
            queued.add(node_id)
            todo.append(node_id)

    def reachable(self, node_id: str) -> bool:
        return node_id in self.at

    def possible(self, choice: Choice, a: Abstract) -> bool:
        return choice.condition is None or bool(self.can(choice.condition.tree, a) & T)

    def never_shown(self, node_id: str) -> list[TextPart]:
        """The text variants of a reachable node whose condition cannot hold on arrival there."""
        a = self.at.get(node_id)
        if a is None:
            return []  # an unreachable node is reported as such
        return [p for p in self.story.nodes[node_id].text if p.condition and not self.can(p.condition.tree, a) & T]

    def never_true(self, choice: Choice | TextPart, node_id: str) -> list[str]:
        """The names in a condition that cannot vary at its node: the likely culprits."""
        a = self.at[node_id]
        out = []
        for kind, name in sorted(names_read(choice.condition.tree if choice.condition else ("bool", True))):
            if kind not in ("flag", "unlocked", "visited"):
                continue
            bit = self.bit[kind, name]
            if not a.true & bit:
                out.append(f"{'fact' if kind == 'unlocked' else kind} '{name}' is never "
                           f"{'unlocked' if kind == 'unlocked' else 'visited' if kind == 'visited' else 'true'} here")
            elif not a.false & bit:
                out.append(f"{kind} '{name}' is always {'true' if kind == 'flag' else 'so'} here")
        return out

    # -- the abstract rules: effects, what a choice taken tells, what a condition can be ----------
    def apply(self, a: Abstract, effects: Effects) -> Abstract:
        if not effects:
            return a
        e = self._effects.get(effects)
        if e is None:
            e = self._effects[effects] = self._compile(effects)
        ranges = a.ranges
        if e.numbers:
            values = list(ranges)
            for slot, is_set, value in e.numbers:
                lo, hi = values[slot]
                values[slot] = (float(value), float(value)) if is_set else (lo + value, hi + value)
            ranges = tuple(values)
        return Abstract((a.true | e.on) & ~e.off, (a.false | e.off) & ~e.on, ranges)

    def _compile(self, effects: Effects) -> _Effects:
        on = off = 0
        for flag, value in effects.set_flags:
            bit = self.bit.get(("flag", flag), 0)
            on, off = (on | bit, off & ~bit) if value else (on & ~bit, off | bit)
        for fact in effects.unlock:
            on |= self.bit.get(("unlocked", fact), 0)
        numbers = [(self.slot[k], True, v) for n, v in effects.set_counters if (k := ("counter", n)) in self.slot]
        numbers += [(self.slot[k], False, v) for n, v in effects.add_counters if (k := ("counter", n)) in self.slot]
        return _Effects(on, off, tuple(numbers))

    def refine(self, choice: Choice, a: Abstract) -> Abstract:
        """What taking the choice tells us: its condition held (only plain and-ed atoms are used)."""
        return a if choice.condition is None else self._assume(choice.condition.tree, a)

    def _assume(self, tree: Tree, a: Abstract) -> Abstract:
        true, false = a.true, a.false
        todo = [tree]
        while todo:
            tree = todo.pop()
            if tree[0] == "and":
                todo += [tree[1], tree[2]]
            elif tree[0] in ("flag", "unlocked", "visited"):
                false &= ~self.bit[tree[0], tree[1]]
            elif tree[0] == "not" and tree[1][0] in ("flag", "unlocked", "visited"):
                true &= ~self.bit[tree[1][0], tree[1][1]]
        return Abstract(true, false, a.ranges) if (true, false) != (a.true, a.false) else a

    def can(self, tree: Tree, a: Abstract) -> int:
        """The values a condition can possibly take: T, F or T | F."""
        kind = tree[0]
        if kind == "bool":
            return T if tree[1] else F
        if kind in ("flag", "unlocked", "visited"):
            bit = self.bit[kind, tree[1]]
            return (T if a.true & bit else 0) | (F if a.false & bit else 0)
        if kind == "not":
            v = self.can(tree[1], a)
            return (T if v & F else 0) | (F if v & T else 0)
        if kind == "and":  # the right side is only evaluated where the left held: refine by it
            left = self.can(tree[1], a)
            return (left & F) | (self.can(tree[2], self._assume(tree[1], a)) if left & T else 0)
        if kind == "or":
            left, right = self.can(tree[1], a), self.can(tree[2], a)
            return (T if (left | right) & T else 0) | (F if left & right & F else 0)
        if kind == "cmp":
            return self._compare(tree[1], tree[2], tree[3], a)
        raise ValueError(f"not a yes/no expression: {tree!r}")

    def _range(self, tree: Tree, a: Abstract) -> Range:
        if tree[0] == "num":
            return (tree[1], tree[1])
        return a.ranges[self.slot[tree[0], tree[1]]]

    def _compare(self, op: str, left: Tree, right: Tree, a: Abstract) -> int:
        if left[0] not in ("num", "counter", "visits"):  # yes/no compared with == or !=
            x, y = self.can(left, a), self.can(right, a)
            same = bool(x & y)                   # both can be true, or both false
            differ = bool((x & T and y & F) or (x & F and y & T))
            yes, no = (same, differ) if op == "==" else (differ, same)
            return (T if yes else 0) | (F if no else 0)
        (a_lo, a_hi), (b_lo, b_hi) = self._range(left, a), self._range(right, a)
        can = {
            "<": (a_lo < b_hi, a_hi >= b_lo), "<=": (a_lo <= b_hi, a_hi > b_lo),
            ">": (a_hi > b_lo, a_lo <= b_hi), ">=": (a_hi >= b_lo, a_lo < b_hi),
            "==": (a_lo <= b_hi and b_lo <= a_hi, not (a_lo == a_hi == b_lo == b_hi)),
        }
        if op == "!=":
            no, yes = can["=="]
        else:
            yes, no = can[op]
        return (T if yes else 0) | (F if no else 0)


def _join(old: Abstract, new: Abstract, widen: bool) -> Abstract | None:
    """Both states' possibilities, or None when the new one adds nothing."""
    true, false = old.true | new.true, old.false | new.false
    grew = true != old.true or false != old.false
    ranges = list(old.ranges)
    for slot, ((lo, hi), (old_lo, old_hi)) in enumerate(zip(new.ranges, old.ranges)):
        wider = (min(lo, old_lo), max(hi, old_hi))
        if wider != (old_lo, old_hi):
            grew = True
            if widen:
                wider = (-INF if wider[0] < old_lo else wider[0], INF if wider[1] > old_hi else wider[1])
            ranges[slot] = wider
    return Abstract(true, false, tuple(ranges)) if grew else None


def _names_read(story: Story) -> set[tuple[str, str]]:
    """Every (kind, name) some condition of a choice or a text variant reads."""
    out: set[tuple[str, str]] = set()
    for node in story.nodes.values():
        for cond in [*(p.condition for p in node.text), *(c.condition for c in node.choices)]:
            if cond is not None:
                out |= names_read(cond.tree)
    return out


def a_loop(story: Story, approx: Approx | None = None, among: set[str] | None = None) -> list[str]:
    """One cycle of choices that may be taken (by the over-approximation), as the nodes it runs
    through, only through nodes in `among` when given; [] proves that no playthrough can go
    round in such a loop."""
    approx = approx or Approx(story)
    nexts = {n: [c.goto for c in story.nodes[n].choices if approx.possible(c, a)]
             for n, a in approx.at.items() if among is None or n in among}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in nexts:
        if root in state:
            continue
        path, stack = [root], [iter(nexts[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):]
            elif nxt not in state and nxt in nexts:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(nexts[nxt]))
    return []


def a_trap(story: Story, approx: Approx | None = None) -> list[str]:
    """A loop play may go round in without it being proved that every state on it can still
    reach an ending, or [] when none is left: then no loop is without an exit.

    Proved (for every state the approximation allows, so for every state a player can be in):
    an ending has a way out; so has a node with a choice that is always open there and leads to
    a node with a way out; and so has a node whose choice waits for a counter to pass a number
    (`knocks >= 30`), when a round of always-open choices from that node back to it moves the
    counter that way and nothing on the round sets it: going round enough times opens it."""
    approx = approx or Approx(story)
    safe = {n for n in approx.at if story.nodes[n].ending is not None}
    grew = True
    while grew:
        grew = False
        for n, a in approx.at.items():
            if n not in safe and any(c.goto in safe and _opens(approx, n, i, a) for i, c in
                                     enumerate(story.nodes[n].choices)):
                safe.add(n)
                grew = True
    return a_loop(story, approx, set(approx.at) - safe)


def _sure(approx: Approx, tree: Tree | None, a: Abstract) -> bool:
    return tree is None or approx.can(tree, a) == T


def _opens(approx: Approx, node: str, index: int, a: Abstract) -> bool:
    """Whether the choice is open in every state at the node, or opens after enough rounds."""
    choice = approx.story.nodes[node].choices[index]
    tree = choice.condition.tree if choice.condition else None
    if _sure(approx, tree, a):
        return True
    assert tree is not None
    parts, todo = [], [tree]
    while todo:  # the and-ed parts of the condition
        t = todo.pop()
        if t[0] == "and":
            todo += [t[1], t[2]]
        else:
            parts.append(t)
    waiting = [t for t in parts if not _sure(approx, t, a)]
    if len(waiting) != 1 or waiting[0][0] != "cmp":
        return False
    op, left, right = waiting[0][1:]
    if left[0] == "num":  # 30 <= knocks reads as knocks >= 30
        op, left, right = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op), right, left
    if left[0] != "counter" or right[0] != "num" or op not in ("<", "<=", ">", ">="):
        return False
    move = _round(approx, node, left[1])
    return move is not None and (move > 0) == (op in (">", ">="))


def _round(approx: Approx, node: str, counter: str) -> int | None:
    """What a shortest round of always-open choices from the node back to it adds to the
    counter, or None when there is no such round or something on it sets the counter."""
    story = approx.story
    back: dict[str, tuple[str, Choice] | None] = {node: None}
    todo = deque([node])
    while todo:
        here = todo.popleft()
        for choice in story.nodes[here].choices:
            if not _sure(approx, choice.condition.tree if choice.condition else None, approx.at[here]):
                continue
            if choice.goto == node:
                steps = [choice]
                while back[here] is not None:
                    here, prev = back[here]  # type: ignore[misc]
                    steps.append(prev)
                effects = [e for c in steps for e in (c.effects, story.nodes[c.goto].effects)]
                if any(name == counter for e in effects for name, _ in e.set_counters):
                    return None
                return sum(v for e in effects for name, v in e.add_counters if name == counter)
            if choice.goto not in back and choice.goto in approx.at:
                back[choice.goto] = (here, choice)
                todo.append(choice.goto)
    return None
