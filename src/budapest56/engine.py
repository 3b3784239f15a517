"""The rules of play, and nothing else: pure functions from a State to a new State.

    start(story)                  -> State at the story's start node
    choices(story, state)         -> [Option]   every choice of the node, with its availability
    choose(story, state, index)   -> State      take the choice at that index
    available(story, state)       -> [int]      the indexes choose() accepts now
    step(story, state, index)     -> State      choose() without its checks, for explorers
    narrative(story, state)       -> [str]      the node's text parts whose conditions hold

The rules every front end and tool shares, each in one function:

    scene(story, state, unlocked) -> Scene      what the screen shows at a node: the text whose
                                                conditions hold, the choices shown, the facts just
                                                unlocked, the ending
    shown(story, state)           -> [Option]   the choices the player sees, numbered from 1
    pick_number(text, count)      -> int | None what a typed number picks among `count` items
    is_number(text)               -> bool       whether typed text is a number at all (in range or not)
    number_of(story, state, i)    -> int        the number the player types for choice index i
    unlocked_by(story, node, i)   -> facts      what arriving at a node, or taking its choice i, unlocks
    step_unlocks(story, node, i)  -> facts      what a move unlocks: the choice's, then the arrival's
    ways_to_unlock(story, fact)   -> [(node, i)] every place that unlocks a fact
    found_in(story, trail, path)  -> {fact: chapter} where each fact was first unlocked on a playthrough
    new_facts(before, after)      -> [fact]     what a move just unlocked, in the order found

No I/O, no randomness, no UI. Undo, saves, random runs, exhaustive search and tests are all
built on these functions, so a rule changed here changes everywhere.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Loc, PlayError, suggest
from .story.model import NO_EFFECTS, Choice, Effects, Ending, Fact, Node, Story, unlock_places


@dataclass(frozen=True, slots=True)
class State:
    node: str
    flags: frozenset[str]          # the flags that are true
    counters: tuple[int, ...]      # in the order story.counters declares them
    facts: tuple[str, ...]         # unlocked, in the order they were found
    trail: tuple[str, ...]         # every node arrived at, in order, the current one last
    path: tuple[int, ...]          # the index of every choice taken

    def visits(self, node: str) -> int:
        return self.trail.count(node)

    def counter(self, story: Story, name: str) -> int:
        return self.counters[list(story.counters).index(name)]


def _fast_constructor() -> Callable[..., State]:
    """State(...) without the frozen dataclass's per-field object.__setattr__ calls: the slots'
    own setters are about 40% faster, which is most of a random run's cost per choice."""
    new = object.__new__
    setters = [getattr(State, name).__set__ for name in State.__slots__]
    node_, flags_, counters_, facts_, trail_, path_ = setters

    def make(node: str, flags: frozenset[str], counters: tuple[int, ...], facts: tuple[str, ...],
             trail: tuple[str, ...], path: tuple[int, ...]) -> State:
        s = new(State)
        node_(s, node)
        flags_(s, flags)
        counters_(s, counters)
        facts_(s, facts)
        trail_(s, trail)
        path_(s, path)
        return s

    return make


_new_state = _fast_constructor()


@dataclass(frozen=True, slots=True)
class Option:
    index: int          # position in the node's choice list: what choose() takes
    choice: Choice
    available: bool

    @property
    def visible(self) -> bool:
        return self.available or self.choice.show_locked


def start(story: Story, at: str | None = None, flags: Mapping[str, bool | int] | None = None) -> State:
    """The state at the start node, or at node `at` with chosen flags and counters (for authors)."""
    node = at or story.start
    _node(story, node)
    state = State(node, frozenset(), tuple(story.counters.values()), (), (), ())
    if flags:
        state = _with_values(story, state, flags)
    return _arrive(story, state, node)


def choices(story: Story, state: State) -> list[Option]:
    node = story.nodes[state.node]
    return [Option(i, c, c.condition is None or bool(c.condition.test(state))) for i, c in enumerate(node.choices)]


def available(story: Story, state: State) -> list[int]:
    """Indexes of the choices that can be taken now: the fast path for explorers."""
    return [i for i, c in enumerate(story.nodes[state.node].choices)
            if c.condition is None or c.condition.test(state)]


def choose(story: Story, state: State, index: int) -> State:
    node = story.nodes[state.node]
    if not 0 <= index < len(node.choices):
        raise PlayError.at(node.loc, "no-such-choice",
                           f"node '{node.id}' has no choice {index + 1} (it has {len(node.choices)})")
    choice = node.choices[index]
    if choice.condition is not None and not choice.condition.test(state):
        raise PlayError.at(choice.loc, "choice-unavailable",
                           f"choice '{choice.label}' is not available: {choice.condition.source}")
    return _follow(story, state, choice, index)


