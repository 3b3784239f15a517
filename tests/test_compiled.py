"""The compiled story plays exactly as the engine does.

Over thousands of seeded random runs and over every state the exhaustive search finds, on the
bundled story, the test stories, a story using every kind of condition and effect, and the
200-node synthetic graph, each compiled step is held against engine.step:

- the run form (random runs, the reading measure) is decoded back to an engine State and
  compared whole: node, flags, counters, facts in the order found, trail and path;
- the search form (the exhaustive search) is compared with the engine State it stands for,
  encoded: the node and everything a choice condition reads, capped as the search caps it;
- random_runs and exhaustive give the reports and graphs the engine-driven versions gave.
"""
from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pytest

from budapest56 import engine, load_story
from budapest56.analysis.compiled import compiled
from budapest56.analysis.explore import exhaustive, random_runs, random_witnesses, state_key
from budapest56.engine import State
from budapest56.story.bundled import bundled_story
from budapest56.story.model import Story
from conftest import write_story

STORIES = Path(__file__).parent / "stories"
sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from synth_graph import generate  # noqa: E402
from synth_to_story import convert  # noqa: E402

KINDS_STORY = """\
id: kinds
title: Every kind of condition
version: 1
start: hub
period: {from: 1945, to: 1956}
sources: [{id: src, title: S, file: source.txt}]
chapters: [{id: one, title: One}]
flags:
  lamp: A lamp is lit.
  key: You hold the key.
  spare: Never read by a condition.
counters:
  coins: {start: 2}
  steps: {start: 0}
  mood: {start: 1}
  unread: {start: 7}
"""
KINDS_SCENE = """\
chapter: one
nodes:
  - id: hub
    date: 1945
    place: A square
    text:
      - You stand in the square.
      - if: visits(hub) >= 2
        text: Again.
    unlock: [war_ended]
    choices:
      - {label: Light the lamp, goto: hub, set: {lamp: true, spare: true}, add: {steps: 1, unread: 1}}
      - {label: Put it out, goto: hub, set: {lamp: false}, add: {coins: -1}, if: lamp}
      - {label: Take the key, goto: shed, set: {key: true}, unlock: [rebuilt, war_ended], if: not key and coins > 0}
      - {label: Pay, goto: shed, add: {coins: 1, mood: 1}, set: {steps: 5}, if: "lamp or (steps >= 2 and not visited(shed))"}
      - {label: Leave, goto: out, if: "visits(hub) >= 4 and unlocked(rebuilt)"}
      - {label: Brood, goto: hub, add: {mood: 1}, if: "mood < coins and lamp == true"}
      - {label: Never, goto: out, if: "key and not key"}
      - {label: Think, goto: hub, if: "(not lamp) == (key != false) and not unlocked(declared)"}
      - {label: Step out, goto: porch, if: lamp and steps < 2}
  - id: porch
    date: 1945
    place: A porch
    text:
      - A porch.
      - if: visits(porch) >= 2 and not visited(out)
        text: Only the text asks how often you came here.
    choices:
      - {label: In, goto: hub}
  - id: shed
    date: 1949
    place: A shed
    text: A shed.
    unlock: [declared, rebuilt]
    set: {lamp: false}
    choices:
      - {label: Back, goto: hub, if: "steps != 3"}
      - {label: Out, goto: out, if: "visited(shed) and mood >= 1 and visited(out) == false"}
      - {label: Wait, goto: shed, add: {steps: 1}, if: "visits(shed) < 3"}
  - {id: out, date: 1956, place: Out, text: Out., ending: {title: Out, epilogue: End.}}
facts:
  - {id: war_ended, title: The war ends, summary: It ended., quote: The war ended in 1945., date: 1945}
  - {id: rebuilt, title: Rebuilt, summary: Slowly., quote: The city was rebuilt slowly., date: 1945}
  - {id: declared, title: A new state, summary: Declared., quote: In 1949 a new state was declared., date: 1949}
"""


