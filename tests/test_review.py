"""The quiz runner and `budapest56 review`: feedback, skipping, saving, plain mode through a pipe."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from budapest56.cli import main
from budapest56.learning.quiz import feedback, run_quiz
from budapest56.learning.schedule import Item, items_of
from budapest56.persist.profile import Progress, load_progress, save_progress
from budapest56.story.loader import load_story

QUIZ = Path(__file__).parent / "stories" / "quiz"
OLD = ["founded", "flood", "bridge_built", "mill_closed", "school_opened"]
ALL = OLD + ["railway", "theatre_burned"]


class Scripted:
    """A screen that answers from a list: 'right', 'wrong' or None (skip)."""

    def __init__(self, plan: list[str | None]) -> None:
        self.plan, self.shown, self.asked = list(plan), [], []

    def show(self, text: str) -> None:
        self.shown.append(text)

    def ask(self, prompt: str, options: list[str]) -> int | None:
        self.asked.append((prompt, options))
        step = self.plan.pop(0)
        if step is None:
            return None
        answer = self.item_answer(prompt)
        return options.index(answer) if step == "right" else next(i for i, o in enumerate(options) if o != answer)

    def item_answer(self, prompt: str) -> str:
        story = load_story(QUIZ)
        return next(q.answer for f in story.facts.values() for q in f.questions if prompt.endswith(q.ask))


@pytest.fixture(scope="module")
def items() -> list[Item]:
    story = load_story(QUIZ)
    return [it for f in OLD[:4] for it in items_of(story, f)]


def test_feedback_says_right_or_wrong_then_the_record_and_after_a_miss_the_summary(items):
    flood = items[1]
    assert feedback(flood, True) == ("Right.\nFrom the record: The great flood (1838)\n"
                                     "  “The river flooded the town in 1838.”\n")
    assert "  The river flooded the town in 1838.\n" in feedback(flood, False)
    assert feedback(flood, False).startswith("Not quite. The answer is: 1838.\n")


def test_a_quiz_reports_what_was_recalled_and_saves_after_each_answer(items):
    screen, saved = Scripted(["right", "wrong", "right", "right"]), []
    result = run_quiz(items, screen, random.Random(3), lambda it, ok: saved.append((it.key, ok)))
    assert [ok for _, ok in result.answers] == [True, False, True, True]
    assert saved == [(it.key, ok) for it, ok in result.answers]
    assert screen.shown[-1] == "You recalled 3 of 4.\n"
    assert "“The river flooded the town in 1838.”" in screen.shown[1]
    assert screen.asked[0][0] == "Question 1 of 4: Who founded the town?"


def test_skipping_stops_the_quiz_and_keeps_the_answers_given(items):
    screen = Scripted(["wrong", None])
    result = run_quiz(items, screen, random.Random(3))
    assert result.stopped and len(result.answers) == 1 and screen.shown[-1] == "You recalled 0 of 1.\n"
    nothing = Scripted([None])
    assert run_quiz(items, nothing, random.Random(3)).answers == () and nothing.shown == []


def review(home: Path, answers: str, *args: str) -> subprocess.CompletedProcess:
    """Run the real program with its input from a pipe, as a script or screen reader would."""
    env = {**os.environ, "BUDAPEST56_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "budapest56", "review", str(QUIZ), "--seed", "4", *args],
                          input=answers, capture_output=True, text=True, env=env, timeout=60)


def seed_profile(home: Path, facts: list[str]) -> None:
    save_progress(home, Progress("quiz_town", facts_found=tuple(facts), endings=("theatre",), seconds_played=90))


def asked(stdout: str) -> list[str]:
    """The card keys of the questions a session asked, in order."""
    story = load_story(QUIZ)
    keys = {f.questions[0].ask: f"{f.id}#1" for f in story.facts.values()}
    return [keys[line.split(": ", 1)[1]] for line in stdout.splitlines() if line.startswith("Question ")]


def test_review_through_a_pipe_saves_and_brings_missed_questions_back(tmp_path):
    seed_profile(tmp_path, ALL)
    first = review(tmp_path, "1\n" * 5, "--count", "5")
    assert first.returncode == 0 and first.stderr == ""
    assert first.stdout.count("> ") == 5 and "\x1b" not in first.stdout
    assert "Question 1 of 5:" in first.stdout and "You recalled " in first.stdout
    cards = load_progress(tmp_path, "quiz_town").review["cards"]
    missed = {k for k, c in cards.items() if c["missed"]}
    assert set(cards) == set(asked(first.stdout)) and 0 < len(missed) < 5
    never = {f"{f}#1" for f in ALL} - set(cards)
    # The next session, the same day: what was missed is due again and what was never asked is new;
    # what was answered right waits a day, so it only makes up the five.
    second = review(tmp_path, "1\n" * 10)
    again = asked(second.stdout)
    assert missed | never <= set(again) and len(again) == max(5, len(missed | never))
    assert f"{len(missed)} you missed last time" in second.stdout
    cards = load_progress(tmp_path, "quiz_town").review["cards"]
    still = sum(c["missed"] for c in cards.values()) + len({f"{f}#1" for f in ALL} - set(cards))
    assert still and second.stdout.endswith(
        f"Next: {still} question{'s' * (still > 1)} waiting now.\nProgress saved. Goodbye.\n")


def test_end_of_input_ends_the_review_cleanly_and_keeps_what_was_answered(tmp_path):
    seed_profile(tmp_path, OLD)
    result = review(tmp_path, "2\n")
    assert result.returncode == 0 and result.stderr == ""
    assert "You recalled " in result.stdout and result.stdout.endswith("Stopped. Your answers so far are saved. Goodbye.\n")
    assert review(tmp_path, "\n").stdout.endswith("Nothing answered, nothing changed. Goodbye.\n")
    progress = load_progress(tmp_path, "quiz_town")
    assert sum(c["asked"] for c in progress.review["chapters"].values()) == 1
    assert progress.facts_found == tuple(OLD) and progress.endings == ("theatre",)  # the rest untouched


def test_with_nothing_found_it_says_so_and_suggests_playing(tmp_path):
    result = review(tmp_path, "")
    assert result.returncode == 0
    assert result.stdout == ("You have not found any facts yet, so there is nothing to review.\n"
                             "Play first ('budapest56'); every fact you find joins your review.\n")
    assert not (tmp_path / "profile.json").exists()


def test_a_corrupt_profile_is_moved_aside_with_a_clear_message(tmp_path):
    (tmp_path / "profile.json").write_text("{ half a profile", encoding="utf-8")
    (tmp_path / "saves").mkdir()
    (tmp_path / "saves" / "autosave.json").write_text("{}", encoding="utf-8")
    result = review(tmp_path, "1\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the player profile cannot be used: it is not valid JSON" in result.stderr
    assert "nothing was deleted" in result.stderr and "saved games are untouched" in result.stderr
    aside = [p.name for p in tmp_path.iterdir() if p.name.startswith("profile.json.corrupt-")]
    assert len(aside) == 1 and (tmp_path / aside[0]).read_text() == "{ half a profile"
    assert (tmp_path / "saves" / "autosave.json").read_text() == "{}"


def test_ctrl_c_saves_the_answers_given_and_says_goodbye(tmp_path, monkeypatch, capsys):
    seed_profile(tmp_path, OLD)
    monkeypatch.setenv("BUDAPEST56_HOME", str(tmp_path))
    lines = iter(["1\n"])

    class Keys:
        def isatty(self) -> bool:
            return False

        def readline(self) -> str:
            line = next(lines, None)
            if line is None:
                raise KeyboardInterrupt
            return line

    monkeypatch.setattr(sys, "stdin", Keys())
    assert main(["review", str(QUIZ), "--seed", "1"]) == 0
    assert capsys.readouterr().out.endswith("Stopped. Your answers so far are saved. Goodbye.\n")
    assert len(load_progress(tmp_path, "quiz_town").review["cards"]) == 1


def test_chapter_reviews_can_be_turned_off_and_on_in_the_profile(tmp_path):
    seed_profile(tmp_path, OLD)
    assert review(tmp_path, "", "--chapter-reviews", "off").stdout == "Chapter-end reviews are now off.\n"
    data = json.loads((tmp_path / "profile.json").read_text(encoding="utf-8"))
    assert data["stories"]["quiz_town"]["settings"] == {"skip_reviews": True}
    assert data["stories"]["quiz_town"]["facts_found"] == OLD
    review(tmp_path, "", "--chapter-reviews", "on")
    assert load_progress(tmp_path, "quiz_town").settings == {"skip_reviews": False}


def test_a_bad_count_is_a_usage_error(tmp_path):
    result = review(tmp_path, "", "--count", "0")
    assert result.returncode == 2 and result.stderr == "budapest56 review: error: --count must be between 1 and 50\n"


def test_the_quiz_on_the_terminal_screen_takes_number_keys_and_the_end_of_input_quits(items):
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from budapest56.play.session import Quit
    from budapest56.play.terminal import TerminalScreen

    saved: list[bool] = []
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("2\r3\r")
        pipe.close()  # like a closed terminal: the screen raises Quit, after two answers were saved
        with pytest.raises(Quit):
            run_quiz(items, TerminalScreen(width=70), random.Random(3), lambda it, ok: saved.append(ok))
    assert len(saved) == 2


def test_a_data_folder_that_cannot_be_written_is_an_error_message_not_a_traceback(tmp_path):
    home = tmp_path / "file"
    home.write_text("not a folder", encoding="utf-8")
    result = review(home, "", "--chapter-reviews", "off")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"budapest56 review: cannot save your progress in {home}: ")
