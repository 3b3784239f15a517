"""Bad input on the command line: one line saying what is wrong, and the documented exit code."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from budapest56 import load_story
from budapest56.cli import main
from budapest56.learning.schedule import item

LONG = "9" * 4301


@pytest.mark.parametrize("argv, message", [
    (["play", "--set", "x=--5"], "budapest56 play: error: --set x: the value must be true, false or a whole "
                                 "number, not '--5'"),
    (["play", "--set", f"x={LONG}"], "budapest56 play: error: --set x: 4,301 digits is too long; counters hold "
                                     "whole numbers of up to 9 digits"),
    (["play", "--set", "x=٣"], "budapest56 play: error: --set x: the value must be true, false or a whole number, "
                               "not '٣'"),
    (["play", "--from", ""], "budapest56 play: error: --from needs the id of a node to start at, not an empty text"),
    (["stats", "--runs", "-1"], "budapest56 stats: error: --runs must be 0 or more, not -1"),
])
def test_a_bad_value_is_one_line_and_exit_2(capsys, argv, message):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", message + "\n")


@pytest.mark.parametrize("argv, option", [
    (["stats", "--runs", LONG], "--runs"), (["test", "--random", "٣"], "--random"),
    (["review", "--count", LONG], "--count"), (["play", "--width", "x"], "--width"),
])
def test_a_number_option_takes_ascii_digits_and_never_echoes_thousands(capsys, argv, option):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(f"budapest56 {argv[0]}: error: argument {option}: expected a whole number, not '")
    assert len(err.splitlines()[-1]) < 120


def test_check_names_the_file_it_was_given(in_tmp, capsys):
    (in_tmp / "file.txt").write_text("notes\n")
    assert main(["check", "file.txt"]) == 1
    assert capsys.readouterr().err == (
        "file.txt: error: this is a file, not a story folder, and there is no story.yaml beside it [not-a-story]\n"
        "  hint: give the story's folder (the one holding story.yaml), or its story.yaml\n"
        "1 error, 0 warnings\n")


TUTORIAL = Path(__file__).resolve().parent / "stories" / "tutorial"


def plain(home: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "budapest56", "play", str(TUTORIAL), "--plain"], input=stdin,
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "BUDAPEST56_HOME": str(home)})


def test_thousands_of_digits_at_the_prompt_are_no_choice(tmp_path):
    result = plain(tmp_path, f"{LONG}\nquit\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert "There is no choice 999999999999999999999999999999999999999…. Type a number from 1 to 2" in " ".join(
        result.stdout.split())


def test_thousands_of_digits_at_a_question_are_no_answer(tmp_path):
    result = plain(tmp_path, f"save a\nload\n{LONG}\n\nquit\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert "Type a number from 1 to 1, or press Enter to skip." in result.stdout


@pytest.mark.parametrize("key", ["war_ended#²", "war_ended#" + LONG, "war_ended#٣", "war_ended#0"])
def test_a_review_key_from_a_damaged_profile_names_no_question(tiny, key):
    assert item(load_story(tiny), key) is None
