"""A story is someone else's folder: nothing in it may take over the terminal, reach outside
the folder, hang `check`, or slip past it as a date or a number."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from budapest56 import StoryError, load_story
from budapest56.analysis.lint import check
from budapest56.commands.handout import handout
from budapest56.story import files
from budapest56.story.controls import shown, strip_controls
from conftest import SCENE, STORY, write_story

HOSTILE = 'text: "You stand\\e]0;pwned\\a in a \\x9b2J hall.\\e[2J\\e]52;c;aGk=\\a"'


def findings(root: Path) -> list[str]:
    return [str(f) for f in check(str(root)).findings]


def test_control_characters_are_removed_at_load_and_check_warns_where_they_were(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace("text: You stand in a hall.", HOSTILE)})
    story = load_story(root)
    assert story.nodes["hall"].text[0].text == "You stand in a  hall."
    assert findings(root) == [
        "s/scene.yaml:6:11: warning: the text holds a control character (ESC), which could take over the "
        "player's terminal; it was removed [control-character]\n"
        "  hint: remove it from the file (often an escape such as \\e or \\x1b in double quotes)"]


def test_plain_mode_never_prints_what_a_story_smuggles_in(tmp_path):
    root = write_story(tmp_path / "s", {"scene.yaml": SCENE.replace("text: You stand in a hall.", HOSTILE)
                                        .replace("label: Be brave", 'label: "Be \\x9b31mbrave\\x07"')})
    result = subprocess.run([sys.executable, "-m", "budapest56", "play", str(root), "--plain"], input="1\nquit\n",
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert "You stand in a hall." in result.stdout and "1. Be brave" in result.stdout
    assert strip_controls(result.stdout) == result.stdout


@pytest.mark.parametrize("text, codes", [
    ("a\x1b[31mred\x1b[0m", "ared"), ("title\x1b]0;x\x07!", "title!"), ("clip\x1b]52;c;aGk=\x1b\\board", "clipboard"),
    ("one\x9b2Jbyte", "onebyte"), ("c1\x85\x90dcs\x9c.", "c1."), ("keep\ttab\nline", "keep\ttab\nline"),
    ("bs\x08\x7f\r", "bs"), ("lone\x1b", "lone"),
])
def test_what_strip_controls_removes(text, codes):
    assert strip_controls(text) == codes


def test_values_in_messages_are_cleaned_clipped_and_on_one_line(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace(
        "date: 1949", 'date: "19\\n49\\e[2J' + "x" * 200 + '"', 1)})
    assert findings(root)[-1] == (
        "s/scene.yaml:15:11: error: '19 49xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is not a date [bad-date]\n"
        "  hint: write a year (1949), a month (1955-04) or a day (1956-10-23)")
    assert shown("a\n\x1b[2Jb" + "c" * 60, 10) == "a bcccccc…"


@pytest.mark.parametrize("char, name", [("\0", "U+0000 (NUL)"), ("\ufffe", "U+FFFE")])
def test_a_character_yaml_refuses_is_located(in_tmp, char, name):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace("You stand in a hall.", f"You stand{char} in a hall.")})
    assert findings(root) == [f"s/scene.yaml:6:20: error: character {name} cannot be in a story file [bad-character]\n"
                              "  hint: remove it; story files are plain text"]


@pytest.mark.parametrize("file, reason", [
    ("/etc/passwd", "the path is absolute; name a file inside the story folder, relative to it"),
    ("../../etc/passwd", "it lies outside the story folder"),
    ("link.txt", "it lies outside the story folder (through a symbolic link)"),
])
def test_sources_must_lie_inside_the_story_folder(in_tmp, file, reason):
    root = write_story(in_tmp / "s", story=STORY.replace("file: source.txt", f"file: {file}"))
    (root / "link.txt").symlink_to("/etc/hostname")
    assert findings(root)[0] == f"s/story.yaml:9:11: error: cannot read source '{file}': {reason} [missing-source]"


def test_a_scene_file_linked_from_outside_is_refused(in_tmp):
    root = write_story(in_tmp / "s")
    (root / "extra.yaml").symlink_to("/dev/zero")
    assert findings(root) == ["s/extra.yaml: error: cannot read the file: it lies outside the story folder "
                              "(through a symbolic link) [unreadable]"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_at_once_instead_of_hanging(in_tmp):
    root = write_story(in_tmp / "s")
    os.mkfifo(root / "pipe.yaml")
    assert findings(root) == ["s/pipe.yaml: error: cannot read the file: it is a named pipe (FIFO), "
                              "not a regular file [unreadable]"]


def test_files_too_big_or_not_regular_are_refused_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    (tmp_path / "big.txt").write_text("x" * 11)
    with pytest.raises(files.Refused, match="it is 11 bytes; story files may be at most 10"):
        files.read_bytes(tmp_path / "big.txt")
    with pytest.raises(files.Refused, match="it is a device, not a regular file"):
        files.read_bytes(Path("/dev/zero"))
    with pytest.raises(files.Refused, match="the file name holds a NUL character"):
        files.inside(tmp_path, "a\0b")


@pytest.mark.parametrize("date", ["1949-00-05", "'0000'", "1949-13", "1949-02-30", "'١٩٤٩'", "'1949-0٥'"])
def test_only_real_dates_in_ascii_digits(in_tmp, date):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace("date: 1949", f"date: {date}", 1)})
    with pytest.raises(StoryError) as e:
        load_story(root)
    assert e.value.findings[0].message == f"'{date.strip(chr(39))}' is not a date"


def test_conditions_take_only_ascii_digits(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace("if: brave and courage >= 3", "if: courage > ٣")})
    assert findings(root) == ["s/scene.yaml:25:23: error: condition 'courage > ٣': unexpected character '٣' "
                              "[bad-condition]\n  hint: conditions use names, numbers, comparisons, and/or/not "
                              "and parentheses"]


def test_the_handout_shows_story_text_and_never_passes_markup_through(tiny):
    root = write_story(tiny, {"scene.yaml": SCENE.replace(
        "summary: The war was over in 1945.",
        "summary: 'Over <img src=x onerror=alert(1)> & `<b>`{=html} [x](javascript:alert(1))'")})
    text = handout(load_story(root))
    assert ("Over &lt;img src=x onerror=alert(1)&gt; &amp; \\`&lt;b&gt;\\`{=html} \\[x\\](javascript:alert(1))"
            in text.splitlines())
    assert "<img" not in text and "<b>" not in text


def test_a_key_holding_control_characters_is_named_cleanly(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace("    place: A hall", '    "\\0\\e[2Jx": 1\n    place: A hall')})
    assert findings(root)[0].startswith("s/scene.yaml:5:5: error: unknown key 'x' in node [unknown-key]")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_transcript_that_is_a_fifo_is_refused(tmp_path):
    from budapest56.testing.transcript_file import load_transcript

    os.mkfifo(tmp_path / "x.play.yaml")
    with pytest.raises(StoryError) as e:
        load_transcript(tmp_path / "x.play.yaml")
    assert e.value.findings[0].message == "cannot read the file: it is a named pipe (FIFO), not a regular file"


def test_a_huge_number_in_a_summary_is_clipped_in_the_warning(in_tmp):
    scene = SCENE.replace("summary: The war was over in 1945.", "summary: The war was over in 1945 and " + "9" * 4000 + ".")
    [finding] = [f for f in check(str(write_story(in_tmp / "s", {"scene.yaml": scene}))).findings
                 if f.code == "summary-adds-number"]
    assert finding.message == ("summary of fact 'war_ended' says '" + "9" * 39 + "…', which its quote does not")
