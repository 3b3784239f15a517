"""The learning layer's rules: the Leitner schedule, the review record, and question selection."""
from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from budapest56 import engine
from budapest56.learning.schedule import (
    INTERVALS,
    Book,
    Card,
    Run,
    budget,
    chapter_questions,
    item,
    items_of,
    next_due,
    read_book,
    session_questions,
    unlocked_in,
)
from budapest56.story.loader import load_story
from budapest56.story.model import Story

QUIZ = Path(__file__).parent / "stories" / "quiz"
DAY = date(2026, 11, 27)
OLD = ["founded", "flood", "bridge_built", "mill_closed", "school_opened"]
ALL = OLD + ["railway", "theatre_burned"]


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(QUIZ)


def answer(book: Book, story: Story, key: str, right: bool, day: date = DAY, where: str = "review") -> Book:
    found = item(story, key)
    assert found is not None
    return book.answered(found, right, day, where)


def test_right_answers_climb_the_boxes_and_wait_longer_each_time(story):
    book, waits = Book(), []
    for _ in range(len(INTERVALS) + 1):
        book = answer(book, story, "flood#1", True, DAY)
        card = book.cards["flood#1"]
        waits.append((date.fromisoformat(card.due) - DAY).days)
    # A new card starts in box 1; each right answer moves it up, and box 5 is the last.
    assert waits == [1, 3, 7, 16, 16, 16]
    assert book.cards["flood#1"] == Card(box=5, due=(DAY + timedelta(16)).isoformat(), right=6, wrong=0)


def test_a_wrong_answer_sends_the_card_back_to_box_one_due_at_once(story):
    book = Book()
    for _ in range(3):
        book = answer(book, story, "flood#1", True)
    book = answer(book, story, "flood#1", False)
    assert book.cards["flood#1"] == Card(box=1, due=DAY.isoformat(), right=3, wrong=1, missed=True)
    assert book.chapters["old"] == (4, 3)


def test_a_chapter_miss_returns_once_and_a_review_miss_waits_for_the_review_command(story):
    book = answer(Book(), story, "flood#1", False, where="chapter")
    book = answer(book, story, "founded#1", False, where="review")
    assert book.run.returning == ("flood#1",) and book.run.asked == 1
    again = answer(book, story, "flood#1", False, where="chapter")  # its one return, missed again
    assert again.run.returning == () and again.run.came_back == ("flood#1",)
    assert answer(book, story, "flood#1", True, where="chapter").run.right == ("flood#1",)


def test_the_record_survives_json_and_drops_only_what_does_not_fit(story):
    book = answer(answer(Book(), story, "flood#1", False, where="chapter"), story, "founded#1", True)
    assert read_book(book.as_json()) == book
    damaged = book.as_json()
    damaged["cards"]["bad#1"] = {"box": 9, "due": "soon", "right": -1, "wrong": 0}
    damaged["cards"]["worse#1"] = "a string"
    damaged["chapters"]["new"] = {"asked": 1, "right": 5}
    damaged["history"].append({"day": 3})
    damaged["run"]["returning"].append(7)
    assert read_book(damaged) == book
    assert read_book({"cards": [], "chapters": None, "history": {}, "run": {"path": "x"}}) == Book()
    assert read_book({"run": {"path": [1] * 5, "asked": -3}}).run == Run((1,) * 5, 0)


def test_facts_count_for_the_chapter_where_they_were_unlocked(story):
    state = engine.start(story)
    state = engine.choose(story, state, 0)      # read the plaque: unlocks bridge_built by a choice
    state = engine.choose(story, state, 0)      # to the station, chapter 'new'
    assert unlocked_in(story, state.trail, state.path, state.facts, "old") == OLD[:2] + ["bridge_built"] + OLD[3:]
    assert unlocked_in(story, state.trail, state.path, state.facts, "new") == ["railway"]


def test_chapter_review_asks_two_to_four_questions_only_on_that_chapters_facts(story):
    for facts, count in ((OLD, 4), (OLD[:3], 3), (OLD[:2], 2), (OLD[:1], 1)):
        chosen = chapter_questions(story, Book(), facts, "old", DAY, random.Random(1))
        assert len(chosen) == count
        assert {it.fact.id for it in chosen} <= set(facts)


