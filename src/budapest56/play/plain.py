"""Plain mode: text in, text out, no escape codes. For pipes, scripts and screen readers.

Protocol: the scene's header and text, any facts just unlocked, the numbered choices, then a
'> ' prompt that reads one line: a choice's number or a command. The choices are always the
last thing printed before a prompt. When input is not a terminal, each answer is echoed after
the prompt, so a transcript reads like the session it records. End of input ends the game
(after an autosave), like Ctrl-D.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from ..engine import pick_number
from .contract import Changed, Menu, Quit, Text
from .screens import menu_lines, plain, question_lines, typed_question


class PlainScreen:
    ornate = False
    interactive = False

    def __init__(self, read: Callable[[], str | None], out: TextIO, width: int = 78, echo: bool = False):
        self._read, self._out, self.width, self._echo = read, out, width, echo
        self._shown: Menu | None = None  # the menu last printed, while nothing else followed it
        self._gap = False  # a blank line is owed: the last thing written was an answer or a text

    def show(self, text: str | Text) -> None:
        words = text if isinstance(text, str) else plain(text)
        words = words if words.endswith("\n") else words + "\n"
        self._out.write(("\n" if self._gap else "") + words)
        self._out.flush()
        self._shown = None
        self._gap = not words.endswith("\n\n")

    def read(self, menu: Menu) -> int | str:
        if menu != self._shown:
            self._out.write("\n" if self._gap else "")
            self._out.write(menu_lines(menu, self.width))
            self._shown = menu
        return self._line()

    def status(self, line: str) -> None:
        """Plain mode has no status bar: the scene header says where and when."""

    def ask(self, prompt: str, options: Sequence[str]) -> int | None:
        self.show(question_lines(prompt, options, self.width))
        while True:
            answer = self._line().strip()
            if not answer:
                return None
            picked = pick_number(answer, len(options))
            if picked is not None:
                return picked
            self._out.write(f"Type a number from 1 to {len(options)}, or press Enter to skip.\n")

    def line(self, prompt: str) -> str | None:
        self.show(typed_question(prompt, self.width))
        answer = self._line().strip()
        return answer or None

    def _line(self) -> str:
        self._out.write("> ")
        self._out.flush()
        try:
            line = self._read()
        except KeyboardInterrupt:
            line = None
        except Changed:  # a --watch game's reader was woken: the reload prints below this prompt
            self._out.write("\n")
            self._shown, self._gap = None, False
            raise
        if line is None:
            self._out.write("\n")
            self._gap = False
            raise Quit
        line = line.rstrip("\r\n")
        if self._echo:
            self._out.write(line + "\n")
        self._gap = True
        return line
