"""`budapest56 handout`: the teacher's sheet, checked as a teacher would read it."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from budapest56.cli import main
from budapest56.commands.handout import handout
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story

QUIZ = Path(__file__).parent / "stories" / "quiz"


def sheet(path: Path = QUIZ) -> str:
    return handout(load_story(path))


def test_the_timeline_runs_in_date_order_with_every_quote_and_its_source():
    text = sheet()
    timeline = text.split("## Timeline")[1].split("## Review questions")[0]
    years = re.findall(r"^#### (\d{4}): ", timeline, re.M)
    assert years == ["1820", "1838", "1875", "1901", "1905", "1910", "1923"]
    assert re.findall(r"^### .+", timeline, re.M) == ["### Chapter 1: The Old Town", "### Chapter 2: The New Town"]
    assert ("### Chapter 1: The Old Town\n\n#### 1820: The town is founded\n\n"
            "Anna Kovács founded the town in 1820.\n\n> “The town was founded in 1820 by Anna Kovács.”\n>\n"
            "> — A Short History of the Town\n") in timeline
    assert text.startswith("# A Town Remembers\n")
    assert "It covers 7 facts and 7 review questions." in text
    assert text.endswith("## Sources\n\n“A Short History of the Town”, written for the budapest56 tests, "
                         "https://example.org/town, retrieved 26 November 2026. Licence: CC0 1.0. Changes: none.\n\n"
                         "`budapest56 credits` prints the same. The copy of each source the game quotes, in the story "
                         "folder:\n\n- *A Short History of the Town* (`source.txt`)\n")


def test_the_answer_key_names_the_right_option_of_every_question():
    text = sheet()
    questions = text.split("## Review questions")[1].split("## Answer key")[0]
    key = text.split("## Answer key")[1].split("## Sources")[0]
    blocks = re.findall(r"^(\d+)\. (.+)\n((?:   - [A-D]\. .+\n)+)", questions, re.M)
    answers = re.findall(r"^(\d+)\. \*\*([A-D])\*\*: (.+) \(from “", key, re.M)
    assert len(blocks) == len(answers) == 7
    story = load_story(QUIZ)
    right = {q.ask: q.answer for f in story.facts.values() for q in f.questions}
    letters = set()
    for (number, ask, options), (key_number, letter, answer) in zip(blocks, answers):
        assert number == key_number and answer == right[ask]
        assert f"   - {letter}. {answer}\n" in options
        letters.add(letter)
    assert len(letters) > 1  # shuffled, so the right answer is not always in one place
    assert sheet() == text   # and the same every time


def test_the_bundled_story_handout_has_every_fact_term_and_question():
    story = load_story(bundled_story())
    text = handout(story)
    assert all(f"“{' '.join(f.quote.split())}”" in text for f in story.facts.values())
    assert all(f"**{t.name}**" in text for t in story.glossary.values())
    questions = sum(len(f.questions) for f in story.facts.values())
    # Every question has its line in the key: a letter, or for recall the words to write in.
    assert len(re.findall(r"^\d+\. \*\*[^*]+\*\*", text.split("## Answer key", 1)[1], re.M)) == questions
    assert "- **the AVO** (organisation)" in text


def test_handout_command_prints_markdown_and_refuses_a_missing_story(capsys, tmp_path):
    assert main(["handout", str(QUIZ), "--format", "md"]) == 0
    assert capsys.readouterr().out == sheet()
    assert main(["handout", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_handout_through_a_pipe_closed_early_is_quiet():
    result = subprocess.run(f"'{sys.executable}' -m budapest56 handout | head -1", shell=True,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout == f"# {load_story(bundled_story()).title}\n" and result.stderr == ""
