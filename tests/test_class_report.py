"""`budapest56 class PATH...`: a class's profiles read together, in Markdown, CSV and printable HTML."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from budapest56.cli import main
from budapest56.learning.gain import Answers, Gain
from budapest56.learning.schedule import Book, item, with_book
from budapest56.persist.profile import Progress, save_progress
from budapest56.story.loader import load_story

QUIZ = Path(__file__).parent / "stories" / "quiz"
CHECK = ("founded#1", "flood#1", "mill_closed#1", "railway#1", "theatre_burned#1")


def answered(pairs: list[tuple[str, bool]]) -> Book:
    story = load_story(QUIZ)
    book = Book()
    for key, right in pairs:
        found = item(story, key)
        assert found
        book = book.answered(found, right, date(2026, 11, 27), "chapter")
    return book


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """Three students of the quiz story, as a teacher gathers them: anna's data folder (both checks),
    bela's profile file under his name (the before-check only), carl's data folder (he skipped it)."""
    folder = tmp_path / "7a"
    anna = Progress("quiz_town", facts_found=("founded", "flood", "bridge_built", "mill_closed", "school_opened",
                                               "railway", "theatre_burned"), endings=("theatre",),
                    gain=Gain(CHECK, Answers("2026-11-20", {"founded#1": True, "flood#1": False}),
                              Answers("2026-11-27", dict.fromkeys(CHECK, True))).as_json())
    save_progress(folder / "anna", with_book(anna, answered([("flood#1", True), ("founded#1", False),
                                                             ("railway#1", True)])))
    bela = Progress("quiz_town", facts_found=("founded", "flood", "mill_closed", "school_opened"),
                    gain=Gain(CHECK, Answers("2026-11-20", {"founded#1": True, "railway#1": True})).as_json())
    save_progress(tmp_path / "stick", with_book(bela, answered([("founded#1", False), ("founded#1", True),
                                                                ("flood#1", False)])))
    (tmp_path / "stick" / "profile.json").rename(folder / "bela.json")
    save_progress(folder / "carl", Progress("quiz_town", facts_found=("founded",), gain={"skipped": "2026-11-20"}))
    return folder


def report(capsys, *args: str, code: int = 0) -> tuple[str, str]:
    assert main(["class", *args, "--story", str(QUIZ)]) == code
    out = capsys.readouterr()
    return out.out, out.err


MARKDOWN = """\
# Class report: A Town Remembers

3 students. Class average gain: +4.0 of 5 questions, from 1.0 before the story to 5.0 after it (1 student took both checks).

## Students

| Student | Facts found | Endings | Review answers right | Before | After | Gain |
|---|---|---|---|---|---|---|
| anna | 7 of 7 | 1 of 1: Ashes | 2 of 3 (67%) | 1 of 5 | 5 of 5 | +4 |
| bela | 4 of 7 | 0 of 1 | 1 of 3 (33%) | 2 of 5 | not taken | – |
| carl | 1 of 7 | 0 of 1 | none yet | skipped | – | – |

## Facts: found by how many

| Fact | Chapter | Found by |
|---|---|---|
| The town is founded (`founded`) | The Old Town | 3 of 3 |
| The great flood (`flood`) | The Old Town | 2 of 3 |
| The bridge (`bridge_built`) | The Old Town | 1 of 3 |
| The mill closes (`mill_closed`) | The Old Town | 2 of 3 |
| The school opens (`school_opened`) | The Old Town | 2 of 3 |
| The railway arrives (`railway`) | The New Town | 1 of 3 |
| The theatre burns (`theatre_burned`) | The New Town | 1 of 3 |

## Before and after, question by question

Of the one student who took both checks.

| Question | Right before | Right after |
|---|---|---|
| Who founded the town? | 1 of 1 | 1 of 1 |
| When did the river flood the town? | 0 of 1 | 1 of 1 |
| When did the mill close? | 0 of 1 | 1 of 1 |
| When did the railway reach the town? | 0 of 1 | 1 of 1 |
| What happened to the theatre in 1923? | 0 of 1 | 1 of 1 |

