"""The live preview: `play --watch` follows edits of the story, `check --watch` re-checks on each.

Real processes, real files: a test edits a scene while the game waits at its prompt, and reads
what the player would see. Every edit is saved as an editor saves (a temporary file renamed
over the scene), so the watcher never reads half a file.
"""
from __future__ import annotations

import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from budapest56 import load_story, start
from budapest56.play.contract import Changed, Item, Menu
from budapest56.play.live import replay, steps_taken
from budapest56.play.terminal import TerminalScreen
from budapest56.play.watch import LineReader

TUTORIAL = Path(__file__).resolve().parent / "stories" / "tutorial"
REPLAYED = "The story changed: reloaded after a change to market.yaml; your 1 choice replayed."


@pytest.fixture
def market(tmp_path: Path) -> Path:
    shutil.copytree(TUTORIAL, tmp_path / "market")
    return tmp_path / "market"


def edit(path: Path, *changes: str) -> None:
    """Replace each `old` with its `new` (given in pairs) and save as an editor does: write a
    hidden copy, rename it over the file. One save, however many changes."""
    text = path.read_text(encoding="utf-8")
    for old, new in zip(changes[::2], changes[1::2]):
        assert old in text
        text = text.replace(old, new)
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class Process:
    """budapest56 with its stdin a pipe and its output read as it comes."""

    def __init__(self, *args: str, cwd: Path, home: Path):
        env = {**os.environ, "BUDAPEST56_HOME": str(home)}
        self.proc = subprocess.Popen([sys.executable, "-m", "budapest56", *args], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.seen = ""

    def expect(self, text: str, timeout: float = 20) -> str:
        """Wait until `text` has appeared since the last expect; return what came before it."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0 or (self.proc.poll() is not None and not select.select([self.proc.stdout], [], [], 0)[0]):
                raise AssertionError(f"never saw {text!r}; the screen said:\n{self.seen[-3000:]}")
            if select.select([self.proc.stdout], [], [], min(left, 0.1))[0]:
                self.seen += os.read(self.proc.stdout.fileno(), 65536).decode("utf-8", "replace")
        before, _, self.seen = self.seen.partition(text)
        return before

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def exit_code(self) -> int:
        try:
            return self.proc.wait(20)
        finally:
            self.proc.kill()
            if self.proc.stdout:
                self.seen += self.proc.stdout.read().decode("utf-8", "replace")


@pytest.fixture
def processes():
    started: list[Process] = []
    yield started
    for p in started:
        p.proc.kill()
        p.proc.wait()


def live_game(processes: list[Process], market: Path, *more: str) -> Process:
    # Wide enough that no message wraps: these tests are about the words.
    game = Process("play", "--plain", "--watch", "--width", "1000", "market", *more, cwd=market.parent,
                   home=market.parent / "home")
    processes.append(game)
    return game


# -- plain mode --------------------------------------------------------------------------------------

def test_an_edit_reloads_the_game_and_replays_the_path_without_a_key(processes, market):
    game = live_game(processes, market)
    game.expect("Live preview of market: save a change to the story and the game reloads it, then takes your "
                "choices again. It saves nothing (no autosave, no profile, no saves)")
    game.expect("  1. Read the plaque by the door\n  2. Go straight to the paprika stalls\n> ")
    game.send("1")
    game.expect("The brass is new and still bright.")
    game.expect("  1. Go in\n> ")
    edit(market / "market.yaml", "The brass is new and still bright.", "The brass shines.")
    # No line was typed: the reload comes as soon as the file is saved, under the waiting prompt.
    shown = game.expect(REPLAYED)
    assert shown == "\n"
    scene = game.expect("  1. Go in\n> ")
    assert "Chapter 1: Morning — 1897 — The main door\n\nThe brass shines.\n" in scene
    game.send("1")
    game.expect("THE END: Market day")
    game.send("quit")
    game.expect("Goodbye!")
    assert game.exit_code() == 0


def test_a_story_that_no_longer_checks_shows_its_errors_and_goes_on_after_the_fix(processes, market):
    game = live_game(processes, market)
    game.expect("  2. Go straight to the paprika stalls\n> ")
    game.send("1")
    game.expect("  1. Go in\n> ")
    edit(market / "market.yaml", "goto: stalls", "goto: stall")
    game.expect("The story no longer checks after a change to market.yaml. The game waits here until it "
                "does: fix it and save, and it goes on.\n\n")
    errors = game.expect("  1. Quit the preview\n> ")
    # Exactly what `budapest56 check` prints, file:line:col first.
    check = subprocess.run([sys.executable, "-m", "budapest56", "check", "market"], cwd=market.parent,
                           capture_output=True, text=True, timeout=60)
    assert check.stderr.startswith("market/market.yaml:13:15: error: choice goes to unknown node 'stall'")
    assert errors == check.stderr + "\n"
    game.send("journal")  # nothing to play while the story is broken
    game.expect("The story still does not check: fix what is listed above and save; the game goes on by itself.")
    edit(market / "market.yaml", "goto: stall\n", "goto: stalls\n")
    game.expect("The story checks again: reloaded after a change to market.yaml; your 1 choice replayed.")
    game.expect("The brass is new and still bright.")
    game.send("1")
    game.expect("THE END: Market day")
    game.send("2")
    game.expect("Goodbye!")
    assert game.exit_code() == 0


def test_the_replay_stops_where_a_node_no_longer_exists_and_says_so(processes, market):
    game = live_game(processes, market)
    game.expect("> ")
    game.send("1")
    game.expect("  1. Go in\n> ")
    # The author renames the plaque node: the choice that led there now leads elsewhere.
    edit(market / "market.yaml", "goto: plaque\n", "goto: door\n", "- id: plaque\n", "- id: door\n")
    game.expect("The story changed: reloaded after a change to market.yaml; your path is replayed up to "
                "'gate' (0 of 1 choice): “Read the plaque by the door” at 'gate' now leads to 'door', not "
                "to 'plaque' (which no longer exists).")
    scene = game.expect("> ")
    assert "Fővám Square" in scene and "  1. Read the plaque by the door\n" in scene
    game.send("1")
    game.expect("Chapter 1: Morning — 1897 — The main door")
    game.send("q")
    assert game.exit_code() == 0


def test_the_replay_stops_at_a_choice_that_no_longer_exists(processes, market):
    game = live_game(processes, market)
    game.expect("> ")
    game.send("1")
    game.expect("> ")
    game.send("1")
    game.expect("THE END: Market day")
    game.expect("> ")
    edit(market / "market.yaml", "      - label: Go in\n        goto: stalls\n",
         "      - label: Go back\n        goto: gate\n")
    game.expect("your path is replayed up to 'plaque' (1 of 2 choices): the choice “Go in” at 'plaque' "
                "no longer exists.")
    game.expect("  1. Go back\n> ")
    game.send("quit")
    assert game.exit_code() == 0


def test_a_preview_saves_nothing_and_takes_no_lock(processes, market):
    home = market.parent / "home"
    game = live_game(processes, market)
    opening = game.expect("> ")
    assert "Type ? at any prompt for help: journal, timeline, undo.\n" in opening  # no saves to offer
    game.send("save mine")
    game.expect("A --watch preview saves nothing and loads no saves: play without --watch to keep a game.")
    game.send("?")  # the help leaves out what a preview cannot do, and says why
    shown = game.expect("Ctrl-C or Ctrl-D also leaves. A --watch preview saves nothing and loads no saves")
    assert "leave the preview" in shown and "journal" in shown and "undo" in shown
    assert "save [NAME]" not in shown and "load [NAME]" not in shown and "list your saves" not in shown
    game.send("1")
    game.expect("> ")
    game.send("1")
    game.expect("You found 1 of the 1 facts in this story.")
    ending = game.expect("> ")
    assert "In all your games" not in ending  # no profile counts this game
    # The player's own game may run beside the preview: the preview holds no lock.
    real = subprocess.run([sys.executable, "-m", "budapest56", "play", "--plain", "market"], input="quit\n",
                          cwd=market.parent, env={**os.environ, "BUDAPEST56_HOME": str(home)},
                          capture_output=True, text=True, timeout=60)
    assert real.returncode == 0 and "Saved. Goodbye!" in real.stdout
    saved = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    game.send("quit")
    game.expect("Goodbye!")
    assert game.exit_code() == 0
    assert "Saved" not in game.seen
    # Only the real game wrote: the preview added nothing to the data folder.
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()) == saved


def test_a_story_broken_from_the_start_waits_and_then_begins(processes, market):
    edit(market / "story.yaml", "start: gate", "start: gat")
    game = live_game(processes, market)
    game.expect("The story does not check yet. The game waits here until it does")
    game.expect("market/story.yaml:4:8: error:")
    game.expect("  1. Quit the preview\n> ")
    edit(market / "story.yaml", "start: gat", "start: gate")
    game.expect("The story checks now after a change to story.yaml: the game begins.")
    game.expect("A Day at the Market")
    game.expect("  2. Go straight to the paprika stalls\n> ")
    game.send("1")  # a broken source is one more file to watch: the fix may come from it
    game.expect("  1. Go in\n> ")
    game.send("quit")
    assert game.exit_code() == 0


def test_watch_refuses_continue_in_one_line(market):
    result = subprocess.run([sys.executable, "-m", "budapest56", "play", "--watch", "--continue", "market"],
                            cwd=market.parent, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == ("budapest56 play: error: --watch plays a preview that saves nothing; it cannot be "
                             "combined with --continue\n")


# -- check --watch ----------------------------------------------------------------------------------

def test_check_watch_rechecks_after_an_edit_and_ctrl_c_ends_it_with_0(processes, market):
    checker = Process("check", "--watch", "market", cwd=market.parent, home=market.parent / "home")
    processes.append(checker)
    first = checker.expect("no problems found\n")
    assert first.startswith("[") and "] " in first and "] market: checked (Ctrl-C stops watching)\n" in first
    edit(market / "market.yaml", "goto: stalls", "goto: stall")
    again = checker.expect("2 errors, 0 warnings\n")
    assert "] market: re-checked after a change to market.yaml (Ctrl-C stops watching)\n" in again
    assert "market/market.yaml:13:15: error: choice goes to unknown node 'stall' [dangling-target]" in again
    assert "\x1b" not in again  # not a terminal: no screen clearing, the runs one under another
    checker.proc.send_signal(signal.SIGINT)
    assert checker.exit_code() == 0
    assert checker.seen.endswith("Stopped watching.\n")


def test_check_watch_on_a_terminal_clears_the_screen_for_each_check(market):
    pty = pytest.importorskip("pty")  # POSIX only
    pid, fd = pty.fork()
    if pid == 0:  # the child: check --watch on a terminal
        os.chdir(market.parent)
        os.execve(sys.executable, [sys.executable, "-m", "budapest56", "check", "--watch", "market"],
                  {**os.environ, "TERM": "xterm"})
    seen = b""

    def expect(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 20
        while text not in seen:
            assert time.monotonic() < deadline, f"never saw {text!r}: {seen[-2000:]!r}"
            if select.select([fd], [], [], 0.1)[0]:
                seen += os.read(fd, 65536)

    try:
        expect(b"no problems found")
        assert seen.startswith(b"\x1b[H\x1b[2J[")  # a cleared screen, then the time stamp
        seen = b""
        edit(market / "market.yaml", "goto: stalls", "goto: stall")
        expect(b"2 errors, 0 warnings")
        before, clear, shown = seen.partition(b"\x1b[H\x1b[2J")
        assert clear and before.strip() == b""  # the screen is cleared first ...
        assert shown.startswith(b"[") and b"] market: re-checked after a change to market.yaml" in shown
        assert b"no problems found" not in shown  # ... so only the new findings are on it
        os.write(fd, b"\x03")
        expect(b"Stopped watching.")
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        if pid:  # a failed expectation: the child must not outlive the test
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)


# -- the hooks in the front ends --------------------------------------------------------------------

def test_a_wake_ends_the_terminal_prompt_without_a_key():
    menu = Menu((Item("Go on"),), "")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        screen = TerminalScreen(width=60)
        threading.Timer(0.3, screen.wake).start()
        with pytest.raises(Changed):
            screen.read(menu)
        screen.wake()  # between prompts: the next one ends at once
        with pytest.raises(Changed):
            screen.read(menu)
        pipe.send_text("1")
        assert screen.read(menu) == 0  # a wake is used up once


def test_a_wake_ends_a_plain_read_waiting_on_its_input():
    typed, writer = os.pipe()
    reader = LineReader(typed)
    try:
        threading.Timer(0.3, reader.wake).start()
        with pytest.raises(Changed):
            reader.read()
        os.write(writer, b"2\njournal\n")
        assert (reader.read(), reader.read()) == ("2", "journal")
        os.close(writer)
        assert reader.read() is None
    finally:
        reader.close()
        os.close(typed)


def test_without_select_on_its_input_a_wake_ends_the_next_read(monkeypatch):
    """Where stdin cannot be waited on with a pipe (Windows), the change shows at the next prompt."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n"))
    reader = LineReader(None)
    assert not reader.at_once
    reader.wake()
    with pytest.raises(Changed):
        reader.read()
    assert reader.read() == "2\n"
    assert reader.read() is None


