"""Random runs, the exhaustive search and its verdicts, on the tiny story and the broken ones."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from budapest56 import choose, load_story, start
from budapest56.analysis.bounds import Approx, witness
from budapest56.analysis.explore import exhaustive, random_runs, state_key
from budapest56.analysis.routes import fact_routes
from budapest56.cli import main
from budapest56.testing.playtest import Report, labels, run_exhaustive
from conftest import write_story

BROKEN = Path(__file__).parent / "stories" / "broken"


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(BROKEN)  # so locations print as '<story>/scene.yaml:line:col'
    return BROKEN


def search(folder: str | Path, max_states: int = 1_000_000) -> Report:
    report = Report(load_story(folder))
    run_exhaustive(report, max_states)
    return report


def failures(report: Report) -> list[str]:
    return [str(f) for f in report.failures()]


def test_random_runs_are_reproducible_by_seed_and_count_endings(tiny):
    story = load_story(tiny)
    a, b = random_runs(story, 200, seed=7), random_runs(story, 200, seed=7)
    assert a.endings == b.endings and a.lengths == b.lengths
    assert a.endings == {"home": 200} and set(a.lengths) == {2}
    assert a.nodes == {"hall", "yard", "home"}
    assert a.choices == {("hall", 0), ("hall", 1), ("yard", 0), ("yard", 1), ("yard", 2)}
    assert a.failures == []


def test_a_random_soft_lock_names_the_node_the_run_and_the_choices_that_reproduce_it(broken):
    report = random_runs(load_story("soft_lock"), 20, seed=3)
    stuck = [f for f in report.failures if f.code == "soft-lock"]
    assert stuck and len(stuck) + sum(report.endings.values()) == 20
    first = stuck[0]
    assert str(first.loc) == "soft_lock/scene.yaml:14:5"
    assert first.message.endswith("is stuck at 'gate': it is not an ending and no choice is available")
    assert first.message.startswith("random run ") and "(seed 3)" in first.message
    assert first.hint.endswith("choices (as the player numbers them): 2")


def test_a_random_run_caught_in_a_loop_is_stopped(broken):
    report = random_runs(load_story("endless_loop"), 30, seed=1, max_steps=50)
    loops = [f for f in report.failures if f.code == "no-ending"]
    assert loops and str(loops[0].loc).startswith("endless_loop/scene.yaml:")
    assert "made 50 choices without reaching an ending" in loops[0].message


def test_the_key_keeps_only_what_conditions_read(tiny):
    story = load_story(tiny)
    key = state_key(story)
    waited = choose(story, start(story), 1)            # hall -> yard, trail (hall, yard)
    dropped_in = start(story, at="yard")               # trail (yard): no condition reads it
    assert waited != dropped_in and key(waited) == key(dropped_in)
    assert key(choose(story, start(story), 0)) != key(waited)  # 'brave' is read
    g = exhaustive(story)
    assert g.complete and g.states == 5 and sorted(g.node) == ["hall", "home", "home", "yard", "yard"]


def test_exhaustive_finds_the_shortest_way_to_each_ending(tiny):
    report = search(tiny)
    [ending] = [i for i in report.items if i.kind == "ending"]
    assert ending.status == "reached" and labels(report.story, ending.witness) == "'Be brave' → 'Go home'"
    assert report.ok and [i for i in report.items if i.status != "reached"] == []


def test_soft_lock_behind_a_condition(broken):
    assert failures(search("soft_lock")) == [
        "soft_lock/scene.yaml:14:5: error: soft-lock at 'gate': it is not an ending and no choice is available "
        "('Unlock the gate' needs 'has_key') [soft-lock]\n  hint: reached by: 'Walk past'"]


def test_fact_only_behind_an_impossible_condition(broken):
    why = ("choice 'Ask the workers' at 'bridge' (impossible_fact/scene.yaml:19:9) needs 'brave and not brave', "
           "which never holds there")
    assert failures(search("impossible_fact")) == [
        "impossible_fact/scene.yaml:19:9: error: choice 'Ask the workers' ('bridge#1') is never taken "
        "[unreached-choice]\n  hint: its condition 'brave and not brave' never holds at 'bridge'",
        f"impossible_fact/scene.yaml:31:5: error: fact 'bridge_rebuilt' is never unlocked [unreached-fact]\n"
        f"  hint: every way to unlock it is closed: {why}"]


def test_ending_behind_a_flag_nothing_sets(broken):
    report = search("flag_never_set")
    [ending] = report.unreached("ending")
    assert (ending.id, str(ending.loc), ending.status) == ("border", "flag_never_set/scene.yaml:19:5", "unreachable")
    assert ending.reason == ("every way in is closed: choice 'Go to the border' at 'hall' "
                             "(flag_never_set/scene.yaml:11:9) needs 'has_pass', which never holds there "
                             "(flag 'has_pass' is never true here)")


def test_loop_without_an_exit(broken):
    assert failures(search("endless_loop")) == [
        "endless_loop/scene.yaml:13:5: error: loop without an exit: from 'corridor' no ending can be reached; "
        "the loop runs through 'corridor', 'stairs' [loop-without-exit]\n  hint: reached by: 'Go down the stairs'"]


def test_the_over_approximation_alone_proves_what_the_search_proves(broken):
    approx = Approx(load_story("flag_never_set"))
    assert approx.reachable("home") and not approx.reachable("border")
    assert Approx(load_story("soft_lock")).reachable("street")


def test_a_bound_too_small_still_decides_every_item(broken):
    report = search("flag_never_set", max_states=1)
    assert not report.graph.complete
    status = {(i.kind, i.id): (i.status, i.reason) for i in report.items}
    assert status["ending", "border"][0] == "unreachable"  # proved by the over-approximation
    assert status["ending", "home"] == ("reached", "found by a random playthrough")


def test_witness_search_finds_a_state_aimed_at(tiny):
    story = load_story(tiny)
    found, used = witness(story, lambda s: s.node == "home" and "brave" in s.flags, {"home"}, 100)
    assert found is not None and found.path == (0, 0) and used == 2
    assert witness(story, lambda s: False, {"home"}, 100) == (None, 5)  # every state, then gives up


def counting_story(tmp_path: Path, facts: int, branches: str) -> Path:
    """A hub where each visit to a room unlocks one fact; `branches` shapes which rooms combine."""
    source = "A Source\n\n" + " ".join(f"Fact number {i} is true." for i in range(facts)) + "\n"
    fact_yaml = "".join(f"  - {{id: f{i}, title: F{i}, summary: Fact {i}., quote: Fact number {i} is true., "
                        f"date: 1950}}\n" for i in range(facts))
    scene = textwrap.dedent(branches) + "facts:\n" + fact_yaml
    return write_story(tmp_path / "routes", {"scene.yaml": scene}, source=source)


def test_routes_cover_every_fact_and_prove_they_are_the_fewest(tmp_path):
    # Two exclusive branches (left unlocks f0 and f1, right unlocks f2): two routes are needed.
    scene = """\
        chapter: one
        nodes:
          - {id: hall, date: 1950, place: Hall, text: Hall., choices: [{label: Left, goto: left}, {label: Right, goto: right}]}
          - {id: left, date: 1950, place: L, text: L., unlock: [f0], choices: [{label: On, goto: more}]}
          - {id: more, date: 1950, place: M, text: M., unlock: [f1], choices: [{label: End, goto: home}]}
          - {id: right, date: 1950, place: R, text: R., unlock: [f2], choices: [{label: End, goto: home}]}
          - {id: home, date: 1950, place: H, text: H., ending: {title: Home, epilogue: End.}}
        """
    g = exhaustive(load_story(counting_story(tmp_path, 3, scene)))
    routes = fact_routes(g)
    assert sorted(routes.paths) == [(0, 0, 0), (1, 0)]
    assert sorted(map(sorted, routes.facts)) == [["f0", "f1"], ["f2"]]
    assert routes.lower_bound == 2 and routes.proved_smallest


def test_one_long_route_beats_two_short_ones(tmp_path):
    # Walking to the nearest fact first ('Near') would need a second route for f1 and f2.
    scene = """\
        chapter: one
        nodes:
          - {id: hall, date: 1950, place: Hall, text: Hall., choices: [{label: Near, goto: near}, {label: Far, goto: mid}]}
          - {id: near, date: 1950, place: N, text: N., unlock: [f0], choices: [{label: End, goto: home}]}
          - {id: mid, date: 1950, place: M, text: M., choices: [{label: On, goto: far}]}
          - {id: far, date: 1950, place: F, text: F., unlock: [f0, f1, f2], choices: [{label: End, goto: home}]}
          - {id: home, date: 1950, place: H, text: H., ending: {title: Home, epilogue: End.}}
        """
    routes = fact_routes(exhaustive(load_story(counting_story(tmp_path, 3, scene))))
    assert routes.paths == [(1, 0, 0)] and routes.facts == [["f0", "f1", "f2"]] and routes.proved_smallest


def test_cli_json_has_the_documented_keys(broken, capsys):
    assert main(["test", "flag_never_set", "--exhaustive", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["states"] == 2 and data["complete"] is True and data["ok"] is False
    assert list(data["endings_reached"]) == ["home"]
    assert data["endings_reached"]["home"]["shortest"] == ["Take the tram home"]
    assert [e["id"] for e in data["unreached"]["endings"]] == ["border"]
    assert [c["id"] for c in data["unreached"]["choices"]] == ["hall#2"]
    assert data["unreached"]["nodes"] == data["unreached"]["facts"] == []
    assert data["soft_locks"] == [] and data["errors"] == []


def test_cli_exit_codes(broken, tiny, capsys):
    assert main(["test", str(tiny), "--exhaustive", "--random", "50"]) == 0
    out = capsys.readouterr().out
    assert "exhaustive: all 5 states searched: a proof" in out and out.rstrip().endswith(" s")
    assert main(["test", "soft_lock", "--random", "20"]) == 1
    assert main(["test", "wrong_node"]) == 1
    assert main(["test", str(tiny), "--random", "-1"]) == 2


def test_write_transcripts_writes_endings_and_routes_that_pass(tiny, capsys):
    out = tiny / "routes"
    assert main(["test", str(tiny), "--write-transcripts", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["ending-home.play.yaml", "route-1.play.yaml"]
    assert main(["test", str(tiny)]) == 0  # the written transcripts are found and pass
    assert "transcripts: 2 passed, 0 failed" in capsys.readouterr().out


def test_coverage_lists_what_transcripts_never_visit(tiny, capsys):
    (tiny / "t.play.yaml").write_text("steps: [Wait, Leave]\n", encoding="utf-8")
    assert main(["test", str(tiny), "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "coverage by transcripts and random runs: 3/3 nodes, 2/5 choices" in out
    assert f"{tiny.name}/scene.yaml:8:9: choice 'Be brave' not taken" in out.replace(str(tiny.parent) + "/", "")


KNOCKING = """\
    chapter: one
    nodes:
      - id: hall
        date: 1950
        place: A hall
        text: A door that opens only to the patient.
        choices:
          - {label: Knock, goto: hall, add: {knocks: 1}}
          - {label: Open the door, goto: out, if: knocks >= 30}
      - {id: out, date: 1950, place: Out, text: Out., ending: {title: Out, epilogue: End.}}
    """
KNOCK_STORY = """\
    id: knock
    title: Knock
    version: 1
    start: hall
    period: {from: 1950, to: 1950}
    sources: [{id: src, title: S, file: source.txt}]
    chapters: [{id: one, title: One}]
    counters:
      knocks: {start: 0}
    """


def test_when_the_bound_stops_the_search_a_witness_search_settles_what_it_can(tmp_path, monkeypatch, capsys):
    folder = write_story(tmp_path / "knock", {"scene.yaml": KNOCKING}, story=KNOCK_STORY)
    report = search(folder, max_states=5)
    out = next(i for i in report.items if i.id == "out")
    assert (out.status, out.reason, len(out.witness)) == ("reached", "found by a search aimed at it", 31)
    assert report.ok
    monkeypatch.setattr("budapest56.testing.playtest.WITNESS_BUDGET", 3)
    assert main(["test", str(folder), "--exhaustive", "--max-states", "5"]) == 1
    text = capsys.readouterr().out
    assert "exhaustive: stopped by --max-states after 5 states: NOT a complete proof" in text
    assert ("scene.yaml:10:5: error: ending 'out' is undecided: neither reached nor proved unreachable [undecided]\n"
            "  hint: the search stopped at 5 states and a search aimed at it found no way in; raise --max-states"
            ) in text
    full = search(folder)  # knocks past 30 look alike to every condition: a finite search
    assert full.ok and full.graph.complete and full.graph.states == 34


def test_neither_budapest56_test_nor_the_plugin_imports_the_terminal_ui(tiny):
    # The plugin loads in every pytest session of this environment; `test` runs in CI: both stay light.
    code = ("import sys, budapest56.testing.pytest_plugin\nfrom budapest56.cli import main\n"
            f"main(['test', {str(tiny)!r}, '--exhaustive', '--random', '5', '--format', 'json'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('prompt_toolkit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.splitlines()[-1] == "[]"


def test_an_engine_failure_is_reported_with_the_choice_and_the_way_there(tiny, in_tmp, monkeypatch):
    from budapest56 import engine

    real = engine.step

    def broken_step(story, state, index):
        if state.node == "yard" and index == 2:
            raise RuntimeError("boom")
        return real(story, state, index)

    monkeypatch.setattr(engine, "step", broken_step)
    report = search("tiny")
    assert [str(f) for f in report.errors] == [
        "tiny/scene.yaml:30:9: error: the engine failed at 'yard': RuntimeError: boom [runtime-error]\n"
        "  hint: reached by: 'Be brave' → 'Leave'"]
    runs = random_runs(load_story("tiny"), 50, seed=1)
    assert runs.failures and runs.failures[0].message.endswith("failed at 'yard': RuntimeError: boom")


def test_ctrl_c_stops_the_search_with_one_line(tiny, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("budapest56.testing.playtest.exhaustive", interrupted)
    assert main(["test", str(tiny), "--exhaustive"]) == 130
    assert capsys.readouterr().err == "\ninterrupted\n"


def test_the_bundled_story_is_proved_whole_and_its_transcripts_pass(capsys):
    assert main(["test", "--exhaustive", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] and data["ok"]
    assert all(items == [] for items in data["unreached"].values()), data["unreached"]
    assert data["soft_locks"] == data["cycles"] == data["errors"] == []
    assert len(data["endings_reached"]) == 5
    names = sorted(t["path"].rsplit("/", 1)[1] for t in data["transcripts"])
    assert names[:5] == [f"ending-{e}.play.yaml" for e in sorted(data["endings_reached"])]
    assert all(t["passed"] for t in data["transcripts"]) and any(n.startswith("route-") for n in names)
