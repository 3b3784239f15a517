"""Learning gain: the same five questions before the story and at its end, and `progress` showing both."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from budapest56.cli import main
from budapest56.learning.gain import Gain, after_check, before_check, check_items, every_route_facts, read_gain
from budapest56.persist.profile import Progress, load_progress, save_progress
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story
from budapest56.story.model import Story

QUIZ = Path(__file__).parent / "stories" / "quiz"
DAY = date(2026, 12, 1)
CHECK = ["founded#1", "flood#1", "mill_closed#1", "railway#1", "theatre_burned#1"]


class Screen:
    """Answers offers with `offer`, then each question by `plan`: 'right', 'wrong', 'dunno' or 'skip'."""

    width = 500

    def __init__(self, story: Story, plan: list[str], offer: int | None = 0) -> None:
        self.answers = {q.ask: q.answer for f in story.facts.values() for q in f.questions}
        self.plan, self.offer = list(plan), offer
        self.shown: list[str] = []
        self.prompts: list[str] = []
        self.options: list[list[str]] = []

    def show(self, text: str) -> None:
        self.shown.append(text)

    def ask(self, prompt: str, options: list[str]) -> int | None:
        self.prompts.append(prompt)
        self.options.append(list(options))
        if not prompt.startswith("Question"):
            return self.offer
        step = self.plan.pop(0)
        right = options.index(self.answers[prompt.split(": ", 1)[1]])
        return {"right": right, "wrong": (right + 1) % (len(options) - 1), "dunno": len(options) - 1,
                "skip": None}[step]


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(QUIZ)


def check(story: Story, home: Path, screen: Screen, when: str = "before") -> None:
    run = before_check if when == "before" else after_check
    run(story, screen, home, random.Random(1), lambda: DAY)


def test_the_questions_come_from_facts_every_route_teaches_spread_over_the_chapters(story):
    # 'bridge_built' is only on one of the two ways out of the square: never in the check.
    assert set(every_route_facts(story)) == {"founded", "flood", "mill_closed", "school_opened", "railway",
                                             "theatre_burned"}
    assert [it.key for it in check_items(story)] == CHECK
    assert [it.key for it in check_items(story)] == CHECK  # the same every time


def test_the_bundled_story_checks_five_chapters_with_facts_no_route_misses():
    story = load_story(bundled_story())
    items = check_items(story)
    assert [it.key for it in items] == ["f_opposition_destroyed#1", "f_stalin_dies#1", "f_avo#1", "f_revolt#1",
                                        "f_lasted#1"]
    assert {it.fact.id for it in items} <= set(every_route_facts(story))
    assert len({it.fact.chapter for it in items}) == 5


def test_skipping_is_one_key_and_it_is_never_offered_again(story, tmp_path):
    screen = Screen(story, [], offer=1)
    check(story, tmp_path, screen)
    assert screen.prompts == ["What do you know already? 5 short questions before the story begins, and the same 5 "
                              "after its end, so you can see what you learned. No marks; the story does not depend "
                              "on it."]
    assert screen.options == [["Answer them", "Skip"]]
    assert screen.shown == ["Skipped. The story begins.\n"]
    assert load_progress(tmp_path, "quiz_town").gain == {"version": 1, "questions": [], "skipped": "2026-12-01"}
    again = Screen(story, [])
    check(story, tmp_path, again)
    assert again.prompts == []
    escape = Screen(story, [], offer=None)  # Escape or an empty Enter skips too
    check(story, tmp_path / "other", escape)
    assert load_progress(tmp_path / "other", "quiz_town").gain["skipped"] == "2026-12-01"


def test_before_asks_without_feedback_and_after_shows_both_scores_and_the_answers(story, tmp_path):
    before = Screen(story, ["right", "wrong", "dunno", "right", "wrong"])
    check(story, tmp_path, before)
    assert [p.split(": ", 1)[0] for p in before.prompts[1:]] == [f"Question {n} of 5" for n in range(1, 6)]
    assert all(o[-1] == "I don't know yet" for o in before.options[1:])
    assert before.shown == ["You knew 2 of 5. The same questions come back after the story's end; now the story "
                            "begins.\n"]
    gain = load_progress(tmp_path, "quiz_town").gain
    assert gain["questions"] == CHECK
    assert gain["before"] == {"day": "2026-12-01", "answers": {
        "founded#1": True, "flood#1": False, "mill_closed#1": False, "railway#1": True, "theatre_burned#1": False}}
    assert "after" not in gain

    after = Screen(story, ["right", "right", "right", "wrong", "right"])
    check(story, tmp_path, after, "after")
    assert after.prompts[0] == ("What do you know now? The 5 questions from before the story, once more. No marks; "
                                "then you see both scores and the answers.")
    assert after.shown == ["Before the story you knew 2 of 5; now you know 4 of 5.\n"
                           "  Right: Who founded the town? — Anna Kovács\n"
                           "  Right: When did the river flood the town? — 1838\n"
                           "  Right: When did the mill close? — 1901\n"
                           "  Not yet: When did the railway reach the town? — 1910\n"
                           "  Right: What happened to the theatre in 1923? — It burned down\n"]
    assert read_gain(load_progress(tmp_path, "quiz_town").gain).change == 2
    once = Screen(story, [])
    check(story, tmp_path, once, "after")  # at a second ending: nothing more
    assert once.prompts == []


def test_not_now_at_the_end_leaves_it_for_the_next_ending(story, tmp_path):
    check(story, tmp_path, Screen(story, ["right"] * 5))
    later = Screen(story, [], offer=1)
    check(story, tmp_path, later, "after")
    assert later.shown == ["Not now. They are offered again at your next ending.\n"]
    assert "after" not in load_progress(tmp_path, "quiz_town").gain
    check(story, tmp_path, Screen(story, ["dunno"] * 5), "after")
    assert read_gain(load_progress(tmp_path, "quiz_town").gain).change == -5


def test_no_after_check_without_a_before_check_and_none_when_reviews_are_off(story, tmp_path):
    screen = Screen(story, [])
    check(story, tmp_path, screen, "after")
    save_progress(tmp_path / "off", Progress("quiz_town", settings={"skip_reviews": True}))
    check(story, tmp_path / "off", screen)
    assert screen.prompts == []


def test_stopping_midway_keeps_what_was_answered_and_stopping_at_once_is_a_skip(story, tmp_path):
    check(story, tmp_path, Screen(story, ["right", "skip"]))
    gain = read_gain(load_progress(tmp_path, "quiz_town").gain)
    assert gain.before is not None and gain.before.answers == {"founded#1": True}
    assert gain.seen
    at_once = Screen(story, ["skip"])
    check(story, tmp_path / "other", at_once)
    assert at_once.shown == ["Skipped. The story begins.\n"]
    assert read_gain(load_progress(tmp_path / "other", "quiz_town").gain) == Gain(skipped="2026-12-01")


def test_a_damaged_gain_record_is_read_leniently():
    gain = read_gain({"questions": ["a#1", 3, "b#1", "a#1"], "before": {"day": "2026-12-01",
                      "answers": {"a#1": True, "b#1": "yes", "zz#1": True}}, "after": [1], "skipped": 7})
    assert gain.questions == ("a#1", "b#1")
    assert gain.before is not None and gain.before.answers == {"a#1": True}
    assert gain.after is None and gain.skipped == "" and gain.change is None
    assert read_gain({"before": "x"}) == read_gain({})


def play(home: Path, answers: str, *args: str) -> str:
    env = {**os.environ, "BUDAPEST56_HOME": str(home)}
    out = subprocess.run([sys.executable, "-m", "budapest56", "play", str(QUIZ), "--plain", *args],
                         input=answers, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0 and out.stderr == ""
    return out.stdout


def test_piped_plain_mode_asks_only_when_told_and_only_in_a_new_game(tmp_path):
    assert "What do you know already?" not in play(tmp_path / "a", "1\n")
    home = tmp_path / "b"
    shown = play(home, "1\n4\n\n1\n")  # take the check, answer one, stop at the second (Enter), one move
    assert "What do you know already?" not in shown
    shown = play(home, "1\n4\n\n1\n", "--before-check")
    assert "What do you know already?" in shown and "Question 2 of 5: " in shown
    assert "You knew 0 of 5. The same questions come back" in shown
    again = play(home, "1\n", "--continue", "--before-check")
    assert "What do you know already?" not in again


def test_progress_shows_before_and_after(story, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUDAPEST56_HOME", str(tmp_path))
    check(story, tmp_path, Screen(story, ["right", "wrong", "wrong", "wrong", "wrong"]))
    assert main(["progress", str(QUIZ)]) == 0
    assert "- Before and after: 1 of 5 before the story; not yet after it\n\n" in capsys.readouterr().out
    check(story, tmp_path, Screen(story, ["right", "right", "right", "wrong", "wrong"]), "after")
    assert main(["progress", str(QUIZ)]) == 0
    assert "- Time played: none yet\n- Before and after: 1 of 5 before the story, 3 of 5 after (+2)\n\n" \
        in capsys.readouterr().out
    assert main(["progress", str(QUIZ), "--format", "csv"]) == 0
    assert capsys.readouterr().out.endswith("total,A Town Remembers,0,7,0,0,0,1,0\n"
                                            "before,Before the story,,,5,1,,,\n"
                                            "after,After the story,,,5,3,,,\n")
    assert main(["progress", str(QUIZ), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["gain"] == {"questions": 5, "before": 1, "after": 3, "skipped": False}