# -- the replay, on its own -------------------------------------------------------------------------

def test_a_reworded_choice_is_found_by_where_it_leads(market):
    story = load_story(market)
    state = start(story)
    from budapest56.engine import choose

    state = choose(story, choose(story, state, 0), 0)
    edit(market / "market.yaml", "Read the plaque by the door", "Read the brass plaque")
    edited = load_story(market)
    replayed = replay(edited, start(edited), steps_taken(story, state))
    assert replayed.stopped == "" and replayed.states[-1] == state


def test_a_choice_whose_condition_no_longer_holds_stops_the_replay(market):
    story = load_story(market)
    from budapest56.engine import choose

    state = choose(story, choose(story, start(story), 0), 0)
    edit(market / "market.yaml", "      - label: Go in\n", "      - label: Go in\n        if: bought_paprika\n")
    edited = load_story(market)
    replayed = replay(edited, start(edited), steps_taken(story, state))
    assert [s.node for s in replayed.states] == ["gate", "plaque"]
    assert replayed.stopped == "“Go in” at 'plaque' is not possible now: its condition 'bought_paprika' does not hold"


def test_the_pty_game_reloads_without_a_key(tmp_path, market):
    test_pty = pytest.importorskip("test_pty")  # tests/test_pty.py: the real program on a real terminal
    game = test_pty.Terminal(tmp_path / "home", "--watch", str(market))
    game.expect("saves nothing (no autosave, no profile, no saves)")
    game.expect("2. Go straight to the paprika stalls")
    game.expect("facts found: 0/1")
    game.send("1")
    game.expect("The brass is new and still bright.")
    game.expect("facts found: 1/1")
    edit(market / "market.yaml", "The brass is new and still bright.", "The brass shines.")
    game.expect("The story changed: reloaded after a change to market.yaml; your 1 choice")  # then it wraps
    game.expect("The brass shines.")
    game.expect("❯ 1. Go in")
    edit(market / "market.yaml", "goto: stalls", "goto: stall")
    game.expect("The story no longer checks after a change to market.yaml.")
    game.expect("market.yaml:13:15: error: choice goes to unknown node 'stall' [dangling-target]")
    game.expect("❯ 1. Quit the preview")
    game.expect("waiting for the story to check")  # the toolbar
    edit(market / "market.yaml", "goto: stall\n", "goto: stalls\n")
    game.expect("The story checks again: reloaded after a change to market.yaml; your 1 choice")
    game.expect("❯ 1. Go in")
    game.send("1")
    game.expect("THE END: Market day")
    game.send("\x03")
    game.expect("Goodbye!")
    assert game.exit_code() == 0
    assert not (tmp_path / "home").exists()