def test_selection_is_the_same_for_the_same_seed(story):
    def keys(seed: int) -> list[str]:
        return [it.key for it in session_questions(story, Book(), ALL, DAY, random.Random(seed))]

    assert keys(5) == keys(5)
    assert {tuple(keys(s)) for s in range(20)} != {tuple(keys(5))}  # the seed matters
    chapter = [[it.key for it in chapter_questions(story, Book(), OLD, "old", DAY, random.Random(9))] for _ in range(2)]
    assert chapter[0] == chapter[1]


def test_the_budget_is_shared_over_the_chapter_ends_still_to_come(story):
    assert budget(story) == 12
    run = Run(path=(0,), asked=11)
    book = Book(run=run)
    assert len(chapter_questions(story, book, OLD, "old", DAY, random.Random(1))) == 1  # 1 left over 2 ends
    assert chapter_questions(story, Book(run=Run(asked=12)), OLD, "new", DAY, random.Random(1)) == []


def test_a_question_answered_right_is_not_asked_again_in_the_playthrough(story):
    book = Book(run=Run(path=(0,)))
    for key in ("founded#1", "flood#1", "bridge_built#1"):
        book = answer(book, story, key, True, where="chapter")
    chosen = chapter_questions(story, book, OLD, "old", DAY, random.Random(1))
    assert {it.key for it in chosen} == {"mill_closed#1", "school_opened#1"}
    # A new playthrough (its path does not continue this one) may ask them again.
    fresh = book.playing((1, 0))
    assert fresh.run == Run(path=(1, 0)) and len(chapter_questions(story, fresh, OLD, "old", DAY, random.Random(1))) == 4
    assert book.playing((0, 1, 2)).run.right == book.run.right  # the same playthrough, further on


def test_a_missed_question_comes_back_first_at_a_later_chapter_end(story):
    book = answer(Book(run=Run(path=(0,))), story, "flood#1", False, where="chapter")
    for seed in range(10):
        chosen = chapter_questions(story, book, ["railway", "theatre_burned"], "new", DAY, random.Random(seed))
        assert "flood#1" in {it.key for it in chosen} and len(chosen) == 3


def test_a_review_session_favours_missed_then_due_and_asks_five_to_ten(story):
    book = Book()
    for key in ("founded#1", "flood#1", "bridge_built#1", "mill_closed#1", "school_opened#1", "railway#1"):
        book = answer(answer(book, story, key, True), story, key, True)   # box 3: due in three days
    book = answer(book, story, "bridge_built#1", False)
    later = DAY + timedelta(days=1)
    for seed in range(10):
        chosen = [it.key for it in session_questions(story, book, ALL, later, random.Random(seed))]
        # Only two are waiting (bridge was missed, theatre never asked); three not yet due make up five.
        assert len(chosen) == 5 and len(set(chosen)) == 5
        assert {"bridge_built#1", "theatre_burned#1"} <= set(chosen)
        two = session_questions(story, book, ALL, later, random.Random(seed), limit=2)
        assert {it.key for it in two} == {"bridge_built#1", "theatre_burned#1"}
    # Everything due: as many as are waiting, up to the limit.
    assert len(session_questions(story, Book(), ALL, DAY, random.Random(1))) == 7
    assert len(session_questions(story, book, ALL, DAY + timedelta(days=3), random.Random(1))) == 7


def test_facts_the_story_no_longer_has_are_ignored(story):
    assert items_of(story, "no_such_fact") == []
    assert item(story, "flood#2") is None and item(story, "flood#x") is None
    assert session_questions(story, Book(), ["gone", "flood"], DAY, random.Random(1))[0].key == "flood#1"


def test_next_due_says_when_questions_are_waiting_again(story):
    assert next_due(story, Book(), [], DAY) is None
    assert next_due(story, Book(), ["flood", "founded"], DAY) == (DAY, 2)       # never asked: now
    book = answer(answer(Book(), story, "flood#1", True), story, "founded#1", True)
    assert next_due(story, book, ["flood", "founded"], DAY) == (DAY + timedelta(days=1), 2)
    book = answer(answer(book, story, "flood#1", True), story, "founded#1", False)
    assert next_due(story, book, ["flood", "founded"], DAY) == (DAY, 1)         # the missed one, at once