def _stories(tmp: Path) -> dict[str, Story]:
    out = {"bundled": load_story(bundled_story()),
           "kinds": load_story(write_story(tmp / "kinds", {"scene.yaml": KINDS_SCENE}, KINDS_STORY)),
           "tiny": load_story(write_story(tmp / "tiny")),
           "synthetic": load_story(convert(generate(200, 1956), tmp / "g200"))}
    for folder in sorted([STORIES / "tutorial", STORIES / "quiz", *(STORIES / "broken").iterdir()]):
        out[folder.name] = load_story(folder)
    return out


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Story]:
    return _stories(tmp_path_factory.mktemp("compiled"))


NAMES = ["bundled", "kinds", "tiny", "synthetic", "tutorial", "quiz",
         "endless_loop", "flag_never_set", "impossible_fact", "soft_lock", "wrong_node"]
RUNS = {"bundled": 2000, "synthetic": 1000}  # the others: 1000 each


def test_every_test_story_is_here(stories):
    assert sorted(stories) == sorted(NAMES)


# -- the run form against engine.step --------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_a_random_run_step_by_step_is_the_engines(stories, name):
    story = stories[name]
    c = compiled(story)
    rng = random.Random(16)
    steps, runs = 0, RUNS.get(name, 1000)
    for _ in range(runs):
        state = engine.start(story)
        node, vals, found, path = c.run_start()
        assert c.decode_run(node, vals, found, path) == state
        for _ in range(60):
            options = c.run_options(node, vals)
            assert [c.index[e] for e in options] == engine.available(story, state)
            shown = c.text_shown(node, vals)
            assert [p.text for p, on in zip(story.nodes[state.node].text, shown) if on] == engine.narrative(story, state)
            if not options:
                break
            k = int(rng.random() * len(options))
            state = engine.step(story, state, engine.available(story, state)[k])
            node = c.run_step(vals, found, path, options[k])
            assert c.decode_run(node, vals, found, path) == state
            steps += 1
    assert steps >= runs  # the runs moved: a choice or more each, on average


def _engine_random_runs(story: Story, runs: int, seed: int, max_steps: int = 10_000) -> dict[str, object]:
    """random_runs as it was before the compiled form: engine.available and engine.step."""
    endings: Counter[str] = Counter()
    lengths, ends, nodes, choices, made = [], [], set(), set(), 0
    rng = random.Random()
    for r in range(runs):
        rng.seed(seed * 1_000_003 + r)
        state, steps, problem = engine.start(story), 0, ""
        while True:
            options = engine.available(story, state)
            if not options:
                problem = "" if story.nodes[state.node].ending else "soft-lock"
                break
            if steps >= max_steps:
                problem = "no-ending"
                break
            state = engine.step(story, state, options[int(rng.random() * len(options))])
            steps += 1
        made += steps
        nodes.update(state.trail)
        choices.update(zip(state.trail, state.path))
        if problem:
            ends.append((problem, state))
        else:
            endings[state.node] += 1
            lengths.append(steps)
            ends.append(("", state))
    return {"endings": endings, "lengths": lengths, "nodes": nodes, "choices": choices, "made": made, "ends": ends}


@pytest.mark.parametrize("name", NAMES)
def test_random_runs_report_what_the_engine_driven_runs_reported(stories, name):
    story = stories[name]
    want = _engine_random_runs(story, 300, seed=5, max_steps=200)
    finished: list[State] = []
    got = random_runs(story, 300, seed=5, max_steps=200, finished=finished.append)
    assert (got.endings, got.lengths, got.nodes, got.choices, got.choices_made) == (
        want["endings"], want["lengths"], want["nodes"], want["choices"], want["made"])
    assert finished == [s for problem, s in want["ends"] if not problem]  # type: ignore[attr-defined]
    stopped = [s for problem, s in want["ends"] if problem]  # type: ignore[attr-defined]
    assert len(got.failures) == len(stopped)
    assert [f.loc for f in got.failures] == [story.nodes[s.node].loc for s in stopped]


