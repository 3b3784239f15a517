"""Transcripts as an author writes them: passing, failing with the right line, malformed."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from budapest56 import load_story
from budapest56.errors import StoryError
from budapest56.testing.transcripts import find_transcripts, load_transcript, render, run, story_folder_of

BROKEN = Path(__file__).parent / "stories" / "broken"


def play(folder: Path, text: str, name: str = "t.play.yaml"):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return run(load_story(folder), load_transcript(path))


def messages(result) -> list[str]:
    return [str(f) for f in result.failures]


def test_a_passing_transcript_checks_every_kind_of_expectation(tiny, in_tmp):
    result = play(tiny, """\
        title: Bravery pays
        steps:
          - node: hall
            available: [Be brave, Wait]
            ending: false
          - choose: Be brave
            node: yard
            unlocked: [war_ended]
            flags: {brave: true, courage: 3}
            text: You hold your head high.
            unavailable: [Look around]
          - choose: 1
            node: home
            ending: Home again
            text: [You are home., The end.]
        """)
    assert result.passed, messages(result)
    assert [s.node for s in result.states] == ["hall", "yard", "home"]


def test_a_wrong_node_names_the_line_the_expected_and_the_actual_node(tiny, in_tmp):
    result = play(tiny, """\
        steps:
          - choose: Wait
            node: home
        """)
    assert messages(result) == [
        "tiny/t.play.yaml:3:11: error: step 1 (choose 'Wait'): expected node 'home', but the player is at "
        "'yard' (tiny/scene.yaml:14:5) [transcript-failed]\n  hint: path so far: hall → yard"]


def test_the_first_failing_step_stops_the_run_and_reports_each_of_its_expectations(tiny, in_tmp):
    result = play(tiny, """\
        steps:
          - choose: Wait
            flags: {brave: true}
            text: You hold your head high.
          - choose: Leave
            node: hall
        """)
    assert [(f.loc.line, f.message) for f in result.failures] == [
        (3, "step 1 (choose 'Wait'): expected brave to be true, but it is false"),
        (4, "step 1 (choose 'Wait'): expected the text of 'yard' to contain 'You hold your head high.'; "
            "it reads: 'The yard is cold.'"),
    ]


def test_an_unknown_choice_lists_the_choices_and_suggests_the_closest(tiny, in_tmp):
    result = play(tiny, "steps:\n  - choose: Be brav\n")
    assert messages(result) == [
        "tiny/t.play.yaml:2:13: error: step 1 (choose 'Be brav'): there is no choice 'Be brav' at 'hall'; "
        "the choices are: 1. 'Be brave', 2. 'Wait'; did you mean 'Be brave'? [transcript-failed]\n"
        "  hint: path so far: hall"]


def test_an_unavailable_choice_says_which_condition_failed(tiny, in_tmp):
    result = play(tiny, "steps: [Wait, Go home]\n")
    assert result.failures[0].message == (
        "step 2 (choose 'Go home'): choice 'Go home' at 'yard' is not available now: its condition "
        "'brave and courage >= 3' does not hold (tiny/scene.yaml:23:9)")
    assert str(result.failures[0].loc) == "tiny/t.play.yaml:1:15"


def test_numbers_count_only_the_choices_the_player_sees(tiny, in_tmp):
    # At 'yard' after being brave, 'Go home' is available and 'Look around' (locked: show) is not.
    result = play(tiny, "steps:\n  - 1\n  - choose: 2\n")
    assert result.failures[0].message.startswith("step 2 (choose 2): choice 'Look around' at 'yard' is not available")


def test_undo_and_restart(tiny, in_tmp):
    result = play(tiny, """\
        steps:
          - Be brave
          - do: undo
          - node: hall
          - Wait
          - do: restart
          - {node: hall, flags: {brave: false, courage: 1}}
          - do: restart
          - do: undo
        """)
    assert messages(result) == [
        "tiny/t.play.yaml:9:9: error: step 8 (undo): there is nothing to undo [transcript-failed]\n"
        "  hint: path so far: hall"]


def test_choosing_after_the_ending_is_a_failure(tiny, in_tmp):
    result = play(tiny, "steps: [Wait, Leave, Leave]\n")
    assert result.failures[0].message == (
        "step 3 (choose 'Leave'): the story has ended at 'home' (Home again); there is nothing to choose")


def test_a_transcript_may_start_anywhere_with_chosen_values(tiny, in_tmp):
    result = play(tiny, """\
        from: yard
        set: {brave: true, courage: 5}
        steps:
          - available: [Go home]
          - choose: Go home
            ending: true
        """)
    assert result.passed, messages(result)


def test_names_the_story_lacks_are_all_reported_before_playing(tiny, in_tmp):
    result = play(tiny, """\
        steps:
          - node: hal
          - unlocked: [war_end]
            flags: {bravery: true}
        """)
    assert messages(result) == [
        "tiny/t.play.yaml:2:11: error: the story has no node 'hal' [unknown-name]\n  hint: did you mean 'hall'?",
        "tiny/t.play.yaml:3:16: error: the story has no fact 'war_end' [unknown-name]\n"
        "  hint: did you mean 'war_ended'?",
        "tiny/t.play.yaml:4:13: error: the story has no flag or counter 'bravery' [unknown-name]\n"
        "  hint: did you mean 'brave'?"]


@pytest.mark.parametrize("text, expected", [
    ("steps:\n  - chose: Wait\n",
     ["tiny/t.play.yaml:2:5: error: unknown key 'chose' in step 1 [unknown-key]\n  hint: did you mean 'choose'?"]),
    ("steps:\n  - do: undoo\n",
     ["tiny/t.play.yaml:2:9: error: unknown command 'undoo' [wrong-type]\n  hint: did you mean 'undo'?"]),
    ("title: x\n",
     ["tiny/t.play.yaml:1:1: error: transcript has no 'steps' [missing-field]\n"
      "  hint: add 'steps:' with a list of steps"]),
    ("steps:\n  - choose: Wait\n    do: undo\n",
     ["tiny/t.play.yaml:3:5: error: step 1 has both 'choose' and 'do' [wrong-type]\n"
      "  hint: one action per step: split it into two steps"]),
    ("steps:\n  - choose: 0\n",
     ["tiny/t.play.yaml:2:13: error: choice number 0 is not a choice [wrong-type]\n"
      "  hint: number the choices from 1, as the player sees them"]),
    ("steps: [\n",
     ["tiny/t.play.yaml:2:1: error: YAML syntax: while parsing a flow node did not find expected node content [yaml-syntax]"]),
    ("- Wait\n", ["tiny/t.play.yaml:1:1: error: expected a transcript (a mapping), found a list [wrong-type]"]),
])
def test_a_malformed_transcript_is_one_clear_message_per_problem(tiny, in_tmp, text, expected):
    path = tiny / "t.play.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoryError) as e:
        load_transcript(path)
    assert [str(f) for f in e.value.findings] == expected


def test_the_broken_story_transcript_fails_at_the_expected_node(monkeypatch):
    monkeypatch.chdir(BROKEN)
    story = load_story("wrong_node")
    [path] = find_transcripts(Path("wrong_node"))
    result = run(story, load_transcript(path))
    assert messages(result) == [
        "wrong_node/tram.play.yaml:6:11: error: step 2 (choose 'Take the tram'): expected node 'street', "
        "but the player is at 'tram' (wrong_node/scene.yaml:12:5) [transcript-failed]\n"
        "  hint: path so far: hall → tram"]


def test_a_rendered_transcript_replays_and_passes(tiny, in_tmp):
    story = load_story(tiny)
    text = render(story, "Brave: \"the\" way", (0, 0))
    assert text.splitlines()[1:] == [
        'title: "Brave: \\"the\\" way"', "steps:", "  - node: hall",
        '  - choose: "Be brave"', "    node: yard", "    unlocked: [war_ended]",
        '  - choose: "Go home"', "    node: home", '    ending: "Home again"']
    (tiny / "r.play.yaml").write_text(text, encoding="utf-8")
    assert run(story, load_transcript(tiny / "r.play.yaml")).passed


def test_a_transcript_belongs_to_the_nearest_story_above_it(tiny):
    (tiny / "deep" / "er").mkdir(parents=True)
    assert story_folder_of(tiny / "deep" / "er" / "x.play.yaml") == tiny.resolve()
    assert story_folder_of(Path("/x.play.yaml")) is None


def test_the_loader_ignores_transcripts(tiny):
    (tiny / "t.play.yaml").write_text("steps: [Wait]\n", encoding="utf-8")
    assert len(load_story(tiny).nodes) == 3


# -- the "Testing your story" section of AUTHORING.md is true ---------------------------------------
ROOT = Path(__file__).resolve().parent.parent


def guide_section() -> dict[str, list[str]]:
    text = (ROOT / "AUTHORING.md").read_text(encoding="utf-8").split("## 5. Testing your story", 1)[1]
    blocks: dict[str, list[str]] = {}
    for kind, body in re.findall(r"```(\w+)\n(.*?)```", text, re.S):
        blocks.setdefault(kind, []).append(body)
    return blocks


def budapest56(*args: str, cwd: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "budapest56", *args], capture_output=True, text=True,
                            cwd=cwd, timeout=60)
    return re.sub(r" in \d+\.\d\d s$", " in 0.00 s", result.stdout, flags=re.M)


def test_the_authoring_guide_transcript_passes_then_fails_as_shown(tmp_path):
    blocks = guide_section()
    shutil.copytree(ROOT / "tests" / "stories" / "tutorial", tmp_path / "my-story")
    transcript = tmp_path / "my-story" / "plaque.play.yaml"
    transcript.write_text(blocks["yaml"][0], encoding="utf-8")
    passing, failing = [b for b in blocks["console"] if b.startswith("$ budapest56 test")]
    assert budapest56("test", "my-story", cwd=tmp_path) == passing.split("\n", 1)[1]
    transcript.write_text(blocks["yaml"][0].replace("node: plaque", "node: stalls"), encoding="utf-8")
    assert budapest56("test", "my-story", cwd=tmp_path) == failing.split("\n", 1)[1]


def test_the_authoring_guide_pytest_example_passes(tmp_path):
    shutil.copytree(ROOT / "tests" / "stories" / "tutorial", tmp_path / "my-story")
    (tmp_path / "test_market.py").write_text(guide_section()["python"][0], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_market.py"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout
