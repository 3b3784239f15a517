"""The screen holds at every width: nothing is cut mid-word, the status bar fits, one key picks."""
from __future__ import annotations

import io
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from budapest56 import load_story, start
from budapest56.persist.profile import Progress, save_progress
from budapest56.persist.saves import SaveFolder
from budapest56.play.opening import open_game
from budapest56.play.screens import fit_toolbar
from budapest56.play.terminal import TerminalScreen
from test_play_terminal import TUTORIAL, play

pyte = pytest.importorskip("pyte")
pty = pytest.importorskip("pty")
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

BAR = " January 1945 — The cellar of a Pest apartment building  ·  facts found: 12/33 "


@pytest.mark.parametrize("width, expected", [
    (100, BAR),
    (60, " Jan 1945 — The cellar of a Pest apartment…  ·  12/33 facts "),
    (40, " Jan 1945 — The cellar…  ·  12/33 facts "),
    (16, " 12/33 facts "),
])
def test_the_status_bar_fits_and_keeps_the_count_whole(width, expected):
    assert fit_toolbar(BAR, width) == expected and len(expected) <= width


def test_one_number_key_picks_at_once(tmp_path):
    assert play("2", tmp_path).state.node == "stalls"  # no Enter needed


def test_an_enter_right_after_a_number_key_is_not_a_second_pick(tmp_path):
    assert play("1\r", tmp_path).state.node == "plaque"  # "1, Enter": one move, not two


def test_a_game_that_ended_is_not_offered_to_continue(tmp_path):
    play("1\r1\r", tmp_path)  # to the ending
    story = load_story(TUTORIAL)
    out = io.StringIO()
    output = Vt100_Output(out, lambda: Size(rows=30, columns=80), term="xterm")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text("\r")  # "Begin"
        pipe.close()
        opened = open_game(story, TerminalScreen(), SaveFolder(tmp_path, story), start(story), False, "x")
    assert opened is not None and opened[0].state.node == start(story).node
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", out.getvalue())
    assert "Your last game ended: “Market day”. A new one begins." in text
    assert "Continue it" not in text
    assert "(Your last game is kept as the save 'previous'" in text


def plain_lines(home: Path, width: int, answers: str) -> list[str]:
    env = {**os.environ, "BUDAPEST56_HOME": str(home)}
    out = subprocess.run([sys.executable, "-m", "budapest56", "play", "--plain", "--width", str(width)],
                         input=answers, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0 and out.stderr == ""
    return out.stdout.splitlines()


@pytest.mark.parametrize("width", [40, 60, 100])
def test_plain_mode_keeps_every_line_within_the_width(tmp_path, width):
    home = tmp_path / "home"
    save_progress(home, Progress("budapest56", settings={"skip_reviews": True}))
    commands = "journal\ntimeline\nglossary\n?\nsaves\nsave first\nsaves\nxyzzy-not-a-command\n99\n"
    lines = plain_lines(home, width, "1\n" * 6 + commands + "1\n" * 30)
    too_long = [line for line in lines if len(line) > width and len(line.split()) > 1
                and not line.startswith("> ")]  # the player's own answers are theirs
    assert too_long == []
    assert any(line.startswith("Chapter 2: ") for line in lines)


class Window:
    """The real program on a pseudo-terminal, its output drawn by a terminal emulator (pyte)."""

    def __init__(self, home: Path, columns: int, rows: int = 30):
        self.columns, self.rows = columns, rows
        self.screen = pyte.HistoryScreen(columns, rows, history=5000)
        self.stream = pyte.ByteStream(self.screen)
        env = {**os.environ, "BUDAPEST56_HOME": str(home), "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            self._size(0)
            os.execve(sys.executable, [sys.executable, "-m", "budapest56", "play"], env)

    def _size(self, fd: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, bytes([self.rows, 0, self.columns, 0, 0, 0, 0, 0]))

    def resize(self, columns: int) -> None:
        self.columns = columns
        self.screen.resize(self.rows, columns)
        self._size(self.fd)
        os.kill(self.pid, signal.SIGWINCH)

    def read(self, seconds: float = 0.5) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if select.select([self.fd], [], [], left)[0]:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if b"\x1b[6n" in chunk:  # answer the cursor-position request, as a terminal does
                    os.write(self.fd, b"\x1b[1;1R")
                self.stream.feed(chunk)

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in "\n".join(self.lines()):
            assert time.monotonic() < deadline, f"never saw {text!r}:\n" + "\n".join(self.lines())
            self.read(0.1)

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def lines(self) -> list[str]:
        history = ["".join(ch.data for ch in row.values()) if isinstance(row, dict) else
                   "".join(row[x].data for x in range(self.columns)) for row in self.screen.history.top]
        return [*history, *self.screen.display]

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


@pytest.mark.parametrize("columns", [40, 60, 100])
def test_the_terminal_game_never_cuts_a_word(tmp_path, columns):
    home = tmp_path / "home"
    save_progress(home, Progress("budapest56", settings={"skip_reviews": True}))
    window = Window(home, columns)
    try:
        window.wait_for("Begin")
        window.send("\r")
        for _ in range(5):
            window.wait_for("for help")
            window.read(0.3)
            window.send("1")
        window.wait_for("for help")
        window.read(0.5)
        display = window.screen.display
        bar = display[-1].strip()
        assert re.search(r"(facts found: \d+/33|\d+/33 facts)$", bar), bar  # the count is never cut
        # A word the terminal had to cut would run to the last column and on at the next row.
        for above, below in zip(window.lines(), window.lines()[1:]):
            assert not (above[columns - 1:].strip() and below[:1].strip()), f"{above!r} / {below!r}"
    finally:
        window.close()


def test_shrinking_the_window_mid_menu_leaves_one_menu(tmp_path):
    home = tmp_path / "home"
    save_progress(home, Progress("budapest56", settings={"skip_reviews": True}))
    window = Window(home, 100)
    try:
        window.wait_for("Begin")
        window.send("\r")
        window.wait_for("for help")
        window.read(0.5)
        window.resize(44)
        window.read(1.0)
        shown = [line for line in window.screen.display if "❯" in line]
        assert len(shown) == 1, "\n".join(window.screen.display)
        window.resize(100)
        window.read(1.0)
        assert len([line for line in window.screen.display if "❯" in line]) == 1
    finally:
        window.close()


def test_a_number_key_with_no_item_is_no_answer_and_does_not_block_the_next(tmp_path):
    assert play("7" + "2", tmp_path).state.node == "stalls"  # 7 of 2 does nothing; 2 then picks
