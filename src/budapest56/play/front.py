"""Which front end a game gets: plain mode for pipes, `--plain` and dumb terminals, else the
terminal game. prompt_toolkit is imported only when the terminal game is chosen."""
from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable

from .contract import Screen


def screen_for(plain: bool, width: int | None, read: Callable[[], str | None] | None = None) -> Screen:
    """`read`: how plain mode reads a line (default: stdin's next line); a --watch game's can be woken."""
    stdin_tty = sys.stdin is not None and sys.stdin.isatty()  # None: started with stdin closed
    interactive = stdin_tty and sys.stdout is not None and sys.stdout.isatty()
    if plain or not interactive or os.environ.get("TERM") == "dumb":
        from .plain import PlainScreen

        columns = width or max(20, min(shutil.get_terminal_size((80, 24)).columns - 2, 78))
        # stdout closed: play on unseen, still saving; the file lives as long as the game.
        out = sys.stdout or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        return PlainScreen(read or _read_line, out, columns, echo=not stdin_tty)
    from .terminal import TerminalScreen  # prompt_toolkit is paid for only here

    return TerminalScreen(width=width)


def _read_line() -> str | None:
    try:
        return (sys.stdin.readline() or None) if sys.stdin is not None else None
    except (OSError, ValueError, UnicodeDecodeError):  # stdin closed or unreadable: as good as its end
        return None
