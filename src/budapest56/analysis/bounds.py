"""When the state space is too big to search: prove things unreachable, or find a witness.

    Approx(story)                 which values each flag, counter, fact and visit can possibly
                                  have on arrival at each node (a sound over-approximation: if a
                                  node gets no abstract state here, no playthrough reaches it)
    witness(story, goal, near)    a best-first search aimed at one item, guided by the
                                  distance to it in the story's graph; returns a path or None
    a_loop(story, approx)         nodes a playthrough may go round and round through (a cycle
                                  of choices the approximation allows), or [] when none can

The approximation forgets how flags depend on each other ("a and not a" across paths), so it
proves less than an exhaustive search, but it costs one pass over the nodes, not the states.
"""
from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .. import engine
from ..engine import State
from ..story.conditions import Tree, names_read
from ..story.model import Choice, Effects, Story, TextPart
from .explore import state_key

INF = float("inf")
WIDEN_AFTER = 6  # updates of one node before a growing counter is widened to infinity
T, F = True, False


@dataclass
class Abstract:
    """Possible values on arrival at a node. A name missing from may_true can never be true there."""

    may_true: set[str]      # flags, 'fact:<id>', 'node:<id>' that can be true
    may_false: set[str]     # … that can be false
    ranges: dict[str, tuple[float, float]]  # counters and 'visits:<node>' -> (low, high)

    def copy(self) -> Abstract:
        return Abstract(set(self.may_true), set(self.may_false), dict(self.ranges))

    def join(self, other: Abstract, widen: bool) -> bool:
        """Take in another state's possibilities; True when anything grew."""
        grew = not (other.may_true <= self.may_true and other.may_false <= self.may_false)
        self.may_true |= other.may_true
        self.may_false |= other.may_false
        for name, (lo, hi) in other.ranges.items():
            old_lo, old_hi = self.ranges[name]
            new = (min(lo, old_lo), max(hi, old_hi))
            if new != (old_lo, old_hi):
                grew = True
                if widen:
                    new = (-INF if new[0] < old_lo else new[0], INF if new[1] > old_hi else new[1])
                self.ranges[name] = new
        return grew


class Approx:
    """The over-approximation, computed once per story by a worklist over nodes."""

    def __init__(self, story: Story):
        self.story = story
        self.at: dict[str, Abstract] = {}
        # Visits are tracked only for the nodes some condition reads: at 10,000 nodes, tracking
        # every one would copy 20,000 names along every choice.
        self.watched = _visited_nodes(story)
        bools = [*story.flags, *("fact:" + f for f in story.facts), *("node:" + n for n in self.watched)]
        ranges = {c: (float(v), float(v)) for c, v in story.counters.items()}
        ranges.update({"visits:" + n: (0.0, 0.0) for n in self.watched})
        self._arrive(story.start, Abstract(set(), set(bools), ranges), deque(), {})
        todo = deque([story.start])
        updates: dict[str, int] = {}
        while todo:
            node = story.nodes[todo.popleft()]
            here = self.at[node.id]
            for choice in node.choices:
                if self.possible(choice, here):
                    after = refine(choice, here)
                    apply(after, choice.effects)
                    self._arrive(choice.goto, after, todo, updates)

    def _arrive(self, node_id: str, a: Abstract, todo: deque[str], updates: dict[str, int]) -> None:
        if node_id in self.watched:
            a.may_true.add("node:" + node_id)
            a.may_false.discard("node:" + node_id)
            lo, hi = a.ranges["visits:" + node_id]
            a.ranges["visits:" + node_id] = (lo + 1, hi + 1)
        apply(a, self.story.nodes[node_id].effects)
        old = self.at.get(node_id)
        if old is None:
            self.at[node_id] = a
        else:
            updates[node_id] = updates.get(node_id, 0) + 1
            if not old.join(a, updates[node_id] > WIDEN_AFTER):
                return
        if node_id not in todo:
            todo.append(node_id)

    def reachable(self, node_id: str) -> bool:
        return node_id in self.at

    def possible(self, choice: Choice, a: Abstract) -> bool:
        return choice.condition is None or T in evaluate(choice.condition.tree, a)

    def never_shown(self, node_id: str) -> list[TextPart]:
        """The text variants of a reachable node whose condition cannot hold on arrival there."""
        a = self.at.get(node_id)
        if a is None:
            return []  # an unreachable node is reported as such
        return [p for p in self.story.nodes[node_id].text if p.condition and T not in evaluate(p.condition.tree, a)]

    def never_true(self, choice: Choice | TextPart, node_id: str) -> list[str]:
        """The names in a condition that cannot vary at its node: the likely culprits."""
        a = self.at[node_id]
        out = []
        for kind, name in sorted(names_read(choice.condition.tree if choice.condition else ("bool", True))):
            key = {"flag": name, "unlocked": "fact:" + name, "visited": "node:" + name}.get(kind)
            if key is not None and key not in a.may_true:
                out.append(f"{'fact' if kind == 'unlocked' else kind} '{name}' is never "
                           f"{'unlocked' if kind == 'unlocked' else 'visited' if kind == 'visited' else 'true'} here")
            elif key is not None and key not in a.may_false:
                out.append(f"{kind} '{name}' is always {'true' if kind == 'flag' else 'so'} here")
        return out