def test_random_witnesses_are_the_shortest_paths_the_engines_runs_found(stories):
    for name in ("bundled", "kinds", "synthetic"):
        story = stories[name]
        nodes: dict[str, tuple[int, ...]] = {}
        choices: dict[tuple[str, int], tuple[int, ...]] = {}
        rng = random.Random(3)
        for _ in range(200):
            state = engine.start(story)
            for _ in range(10 * len(story.nodes)):
                options = engine.available(story, state)
                if not options:
                    break
                state = engine.step(story, state, options[int(rng.random() * len(options))])
            for k, node in enumerate(state.trail):
                if node not in nodes or k < len(nodes[node]):
                    nodes[node] = state.path[:k]
                if k < len(state.path) and ((node, state.path[k]) not in choices
                                            or k + 1 < len(choices[node, state.path[k]])):
                    choices[node, state.path[k]] = state.path[:k + 1]
        assert random_witnesses(story, 200, 3) == (nodes, choices)


# -- the search form against engine.step --------------------------------------------------------------
def _engine_search(story: Story, max_states: int) -> tuple[list[State], list[list[tuple[int, int]]], bool]:
    """The exhaustive search as it was before the compiled form, keeping every state whole."""
    key = state_key(story)
    first = engine.start(story)
    states, index, edges = [first], {key(first): 0}, []
    i = 0
    while i < len(states) and len(states) < max_states:
        row = []
        for c in engine.available(story, states[i]):
            nxt = engine.step(story, states[i], c)
            j = index.setdefault(key(nxt), len(states))
            if j == len(states):
                states.append(nxt)
            row.append((c, j))
        edges.append(row)
        i += 1
    return states, edges, i == len(states)


@pytest.mark.parametrize("name", NAMES)
def test_every_state_of_the_search_steps_as_the_engine_does(stories, name):
    story = stories[name]
    c = compiled(story)
    states, edges, complete = _engine_search(story, 20_000)
    g = exhaustive(story, 20_000, keep_states=True)
    assert (g.states, g.expanded, g.complete) == (len(states), len(edges), complete)
    assert g.node == [s.node for s in states]
    for i, state in enumerate(states):
        assert g.keys[i] == c.encode_search(state)
        assert g.path(i) == state.path  # the first way found is the engine's breadth-first one
        if i >= len(edges):
            continue
        assert list(g.edges(i)) == edges[i]
        assert list(c.successors(g.keys[i])) == [
            (ch, c.encode_search(engine.step(story, state, ch))) for ch in engine.available(story, state)]
        # The run form, from every state of the search too: decoded whole after each move.
        node, vals, found, path = c.encode_run(state)
        assert c.decode_run(node, vals, found, path) == state
        assert c.run_key(node, vals) == g.keys[i]
        options = c.run_options(node, vals)
        assert [c.index[e] for e in options] == engine.available(story, state)
        shown = c.text_shown(node, vals)
        assert [p.text for p, on in zip(story.nodes[state.node].text, shown) if on] == engine.narrative(story, state)
        for e in options:
            v, f, p = list(vals), list(found), list(path)
            arrived = c.run_step(v, f, p, e)
            assert c.decode_run(arrived, v, f, p) == engine.step(story, state, c.index[e])
    if name == "kinds":  # counters, visits and their caps: the state space is endless, so it stopped
        assert not complete and len(states) >= 20_000


def test_the_search_form_keeps_only_what_conditions_read(stories):
    c = compiled(stories["kinds"])
    assert "spare" not in c.reads.flags and c.reads.counters == (0, 2, 1)  # coins, mood, steps (by name)
    # steps is only compared with constants (largest 3) and only grows: 4 and beyond look alike.
    s = c.encode_search(engine.start(stories["kinds"], flags={"steps": 4, "unread": 9, "spare": True}))
    assert s == c.encode_search(engine.start(stories["kinds"], flags={"steps": 40}))
    assert s != c.encode_search(engine.start(stories["kinds"], flags={"steps": 3}))


# -- the reading measure, replayed in the run form ------------------------------------------------------
def test_the_reading_measure_counts_the_same_in_one_process_and_in_two(stories, monkeypatch):
    from budapest56.play import reading

    if not reading._can_fork():
        pytest.skip("needs two cores and fork")
    story, runs = stories["bundled"], max(reading.TWO_FROM, 200)
    two = reading.playthroughs(story, runs=runs, seed=11)
    monkeypatch.setattr(reading, "TWO_FROM", runs + 1)
    one = reading.playthroughs(story, runs=runs, seed=11)
    assert one == two and one is not None and one.runs > 100
