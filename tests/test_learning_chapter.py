"""The reviews in the game: at chapter ends only, on the chapter's facts, a missed one back once at a later end."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from budapest56 import engine
from budapest56.learning.kinds import Expert
from budapest56.learning.reviews import chapter_review
from budapest56.persist.profile import Progress, load_progress, save_progress
from budapest56.story.loader import load_story
from budapest56.story.model import Story

QUIZ = Path(__file__).parent / "stories" / "quiz"
OLD = {"founded", "flood", "bridge_built", "mill_closed", "school_opened"}


class Quit(Exception):
    """Stands for the game's own Quit: the screen raises it on Ctrl-C or the end of input."""


class Screen:
    """Takes the review (or the offer's option `offer`), then answers from `plan`: 'right', 'wrong', 'quit'.

    An order question asks twice ('first?', then 'next?'); both follow the one step of the plan."""

    width = 500

    def __init__(self, story: Story, plan: list[str], offer: int | None = 0) -> None:
        self.expert = Expert(story)
        self.plan, self.offer = list(plan), offer
        self.shown: list[str] = []
        self.asked: list[str] = []  # the questions, by their text
        self.offers: list[str] = []
        self.offered: list[list[str]] = []  # the options of each offer
        self.step = ""

    def show(self, text: str) -> None:
        self.shown.append(text)

    def ask(self, prompt: str, options: list[str]) -> int | None:
        if prompt.startswith(("End of chapter", "Before you go on")):
            self.offers.append(prompt)
            self.offered.append(options)
            return self.offer
        if not prompt.endswith("came next?"):
            self.asked.append(prompt.split(": ", 1)[1])
            self.step = self.plan.pop(0)
        if self.step == "quit":
            raise Quit
        right = self.expert.choose(prompt, options)
        return right if self.step == "right" else (right + 1) % len(options)


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(QUIZ)


def states(story: Story) -> tuple[engine.State, engine.State]:
    """The state entering chapter 'new' (after reading the plaque), and at the ending."""
    state = engine.start(story)
    state = engine.choose(story, engine.choose(story, state, 0), 0)
    return state, engine.choose(story, state, 0)


def fact_of(story: Story, ask: str) -> str:
    """The fact a question is on; an order question is on the latest of its events."""
    if ask.startswith("Put these in the order"):
        return "order"
    return next(f.id for f in story.facts.values() if any(q.ask == ask for q in f.questions))


def test_the_break_asks_only_about_the_chapter_just_finished(story, tmp_path):
    save_progress(tmp_path, Progress("quiz_town", facts_found=tuple(OLD)))
    screen = Screen(story, ["right"] * 4)
    chapter_review(story, screen, tmp_path, random.Random(2))("old", states(story)[0])
    assert screen.offers == ["End of chapter: a short review, 4 questions on what you found in “The Old "
                             "Town”. No marks; the story does not depend on it."]
    assert len(screen.asked) == 4 and {fact_of(story, a) for a in screen.asked} <= OLD
    assert screen.shown[-1] == "You recalled 4 of 4.\n"
    assert "“The " in screen.shown[0]  # the feedback quotes the source
    progress = load_progress(tmp_path, "quiz_town")
    assert progress.review["chapters"] == {"old": {"asked": 4, "right": 4}}
    assert progress.facts_found == tuple(OLD)  # the game's part of the profile is kept


def test_missed_questions_come_back_once_at_the_next_chapter_end(story, tmp_path):
    entering, ending = states(story)
    plan = ["wrong", "right", "wrong", "right"]
    screen = Screen(story, list(plan))
    day = lambda: date(2026, 11, 27)  # noqa: E731
    chapter_review(story, screen, tmp_path, random.Random(5), today=day)("old", entering)
    missed = {fact_of(story, a) for a, s in zip(screen.asked, plan) if s == "wrong"}
    right = {fact_of(story, a) for a, s in zip(screen.asked, plan) if s == "right"}
    assert screen.shown[-1] == "What you missed comes back at a later chapter's end, once.\n"
    assert load_progress(tmp_path, "quiz_town").review["run"]["returning"] != []
    # The next chapter end: the two missed come back with the chapter's own facts; none answered right.
    screen.asked, screen.plan = [], ["wrong"] * 10
    chapter_review(story, screen, tmp_path, random.Random(5), today=day)("new", ending)
    back = {fact_of(story, a) for a in screen.asked}
    # (At the last chapter's end one question may instead put facts found so far in time order.)
    assert missed <= back and not right & back and back - missed <= {"railway", "theatre_burned", "order"}
    assert screen.offers[-1].startswith("End of chapter: a short review, 4 questions on what you found in "
                                        "“The New Town” (2 you missed earlier).")
    run = load_progress(tmp_path, "quiz_town").review["run"]
    assert set(run["came_back"]) == {f"{f}#1" for f in missed}  # missed twice: only 'budapest56 review' now
    screen.asked = []
    chapter_review(story, screen, tmp_path, random.Random(5), today=day)("new", ending)
    assert not {fact_of(story, a) for a in screen.asked} & missed