def _visited_nodes(story: Story) -> set[str]:
    """Every node some condition (of a choice or a text variant) asks about."""
    out: set[str] = set()
    for node in story.nodes.values():
        for cond in [*(p.condition for p in node.text), *(c.condition for c in node.choices)]:
            if cond is not None:
                out.update(name for kind, name in names_read(cond.tree) if kind in ("visited", "visits"))
    return out


def apply(a: Abstract, effects: Effects) -> None:
    for flag, on in effects.set_flags:
        (a.may_true.add if on else a.may_true.discard)(flag)
        (a.may_false.discard if on else a.may_false.add)(flag)
    for fact in effects.unlock:
        a.may_true.add("fact:" + fact)
        a.may_false.discard("fact:" + fact)
    for name, value in effects.set_counters:
        a.ranges[name] = (float(value), float(value))
    for name, value in effects.add_counters:
        lo, hi = a.ranges[name]
        a.ranges[name] = (lo + value, hi + value)


def refine(choice: Choice, a: Abstract) -> Abstract:
    """What taking the choice tells us: its condition held (only plain and-ed atoms are used)."""
    return a.copy() if choice.condition is None else _assume(choice.condition.tree, a)


def _assume(tree: Tree, a: Abstract) -> Abstract:
    a = a.copy()
    todo = [tree]
    while todo:
        tree = todo.pop()
        if tree[0] == "and":
            todo += [tree[1], tree[2]]
        elif tree[0] in ("flag", "unlocked", "visited"):
            a.may_false.discard(_bool_key(tree))
        elif tree[0] == "not" and tree[1][0] in ("flag", "unlocked", "visited"):
            a.may_true.discard(_bool_key(tree[1]))
    return a


def _bool_key(tree: Tree) -> str:
    name: str = tree[1]  # the tag is a flag, unlocked or visited: a name follows
    return {"flag": "", "unlocked": "fact:", "visited": "node:"}[tree[0]] + name


def evaluate(tree: Tree, a: Abstract) -> set[bool]:
    """The values a condition can possibly take: a subset of {True, False} (or a range for numbers)."""
    kind = tree[0]
    if kind == "bool":
        return {tree[1]}
    if kind in ("flag", "unlocked", "visited"):
        key = _bool_key(tree)
        return {v for v, ok in ((T, key in a.may_true), (F, key in a.may_false)) if ok}
    if kind == "not":
        return {not v for v in evaluate(tree[1], a)}
    if kind == "and":  # the right side is only evaluated where the left held: refine by it
        left = evaluate(tree[1], a)
        out = {F} if F in left else set()
        return out | (evaluate(tree[2], _assume(tree[1], a)) if T in left else set())
    if kind == "or":
        left, right = evaluate(tree[1], a), evaluate(tree[2], a)
        return {x or y for x in left for y in right}
    if kind == "cmp":
        return _compare(tree[1], tree[2], tree[3], a)
    raise ValueError(f"not a yes/no expression: {tree!r}")


