"""The chapter reviews over whole playthroughs of the bundled story: few, spaced, never twice."""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import pytest

from budapest56 import engine
from budapest56.analysis.explore import random_runs
from budapest56.learning.kinds import Expert
from budapest56.learning.reviews import chapter_review
from budapest56.learning.schedule import budget
from budapest56.persist.saves import SaveFolder
from budapest56.play.contract import Menu, Quit
from budapest56.play.keeper import Keeper
from budapest56.play.screens import plain
from budapest56.play.session import Session
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story

STORY = load_story(bundled_story())
FACT_OF = {" ".join(q.ask.split()): f for f in STORY.facts.values() for q in f.questions if q.kind == "choice"}


class Student:
    """Plays a fixed path and answers reviews by a policy: 'first' option always, or 'three in four' right."""

    width, ornate, interactive = 100_000, False, False

    def __init__(self, path: Sequence[int], policy: str) -> None:
        self.moves = [engine.number_of(STORY, s, i) - 1 for s, i in _walk(path)]
        self.policy = policy
        self.seen = ""                 # everything shown so far
        self.prompts = 0
        self.questions: list[tuple[str, bool]] = []  # (question, answered right)
        self.not_yet_shown: list[str] = []           # questions on facts no screen had shown
        self.expert = Expert(STORY)

    def show(self, text: object) -> None:
        self.seen += text if isinstance(text, str) else plain(text)  # type: ignore[arg-type]

    def status(self, line: str) -> None:
        pass

    def read(self, menu: Menu) -> int | str:
        if not self.moves:
            raise Quit
        return self.moves.pop(0)

    def ask(self, prompt: str, options: Sequence[str]) -> int | None:
        self.prompts += 1
        if prompt.startswith("End of chapter"):
            return 0  # take the review
        right = self.expert.choose(prompt, options)
        if prompt.startswith("And which"):  # the second half of an order question: already counted
            return right
        self._asked(prompt)
        pick = 0 if self.policy == "first" else self._policy_pick(right, len(options))
        asked = prompt.split(": ", 1)[1]
        if asked.startswith("Put these in the order"):  # one question per set of events
            asked += " " + " / ".join(sorted(options))
        self.questions.append((asked, pick == right))
        return pick

    def line(self, prompt: str) -> str | None:
        self.prompts += 1
        self._asked(prompt)
        typed = self.expert.type(prompt)
        wrong = self.policy == "first" or self._policy_pick(0, 2) != 0
        self.questions.append((prompt.split(": ", 1)[1], not wrong))
        return "no idea" if wrong else typed

    def _policy_pick(self, right: int, count: int) -> int:
        return (right + 1) % count if len(self.questions) % 4 == 3 else right

    def _asked(self, prompt: str) -> None:
        fact = next((f for q, f in FACT_OF.items() if q and q in " ".join(prompt.split())), None)
        if fact is not None and fact.title not in self.seen:
            self.not_yet_shown.append(prompt)


def _walk(path: Sequence[int]):
    state = engine.start(STORY)
    for index in path:
        yield state, index
        state = engine.step(STORY, state, index)


@pytest.fixture(scope="module")
def paths() -> list[tuple[int, ...]]:
    ends: list[engine.State] = []
    random_runs(STORY, 20, 12, finished=ends.append)
    return [s.path for s in ends]


@pytest.mark.parametrize("policy", ["first", "three in four"])
def test_a_playthrough_asks_few_questions_only_at_chapter_ends_and_never_twice_after_a_right_answer(
        paths, policy, tmp_path, monkeypatch):
    monkeypatch.setattr(Keeper, "autosave", lambda self, state, history: True)
    counts, prompts = [], []
    for n, path in enumerate(paths):
        home = tmp_path / str(n)
        student = Student(path, policy)
        session = Session(STORY, student, SaveFolder(home, STORY), engine.start(STORY))
        session.interlude = chapter_review(STORY, student, home, random.Random(n))
        session.run()
        assert "THE END:" in student.seen
        asked = [q for q, _ in student.questions]
        counts.append(len(asked))
        prompts.append(student.prompts)
        assert len(asked) <= budget(STORY) == 12
        assert student.not_yet_shown == []  # never a question on a fact before a screen showed it
        for i, (q, right) in enumerate(student.questions):
            if right:
                assert q not in asked[i + 1:], f"'{q}' asked again after a right answer"
        assert max(Counter(asked).values()) <= 2  # a missed one comes back once, then waits for 'review'
    assert min(counts) >= 8  # every chapter end has something to ask on these routes
    # One offer per chapter end, one prompt per question, and a second for each time-order question
    # (at most three: every third chapter end and the last).
    assert max(prompts) <= budget(STORY) + len(STORY.chapters) + 3
