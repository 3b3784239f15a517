"""The terminal game: styled text, choices by number keys or arrows + Enter, a status bar.

Imported only on the interactive path: prompt_toolkit costs about 130 ms to import, which
`check`, `test` and plain mode do not pay. Scenes are printed into the normal scrollback (so
the player can scroll back and read); only the prompt is a small live application under them:
the choices with a highlight, a line to type a number or a command, and a toolbar at the
bottom of the terminal. NO_COLOR is honoured through ColorDepth.from_env(): monochrome, with
bold and reverse video only.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress

from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app, get_app_or_none, get_app_session
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition, is_done, renderer_height_is_known
from prompt_toolkit.formatted_text import FormattedText, StyleAndTextTuples
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, VSplit, Window
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
from prompt_toolkit.output import ColorDepth, Output
from prompt_toolkit.renderer import print_formatted_text as render_text
from prompt_toolkit.shortcuts import print_formatted_text
from prompt_toolkit.styles import BaseStyle, Style, default_ui_style, merge_styles

from ..engine import pick_number
from .contract import Changed, Item, Menu, Quit, Text
from .layout import numbered, wrap
from .screens import fit_toolbar, locked_note

STYLE = Style.from_dict({
    "title": "bold",
    "chapter": "bold #d7af5f",
    "where": "italic #87afd7",
    "rule": "#5f5f5f",
    "record.label": "bold #87af87",
    "record.title": "bold",
    "record": "#87af87",
    "record.quote": "italic #bcbcbc",
    "ending": "bold #d75f5f",
    "count": "italic",
    "message": "italic #d7af5f",
    "heading": "bold underline",
    "command": "bold",
    "blank": "#6c6c6c",
    "date": "#87afd7",
    "kind": "italic #8a8a8a",
    "note.label": "bold italic #d7af87",
    "note": "italic #d7af87",
    "question": "bold",
    "number": "bold",
    "selected": "reverse",
    "locked": "#6c6c6c",
    "echo": "#8a8a8a",
    "hint": "italic #6c6c6c",
    "toolbar": "reverse",
})

WIDEST = 78  # longer lines are tiring to read, however wide the terminal
DEBOUNCE = 0.6  # seconds: an Enter this soon after a number key belongs to that number


class TerminalScreen:
    ornate = True
    interactive = True

    def __init__(self, width: int | None = None, input: Input | None = None, output: Output | None = None):
        # input/output None: the current app session's (the real terminal, or a test's pipe).
        self._width, self._input, self._output = width, input, output
        self._depth = ColorDepth.from_env()
        self._toolbar = ""  # the game's status line, kept on screen during questions too
        self._picked_at = 0.0  # when the last prompt was answered by a single number key
        # A --watch game's watcher thread ends the live prompt through wake(): these say which
        # prompt is live and whether a wake is still owed to the next one.
        self._lock = threading.Lock()
        self._live: Application[int | str | None] | None = None
        self._woken = False
        self._merged: BaseStyle | None = None  # prompt_toolkit's defaults and STYLE, merged once

    @property
    def width(self) -> int:
        if self._width:
            return self._width
        columns = (self._output or get_app_session().output).get_size().columns
        return max(20, min(columns - 2, WIDEST))

    def show(self, text: str | Text) -> None:
        fragments = [("", text)] if isinstance(text, str) else list(text)
        ending = "".join(t for _, t in fragments[-2:])
        if not ending.endswith("\n\n"):  # a blank line under every block, so blocks stay apart
            fragments.append(("", "\n" if ending.endswith("\n") else "\n\n"))
        self._print(fragments)

    def _print(self, fragments: Text) -> None:
        if get_app_or_none() is not None:  # a prompt is live: prompt_toolkit prints above it
            print_formatted_text(FormattedText(fragments), end="", style=STYLE, output=self._output,
                                 color_depth=self._depth, include_default_pygments_style=False)
            return
        # What print_formatted_text does between prompts, with the style merged once per game
        # instead of once per block (parsing prompt_toolkit's hundred default rules every time).
        if self._merged is None:
            self._merged = merge_styles([default_ui_style(), STYLE])
        render_text(self._output or get_app_session().output, FormattedText(fragments), self._merged,
                    color_depth=self._depth)

    def read(self, menu: Menu) -> int | str:
        self.status(menu.toolbar)
        answer = self._prompt(menu.items, commands=True)
        assert answer is not None  # the main prompt always returns a move or a command
        self._echo(menu.items, answer)
        return answer

    def status(self, line: str) -> None:
        self._toolbar = line

    def ask(self, prompt: str, options: Sequence[str]) -> int | None:
        items = tuple(Item(o) for o in options)
        # The question is printed, not part of the live prompt, so it stays in the scrollback.
        self._print([("class:question", wrap(prompt, self.width) + "\n")])
        answer = self._prompt(items, commands=False)
        if answer is None:
            self.show([("class:echo", "› (skipped)\n")])
            return None
        assert isinstance(answer, int)  # a question's prompt returns only an index
        self._echo(items, answer)
        return answer

    def line(self, prompt: str) -> str | None:
        self._print([("class:question", wrap(prompt, self.width) + "\n")])
        answer = self._prompt((), commands=True)
        typed = answer.strip() if isinstance(answer, str) else ""
        self.show([("class:echo", wrap(f"› {typed or '(skipped)'}", self.width) + "\n\n")])
        return typed or None

    def _prompt(self, items: tuple[Item, ...], commands: bool) -> int | str | None:
        prompt = _Prompt(items, lambda: self._toolbar, commands, self._picked_at, lambda: self.width)
        answer = prompt.run(self)
        self._picked_at = prompt.picked_at
        return answer

    def wake(self) -> None:
        """From any thread: the prompt on screen ends now with Changed, or the next one does at
        once. The app's own loop carries it out, so no key press is needed (a --watch game)."""
        with self._lock:
            self._woken = True
            app = self._live
        loop = app.loop if app is not None else None
        if app is not None and loop is not None:
            with suppress(RuntimeError):  # the loop just closed: the flag ends the next prompt instead
                loop.call_soon_threadsafe(self._end_woken, app)

    def _started(self, app: Application[int | str | None] | None) -> None:
        """A prompt began (inside its loop, so exit() works) or ended (None)."""
        with self._lock:
            self._live = app
        if app is not None:
            self._end_woken(app)

    def _end_woken(self, app: Application[int | str | None]) -> None:
        with self._lock:
            if not self._woken or app.is_done or self._live is not app:
                return  # nothing owed, or the player's answer came first: the next prompt ends
            self._woken = False
        app.exit(exception=Changed())

    def _echo(self, items: tuple[Item, ...], answer: int | str) -> None:
        """Leave what was picked in the scrollback, as a transcript would."""
        index = answer if isinstance(answer, int) else pick_number(answer, len(items))
        said = (f"{index + 1}. {items[index].label}" if index is not None
                else " ".join(str(answer).split())[:200])
        self.show([("class:echo", wrap(f"› {said}", self.width) + "\n\n")])


