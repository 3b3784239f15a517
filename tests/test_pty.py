"""The real program in a real pseudo-terminal: play to an ending, quit, continue, undo."""
from __future__ import annotations

import os
import re
import select
import sys
import time
from pathlib import Path

import pytest

from budapest56.persist.profile import Progress, save_progress

pty = pytest.importorskip("pty")  # POSIX only
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

TUTORIAL = Path(__file__).resolve().parent / "stories" / "tutorial"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")


class Terminal:
    """A child process on a 100x30 pseudo-terminal, read as a player would see it."""

    def __init__(self, home: Path, *args: str, term: str = "xterm-256color"):
        env = {**os.environ, "BUDAPEST56_HOME": str(home), "TERM": term}
        env.pop("NO_COLOR", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: a terminal of a known size, then the game
            fcntl.ioctl(0, termios.TIOCSWINSZ, b"\x1e\x00\x64\x00\x00\x00\x00\x00")
            os.execve(sys.executable, [sys.executable, "-m", "budapest56", "play", *args], env)
        self.seen = ""

    def expect(self, text: str, timeout: float = 20) -> str:
        """Wait until `text` has appeared since the last expect; return what came before it."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never saw {text!r}; the screen said:\n{self.seen[-2000:]}")
            if select.select([self.fd], [], [], min(left, 0.1))[0]:
                try:
                    chunk = os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:  # the child closed the terminal
                    chunk = ""
                if "\x1b[6n" in chunk:  # answer prompt_toolkit's cursor-position request, as a terminal does
                    os.write(self.fd, b"\x1b[1;1R")
                self.seen += ESCAPES.sub("", chunk)
        before, _, self.seen = self.seen.partition(text)
        return before

    def send(self, keys: str) -> None:
        time.sleep(0.05)  # a person types after the screen is drawn
        os.write(self.fd, keys.encode())

    def exit_code(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            try:
                if select.select([self.fd], [], [], 0.1)[0]:
                    self.seen += ESCAPES.sub("", os.read(self.fd, 65536).decode("utf-8", "replace"))
            except OSError:
                time.sleep(0.05)
        os.kill(self.pid, 9)
        raise AssertionError("the game did not exit")


def test_play_to_an_ending_quit_and_continue(tmp_path):
    home = tmp_path / "home"
    # The learning layer's review at the chapter's end is not what this test is about.
    save_progress(home, Progress("market_day", settings={"skip_reviews": True}))
    game = Terminal(home, str(TUTORIAL))
    game.expect("A Day at the Market")  # the title and premise wait for the player
    game.expect("Begin")
    game.send("\r")
    game.expect("Iron and glass rise over the square.")
    game.expect("2. Go straight to the paprika stalls")
    game.expect("facts found: 0/1")  # the toolbar
    game.send("1\r")
    game.expect("From the record: The market hall opens (1897)")
    game.expect("“The Great Market Hall opened in 1897.”")
    game.send("journal\r")
    game.expect("Journal — 1 of 1 facts found")
    game.send("save mine\r")
    game.expect("Saved as 'mine'.")
    game.send("1\r")
    game.expect("THE END: Market day")
    game.expect("You found 1 of the 1 facts in this story.")
    game.send("2\r")  # Quit, from the ending's menu
    game.expect("Saved. Goodbye!")
    assert game.exit_code() == 0

    again = Terminal(home, str(TUTORIAL), "--continue")
    again.expect("THE END: Market day")  # exactly where the player left
    again.send("undo\r")
    again.expect("Undone: you are back before your last choice.")
    again.expect("The brass is new and still bright.")
    again.send("\x03")  # Ctrl-C
    again.expect("Saved. Goodbye!")
    assert again.exit_code() == 0

    third = Terminal(home, str(TUTORIAL))
    third.expect("You have a game in progress: Chapter 1 · 1897 — The main door.")
    third.send("\r")  # "Continue it"
    third.expect("The brass is new and still bright.")
    third.send("\x04")  # Ctrl-D
    third.expect("Saved. Goodbye!")
    assert third.exit_code() == 0


def test_a_dumb_terminal_gets_plain_mode(tmp_path):
    game = Terminal(tmp_path / "home", str(TUTORIAL), term="dumb")
    game.expect("  1. Read the plaque by the door\n  2. Go straight to the paprika stalls\n> ")
    game.send("quit\r")
    game.expect("Saved. Goodbye!")
    assert game.exit_code() == 0