## Questions: answered right by how many

| Question | Fact | Answered by | Right (last answer) |
|---|---|---|---|
| Who founded the town? | `founded` | 2 of 3 | 1 of 2 |
| When did the river flood the town? | `flood` | 2 of 3 | 1 of 2 |
| When was the bridge built? | `bridge_built` | 0 of 3 | – |
| When did the mill close? | `mill_closed` | 0 of 3 | – |
| When did the school open? | `school_opened` | 0 of 3 | – |
| When did the railway reach the town? | `railway` | 1 of 3 | 1 of 1 |
| What happened to the theatre in 1923? | `theatre_burned` | 0 of 3 | – |
"""


def test_markdown_per_student_per_fact_per_question_and_the_average_gain(room, capsys):
    out, err = report(capsys, str(room))
    assert out == MARKDOWN and err == ""


def test_the_same_students_named_one_by_one_give_the_same_report(room, capsys):
    out, _ = report(capsys, str(room / "carl" / "profile.json"), str(room / "bela.json"), str(room / "anna"))
    assert out == MARKDOWN  # students in name order, however they were given


def test_csv_one_table_per_kind_of_row(room, capsys):
    assert report(capsys, str(room), "--format", "csv")[0] == (
        "student,facts_found,facts_total,endings_reached,endings_total,endings,review_asked,review_right,"
        "check_questions,before,after,gain\n"
        "anna,7,7,1,1,Ashes,3,2,5,1,5,4\n"
        "bela,4,7,0,1,,3,1,5,2,,\n"
        "carl,1,7,0,1,,0,0,0,,,\n")
    assert report(capsys, str(room), "--format", "csv", "--by", "fact")[0] == (
        "fact,title,chapter,found_by,students\n"
        "founded,The town is founded,The Old Town,3,3\n"
        "flood,The great flood,The Old Town,2,3\n"
        "bridge_built,The bridge,The Old Town,1,3\n"
        "mill_closed,The mill closes,The Old Town,2,3\n"
        "school_opened,The school opens,The Old Town,2,3\n"
        "railway,The railway arrives,The New Town,1,3\n"
        "theatre_burned,The theatre burns,The New Town,1,3\n")
    assert report(capsys, str(room), "--format", "csv", "--by", "question")[0] == (
        "question,fact,ask,answered_by,right_by,students,in_check,before_right,after_right\n"
        "founded#1,founded,Who founded the town?,2,1,3,yes,1,1\n"
        "flood#1,flood,When did the river flood the town?,2,1,3,yes,0,1\n"
        "bridge_built#1,bridge_built,When was the bridge built?,0,0,3,no,,\n"
        "mill_closed#1,mill_closed,When did the mill close?,0,0,3,yes,0,1\n"
        "school_opened#1,school_opened,When did the school open?,0,0,3,no,,\n"
        "railway#1,railway,When did the railway reach the town?,1,1,3,yes,0,1\n"
        "theatre_burned#1,theatre_burned,What happened to the theatre in 1923?,0,0,3,yes,0,1\n")


def fingerprints(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_another_storys_profile_and_a_corrupt_one_are_named_skipped_and_left_alone(room, capsys):
    save_progress(room / "dora", Progress("market_day", facts_found=("plaque",)))
    (room / "emil.json").write_bytes(b'{"format": "budapest56-prof')
    (room / "feri").mkdir()
    (room / "feri" / "profile.json").write_bytes(b"\xff\xfe not text")
    before = fingerprints(room)
    out, err = report(capsys, str(room))
    assert err == (f"budapest56 class: {room / 'dora' / 'profile.json'}: skipped, it is a profile of another "
                   "story (it has 'market_day', not 'quiz_town')\n"
                   f"budapest56 class: {room / 'emil.json'}: skipped, this profile cannot be used: it is not "
                   "valid JSON (line 1, column 12: Unterminated string starting at)\n"
                   f"budapest56 class: {room / 'feri' / 'profile.json'}: skipped, this profile cannot be used: "
                   "it is not UTF-8 text\n")
    assert out.startswith(MARKDOWN) and out.endswith(
        "## Left out\n\n"
        f"- {room / 'dora' / 'profile.json'}: skipped, it is a profile of another story (it has 'market_day', "
        "not 'quiz_town')\n"
        f"- {room / 'emil.json'}: skipped, this profile cannot be used: it is not valid JSON (line 1, column 12: "
        "Unterminated string starting at)\n"
        f"- {room / 'feri' / 'profile.json'}: skipped, this profile cannot be used: it is not UTF-8 text\n")
    assert fingerprints(room) == before  # the teacher's copies: nothing written, moved or added


def test_nothing_to_report_on_is_said_and_fails(tmp_path, capsys):
    # dora's folder is named twice (itself, and inside tmp_path): read once.
    save_progress(tmp_path / "dora", Progress("market_day"))
    out, err = report(capsys, str(tmp_path / "dora"), str(tmp_path / "nobody"), str(tmp_path), code=1)
    assert out == ""
    assert err == (f"budapest56 class: {tmp_path / 'nobody'}: no such file or folder\n"
                   f"budapest56 class: {tmp_path / 'dora' / 'profile.json'}: skipped, it is a profile of another "
                   "story (it has 'market_day', not 'quiz_town')\n"
                   "budapest56 class: no profile of this story to report on\n")


class Page(HTMLParser):
    """The page's tables as rows of cell texts, its bars' widths, and anything that would fetch or run."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.bars: dict[str, list[str]] = {}
        self.fetches: list[str] = []
        self._table = ""
        self._cell: list[str] | None = None
        self._in_bar = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "link", "img", "iframe") or (tag != "a" and ("src" in a or "href" in a)):
            self.fetches.append(tag)
        if tag == "table":
            self._table = a.get("class") or ""
            self.tables[self._table] = []
            self.bars[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "span" and (a.get("class") or "").startswith("bar"):
            self._in_bar = True
        elif tag == "span" and self._in_bar and self._table:
            self.bars[self._table].append(a.get("style") or "")
            self._in_bar = False

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_html_page_has_the_students_table_and_bars_and_fetches_nothing(room, capsys):
    out, _ = report(capsys, str(room), "--format", "html")
    page = Page()
    page.feed(out)
    assert page.tables["students"] == [
        ["Student", "Facts found", "Endings reached (of 1)", "Review answers right", "Before", "After", "Gain"],
        ["anna", "7 of 7", "Ashes", "2 of 3 (67%)", "1 of 5", "5 of 5", "+4"],
        ["bela", "4 of 7", "none yet", "1 of 3 (33%)", "2 of 5", "not taken", "–"],
        ["carl", "1 of 7", "none yet", "none yet", "skipped", "–", "–"]]
    # anna: facts, reviews, before, after; bela: facts, reviews, before; carl: facts, reviews (none: empty)
    assert page.bars["students"] == ["width: 100%", "width: 67%", "width: 20%", "width: 100%",
                                     "width: 57%", "width: 33%", "width: 40%", "width: 14%", "width: 0%"]
    assert [row[2] for row in page.tables["facts"][1:]] == ["3 of 3", "2 of 3", "1 of 3", "2 of 3", "2 of 3",
                                                            "1 of 3", "1 of 3"]
    assert page.bars["facts"][0] == "width: 100%" and page.bars["facts"][2] == "width: 33%"
    assert page.tables["check"][2] == ["When did the river flood the town?", "0 of 1", "1 of 1"]
    assert page.fetches == []  # self-contained: no scripts, no stylesheet or image to fetch
    assert "@media print" in out and "break-before: page" in out and "print-color-adjust: exact" in out


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_chromium_prints_the_page_to_pdf(room, capsys, tmp_path):
    out, _ = report(capsys, str(room), "--format", "html")
    page = tmp_path / "report.html"
    page.write_text(out, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--no-first-run", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                       capture_output=True, timeout=120, check=False)
    data = pdf.read_bytes() if pdf.exists() else b""
    assert data.startswith(b"%PDF") and len(data) > 5000
    # The students, the facts and the questions each start a page.
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) >= 3
