"""What `check` says agrees with `test --exhaustive`: a stuck node is an error, a term no player
can see and two choices a player cannot tell apart are reported."""
from __future__ import annotations

import subprocess
import sys

from budapest56 import load_story
from budapest56.analysis.condition_proofs import condition_findings
from budapest56.analysis.lint import check
from budapest56.cli import main
from conftest import SCENE, STORY, write_story


def findings(root) -> list[str]:
    return [str(f) for f in check(str(root)).findings]


def test_a_node_with_neither_choices_nor_ending_fails_check(in_tmp):
    scene = SCENE.replace("""    ending:
      title: Home again
      epilogue: The end.
""", "")
    write_story(in_tmp / "s", {"scene.yaml": scene})
    result = subprocess.run([sys.executable, "-m", "budapest56", "check", "s"], capture_output=True, text=True,
                            cwd=in_tmp, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.endswith(
        "s/scene.yaml:32:5: error: node 'home' has no choices and is not an ending: the player would be stuck "
        "there [dead-end]\n"
        "  hint: add 'choices:' with at least one choice, or 'ending: {title: ..., epilogue: ...}'\n"
        "1 error, 0 warnings\n")


GLOSSARY = """\
glossary:
  - id: city
    name: Budapest
    kind: place
    definition: The capital.
    quote: The city was rebuilt slowly.
"""


def test_a_glossary_term_no_fact_lists_is_reported(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE + GLOSSARY})
    assert findings(root) == [(
        "s/scene.yaml:47:5: warning: no fact lists glossary term 'city', so no player sees it [unused-term]\n"
        "  hint: add 'city' to 'terms:' of the facts that name Budapest, or remove the term")]
    assert SCENE.endswith("    date: 1945\n")  # the fact's last line
    listed = SCENE + "    terms: [city]\n" + GLOSSARY
    assert findings(write_story(in_tmp / "t", {"scene.yaml": listed})) == []


def test_two_choices_of_one_node_with_the_same_label(in_tmp):
    scene = SCENE.replace("      - label: Wait\n", "      - label: be  Brave\n")
    assert findings(write_story(in_tmp / "s", {"scene.yaml": scene})) == [(
        "s/scene.yaml:12:9: warning: node 'hall' has two choices labelled 'be  Brave' (the other at line 8) "
        "[duplicate-label]\n"
        "  hint: reword one so the player can tell them apart")]


def test_the_same_label_under_opposite_conditions_is_fine(in_tmp):
    # Two 'Go home' choices, one 'if: brave and courage >= 3', one 'if: not (brave and courage >= 3)':
    # never offered together.
    scene = SCENE.replace("      - label: Look around\n        goto: home\n        locked: show\n        if: not brave\n",
                          "      - label: Go home\n        goto: home\n        if: not (brave and courage >= 3)\n")
    assert scene.count("label: Go home") == 2
    assert findings(write_story(in_tmp / "s", {"scene.yaml": scene})) == []
    clash = scene.replace("if: not (brave and courage >= 3)", "if: not brave")
    assert [f.split(" [")[0] for f in findings(write_story(in_tmp / "t", {"scene.yaml": clash}))] == [
        "t/scene.yaml:26:9: warning: node 'yard' has two choices labelled 'Go home' (the other at line 23)"]


FAILING = """\
title: Waiting is not enough
steps:
  - choose: Wait
    node: yard
  - choose: Go home
"""


def test_check_plays_the_transcripts_and_a_failure_is_an_error_at_the_transcript(in_tmp, capsys):
    root = write_story(in_tmp / "s")
    (root / "wait.play.yaml").write_text(FAILING, encoding="utf-8")
    (root / "bad.play.yaml").write_text("steps:\n  - chose: Wait\n", encoding="utf-8")
    assert main(["check", "s"]) == 1
    assert capsys.readouterr().err.endswith(
        "s/bad.play.yaml:2:5: error: unknown key 'chose' in step 1 [unknown-key]\n"
        "  hint: did you mean 'choose'?\n"
        "s/wait.play.yaml:5:13: error: step 2 (choose 'Go home'): choice 'Go home' at 'yard' is not available now: "
        "its condition 'brave and courage >= 3' does not hold (s/scene.yaml:23:9) [transcript-failed]\n"
        "  hint: path so far: hall → yard\n"
        "2 errors, 0 warnings\n")
    (root / "wait.play.yaml").write_text(FAILING.replace("Wait", "Be brave"), encoding="utf-8")
    (root / "bad.play.yaml").unlink()
    assert main(["check", "s"]) == 0