def step(story: Story, state: State, index: int) -> State:
    """choose() without its checks, for explorers: `index` must come from available(story, state)."""
    return _follow(story, state, story.nodes[state.node].choices[index], index)


def _follow(story: Story, state: State, choice: Choice, index: int) -> State:
    # The choice's effects, then the arrival's, computed before building the one new State:
    # explorers call this millions of times.
    goto = choice.goto
    effects, arrival = choice.effects, story.nodes[goto].effects
    flags, counters, facts = state.flags, state.counters, state.facts
    if effects is not NO_EFFECTS and effects:
        flags, counters, facts = _changed(story, effects, flags, counters, facts)
    if arrival is not NO_EFFECTS and arrival:
        flags, counters, facts = _changed(story, arrival, flags, counters, facts)
    return _new_state(goto, flags, counters, facts, state.trail + (goto,), state.path + (index,))


def is_ending(story: Story, state: State) -> bool:
    return story.nodes[state.node].ending is not None


def narrative(story: Story, state: State) -> list[str]:
    return [p.text for p in story.nodes[state.node].text if p.condition is None or p.condition.test(state)]


# -- what the player sees, and how they pick -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class Scene:
    """What the screen shows at a node. Every front end renders this, the reading measure counts
    it, and transcripts check their `text:` against it, so all of them agree on what was shown."""

    node: Node
    text: tuple[str, ...]          # the narrative parts whose conditions hold
    options: tuple[Option, ...]    # the choices shown, in the order they are numbered from 1
    unlocked: tuple[Fact, ...]     # the facts the move here unlocked, announced with the scene
    ending: Ending | None


def scene(story: Story, state: State, unlocked: Sequence[str] = ()) -> Scene:
    node = story.nodes[state.node]
    return Scene(node, tuple(narrative(story, state)), () if node.ending else tuple(shown(story, state)),
                 tuple(story.facts[f] for f in unlocked), node.ending)


def shown(story: Story, state: State) -> list[Option]:
    """The choices the player sees, numbered from 1 in this order: the available ones and the
    locked ones the story shows dimmed (`show_locked`); hidden ones take no number."""
    return [o for o in choices(story, state) if o.visible]


MAX_DIGITS = 6  # no menu is longer; more digits are simply not a choice (and int() stays cheap)


def pick_number(text: str, count: int) -> int | None:
    """The 0-based item a typed number picks among `count` (`"2"` -> 1), or None when the text is
    not a number from 1 to count. Only ASCII digits count: '٣' and '²' are not choices."""
    text = text.strip()
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number - 1 if 1 <= number <= count else None


def is_number(text: str) -> bool:
    """True when the text reads as a number a player meant as a choice, in range or not."""
    text = text.strip()
    return bool(text) and text.isascii() and text.isdigit()


def number_of(story: Story, state: State, index: int) -> int:
    """The number a player types for the choice at `index` (hidden choices take no number, so
    this is index + 1 only when none before it is hidden)."""
    numbered = [o.index for o in shown(story, state)]
    return numbered.index(index) + 1 if index in numbered else index + 1


# -- which facts come from where ------------------------------------------------------------------
def unlocked_by(story: Story, node_id: str, index: int | None = None) -> tuple[str, ...]:
    """The facts arriving at a node unlocks (index None), or taking its choice `index`."""
    node = story.nodes[node_id]
    return node.effects.unlock if index is None else node.choices[index].effects.unlock


def step_unlocks(story: Story, node_id: str, index: int) -> tuple[str, ...]:
    """The facts a move may unlock: the choice's own, then the node it arrives at (the order
    _follow applies their effects in)."""
    choice = story.nodes[node_id].choices[index]
    return choice.effects.unlock + story.nodes[choice.goto].effects.unlock


def ways_to_unlock(story: Story, fact: str) -> list[tuple[str, int | None]]:
    """Every place that unlocks a fact: (node, None) on arrival, (node, i) by its choice i."""
    return [(node.id, i) for node, i, facts in unlock_places(story.nodes) if fact in facts]


def found_in(story: Story, trail: Sequence[str], path: Sequence[int]) -> dict[str, str]:
    """The chapter each fact was first unlocked in along a playthrough: the chapter of the node
    arrived at, or of the node whose choice unlocked it (not the fact's own `chapter:`). A fact
    that several chapters can teach belongs, in the journal and the chapter review, to the one
    where the player met it."""
    found: dict[str, str] = {}
    for i, node_id in enumerate(trail):
        node = story.nodes.get(node_id)
        if node is None:
            continue
        here = unlocked_by(story, node_id)
        if i < len(path) and 0 <= path[i] < len(node.choices):
            here += unlocked_by(story, node_id, path[i])
        for fact in here:
            found.setdefault(fact, node.chapter)
    return found


