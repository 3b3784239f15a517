"""`budapest56 progress`: what a student hands in, in Markdown, JSON and CSV."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from budapest56.cli import main
from budapest56.commands.progress import duration
from budapest56.learning.schedule import Book, item, with_book
from budapest56.persist.profile import Progress, save_progress
from budapest56.story.loader import load_story

QUIZ = Path(__file__).parent / "stories" / "quiz"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BUDAPEST56_HOME", str(tmp_path))
    story = load_story(QUIZ)
    book = Book()
    for key, right in (("flood#1", True), ("founded#1", False), ("bridge_built#1", True), ("railway#1", True)):
        found = item(story, key)
        assert found
        book = book.answered(found, right, date(2026, 11, 27), "chapter")
    progress = Progress("quiz_town", facts_found=("founded", "flood", "bridge_built", "railway", "gone_fact"),
                        endings=("theatre", "no_such_node"), seconds_played=4000)
    save_progress(tmp_path, with_book(progress, book))
    return tmp_path


def run(capsys, *args: str) -> str:
    assert main(["progress", str(QUIZ), *args]) == 0
    return capsys.readouterr().out


def test_markdown_shows_facts_endings_accuracy_and_time(home, capsys):
    assert run(capsys) == (
        "# Progress: A Town Remembers\n\n"
        "- Facts found: 4 of 7\n"
        "- Endings reached: 1 of 1: Ashes\n"
        "- Review answers right: 3 of 4 (75%)\n"
        "- Time played: 1 h 6 min\n\n"
        "| Chapter | Facts found | Review answers right |\n|---|---|---|\n"
        "| The Old Town | 3 of 5 | 2 of 3 (67%) |\n"
        "| The New Town | 1 of 2 | 1 of 1 (100%) |\n")


def test_json_and_csv_carry_the_same_numbers(home, capsys):
    data = json.loads(run(capsys, "--format", "json"))
    assert data["facts_found"] == 4 and data["endings_reached"] == [{"id": "theatre", "title": "Ashes"}]
    assert data["seconds_played"] == 4000
    assert [(c["id"], c["facts_found"], c["review_asked"], c["review_right"]) for c in data["chapters"]] == [
        ("old", 3, 3, 2), ("new", 1, 1, 1)]
    rows = list(csv.DictReader(io.StringIO(run(capsys, "--format", "csv"))))
    assert [r["chapter"] for r in rows] == ["old", "new", "total"]
    assert rows[-1] == {"chapter": "total", "title": "A Town Remembers", "facts_found": "4", "facts_total": "7",
                        "review_asked": "4", "review_right": "3", "endings_reached": "1", "endings_total": "1",
                        "seconds_played": "4000"}


def test_a_new_player_sees_zeros_not_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUDAPEST56_HOME", str(tmp_path))
    text = run(capsys)
    assert "- Facts found: 0 of 7\n- Endings reached: 0 of 1\n- Review answers right: none answered yet\n" in text
    assert "- Time played: none yet\n" in text
    assert not (tmp_path / "profile.json").exists()


def test_a_corrupt_profile_is_reported_and_moved_aside(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUDAPEST56_HOME", str(tmp_path))
    (tmp_path / "profile.json").write_bytes(b"\xff\xfe not text")
    assert main(["progress", str(QUIZ)]) == 1
    err = capsys.readouterr().err
    assert "the player profile cannot be used: it is not UTF-8 text [corrupt-file]" in err
    assert "nothing was deleted" in err and not (tmp_path / "profile.json").exists()


def test_a_review_record_damaged_by_hand_does_not_stop_the_report(home, capsys):
    data = json.loads((home / "profile.json").read_text(encoding="utf-8"))
    data["stories"]["quiz_town"]["review"]["chapters"]["old"] = {"asked": "many"}
    (home / "profile.json").write_text(json.dumps(data), encoding="utf-8")
    assert "| The Old Town | 3 of 5 | none answered yet |" in run(capsys)


def test_time_played_reads_as_a_person_would_say_it():
    assert [duration(s) for s in (0, 20, 60, 3599, 3600, 7380)] == [
        "none yet", "under a minute", "1 min", "59 min", "1 h 0 min", "2 h 3 min"]


def test_the_commands_in_the_readme_for_teachers_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUDAPEST56_HOME", str(tmp_path))
    # The class report's examples read these: a class folder, a student's folder and a profile file.
    monkeypatch.chdir(tmp_path)
    for student in ("class-7b/anna", "class-7b/bela", "anna", "bela-stick"):
        save_progress(tmp_path / student, Progress("budapest56", facts_found=("f_liberated",)))
    (tmp_path / "bela-stick" / "profile.json").rename(tmp_path / "bela.json")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For teachers")[1].split("\n## ")[0]
    lines = [line[2:].split("#")[0].split(">")[0].split("&&")[0].split() for line in section.splitlines()
             if line.startswith("$ budapest56 ")]
    assert [words[:2] for words in lines] == ([["budapest56", "progress"]] * 3 + [["budapest56", "class"]] * 4
                                              + [["budapest56", "handout"]])
    for words in lines:
        assert main(words[1:]) == 0, words
    assert capsys.readouterr().out.startswith("# Progress: ")
