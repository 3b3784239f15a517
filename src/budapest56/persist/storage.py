"""Files that must never be lost: where they live, atomic writes, and refusing corrupt ones.

A write goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
the old file, so a crash or Ctrl-C mid-write leaves the previous version whole. A file that
cannot be read is moved aside (never deleted) and reported as the caller's error type, naming it.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import TypeVar

from ..errors import Budapest56Error, Loc

HOME_VARIABLE = "BUDAPEST56_HOME"
E = TypeVar("E", bound=Budapest56Error)


def data_home() -> Path:
    """$BUDAPEST56_HOME, else the platform's per-user data folder (~/.local/share/budapest56 on Linux)."""
    given = os.environ.get(HOME_VARIABLE)
    if given:
        return Path(given)
    import platformdirs  # only the game and its saves pay for this import

    return platformdirs.user_data_path("budapest56", appauthor=False)


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        # Whatever went wrong (disk full, Ctrl-C), the old file is untouched; drop the half-written one.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def atomic_write_json(path: Path, data: object) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def read_json(path: Path, what: str, error: type[Budapest56Error]) -> object:
    """Parse a JSON file; if it is unreadable, move it aside and raise `error` saying where it went."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise corrupt(path, what, _reason(e), error) from None


def corrupt(path: Path, what: str, reason: str, error: type[E]) -> E:
    """Move a bad file aside and make the error that tells the player so."""
    aside = quarantine(path)
    return error.at(Loc(str(path)), "corrupt-file", f"{what} cannot be used: {reason}",
                         f"it was moved to {aside.name}; nothing was deleted")


def quarantine(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, aside)
    return aside


def _reason(e: Exception) -> str:
    if isinstance(e, UnicodeDecodeError):
        return "it is not UTF-8 text"
    assert isinstance(e, json.JSONDecodeError)
    return f"it is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})"


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows); the rename itself is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
