"""Seams `check` can see: a decision answered by nothing but the chapter's review, and a scene
that may show no text at all."""
from __future__ import annotations

from budapest56.analysis.lint import check
from conftest import SCENE, write_story

QUESTION = """\
    questions:
      - ask: When did the war end?
        answer: "1945"
        wrong: ["1944", "1946"]
"""


def codes(root, code: str) -> list[str]:
    return [str(f) for f in check(str(root)).findings if f.code == code]


def test_a_choice_among_several_that_leaves_the_chapter_into_its_review(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE + QUESTION})
    found = codes(root, "decision-into-review")
    assert found[0] == (
        "s/scene.yaml:23:9: warning: the choice 'Go home' leaves chapter 'one' straight away: its review comes "
        "next, so nothing answers the player's decision [decision-into-review]\n"
        "  hint: go to a short closing scene of chapter 'one' that answers it, and from there on to 'home'")
    assert [f.split(":")[1] for f in found] == ["23", "26", "30"]  # every choice of 'yard' ends the chapter


def test_without_questions_there_is_no_review_and_no_seam(in_tmp):
    assert codes(write_story(in_tmp / "s"), "decision-into-review") == []


def test_a_lone_go_on_after_a_closing_scene_is_no_seam(in_tmp):
    lone = SCENE.replace("""      - label: Look around
        goto: home
        locked: show
        if: not brave
      - label: Leave
        goto: home
""", "").replace("        if: brave and courage >= 3\n", "")
    assert codes(write_story(in_tmp / "s", {"scene.yaml": lone + QUESTION}), "decision-into-review") == []


def _yard_texts(*variants: str) -> str:
    texts = "".join(f"      - if: {cond}\n        text: Words {i}.\n" for i, cond in enumerate(variants))
    return SCENE.replace("""      - The yard is cold.
      - if: brave
        text: You hold your head high.
""", texts)


def test_a_scene_whose_every_text_may_fail_is_reported_with_the_values_that_empty_it(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": _yard_texts("brave", "courage > 2")})
    assert codes(root, "text-may-be-empty") == [
        "s/scene.yaml:18:13: warning: scene 'yard' may show no text: when 'courage' is 1, 'brave' is false, none "
        "of its texts' conditions hold [text-may-be-empty]\n"
        "  hint: give the scene one text without 'if:', or a variant for that case"]


def test_texts_that_cover_every_case_between_them_are_fine(in_tmp):
    for i, variants in enumerate([("brave", "not brave"), ("courage > 2", "courage <= 2"),
                                  ("visits(hall) >= 1", "not visited(hall)"), ("brave or true", "brave")]):
        root = write_story(in_tmp / f"s{i}", {"scene.yaml": _yard_texts(*variants)})
        assert codes(root, "text-may-be-empty") == [], variants


def test_the_bundled_story_has_no_seam_check_can_see():
    report = check("scenes")
    assert [f for f in report.findings if f.code in ("decision-into-review", "text-may-be-empty")] == []
