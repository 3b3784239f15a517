"""Attribution as data: the source's publisher, address, licence, date and changes, warned about
when missing, and shown by `budapest56 credits`, the game's credits screen and the handout."""
from __future__ import annotations

import io
import re
from pathlib import Path

from budapest56.analysis.lint import check
from budapest56.cli import main
from budapest56.commands.handout import handout
from budapest56.play.credits import credits_text
from budapest56.play.screens import plain
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story
from conftest import STORY, write_story

ROOT = Path(__file__).resolve().parent.parent
UNATTRIBUTED = STORY.replace(
    '''  - {id: src, title: A tiny source, publisher: the budapest56 tests, url: "https://example.org/tiny",
     licence: CC0 1.0, retrieved: 2026-11-26, changes: none,
    file: source.txt}''',
    "  - id: src\n    title: A tiny source\n    file: source.txt")
PARTLY = UNATTRIBUTED.replace("    file: source.txt", "    file: source.txt\n    publisher: a town archive\n"
                              "    licence: CC0 1.0")


def test_a_source_without_attribution_is_warned_about_and_fails_strict(in_tmp, capsys):
    write_story(in_tmp / "s", story=UNATTRIBUTED)
    assert [str(f) for f in check("s").findings] == [
        "s/story.yaml:7:5: warning: source 'src' does not say its publisher, url, licence, retrieved and changes "
        "[source-attribution]\n  hint: a teacher must be able to cite the source, and its licence may require it: "
        "add publisher, url, licence, retrieved (a date) and changes ('none' if none)"]
    assert main(["check", "s"]) == 0
    assert main(["check", "s", "--strict"]) == 1


def test_the_warning_names_only_what_is_missing(in_tmp):
    write_story(in_tmp / "s", story=PARTLY)
    [finding] = check("s").findings
    assert finding.message == "source 'src' does not say its url, retrieved and changes"


def test_a_retrieved_date_must_be_a_date(in_tmp):
    write_story(in_tmp / "s", story=PARTLY.replace("licence: CC0 1.0", "licence: CC0 1.0\n    retrieved: last week"))
    assert [str(f) for f in check("s").findings] == [
        "s/story.yaml:12:16: error: 'last week' is not a date [bad-date]\n"
        "  hint: write a year (1949), a month (1955-04) or a day (1956-10-23)"]


def test_the_bundled_story_names_its_source(capsys):
    assert main(["credits"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Credits — The House on the Gallery: Budapest, 1945–1956\n\n")
    assert ("Hungarian Revolution of 1956\n"
            "  Published by: Simple English Wikipedia\n"
            "  Address:      https://simple.wikipedia.org/wiki/Hungarian_Revolution_of_1956\n"
            "  Licence:      CC BY-SA 4.0\n"
            "  Retrieved:    26 November 2026\n"
            "  Changes:      The Hungarian names in the article's first parenthesis were\n") in out
    assert "leaving \"( or )\"" in " ".join(out.split())


def test_credits_of_a_story_say_what_it_does_not_give(in_tmp, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    write_story(in_tmp / "s", story=PARTLY)
    assert main(["credits", "s"]) == 0
    assert capsys.readouterr().out == (
        "Credits — A Tiny Story\n\n"
        "Every fact in this story quotes this source word for word ('…' marks words left\n"
        "out); the scenes and the people you meet in them are fiction.\n\n"
        "A tiny source\n"
        "  Published by: a town archive\n"
        "  Address:      not given\n"
        "  Licence:      CC0 1.0\n"
        "  Retrieved:    not given\n"
        "  Changes:      not given\n")


def test_credits_of_a_broken_story_report_its_problems(in_tmp, capsys):
    write_story(in_tmp / "s", story=STORY.replace("start: hall", "start: hal"))
    assert main(["credits", "s"]) == 1
    assert "s/story.yaml:4:8: error: start node 'hal' does not exist [dangling-target]" in capsys.readouterr().err


def test_the_credits_screen_in_plain_mode_and_in_the_terminal():
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    from budapest56.play.terminal import STYLE, TerminalScreen

    story = load_story(bundled_story())
    text = credits_text(story, 60)
    # An address wider than the screen stays on one line, so it can be copied.
    assert "\n  Address:      https://simple.wikipedia.org/wiki/Hungarian_Revolution_of_1956\n" in plain(text)
    assert "  Licence:      CC BY-SA 4.0\n" in plain(text)
    styles = {s.removeprefix("class:") for s, _ in text if s}
    assert styles == {"heading", "record.title", "kind"} and styles <= {rule for rule, _ in STYLE.style_rules}
    buffer = io.StringIO()
    output = Vt100_Output(buffer, lambda: Size(rows=40, columns=80), term="xterm")
    TerminalScreen(width=60, output=output).show(text)
    shown = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", buffer.getvalue()).replace("\r", "")
    assert "Credits — The House on the Gallery" in shown and "CC BY-SA 4.0" in shown
    assert "\x1b[" in buffer.getvalue()  # styled: the heading and labels are set apart


def test_the_handout_sources_section_cites_the_source_and_its_licence():
    text = handout(load_story(bundled_story()))
    sources = text.split("## Sources\n", 1)[1]
    assert sources.startswith(
        "\n“Hungarian Revolution of 1956”, Simple English Wikipedia, "
        "https://simple.wikipedia.org/wiki/Hungarian_Revolution_of_1956, retrieved 26 November 2026. "
        "Licence: CC BY-SA 4.0. Changes: The Hungarian names in the article's first parenthesis were removed")
    assert "`budapest56 credits` prints the same." in sources


def test_the_readme_names_the_source_its_licence_and_the_credits_command():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split("## The bundled story", 1)[1]
                      .split("## For teachers")[0].split())
    assert 'Simple English Wikipedia article "Hungarian Revolution of 1956"' in readme
    assert "CC BY-SA 4.0" in readme and "`budapest56 credits`" in readme


def test_the_source_text_stays_as_copied():
    text = (ROOT / "scenes" / "source" / "hungarian-revolution-1956.txt").read_text(encoding="utf-8")
    assert "Wikipedia" not in text and "CC BY-SA" not in text
    assert text.startswith("Hungarian Revolution of 1956\n\nThe Hungarian Revolution of 1956 or Hungarian "
                           "Uprising of 1956 ( or ) was a spontaneous nationwide revolt.")