class _Prompt:
    """One live prompt: the items with a highlight, a line to type on, and the toolbar.

    A number key picks at once when the menu is short enough for one key to be unambiguous (up
    to nine items); Enter still takes the highlighted item or the typed number. An Enter that
    follows a pick by key within DEBOUNCE seconds is the habit of typing "2, Enter", not a second
    pick, and is let go."""

    def __init__(self, items: tuple[Item, ...], toolbar: Callable[[], str], commands: bool,
                 picked_at: float = 0.0, width: Callable[[], int] = lambda: 78) -> None:
        self.items, self.toolbar, self.commands, self.width = items, toolbar, commands, width
        self.cursor = next((i for i, item in enumerate(items) if item.available), 0)
        self.picked_at = picked_at  # when the last prompt was answered by one key (monotonic)
        self.buffer = Buffer(multiline=False, on_text_changed=self._follow_number)

    def run(self, screen: TerminalScreen) -> int | str | None:
        app: Application[int | str | None] = Application(
            layout=self._layout(), key_bindings=self._keys(), style=STYLE, full_screen=False,
            erase_when_done=True, input=screen._input, output=screen._output, color_depth=screen._depth,
            include_default_pygments_style=False)
        try:
            return app.run(pre_run=lambda: screen._started(app))
        except (EOFError, KeyboardInterrupt):  # a closed terminal, or a signal outside a key press
            raise Quit from None
        finally:
            screen._started(None)

    def _follow_number(self, buffer: Buffer) -> None:
        picked = pick_number(buffer.text, len(self.items))
        if picked is not None:
            self.cursor = picked

    def _menu(self) -> StyleAndTextTuples:
        width = self.width()
        out: StyleAndTextTuples = []
        for i, item in enumerate(self.items):
            mark = "❯ " if i == self.cursor else "  "
            style = "class:locked" if not item.available else "class:selected" if i == self.cursor else ""
            label = item.label + ("" if item.available else f"  {locked_note(item)}")
            lines = numbered(i + 1, label, width, mark).split("\n")
            cut = len(mark) + len(f"{i + 1}. ")
            for n, line in enumerate(lines):
                out += [("class:number" if n == 0 else "", line[:cut]), (style, line[cut:]), ("", "\n")]
        return out

    def _status(self) -> str:
        return fit_toolbar(self.toolbar(), get_app().output.get_size().columns)

    def _layout(self) -> Layout:
        show_toolbar = ~is_done & renderer_height_is_known
        hint = Condition(lambda: not self.buffer.text)
        line = VSplit([
            Window(FormattedTextControl("> "), width=2, dont_extend_width=True),
            Window(BufferControl(self.buffer), height=1),
        ])
        help_hint = ("Type your answer, Enter · Esc skips" if not self.items
                     else "↑/↓ or a number, Enter · ? for help" if self.commands
                     else "↑/↓ or a number, Enter · Esc skips")
        return Layout(HSplit([
            Window(FormattedTextControl(self._menu), dont_extend_height=True),
            Window(height=1),
            line,
            ConditionalContainer(Window(FormattedTextControl([("class:hint", help_hint)]), height=1),
                                 filter=hint & ~is_done),
            ConditionalContainer(Window(), filter=show_toolbar),  # pushes the toolbar to the bottom
            ConditionalContainer(Window(FormattedTextControl(self._status), style="class:toolbar", height=1),
                                 filter=show_toolbar),
        ]), focused_element=self.buffer)

    def _keys(self) -> KeyBindings:
        keys = KeyBindings()
        count = len(self.items)
        empty = Condition(lambda: not self.buffer.text)

        @keys.add("up")
        def _up(event: KeyPressEvent) -> None:
            if count:  # a typed answer has no items to move through
                self.cursor = (self.cursor - 1) % count
            self.picked_at = 0.0

        @keys.add("down")
        def _down(event: KeyPressEvent) -> None:
            if count:
                self.cursor = (self.cursor + 1) % count
            self.picked_at = 0.0

        if 0 < count <= 9:  # one key is a whole answer: take it at once
            for digit in "0123456789":
                @keys.add(digit, filter=empty)
                def _pick(event: KeyPressEvent) -> None:
                    number = int(event.key_sequence[0].key)
                    if 1 <= number <= count:
                        self.picked_at = time.monotonic()
                        event.app.exit(result=number - 1)
                    # A number with no item is no answer, and not the start of a typed line either.

        @keys.add("enter", eager=True)
        def _enter(event: KeyPressEvent) -> None:
            text = self.buffer.text.strip()
            if not text:
                if time.monotonic() - self.picked_at > DEBOUNCE:
                    event.app.exit(result=self.cursor if count else None)
                self.picked_at = 0.0  # let go once
            elif self.commands:
                event.app.exit(result=text)
            elif (picked := pick_number(text, count)) is not None:
                event.app.exit(result=picked)
            else:
                self.buffer.reset()  # a question takes only numbers

        @keys.add("escape", eager=True)
        def _escape(event: KeyPressEvent) -> None:
            if self.buffer.text or (self.commands and count):
                self.buffer.reset()
            else:
                event.app.exit(result=None)

        @keys.add("c-c")
        @keys.add("c-d")
        @keys.add("<sigint>")
        def _leave(event: KeyPressEvent) -> None:
            event.app.exit(exception=Quit())

        return keys
