"""One game at a time per data folder: a lock file holding the pid of the game that holds it.

Two games on one data folder would overwrite each other's autosave at every move, so the
second one is told another game is running there. The lock cannot be left stuck by a crash:
it is an operating-system lock on the file (flock on Linux and macOS, msvcrt.locking on
Windows), which the kernel drops when the process dies, however it died (kill -9, a power
cut). A lock file left behind by a dead game is therefore simply taken over; the pid in it
only names the running game in the message.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

FILE = "game.lock"


@dataclass
class Lock:
    """A held lock (or, in a folder that cannot be written, the promise of one: nothing can be
    overwritten there). release() is safe to call twice."""

    path: Path
    handle: IO[str] | None = field(default=None, repr=False)

    def release(self) -> None:
        if self.handle is not None:
            handle, self.handle = self.handle, None
            with contextlib.suppress(OSError):
                handle.close()  # closing drops the lock; the file stays, holding a dead pid


def acquire_lock(home: Path) -> Lock | None:
    """The lock of this data folder, or None when a running game holds it."""
    path = home / FILE
    try:
        home.mkdir(parents=True, exist_ok=True)
        # The file stays open for the whole game: holding it open is holding the lock.
        handle = open(path, "a+", encoding="ascii")  # noqa: SIM115
    except OSError:
        try:
            handle = open(path, encoding="ascii")  # noqa: SIM115 (read-only folder: a lock file may still be there)
        except OSError:
            return Lock(path)  # nothing can be saved here, so nothing can be overwritten
    if not _os_lock(handle):
        handle.close()
        return None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
    except OSError:
        pass  # a lock file in a read-only folder: held, but it keeps the pid it had
    return Lock(path, handle)


def holder(home: Path) -> int | None:
    """The pid written in the lock file, if it can be read."""
    try:
        text = (home / FILE).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def locked_message(home: Path) -> str:
    """What the second game says, on one line."""
    pid = holder(home)
    running = f" (process {pid})" if pid else ""
    return (f"Another game{running} is running with the data folder {home}. Finish it first, "
            f"or play this one with its own folder: BUDAPEST56_HOME=/some/other/folder budapest56")


def _os_lock(handle: IO[str]) -> bool:
    """Take the operating system's lock on the open file; False when another process has it."""
    try:
        if os.name == "posix":
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except (BlockingIOError, PermissionError):
        return False
    except OSError:
        return True  # a file system without locks (some network drives): do not refuse to play
    return True
