"""The pytest plugin, run by pytest itself: transcripts become test items with short failures."""
from __future__ import annotations

import importlib.metadata
import textwrap

import pytest

from conftest import SCENE, write_story

PASSING = """\
    title: Bravery pays
    steps:
      - choose: Be brave
        node: yard
      - choose: Go home
        ending: Home again
    """

FAILING = """\
    title: Waiting is not enough
    steps:
      - choose: Wait
        node: yard
      - choose: Go home
    """


@pytest.fixture
def story(pytester: pytest.Pytester):
    folder = write_story(pytester.path / "tiny")
    (folder / "brave.play.yaml").write_text(textwrap.dedent(PASSING), encoding="utf-8")
    return folder


def test_the_plugin_is_registered_for_pytest():
    [entry] = [e for e in importlib.metadata.entry_points(group="pytest11") if e.name == "budapest56"]
    assert entry.value == "budapest56.testing.pytest_plugin"


def test_pytest_in_a_story_folder_collects_and_passes_its_transcripts(pytester, story):
    result = pytester.runpytest("-v", "tiny")
    result.assert_outcomes(passed=2)  # the transcript, and the story: check --strict, test --exhaustive
    result.stdout.fnmatch_lines(["tiny/brave.play.yaml::brave PASSED*", "tiny/story.yaml::story PASSED*"])


def test_a_failing_transcript_prints_the_story_problem_at_its_line_without_a_traceback(pytester, story):
    (story / "wait.play.yaml").write_text(textwrap.dedent(FAILING), encoding="utf-8")
    result = pytester.runpytest("tiny")
    result.assert_outcomes(passed=2, failed=1)  # the story item leaves transcripts to their own items
    result.stdout.fnmatch_lines([
        "*transcript wait: Waiting is not enough*",
        "tiny/wait.play.yaml:5:13: error: step 2 (choose 'Go home'): choice 'Go home' at 'yard' is not available "
        "now: its condition 'brave and courage >= 3' does not hold (tiny/scene.yaml:23:9) [transcript-failed]",
        "  hint: path so far: hall → yard",
    ])
    assert "Traceback" not in result.stdout.str() and "engine.py" not in result.stdout.str()


def test_reportinfo_points_at_the_transcript(pytester, story):
    (story / "wait.play.yaml").write_text("# a comment first\n" + textwrap.dedent(FAILING), encoding="utf-8")
    items, _ = pytester.inline_genitems("tiny")
    info = {item.name: item.reportinfo() for item in items}
    assert info["wait"][1:] == (1, "transcript wait: Waiting is not enough")
    assert info["wait"][0].name == "wait.play.yaml"


def test_a_malformed_transcript_and_a_broken_story_fail_with_their_locations(pytester, story):
    (story / "bad.play.yaml").write_text("steps:\n  - chose: Wait\n", encoding="utf-8")
    orphan = pytester.path / "orphan.play.yaml"
    orphan.write_text("steps: [Wait]\n", encoding="utf-8")
    result = pytester.runpytest("tiny", "orphan.play.yaml")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines([
        "tiny/bad.play.yaml:2:5: error: unknown key 'chose' in step 1 [unknown-key]",
        "orphan.play.yaml: error: no story.yaml in this folder or any folder above it [no-story]",
    ], consecutive=False)


def test_authors_can_test_with_plain_pytest_functions(pytester, story):
    # The public API documented in AUTHORING.md: load_story, start, choices, choose.
    pytester.makepyfile(test_story=f"""
        from budapest56 import load_story, start, choices, choose

        def test_bravery_opens_the_way_home():
            story = load_story({str(story)!r})
            state = start(story)
            brave = next(o for o in choices(story, state) if o.choice.label == "Be brave")
            state = choose(story, state, brave.index)
            assert state.node == "yard" and "war_ended" in state.facts
            assert [o.choice.label for o in choices(story, state) if o.available] == ["Go home", "Leave"]
    """)
    pytester.runpytest("test_story.py").assert_outcomes(passed=1)


def test_a_story_with_an_unreachable_node_fails_plain_pytest_with_the_problem_at_its_line(pytester):
    attic = "  - id: attic\n    date: 1949\n    place: The attic\n    text: Dust.\n    ending: {title: Dust, epilogue: Dust.}\n"
    write_story(pytester.path / "tiny", {"scene.yaml": SCENE.replace("facts:", attic + "facts:")})
    result = pytester.runpytest("tiny")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*story tiny: check --strict and test --exhaustive*",
        "story tiny: 1 problem (budapest56 check --strict, budapest56 test --exhaustive)",
        "tiny/scene.yaml:40:5: warning: node 'attic' cannot be reached from the start [unreachable-node]",
        "  hint: add a choice that goes to it, or remove it",
    ])
    assert "Traceback" not in result.stdout.str()


def test_a_story_whose_choice_is_never_available_fails_as_test_exhaustive_does(pytester):
    # Reachable in the graph, so check's reachability is content; the proof is not.
    scene = SCENE.replace("if: brave and courage >= 3", "if: brave and courage >= 9")
    write_story(pytester.path / "tiny", {"scene.yaml": scene})
    result = pytester.runpytest("tiny")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "story tiny: 1 problem (budapest56 check --strict, budapest56 test --exhaustive)",
        "tiny/scene.yaml:23:9: error: choice 'Go home' of 'yard' can never be taken: its condition "
        "'brave and courage >= 9' never holds there (all 5 states searched) [choice-never-available]",
    ])
