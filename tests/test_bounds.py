"""The over-approximation is sound: every state a player can be in is one it allows.

Checked against every state of a complete search of the test stories and the bundled story,
and against long random playthroughs of a synthetic graph too big to search."""
from __future__ import annotations

import json
import sys
from collections import deque
from pathlib import Path

import pytest

from budapest56 import engine, load_story
from budapest56.analysis.bounds import Approx, a_trap
from budapest56.analysis.explore import state_key
from budapest56.cli import main
from budapest56.engine import State
from budapest56.story.bundled import bundled_story
from budapest56.story.model import Story
from conftest import write_story
from test_blind_spots import FLASHBACK, LOOPY
from test_explore import KNOCK_STORY, KNOCKING

STORIES = Path(__file__).parent / "stories"
sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))


def allows(approx: Approx, s: State) -> list[str]:
    """What about the state the approximation says cannot be, at its node (empty: allowed)."""
    a = approx.at.get(s.node)
    if a is None:
        return [f"node '{s.node}' is said to be unreachable"]
    story, wrong = approx.story, []
    values = {("flag", f): f in s.flags for f in story.flags}
    values.update({("unlocked", f): f in s.facts for f in story.facts})
    values.update({("visited", n): n in s.trail for n in story.nodes})
    for key, bit in approx.bit.items():
        if not (a.true if values[key] else a.false) & bit:
            wrong.append(f"{key} is {values[key]}")
    for (kind, name), slot in approx.slot.items():
        value = s.counter(story, name) if kind == "counter" else s.visits(name)
        lo, hi = a.ranges[slot]
        if not lo <= value <= hi:
            wrong.append(f"{kind} {name} = {value} outside {lo}..{hi}")
    node = story.nodes[s.node]
    wrong += [f"choice {i} is open" for i in engine.available(story, s) if not approx.possible(node.choices[i], a)]
    wrong += [f"text {i} shows" for i, p in enumerate(node.text)
              if p.condition and p.condition.test(s) and p in approx.never_shown(s.node)]
    return wrong


def every_state(story: Story, limit: int = 200_000) -> list[State]:
    key, first = state_key(story), engine.start(story)
    seen, todo, out = {key(first)}, deque([first]), [first]
    while todo:
        state = todo.popleft()
        for c in engine.available(story, state):
            nxt = engine.step(story, state, c)
            if key(nxt) not in seen:
                seen.add(key(nxt))
                todo.append(nxt)
                out.append(nxt)
    assert len(out) < limit
    return out


def stories(tmp_path: Path) -> list[Story]:
    written = [write_story(tmp_path / "tiny"), write_story(tmp_path / "flashback", {"scene.yaml": FLASHBACK}),
               write_story(tmp_path / "loopy", {"scene.yaml": LOOPY}),
               write_story(tmp_path / "knock", {"scene.yaml": KNOCKING}, story=KNOCK_STORY)]
    folders = [*(STORIES / "broken").iterdir(), STORIES / "quiz", STORIES / "tutorial", bundled_story(), *written]
    return [load_story(f) for f in folders]


def test_every_state_a_complete_search_reaches_is_allowed(tmp_path):
    for story in stories(tmp_path):
        approx = Approx(story)
        states = every_state(story)
        assert [(s.node, allows(approx, s)) for s in states if allows(approx, s)] == [], story.root
        # ... and what it proves unreachable, the search never reaches
        assert {s.node for s in states} <= set(approx.at)


def test_long_random_playthroughs_of_a_big_graph_stay_inside_it(tmp_path):
    from synth_graph import generate
    from synth_to_story import convert

    story = load_story(convert(generate(1000, 1956), tmp_path / "g1000"))
    approx = Approx(story)
    import random
    rng = random.Random(5)
    for _ in range(40):
        state = engine.start(story)
        while options := engine.available(story, state):
            assert allows(approx, state) == []
            state = engine.step(story, state, rng.choice(options))
        assert allows(approx, state) == []


def test_it_keeps_only_what_conditions_read(tmp_path):
    # 1,000 nodes, 50 flags: every node's entry is two ints and no ranges, whatever the story's size
    from synth_graph import generate
    from synth_to_story import convert

    story = load_story(convert(generate(1000, 1956), tmp_path / "g1000"))
    approx = Approx(story)
    assert {kind for kind, _ in approx.bit} == {"flag"} and approx.slot == {}
    assert all(type(a.true) is int and a.ranges == () for a in approx.at.values())


@pytest.mark.parametrize("scene, loop", [(LOOPY, ["hall", "yard"]), (KNOCKING, [])])
def test_a_loop_is_a_trap_unless_a_way_out_is_proved(tmp_path, scene, loop):
    story = load_story(write_story(tmp_path / "s", {"scene.yaml": scene},
                                   **({"story": KNOCK_STORY} if scene is KNOCKING else {})))
    # The knocking loop raises a counter every round until the door opens; LOOPY's way out also
    # needs a flag the loop may or may not have set, which this proof does not follow.
    assert a_trap(story) == loop


def test_past_the_bound_every_item_of_a_two_thousand_node_graph_gets_a_verdict(tmp_path, capsys):
    # At --max-states 2,000 the search stops near the start; every node, choice and ending of
    # the synthetic graph is then reached by a witness or proved unreachable, none undecided.
    from synth_graph import generate
    from synth_to_story import convert

    root = convert(generate(2000, 1956), tmp_path / "g")
    main(["test", str(root), "--exhaustive", "--max-states", "2000", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert not report["complete"]
    statuses = {i["status"] for kind in report["unreached"].values() for i in kind}
    assert statuses == {"unreachable"}