def new_facts(before: State | None, after: State) -> list[str]:
    """What a move just unlocked, in the order found (everything, for a game just begun)."""
    if before is None:
        return list(after.facts)
    seen = set(before.facts)
    return [f for f in after.facts if f not in seen]


def values(story: Story, state: State) -> dict[str, bool | int]:
    """Every flag and counter by name."""
    out: dict[str, bool | int] = {f: f in state.flags for f in story.flags}
    out.update(zip(story.counters, state.counters))
    return out


def _node(story: Story, node_id: str) -> Node:
    node = story.nodes.get(node_id)
    if node is None:
        raise PlayError.at(Loc(story.root), "unknown-node", f"there is no node '{node_id}'",
                           suggest(node_id, story.nodes))
    return node


def _arrive(story: Story, state: State, node_id: str) -> State:
    node = story.nodes[node_id]
    state = State(node_id, state.flags, state.counters, state.facts, state.trail + (node_id,), state.path)
    return _apply(story, state, node.effects) if node.effects else state


def _apply(story: Story, state: State, effects: Effects) -> State:
    if not effects:
        return state
    flags, counters, facts = _changed(story, effects, state.flags, state.counters, state.facts)
    return State(state.node, flags, counters, facts, state.trail, state.path)


def _changed(story: Story, effects: Effects, flags: frozenset[str], counters: tuple[int, ...],
             facts: tuple[str, ...]) -> tuple[frozenset[str], tuple[int, ...], tuple[str, ...]]:
    if effects.set_flags:
        on = {f for f, v in effects.set_flags if v}
        flags = (flags - {f for f, v in effects.set_flags if not v}) | on
    if effects.set_counters or effects.add_counters:
        names = list(story.counters)
        values_ = list(counters)
        for name, value in effects.set_counters:
            values_[names.index(name)] = value
        for name, value in effects.add_counters:
            values_[names.index(name)] += value
        counters = tuple(values_)
    new = tuple(f for f in effects.unlock if f not in facts)
    if new:
        facts = facts + tuple(dict.fromkeys(new))
    return flags, counters, facts


def _with_values(story: Story, state: State, given: Mapping[str, bool | int]) -> State:
    flags, counters = set(state.flags), list(state.counters)
    names = list(story.counters)
    for name, value in given.items():
        if name in story.flags and isinstance(value, bool):
            (flags.add if value else flags.discard)(name)
        elif name in story.counters and not isinstance(value, bool):
            counters[names.index(name)] = value
        else:
            known = [*story.flags, *story.counters]
            kind = "flag" if name in story.flags else "counter" if name in story.counters else None
            message = (f"{kind} '{name}' cannot be set to {value!r}" if kind
                       else f"there is no flag or counter '{name}'")
            raise PlayError.at(Loc(story.root), "unknown-name", message, suggest(name, known))
    return State(state.node, frozenset(flags), tuple(counters), state.facts, state.trail, state.path)


def to_json(story: Story, state: State) -> dict[str, Any]:
    """A state as plain JSON values, names instead of positions, so it outlives reordering."""
    return {
        "node": state.node,
        "flags": sorted(state.flags),
        "counters": dict(zip(story.counters, state.counters)),
        "facts": list(state.facts),
        "trail": list(state.trail),
        "path": list(state.path),
    }


def from_json(story: Story, data: object) -> State:
    """The inverse of to_json; raises PlayError when the data does not fit this story."""
    where = Loc(story.root)

    def bad(message: str) -> PlayError:
        return PlayError.at(where, "bad-state", message)

    if not isinstance(data, dict):
        raise bad("a saved state must be a JSON object")
    try:
        node, flags, counters = data["node"], data["flags"], data["counters"]
        facts, trail, path = data["facts"], data["trail"], data["path"]
    except KeyError as e:
        raise bad(f"the saved state has no '{e.args[0]}'") from None
    if not (isinstance(node, str) and isinstance(counters, dict)
            and all(isinstance(x, list) for x in (flags, facts, trail, path))):
        raise bad("the saved state has values of the wrong kind")
    for name, known, what in ((node, story.nodes, "node"), *((f, story.flags, "flag") for f in flags),
                              *((f, story.facts, "fact") for f in facts), *((n, story.nodes, "node") for n in trail)):
        if not isinstance(name, str) or name not in known:
            raise PlayError.at(where, "bad-state", f"the saved state names a {what} this story does not have: {name!r}")
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in path):
        raise bad("the saved path holds something other than choice numbers")
    numbers = []
    for name, start_value in story.counters.items():
        value = counters.get(name, start_value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad(f"counter '{name}' is not a whole number")
        numbers.append(value)
    return State(node, frozenset(flags), tuple(numbers), tuple(facts), tuple(trail), tuple(path))
