"""The tester's blind spots, each planted in a small story: what `check` and `test` must say."""
from __future__ import annotations

from pathlib import Path

from budapest56.analysis.lint import check
from budapest56.cli import main
from conftest import write_story

FLASHBACK = """\
chapter: one
nodes:
  - id: hall
    date: 1956-10-25
    place: A hall
    text:
      - You stand in a hall.
      - if: brave
        text: You remember being brave.
    choices:
      - label: Remember
        goto: memory
  - id: memory
    date: 1956-10-23
    flashback: true
    place: A street
    text: Two days ago.
    set: {brave: true}
    choices:
      - label: Back
        goto: square
  - id: square
    date: 1956-10-24
    place: A square
    text:
      - The square.
      - if: brave
        text: You were brave.
    choices:
      - label: Home
        goto: home
  - id: home
    chapter: two
    date: 1956-10-26
    place: Home
    text: You are home.
    add: {courage: 1}
    unlock: [war_ended]
    ending:
      title: Home again
      epilogue: The end.
facts:
  - id: war_ended
    title: The war ends
    summary: The war was over in 1945.
    quote: The war ended in 1945.
    date: 1945
"""


def warnings(root: Path, code: str) -> list[str]:
    return [str(f) for f in check(str(root)).findings if f.code == code]