def test_check_watch_in_json_writes_one_report_a_line_and_its_time_stamps_apart(market):
    # A program reading stdout gets one JSON document per check, whole, as each check ends;
    # the time stamps a person reads go to stderr.
    checker = subprocess.Popen([sys.executable, "-m", "budapest56", "check", "--watch", "--format", "json", "market"],
                               cwd=market.parent, env={**os.environ, "BUDAPEST56_HOME": str(market.parent / "home")},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert checker.stdout is not None and checker.stderr is not None
        first = json.loads(checker.stdout.readline())
        assert first["ok"] and first["errors"] == 0
        edit(market / "market.yaml", "goto: stalls", "goto: stall")
        again = json.loads(checker.stdout.readline())
        assert not again["ok"] and again["errors"] == 2
        assert any(f["code"] == "dangling-target" and f["line"] == 13 for f in again["findings"])
        checker.send_signal(signal.SIGINT)
        assert checker.wait(timeout=20) == 0
        assert checker.stdout.read() == ""  # nothing but the reports
        stamps = checker.stderr.read()
        assert "] market: checked (Ctrl-C stops watching)\n" in stamps
        assert "] market: re-checked after a change to market.yaml (Ctrl-C stops watching)\n" in stamps
        assert stamps.endswith("Stopped watching.\n") and "\x1b" not in stamps
    finally:
        checker.kill()
        checker.wait()