def test_one_question_is_offered_as_it_and_the_last_chapter_sends_misses_to_the_review_command(story, tmp_path):
    entering, ending = states(story)
    screen = Screen(story, ["right"])
    alone = replace(entering, facts=("railway",))  # too few facts found for an order question
    chapter_review(story, screen, tmp_path, random.Random(3))("new", alone)
    assert screen.offered == [["Answer it", "Not now", "Turn chapter reviews off"]]
    screen = Screen(story, ["wrong", "right", "right"])  # the last end may add an order question
    chapter_review(story, screen, tmp_path / "two", random.Random(3))("new", ending)
    assert screen.offered[0][0] == "Answer them"
    assert screen.shown[-1] == "What you missed comes back when you run 'budapest56 review'.\n"


def test_not_now_or_escape_skips_the_review_and_changes_nothing(story, tmp_path):
    for offer in (1, None):
        screen = Screen(story, [], offer=offer)
        chapter_review(story, screen, tmp_path, random.Random(1))("old", states(story)[0])
        assert screen.asked == [] and screen.shown == ["Review skipped.\n"]
    assert not (tmp_path / "profile.json").exists()


def test_turning_reviews_off_is_remembered_in_the_profile(story, tmp_path):
    save_progress(tmp_path, Progress("quiz_town", facts_found=("flood",), settings={"width": 70}))
    screen = Screen(story, [], offer=2)
    review = chapter_review(story, screen, tmp_path, random.Random(1))
    review("old", states(story)[0])
    assert "Chapter reviews are off." in screen.shown[-1]
    assert load_progress(tmp_path, "quiz_town").settings == {"width": 70, "skip_reviews": True}
    review("new", states(story)[1])
    assert len(screen.offers) == 1  # not offered again


def test_quitting_in_the_middle_keeps_the_answers_given(story, tmp_path):
    screen = Screen(story, ["right", "quit"])
    with pytest.raises(Quit):
        chapter_review(story, screen, tmp_path, random.Random(1))("old", states(story)[0])
    assert load_progress(tmp_path, "quiz_town").review["chapters"] == {"old": {"asked": 1, "right": 1}}


def test_a_chapter_without_new_facts_has_no_review(story, tmp_path):
    state = engine.start(story)
    bare = engine.State(state.node, state.flags, state.counters, (), state.trail, state.path)
    screen = Screen(story, [])
    chapter_review(story, screen, tmp_path, random.Random(1))("old", bare)
    assert screen.offers == [] and screen.shown == []


def test_the_game_asks_at_the_chapter_break_in_plain_mode_and_goes_on(tmp_path):
    import os
    import subprocess
    import sys

    # Read the plaque, go to the station (the break: take the review, answer 1 four times), walk on;
    # then '2': 'Not now' for the last chapter's review at the ending.
    answers = "1\n1\n" + "1\n" * 5 + "1\n" + "2\n"
    result = subprocess.run([sys.executable, "-m", "budapest56", "play", str(QUIZ)], input=answers,
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "BUDAPEST56_HOME": str(tmp_path)})
    assert result.returncode == 0 and result.stderr == ""
    out = result.stdout
    assert out.index("End of chapter: a short review, 4 questions") < out.index("Chapter 2: The New Town")
    assert "Question 4 of 4:" in out and "You recalled " in out
    assert "THE END: Ashes" in out
    chapters = load_progress(tmp_path, "quiz_town").review["chapters"]
    assert chapters["old"]["asked"] == 4 and "new" not in chapters


def test_a_profile_that_cannot_be_written_is_said_once_and_the_game_goes_on(story, tmp_path):
    home = tmp_path / "not-a-folder"
    home.write_text("a file where the data folder should be", encoding="utf-8")
    screen = Screen(story, ["right"] * 4)
    chapter_review(story, screen, home, random.Random(1))("old", states(story)[0])
    assert len(screen.asked) == 4
    problems = [t for t in screen.shown if t.startswith("Could not save")]
    assert len(problems) == 1 and problems[0].endswith("The story goes on.\n")
    off = Screen(story, [], offer=2)
    chapter_review(story, off, home, random.Random(1))("old", states(story)[0])
    assert off.shown[-1].startswith("Could not save your review answers")
