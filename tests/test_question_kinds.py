"""Questions beyond multiple choice: recall, record-or-story, time order; linted, asked, judged."""
from __future__ import annotations

import io
import json
import random

import pytest

from budapest56 import load_story
from budapest56.analysis.lint import check
from budapest56.cli import main
from budapest56.learning.kinds import GAP, matches, with_gap
from budapest56.learning.quiz import run_quiz
from budapest56.learning.schedule import Item, order_item
from budapest56.play.plain import PlainScreen
from budapest56.story.bundled import bundled_story
from conftest import SCENE, besides_the_seam, write_story

QUESTIONS = """\
    questions:
      - ask: When did the war end?
        answer: "1945"
        wrong: ["1944", "1946"]
"""


def story_with(tmp_path, extra: str):
    text = SCENE + QUESTIONS + extra
    return write_story(tmp_path / "kinds", {"scene.yaml": text})


@pytest.mark.parametrize("extra, code, message", [
    ("      - kind: recall\n        answer: peace\n", "recall-not-in-quote",
     "the words to recall, \"peace\", are not words of the quote of fact 'war_ended'"),
    ("      - kind: recall\n        answer: ended in 19\n", "recall-not-in-quote",
     "the words to recall, \"ended in 19\", are not words of the quote of fact 'war_ended'"),
    ("      - kind: source\n        ask: The war ended in 1946.\n        answer: record\n", "source-line-not-in-source",
     "the line of a source question of fact 'war_ended' is not the source's own words"),
    ("      - kind: source\n        ask: The city was rebuilt slowly.\n        answer: story\n", "source-line-in-source",
     "the line of a source question of fact 'war_ended' is in the source, but the answer says the story invented it"),
    ("      - kind: source\n        ask: The moon was bright.\n        answer: story\n", "source-line-not-in-story",
     "the line of a source question of fact 'war_ended' is not in the story's scenes"),
    ("      - kind: source\n        ask: You are home.\n        answer: fiction\n", "source-answer",
     "a source question of fact 'war_ended' has the answer \"fiction\""),
])
def test_each_kind_is_linted_with_its_message_and_place(tmp_path, extra, code, message):
    report = check(str(story_with(tmp_path, extra)))
    [finding] = [f for f in report.findings if f.code == code]
    assert (finding.loc.path.endswith("scene.yaml"), finding.loc.line, finding.message) == (True, 50, message)


def test_well_made_kinds_pass(tmp_path):
    extra = ("      - kind: recall\n        answer: \"1945\"\n"
             "      - kind: source\n        ask: You are home.\n        answer: story\n"
             "      - kind: source\n        ask: The city was rebuilt slowly.\n        answer: record\n")
    assert [f.code for f in besides_the_seam(check(str(story_with(tmp_path, extra))).findings)] == []


@pytest.mark.parametrize("typed, wanted, ok", [
    ("red army", "Red Army", True), ("Rakosi", "Rákosi", True), ("the Soviet Union", "Soviet Union", True),
    ("Soviet Union", "the Soviet Union", True), ("Sovjet Union", "the Soviet Union", True),
    ("AVO", "AVO", True), ("AVH", "AVO", False), ("1948", "1949", False), ("July.", "July", True),
    ("Red", "Red Army", False), ("Rákosi's", "Rákosi", False),
])
def test_recall_is_matched_forgivingly_but_not_loosely(typed, wanted, ok):
    assert matches(typed, wanted) is ok


def test_the_recall_prompt_leaves_out_whole_words():
    assert with_gap("It was occupied by the Soviet Union’s Red Army.", "Red Army") == \
        f"It was occupied by the Soviet Union’s {GAP}."


def test_an_order_question_is_built_only_from_facts_whose_dates_cannot_overlap():
    story = load_story(bundled_story())
    good = order_item(story, ["f_lasted", "f_liberated", "f_peoples_republic"])
    assert good is not None and [f.id for f in good.events] == ["f_liberated", "f_peoples_republic", "f_lasted"]
    assert order_item(story, ["f_rakosi_leads", "f_backed_by_stalin", "f_lasted"]) is None  # two share 1945..1953


def test_plain_mode_asks_every_kind_and_judges_the_answers(tmp_path):
    story = load_story(bundled_story())
    fact = story.facts["f_occupied"]
    recall = next(q for q in fact.questions if q.kind == "recall")
    source = next(q for q in story.facts["f_took_over"].questions if q.kind == "source")
    items = [Item("f_occupied#2", fact, recall), Item("f_took_over#2", story.facts["f_took_over"], source),
             order_item(story, ["f_lasted", "f_liberated", "f_peoples_republic"])]
    answers = iter(["red army", "2", "", ""])  # typed; 'the story'; then the order question, skipped
    out = io.StringIO()
    screen = PlainScreen(lambda: next(answers, None), out, width=100, echo=True)
    result = run_quiz([it for it in items if it], screen, random.Random(1))
    text = out.getvalue()
    flat = " ".join(text.split())
    assert f"Question 1 of 3: Whose army occupied Hungary? Type the missing words. “It was occupied by the Soviet Union’s {GAP}.”" in flat
    assert "(Type your answer, or press Enter to skip.)" in text
    assert "Question 2 of 3: Did the record say this, or did the story invent it? “They came to throw the Germans out.”" in flat
    assert "  1. The record: the source says it\n  2. The story: it is fiction\n" in text
    assert "Question 3 of 3: Put these in the order they happened. Which of these happened first?" in flat
    assert [right for _, right in result.answers] == [True, True] and result.stopped


def test_the_terminal_takes_a_typed_answer(tmp_path):
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from budapest56.play.terminal import TerminalScreen

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("Red Army\r\r")
        typed, skipped = TerminalScreen().line("Type the missing words."), TerminalScreen().line("Again?")
    assert (typed, skipped) == ("Red Army", None)


def test_facts_json_gives_each_question_with_its_kind(capsys):
    assert main(["facts", "--format", "json"]) == 0
    kinds = {q["kind"] for f in json.loads(capsys.readouterr().out) for q in f["questions"]}
    assert kinds == {"choice", "recall", "source"}  # and the game adds 'order' from the dates


def test_the_handout_prints_each_kind_as_a_sheet_can_ask_it(capsys):
    assert main(["handout"]) == 0
    sheet = capsys.readouterr().out
    assert (f"Whose army occupied Hungary? Type the missing words. “It was occupied by the Soviet Union’s {GAP}.”\n"
            "\n   Answer: ______________________\n") in sheet
    assert ("Did the record say this, or did the story invent it? “They came to throw the Germans out.”\n"
            "   - A. The record: the source says it\n   - B. The story: it is fiction\n") in sheet
    key = sheet.split("## Answer key", 1)[1]
    assert "**Red Army** (from “Occupied by the Red Army”, 1945)" in key
    assert "**B**: The story: it is fiction" in key
