"""The contract between the game and a front end (plain mode, the terminal, tests' scripted screens).

    Text                a list of (style, text) pairs, prompt_toolkit's formatted-text shape:
                        [("class:heading", "Review\\n"), ("", "Three questions on chapter 2.\\n")]
    Menu, Item          the main prompt's choices and the status line shown under them
    Quit                raised by a screen when the player leaves: `quit`, Ctrl-C, Ctrl-D, the
                        end of input. Let it propagate: the game saves and says goodbye.
    Changed             raised by a screen's prompt in a --watch game when a file of the story
                        changed (play/live.py woke it). Let it propagate: the live loop reloads.

    class Screen(Protocol):
        width: int          columns to wrap text to
        ornate: bool        False in plain mode: no box-drawing, nothing a screen reader stumbles on
        interactive: bool   True when a person sits at a terminal (the game may ask at start-up)
        show(text)          print a str or Text
        ask(prompt, options) -> int | None
                            a numbered multiple-choice question: the 0-based index picked, or None
                            when the player skips it (an empty answer, Escape)
        line(prompt) -> str | None
                            a question answered by typing (the words missing from a quote): the
                            line typed, or None when the player skips it (an empty answer, Escape)
        read(menu) -> int | str
                            the main prompt: a 0-based index into menu.items (arrows or number keys
                            + Enter), or the line the player typed (a number or a command)
        status(line)        the status line (date, place, facts found) for the prompts that follow
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

Text = list[tuple[str, str]]


class Quit(Exception):
    """The player left: `quit`, Ctrl-C, Ctrl-D or the end of input."""


class Changed(Exception):
    """A file of the story changed while a prompt waited (a --watch game): reload, then ask again."""


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    available: bool = True
    why: str = ""  # for an item that is not available: the story's reason, if it gives one


@dataclass(frozen=True, slots=True)
class Menu:
    items: tuple[Item, ...]
    toolbar: str


class Screen(Protocol):
    # Read-only properties: a front end may compute them (the terminal's width follows the window).
    @property
    def width(self) -> int: ...

    @property
    def ornate(self) -> bool: ...

    @property
    def interactive(self) -> bool: ...

    def show(self, text: str | Text) -> None: ...

    def ask(self, prompt: str, options: Sequence[str]) -> int | None: ...

    def line(self, prompt: str) -> str | None: ...

    def read(self, menu: Menu) -> int | str: ...

    def status(self, line: str) -> None: ...