def _range(tree: Tree, a: Abstract) -> tuple[float, float]:
    if tree[0] == "num":
        return (tree[1], tree[1])
    if tree[0] == "counter":
        return a.ranges[tree[1]]
    return a.ranges["visits:" + tree[1]]


def _compare(op: str, left: Tree, right: Tree, a: Abstract) -> set[bool]:
    if left[0] not in ("num", "counter", "visits"):  # yes/no compared with == or !=
        pairs = itertools.product(evaluate(left, a), evaluate(right, a))
        return {(x == y) if op == "==" else (x != y) for x, y in pairs}
    (a_lo, a_hi), (b_lo, b_hi) = _range(left, a), _range(right, a)
    can = {
        "<": (a_lo < b_hi, a_hi >= b_lo), "<=": (a_lo <= b_hi, a_hi > b_lo),
        ">": (a_hi > b_lo, a_lo <= b_hi), ">=": (a_hi >= b_lo, a_lo < b_hi),
        "==": (a_lo <= b_hi and b_lo <= a_hi, not (a_lo == a_hi == b_lo == b_hi)),
    }
    if op == "!=":
        yes, no = can["=="]
        yes, no = no, yes
    else:
        yes, no = can[op]
    return {v for v, ok in ((T, yes), (F, no)) if ok}


def a_loop(story: Story, approx: Approx | None = None) -> list[str]:
    """One cycle of choices that may be taken (by the over-approximation), as the nodes it runs
    through; [] proves that no playthrough can go round in a loop, so none can be endless."""
    approx = approx or Approx(story)
    nexts = {n: [c.goto for c in story.nodes[n].choices if approx.possible(c, a)] for n, a in approx.at.items()}
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


# -- witness search -------------------------------------------------------------------------------
def distances_to(story: Story, targets: set[str]) -> dict[str, int]:
    """Choices needed to reach any target node, ignoring conditions (the search's guide)."""
    back: dict[str, list[str]] = {n: [] for n in story.nodes}
    for node in story.nodes.values():
        for choice in node.choices:
            back[choice.goto].append(node.id)
    dist = dict.fromkeys(targets, 0)
    todo = deque(targets)
    while todo:
        n = todo.popleft()
        for m in back[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                todo.append(m)
    return dist


def witness(story: Story, goal: Callable[[State], bool], near: set[str], budget: int,
            seeds: Iterable[State] = ()) -> tuple[State | None, int]:
    """A state satisfying `goal`, found by expanding at most `budget` states, nearest first;
    with the number of states expanded. The search starts from the start and from `seeds`
    (states found earlier: a witness for one node is often most of the way to the next)."""
    dist = distances_to(story, near)
    key = state_key(story)
    tie = itertools.count()
    heap, seen = [], set()
    for state in (engine.start(story), *seeds):
        if goal(state):
            return state, 0
        if state.node in dist and key(state) not in seen:
            seen.add(key(state))
            heap.append((dist[state.node], len(state.path), next(tie), state))
    heapq.heapify(heap)
    used = 0
    while heap and used < budget:
        _, depth, _, state = heapq.heappop(heap)
        used += 1
        for c in engine.available(story, state):
            nxt = engine.step(story, state, c)
            if goal(nxt):
                return nxt, used
            k = key(nxt)
            if k in seen or nxt.node not in dist:  # a node from which the target is out of reach
                continue
            seen.add(k)
            heapq.heappush(heap, (dist[nxt.node], depth + 1, next(tie), nxt))
    return None, used
