"""Plain mode as a player, a script or a screen reader meets it: a real process, text in, text out."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from budapest56.persist.profile import load_progress, save_progress

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "tests" / "stories" / "tutorial"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data home whose profile turns the learning layer's chapter reviews off: these tests are
    about the game loop, and their transcripts should not depend on the review's wording."""
    home = tmp_path / "home"
    for story in ("market_day", "tiny"):
        progress = load_progress(home, story)
        save_progress(home, replace(progress, settings={"skip_reviews": True}))
    return home


@pytest.fixture
def market(tmp_path: Path) -> Path:
    """A copy of the tutorial story, so the resume hint names a short relative path."""
    shutil.copytree(TUTORIAL, tmp_path / "market")
    return tmp_path / "market"


def play(home: Path, *args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BUDAPEST56_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "budapest56", "play", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=60)


def clean(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout and "Traceback" not in result.stdout
    return result.stdout


def flat(text: str) -> str:
    """The text with every run of spaces and line breaks as one space: long lines wrap at the
    screen's width (tmp paths make them long), and these tests are about the words."""
    return " ".join(text.split())


TRANSCRIPT = """\
A Day at the Market

Type ? at any prompt for help: journal, timeline, saves,
undo.

Chapter 1: Morning — 1897 — Fővám Square

Iron and glass rise over the square. A porter wipes his
hands and waves you in.

  1. Read the plaque by the door
  2. Go straight to the paprika stalls
> 1

Chapter 1: Morning — 1897 — The main door

The brass is new and still bright.

  From the record: The market hall opens (1897)
  The Great Market Hall opened its doors in 1897.
  “The Great Market Hall opened in 1897.”

Facts found: 1 of 1.

  1. Go in
> journal

Journal — 1 of 1 facts found

Chapter 1: Morning
  From the record: The market hall opens (1897)
  The Great Market Hall opened its doors in 1897.
  “The Great Market Hall opened in 1897.”

  1. Go in
> 1

Chapter 1: Morning — 1897 — Under the glass roof

The hall is louder than any street you know.

THE END: Market day

You will come back next week.

You found 1 of the 1 facts in this story.

In all your games: 1 of 1 facts found, 1 of 1 endings
reached.

  1. Play again from the beginning
  2. Quit
> 2

Saved. Goodbye! ('budapest56 play market --continue' picks
up where you left off.)
"""


def test_a_piped_game_prints_a_stable_transcript(home, market):
    result = play(home, "market", "--width", "60", stdin="1\njournal\n1\n2\n", cwd=market.parent)
    assert clean(result) == TRANSCRIPT


def test_the_readme_command_plays_the_bundled_story(home):
    out = clean(play(home, "--plain", stdin="1\n2\nquit\n"))
    assert out.count("Chapter 1: Out of the Cellar (1945) — January 1945") >= 2
    assert "\n  1. " in out and "\n> 1\n" in out and "\n> 2\n" in out
    assert out.endswith("Saved. Goodbye! ('budapest56 --continue' picks up where you left off.)\n")


def test_not_a_terminal_means_plain_mode_even_without_the_flag(home, market):
    assert "  1. Read the plaque by the door\n" in clean(play(home, str(market), stdin="quit\n"))


def test_every_command_works_and_bad_input_gets_a_sentence_not_a_traceback(home, market):
    lines = ["", "abc", "jurnal", "99", "0", "-1", "save ../x", "load nothing", "load", "saves", "?", "help",
             "glossary", "timeline", "undo", "1", "save first", "saves", "undo", "undo", "load first", "look", "restart",
             "undo", "quit"]
    out = clean(play(home, str(market), stdin="\n".join(lines) + "\n"))
    for expected in [
        "\n> \n\nType a number from 1 to 2, or ? for help.\n",
        "'abc' is not a choice or a command. Type ? for help.",
        "'jurnal' is not a choice or a command. (Did you mean 'journal'?) Type ? for help.",
        "There is no choice 99. Type a number from 1 to 2, or ? for help.",
        "There is no choice 0. Type a number from 1 to 2, or ? for help.",
        "'../x' cannot be a save name: use up to 40 letters, digits, '-' or '_', starting with a letter or digit.",
        "There is no save called 'nothing'. (Type 'saves' to list them.) Your game goes on where it was.",
        "There are no saves yet. 'save NAME' makes one.",
        "Timeline, 1897 — 0 of 1 found\n  1897  ???\n",
        "Glossary — 0 of 0 met so far",
        "There is nothing to undo: this is where this game began.",
        "Saved as 'first'. ('load first' comes back here.)",
        "Saves, newest first:\n",
        "  first  saved 20",
        "      Chapter 1 · 1897 — The main door\n",
        "Loaded 'first'.",
        "The story starts again. ('undo' takes you back to where you were.)",
    ]:
        assert expected in out or flat(expected) in flat(out), expected
    assert out.count("Chapter 1: Morning — 1897 — The main door") == 4  # 1, load, look, undo of restart


def test_end_of_input_autosaves_and_continue_resumes_exactly(home, market):
    first = clean(play(home, str(market), stdin="1\n"))
    assert first.endswith(" you left off.)\n")
    assert flat(first).endswith("> Saved. Goodbye! ('budapest56 play " + str(market) + " --continue' picks up where "
                                "you left off.)")
    resumed = clean(play(home, str(market), "--continue", stdin="journal\nundo\n"))
    assert resumed.startswith("Welcome back. Your game goes on where you left it; type ? for help.\n\n"
                              "Chapter 1: Morning — 1897 — The main door\n\nThe brass is new and still bright.\n\n"
                              "  1. Go in\n")
    assert "From the record" not in resumed.split("> journal")[0]  # not announced again: found earlier
    assert "Journal — 1 of 1 facts found" in resumed
    # The undo history came back with the save: one step back is the first scene.
    assert "Undone: you are back before your last choice.\n\nChapter 1: Morning — 1897 — Fővám Square" in resumed


def test_continue_without_a_game_starts_a_new_one(home, market):
    out = clean(play(home, str(market), "--continue", stdin=""))
    assert out.startswith("There is no game to continue yet, so a new one begins.\n\nA Day at the Market\n")


def test_a_new_game_keeps_the_last_one_as_previous(home, market):
    clean(play(home, str(market), stdin="1\n"))
    out = clean(play(home, str(market), stdin="load previous\n"))
    assert flat(out).startswith("(Your last game is kept as the save 'previous'; 'load previous' goes back to it.) ")
    assert "Loaded 'previous'.\n\nChapter 1: Morning — 1897 — The main door" in out


@pytest.mark.parametrize("damage, reason", [
    # A damaged file is just damaged: no parser's words for a child to read.
    (lambda text: text[: len(text) // 3], "its save is damaged"),
    (lambda text: text.replace('"story": "market_day"', '"story": "elsewhere"'),
     "the save 'autosave' cannot be used: it belongs to another story"),
    (lambda text: text.replace('"node": "plaque"', '"node": "cellar"'),
     "the save 'autosave' cannot be used: the saved state names a node this story does not have: 'cellar'"),
])
def test_an_unusable_autosave_is_refused_moved_aside_and_a_fresh_game_offered(home, market, damage, reason):
    clean(play(home, str(market), stdin="1\n"))
    autosave = home / "saves" / "market_day" / "autosave.json"
    autosave.write_text(damage(autosave.read_text(encoding="utf-8")), encoding="utf-8")
    out = clean(play(home, str(market), "--continue", stdin="1\n"))
    assert flat(out).startswith(f"Your last game cannot be continued: {reason}")
    assert "JSON" not in out and "Expecting" not in out
    assert "(It was moved to autosave.json.corrupt-" in flat(out) and "; nothing was deleted.)" in out
    assert "What now?\n  1. Start a new game\n  2. Quit\n> 1\n" in out
    assert "Chapter 1: Morning — 1897 — Fővám Square" in out
    assert [p.name for p in autosave.parent.iterdir() if ".corrupt-" in p.name]


def test_a_damaged_autosave_offers_the_players_other_saves(home, market):
    clean(play(home, str(market), stdin="1\nsave mine\n"))
    (home / "saves" / "market_day" / "autosave.json").write_text("{", encoding="utf-8")
    out = clean(play(home, str(market), "--continue", stdin="2\n1\n"))
    assert "What now?\n  1. Start a new game\n  2. Load another save\n  3. Quit\n> 2\n" in out
    assert "Load which save?\n  1. mine, saved " in out
    assert "Loaded 'mine'." in out and "Chapter 1: Morning — 1897 — The main door" in out


def test_declining_a_fresh_game_leaves_quietly(home, market):
    clean(play(home, str(market), stdin="1\n"))
    (home / "saves" / "market_day" / "autosave.json").write_text("{", encoding="utf-8")
    out = clean(play(home, str(market), "--continue", stdin="2\n"))
    assert out.endswith("> 2\n\nGoodbye!\n")
    (home / "saves" / "market_day" / "autosave.json").write_text("{", encoding="utf-8")
    assert clean(play(home, str(market), "--continue", stdin="")).endswith("  2. Quit\n> \nGoodbye!\n")


def test_the_profile_remembers_facts_endings_and_time(home, market):
    clean(play(home, str(market), stdin="1\n1\n"))
    profile = json.loads((home / "profile.json").read_text(encoding="utf-8"))
    entry = profile["stories"]["market_day"]
    assert entry["facts_found"] == ["hall_opened"] and entry["endings"] == ["stalls"]
    assert entry["seconds_played"] >= 0


def test_ctrl_c_while_waiting_saves_and_says_goodbye(home, market):
    env = {**os.environ, "BUDAPEST56_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "budapest56", "play", str(market)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdin is not None
    proc.stdin.write("1\n")
    proc.stdin.flush()
    autosave = home / "saves" / "market_day" / "autosave.json"
    deadline = time.monotonic() + 30
    while not (autosave.exists() and '"plaque"' in autosave.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, "the first choice was never autosaved"
        time.sleep(0.05)
    time.sleep(0.2)  # let it reach the next prompt
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert flat(out.split("> ")[-1]) == f"Saved. Goodbye! ('budapest56 play {market} --continue' picks up where you left off.)"
    assert json.loads(autosave.read_text(encoding="utf-8"))["state"]["node"] == "plaque"


def test_an_author_starts_anywhere_with_chosen_flags(home, tiny):
    out = clean(play(home, str(tiny), "--from", "yard", "--set", "brave=true", "--set", "courage=4", stdin="restart\n"))
    assert "You hold your head high." in out
    assert "  1. Go home\n  2. Look around (not possible now)\n  3. Leave\n" in out
    # 'restart' goes back to where this session began, not to the story's start.
    assert out.count("Chapter 1: The first chapter — 1949 — A yard") == 2


def test_a_locked_choice_is_refused_with_a_reason(home, tiny):
    out = clean(play(home, str(tiny), "--from", "yard", "--set", "brave=true", "--set", "courage=4", stdin="2\n"))
    assert "“Look around” is not possible now. Pick another choice." in out


def test_the_readme_playing_example_runs_as_written(home):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    playing = readme.split("## Playing\n", 1)[1].split("\n## ", 1)[0]
    assert "Plain mode is the accessible mode for screen readers." in playing
    [command] = [line for line in playing.splitlines() if line.startswith("printf ")]
    shell = command.replace("budapest56", f"'{sys.executable}' -m budapest56")
    result = subprocess.run(shell, shell=True, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "BUDAPEST56_HOME": str(home)})
    out = clean(result)
    assert "\n> 1\n" in out and "\n> 2\n" in out and "\n> quit\n" in out


def test_a_closed_stdin_ends_the_game_cleanly(home, market):
    shell = f"exec '{sys.executable}' -m budapest56 play '{market}' <&-"
    result = subprocess.run(shell, shell=True, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "BUDAPEST56_HOME": str(home)})
    assert flat(clean(result)).endswith("2. Go straight to the paprika stalls > Saved. Goodbye! "
                                        f"('budapest56 play {market} --continue' picks up where you left off.)")


def test_digits_that_are_not_decimal_are_refused_politely(home, market):
    out = clean(play(home, str(market), stdin="²\n"))
    assert "'²' is not a choice or a command. Type ? for help." in out
    bad = play(home, str(market), "--set", "x=²")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_plain_mode_never_imports_prompt_toolkit(home, market):
    script = ("import sys; from budapest56.cli import main; main(['play', '--plain', sys.argv[1]]); "
              "print('prompt_toolkit' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", script, str(market)], input="", capture_output=True, text=True,
                            env={**os.environ, "BUDAPEST56_HOME": str(home)}, timeout=60)
    assert result.stderr == "False\n"