def test_a_story_with_errors_says_its_transcripts_were_not_played(in_tmp, capsys):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace("goto: yard", "goto: yrd", 1)})
    (root / "wait.play.yaml").write_text(FAILING, encoding="utf-8")
    assert main(["check", "s"]) == 1
    assert capsys.readouterr().err.endswith(
        "s: info: 1 transcript was not played: the story has errors [transcripts-not-played]\n"
        "s/scene.yaml:9:15: error: choice goes to unknown node 'yrd' [dangling-target]\n"
        "  hint: did you mean 'yard'?\n"
        "1 error, 0 warnings\n")


def test_conditions_a_complete_search_proves_always_true_or_always_false(in_tmp):
    scene = SCENE.replace("if: brave and courage >= 3", "if: not brave and courage >= 3").replace(
        "      - label: Leave\n        goto: home\n",
        "      - label: Leave\n        goto: home\n        if: unlocked(war_ended)\n").replace(
        "    text: You are home.\n", "    text:\n      - You are home.\n      - if: brave or not brave\n"
                                    "        text: Always.\n")
    assert findings(write_story(in_tmp / "s", {"scene.yaml": scene})) == [
        "s/scene.yaml:23:9: error: choice 'Go home' of 'yard' can never be taken: its condition 'not brave and "
        "courage >= 3' never holds there (all 5 states searched) [choice-never-available]\n"
        "  hint: fix the condition, or remove the choice",
        "s/scene.yaml:32:13: warning: the condition 'unlocked(war_ended)' of choice 'Leave' always holds at 'yard' "
        "(all 5 states searched), so it locks nothing [condition-always-true]\n"
        "  hint: remove the 'if:', or fix the condition",
        "s/scene.yaml:39:13: warning: this text of 'home' is always shown: its condition 'brave or not brave' holds "
        "whenever a player is there (all 5 states searched) [text-always-shown]\n"
        "  hint: remove the 'if:' and keep the text, or fix the condition",
    ]


def test_a_text_variant_the_over_approximation_misses_is_proved_never_shown(in_tmp):
    # Each of 'brave' and 'timid' can hold at the yard, never both: only the search sees that.
    story = STORY.replace("  brave: You were brave.\n", "  brave: You were brave.\n  timid: You waited.\n")
    scene = SCENE.replace("      - label: Wait\n        goto: yard\n",
                          "      - label: Wait\n        goto: yard\n        set: {timid: true}\n").replace(
        "      - if: brave\n        text: You hold your head high.\n",
        "      - if: brave and timid\n        text: Never.\n").replace("if: not brave\n", "if: timid\n")
    assert findings(write_story(in_tmp / "s", {"scene.yaml": scene}, story=story)) == [
        "s/scene.yaml:20:13: warning: this text of 'yard' is never shown: its condition 'brave and timid' never "
        "holds when a player is there (all 5 states searched) [text-never-shown]\n"
        "  hint: fix the condition, or move the text to a scene where it can hold"]


def test_nothing_is_claimed_when_the_search_does_not_complete(in_tmp):
    story = load_story(write_story(in_tmp / "tiny"))
    assert [str(f) for f in condition_findings(story, bound=2)] == [
        "tiny/story.yaml:1:1: info: no condition was checked for being always true or always false: the story has "
        "more than 2 states [conditions-not-proved]\n  hint: budapest56 test --exhaustive searches further"]


def test_the_bound_is_the_same_whether_the_search_runs_or_is_known_to_stop(in_tmp):
    # tiny: 3 nodes reached by choices without 'if:' (the search is skipped below 4), 5 states in all.
    story = load_story(write_story(in_tmp / "tiny"))
    for bound in (3, 4, 5):
        assert [f.code for f in condition_findings(story, bound=bound)] == ["conditions-not-proved"], bound
    assert "conditions-not-proved" not in [f.code for f in condition_findings(story, bound=6)]
