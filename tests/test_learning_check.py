"""`budapest56 check` on review questions: coverage, support by the quote, fair distractors."""
from __future__ import annotations

from pathlib import Path

from budapest56.analysis.lint import check
from budapest56.analysis.question_lint import gives_away, unsupported
from conftest import SCENE, besides_the_seam, write_story

QUIZ = Path(__file__).parent / "stories" / "quiz"

# The tiny story's one fact (conftest.SCENE ends with it), given a question, and a second fact without one.
QUESTION_AND_FACT = """\
    questions:
      - ask: When did the war end?
        answer: "{answer}"
        wrong: {wrong}
  - id: new_state
    title: A new state
    summary: A new state was declared in 1949.
    quote: In 1949 a new state was declared.
    date: 1949
"""


def findings(tmp_path: Path, answer: str = "1945", wrong: str = '["1944", "1946"]') -> list[str]:
    scene = SCENE.replace("unlock: [war_ended]", "unlock: [war_ended, new_state]")
    assert scene.endswith("    date: 1945\n")
    root = write_story(tmp_path / "s", {"scene.yaml": scene + QUESTION_AND_FACT.format(answer=answer, wrong=wrong)})
    report = check(str(root))
    assert report.story is not None, report.findings
    return [f"{f.loc.line}:{f.loc.column} {f.severity} {f.code}: {f.message}" for f in besides_the_seam(report.findings)]


def test_the_quiz_test_story_is_clean():
    assert check(str(QUIZ)).findings == []


def test_once_any_fact_has_a_question_every_fact_needs_one(tmp_path):
    assert findings(tmp_path) == [
        "50:5 warning fact-without-question: fact 'new_state' has no review question, though other facts have"]


def test_a_story_without_questions_is_not_nagged(tiny):
    assert [f.code for f in check(str(tiny)).findings] == []


def test_each_finding_points_at_its_question(tmp_path):
    lines = findings(tmp_path, "1945", '["1945", "1946", "1946"]')
    assert lines[:-1] == [
        "47:9 error distractor-is-answer: a wrong answer of fact 'war_ended' is the right answer, \"1945\"",
        "47:9 error distractor-repeated: fact 'war_ended' offers the wrong answer \"1946\" twice"]


def test_two_or_three_distractors(tmp_path):
    assert findings(tmp_path, "1945", '["1946"]')[:-1] == [
        "47:9 warning distractor-count: a question of fact 'war_ended' has 1 wrong answer"]
    assert findings(tmp_path, "1945", '["1941", "1942", "1943", "1944"]')[:-1] == [
        "47:9 warning distractor-count: a question of fact 'war_ended' has 4 wrong answers"]


def test_the_answer_must_be_supported_by_the_quote(tmp_path):
    assert findings(tmp_path, "1946", '["1944", "1947"]')[:-1] == [
        "47:9 warning answer-not-in-quote: the answer \"1946\" says '1946', which the quote of fact 'war_ended' does not"]


def test_names_numbers_and_dates_in_an_answer_are_looked_up_in_the_quote():
    quote = "It was occupied by the Soviet Union’s Red Army in April 1955, and 300,000 fled."
    assert unsupported("The Soviet Union's Red Army", quote) == []
    assert unsupported("They fled in April 1955", quote) == []      # 'They' only starts the sentence
    assert unsupported("Over 300000 people", quote) == []
    assert unsupported("The Western Bloc in May 1956", quote) == ["1956", "Western", "Bloc", "May"]
    assert unsupported("Nazis", "liberated from the Nazi army") == []


def test_a_question_that_holds_its_own_answer_is_a_give_away():
    assert gives_away("Whose orders did the AVO carry out after Rákosi's return?", "Rákosi's")
    assert gives_away("Was it the Red Army that came?", "The Red Army")
    assert not gives_away("Who replaced Rákosi with Imre Nagy?", "The soviet communists")
    assert not gives_away("Who came in 1945?", "No")  # too short to tell


def test_every_fact_of_the_bundled_story_has_a_fair_question():
    from budapest56.analysis.question_lint import question_findings
    from budapest56.story.bundled import bundled_story
    from budapest56.story.loader import load_story

    story = load_story(bundled_story())
    assert all(f.questions for f in story.facts.values())
    assert [str(f) for f in question_findings(story)] == []