def test_a_flashback_must_return_to_the_date_it_left(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": FLASHBACK})
    assert warnings(root, "flashback-returns-early") == [
        "s/scene.yaml:21:15: warning: the flashback 'memory' returns to 1956-10-24 ('square'), but a route comes "
        "into it from 1956-10-25 ('hall'): back in time [flashback-returns-early]\n"
        "  hint: a flashback returns to the date it left: date 'square' on or after 1956-10-25, "
        "or mark it 'flashback: true' too"]
    fixed = write_story(in_tmp / "t", {"scene.yaml": FLASHBACK.replace("date: 1956-10-24", "date: 1956-10-25")})
    assert warnings(fixed, "flashback-returns-early") == []


def test_a_text_variant_that_can_never_show_where_it_stands(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": FLASHBACK})
    assert warnings(root, "text-never-shown") == [
        "s/scene.yaml:8:13: warning: this text of 'hall' is never shown: its condition 'brave' cannot hold when a "
        "player arrives there (flag 'brave' is never true here) [text-never-shown]\n"
        "  hint: check the condition, or move the text to a scene the player reaches later"]


LOOPY = """\
chapter: one
nodes:
  - id: hall
    date: 1949
    place: A hall
    text: Round.
    choices:
      - label: Go
        goto: yard
        add: {courage: 1}
      - label: Be brave
        goto: hall
        set: {brave: true}
  - id: yard
    date: 1949
    place: A yard
    text: And round.
    choices:
      - label: Back
        goto: hall
      - label: Out
        goto: home
        if: brave and courage > 3
  - id: home
    chapter: two
    date: 1949
    place: Home
    text: Out.
    unlock: [war_ended]
    ending: {title: Out, epilogue: Done.}
facts:
  - id: war_ended
    title: The war ends
    summary: The war was over in 1945.
    quote: The war ended in 1945.
    date: 1945
"""


def test_a_search_stopped_by_its_bound_leaves_loops_undecided_and_fails(in_tmp, capsys):
    root = write_story(in_tmp / "s", {"scene.yaml": LOOPY})
    assert main(["test", str(root), "--exhaustive", "--max-states", "3"]) == 1
    out = capsys.readouterr().out
    assert ("s/scene.yaml:3:5: error: undecided: it is not proved that every loop has a way out; the search "
            "stopped at 3 states, and play can go round through 'hall' -> 'yard' -> 'hall' [undecided-loop]\n"
            "  hint: raise --max-states until the search is complete") in out
    assert main(["test", str(root), "--exhaustive"]) == 0  # complete: proved


def test_a_story_that_cannot_loop_passes_a_bounded_search(in_tmp, capsys):
    root = write_story(in_tmp / "s")
    assert main(["test", str(root), "--exhaustive", "--max-states", "2"]) == 0
    assert "undecided-loop" not in capsys.readouterr().out


SWITCHES = "abcdefg"
BORDER_STORY = """\
id: border
title: The Border
version: 1
start: hut
period: {from: 1956, to: 1956}
sources: [{id: src, title: S, file: source.txt}]
chapters: [{id: one, title: One}]
counters:
  steps: {start: 0}
flags:
""" + "".join(f"  {s}: Switch {s}.\n" for s in SWITCHES)
BORDER = """\
chapter: one
nodes:
  - id: hut
    date: 1956-11-20
    place: A hut by the marsh
    text: Ten thousand steps to the border, and seven lamps to play with on the way.
    choices:
      - {label: Walk a step, goto: hut, add: {steps: 1}}
""" + "".join(f"      - {{label: Light {s}, goto: hut, set: {{{s}: true}}, if: not {s}}}\n"
              f"      - {{label: Put out {s}, goto: hut, set: {{{s}: false}}, if: {s}}}\n" for s in SWITCHES) + """\
      - {label: Cross into Austria, goto: austria, if: steps >= 10000}
  - {id: austria, date: 1956-11-21, place: Austria, text: Across., ending: {title: Austria, epilogue: Safe.}}
"""


def test_past_the_bound_a_plain_route_through_a_long_counter_loop_is_found(in_tmp, capsys):
    # 10,001 step counts times 2**7 lamps: 1.3 million states, far past the bound; one plain
    # route (walk 10,000 steps, cross) reaches the ending, and every loop keeps that way out.
    root = write_story(in_tmp / "s", {"scene.yaml": BORDER}, story=BORDER_STORY)
    assert main(["test", str(root), "--exhaustive", "--max-states", "20000"]) == 0
    out = capsys.readouterr().out
    assert "exhaustive: stopped by --max-states after 20,000 states: NOT a complete proof" in out
    assert "  ending 'Austria' (austria) in 10,001 choices\n" in out
    assert "undecided" not in out


LAMPS = "abcdef"
PAPERS_STORY = BORDER_STORY.split("flags:\n")[0].replace("counters:\n  steps: {start: 0}\n", "") + "flags:\n" + "".join(
    f"  {s}: Lamp {s}.\n" for s in LAMPS) + "  map: A map.\n  permit: A permit.\n"
PAPERS = """\
chapter: one
nodes:
  - id: hut
    date: 1956-11-20
    place: A hut by the marsh
    text: Six lamps to play with; a map in the barn, a permit at the mill, and the border needs both.
    choices:
""" + "".join(f"      - {{label: Light {s}, goto: hut, set: {{{s}: true}}, if: not {s}}}\n"
              f"      - {{label: Put out {s}, goto: hut, set: {{{s}: false}}, if: {s}}}\n" for s in LAMPS) + """\
      - {label: Go to the barn, goto: barn}
      - {label: Go to the mill, goto: mill}
      - {label: Cross into Austria, goto: austria, if: map and permit}
      - {label: Walk back to Budapest, goto: budapest}
  - {id: barn, date: 1956-11-20, place: A barn, text: A map., set: {map: true}, choices: [{label: Back, goto: hut}]}
  - {id: mill, date: 1956-11-20, place: A mill, text: A permit., set: {permit: true}, choices: [{label: Back, goto: hut}]}
  - {id: austria, date: 1956-11-21, place: Austria, text: Across., ending: {title: Austria, epilogue: Safe.}}
  - {id: budapest, date: 1956-11-21, place: Budapest, text: Back., ending: {title: Budapest, epilogue: Home.}}
"""


def test_past_the_bound_a_choice_that_needs_two_rare_flags_together_is_reached(in_tmp, capsys):
    # 2**6 lamps times map and permit: 768 states at the hut, far past --max-states 50.
    root = write_story(in_tmp / "s", {"scene.yaml": PAPERS}, story=PAPERS_STORY)
    assert main(["test", str(root), "--exhaustive", "--max-states", "50"]) == 0
    out = capsys.readouterr().out
    assert "exhaustive: stopped by --max-states after 5" in out and "states: NOT a complete proof" in out
    assert "  ending 'Austria' (austria) in 5 choices\n" in out
    assert "undecided" not in out


def test_the_search_working_back_from_a_condition_passes_each_setter_it_needs(in_tmp):
    from budapest56 import engine, load_story
    from budapest56.analysis.subgoal import Regress
    from budapest56.analysis.witness import witness

    story = load_story(write_story(in_tmp / "s", {"scene.yaml": PAPERS}, story=PAPERS_STORY))
    cross = len(story.nodes["hut"].choices) - 2

    def offers(s: engine.State) -> bool:
        return s.node == "hut" and cross in engine.available(story, s)

    # Guided only by how many flags are missing, a best-first search plays with the lamps.
    assert witness(story, offers, {"hut"}, 40)[0] is None
    found, used = Regress(story).reach("hut", cross, [], 40)
    assert found is not None and used <= 40
    state = engine.start(story)
    for index in found.path:  # the witness is the engine's own playthrough
        state = engine.step(story, state, index)
    assert state == found and offers(state) and {"map", "permit"} <= state.flags


LANE = PAPERS_STORY.replace("  map: A map.\n  permit: A permit.\n", "  badge: A badge.\n  key: A key.\n")
GATE = """\
chapter: one
nodes:
  - id: hut
    date: 1956-11-20
    place: A hut by the marsh
    text: Six lamps to play with; a badge at the office, a key in the shed, and a long lane.
    choices:
""" + "".join(f"      - {{label: Light {s}, goto: hut, set: {{{s}: true}}, if: not {s}}}\n"
              f"      - {{label: Put out {s}, goto: hut, set: {{{s}: false}}, if: {s}}}\n" for s in LAMPS) + """\
      - {label: Go to the office, goto: office}
      - {label: Go to the shed, goto: shed}
      - {label: Show the badge at the lane, goto: lane1, if: badge}
      - {label: Walk back to Budapest, goto: budapest}
  - {id: office, date: 1956-11-20, place: An office, text: A badge., set: {badge: true}, choices: [{label: Back, goto: hut}]}
  - {id: shed, date: 1956-11-20, place: A shed, text: A key., set: {key: true}, choices: [{label: Back, goto: hut}]}
""" + "".join(f"  - {{id: lane{i}, date: 1956-11-20, place: The lane, text: Step {i}., "
              f"choices: [{{label: On, goto: {'door' if i == 5 else f'lane{i + 1}'}}}]}}\n" for i in range(1, 6)) + """\
  - id: door
    date: 1956-11-21
    place: A door in the fence
    text: The last door.
    choices:
      - {label: Unlock the door, goto: austria, if: key}
      - {label: Turn back, goto: budapest}
  - {id: austria, date: 1956-11-21, place: Austria, text: Across., ending: {title: Austria, epilogue: Safe.}}
  - {id: budapest, date: 1956-11-21, place: Budapest, text: Back., ending: {title: Budapest, epilogue: Home.}}
"""


def test_what_every_way_in_holds_is_seen_however_far_back_its_gate_is(in_tmp):
    from budapest56 import load_story
    from budapest56.analysis.subgoal import Regress

    story = load_story(write_story(in_tmp / "s", {"scene.yaml": GATE}, story=LANE))
    regress = Regress(story)
    # The badge is shown six choices before the door, and nothing on the lane takes it away.
    assert ("flag", "badge", True) in regress.must("door")
    assert ("flag", "key", True) not in regress.must("door")  # the shed is a way round, not a gate
    assert regress.must("hut") == frozenset()


def test_walks_in_the_cones_of_what_a_choice_needs_find_it_and_the_engine_agrees(in_tmp):
    from budapest56 import engine, load_story
    from budapest56.analysis.subgoal import Regress

    story = load_story(write_story(in_tmp / "s", {"scene.yaml": GATE}, story=LANE))
    found, used = Regress(story).walk("door", 0, {}, 400)
    assert found is not None and used <= 400
    state = engine.start(story)
    for index in found.path:  # the witness is the engine's own playthrough
        state = engine.step(story, state, index)
    assert state == found and state.node == "door" and 0 in engine.available(story, state)
    assert {"badge", "key"} <= state.flags
    again, _ = Regress(story).walk("door", 0, {}, 400)
    assert again is not None and again.path == found.path  # seeded by the item: a run repeats




def test_a_walk_that_cannot_succeed_stops_at_its_allowance(in_tmp):
    from budapest56 import load_story
    from budapest56.analysis.subgoal import Regress

    # Lamp b is lit and put out with lamp a, and the office wants a lit and b dark: never, though the
    # approximation, which forgets that a and b go together, lets the badge (and the door) be.
    gate = GATE.replace("{label: Light a, goto: hut, set: {a: true}, if: not a}",
                        "{label: Light a, goto: hut, set: {a: true, b: true}, if: not a}")
    gate = gate.replace("{label: Put out a, goto: hut, set: {a: false}, if: a}",
                        "{label: Put out a, goto: hut, set: {a: false, b: false}, if: a}")
    gate = gate.replace("      - {label: Light b, goto: hut, set: {b: true}, if: not b}\n", "")
    gate = gate.replace("      - {label: Put out b, goto: hut, set: {b: false}, if: b}\n", "")
    gate = gate.replace("{label: Go to the office, goto: office}", "{label: Go to the office, goto: office, if: a and not b}")
    assert gate.count("b: true") == 1 and gate.count("b: false") == 1
    story = load_story(write_story(in_tmp / "s", {"scene.yaml": gate}, story=LANE))
    regress = Regress(story)
    assert regress.must("door") is not None  # not proved unreachable
    assert regress.walk("door", 0, {}, 5_000) == (None, 5_000)
