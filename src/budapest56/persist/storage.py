"""Files that must never be lost: where they live, atomic writes, and refusing corrupt ones.

A write goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
the old file, so a crash or Ctrl-C mid-write leaves the previous version whole (and Ctrl-C,
SIGTERM or SIGHUP arriving during the write is held until the new file is in place). A file
that cannot be used (not JSON, too big, nested too deep, numbers too long) is moved aside
(never deleted) and reported as the caller's error type naming it; where it cannot be moved (a read-only
folder) it is named and left alone. A folder that cannot be read or written raises NotSaving.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ..errors import Budapest56Error, Loc

HOME_VARIABLE = "BUDAPEST56_HOME"
E = TypeVar("E", bound=Budapest56Error)
MAX_BYTES = 16 * 1024 * 1024  # a save with its whole undo stack is well under 1 MB
MAX_DEPTH = 40  # saves and the profile nest 6 deep at most
MAX_DIGITS = 30  # no count, time or score comes near this; int() of 4,301 digits raises
STALE_SECONDS = 60  # a temporary file older than this belongs to a write that was killed
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")
_SHIELDED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class NotSaving(OSError):
    """The data folder cannot be written (or read): the game plays on without saving."""


def not_saving_message(folder: Path, reason: str) -> str:
    """What the player is told, once, when nothing can be saved."""
    return (f"Your games cannot be saved in {folder} ({reason}). "
            "Playing on without saving: this game cannot be continued later.")


def data_home() -> Path:
    """$BUDAPEST56_HOME, else the platform's per-user data folder (~/.local/share/budapest56 on Linux)."""
    given = os.environ.get(HOME_VARIABLE)
    if given:
        return Path(given)
    import platformdirs  # only the game and its saves pay for this import

    return platformdirs.user_data_path("budapest56", appauthor=False)


def atomic_write_text(path: Path, text: str) -> None:
    with _signals_held():
        _write(path, text)


def _write(path: Path, text: str) -> None:
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


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the write is done: a second Ctrl-C during the
    goodbye save must not skip it. Signals arriving meanwhile are delivered right after."""
    if not hasattr(signal, "pthread_sigmask"):
        yield  # Windows: the write is still atomic, only not shielded
        return
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _SHIELDED)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def read_json(path: Path, what: str, error: type[Budapest56Error]) -> object:
    """Parse a JSON file of the data folder, refusing whatever could not have been written by
    this game (too big, nested too deep, numbers too long). A file that cannot be used is moved
    aside and `error` says where it went; a file that cannot be read raises NotSaving."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise corrupt(path, what, f"it is {size:,} bytes; the game never writes more than {MAX_BYTES:,}", error)
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise corrupt(path, what, "it is not UTF-8 text", error) from None
    except IsADirectoryError:
        raise corrupt(path, what, "it is a folder, not a file", error) from None
    except OSError as e:
        if isinstance(e, NotSaving):
            raise
        raise NotSaving(e.errno, e.strerror or str(e), str(path)) from None
    try:
        return parse_json(text)
    except json.JSONDecodeError as e:
        raise corrupt(path, what, _reason(e), error) from None
    except ValueError as e:
        raise corrupt(path, what, str(e), error) from None


def peek_json(path: Path) -> object:
    """The file's JSON value, or None when it cannot be read or used; moves nothing (for lists)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return parse_json(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None


def parse_json(text: str) -> object:
    """json.loads within what this game writes; ValueError (JSONDecodeError included) says why not."""
    depth = _depth(text)
    if depth > MAX_DEPTH:
        raise _Refused(f"it is nested more than {MAX_DEPTH} levels deep, which the game never writes")
    return json.loads(text, parse_int=_int, parse_constant=_constant)


class _Refused(ValueError):
    """A JSON value the game never writes."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"it holds a number of {len(text.lstrip('-')):,} digits")
    return int(text)


def _constant(text: str) -> float:
    raise _Refused(f"it holds {text}, which is not a number the game writes")


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings: checked before parsing, since Python's
    JSON parser recurses and 100,000 nested [ would raise RecursionError."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        elif c in "]}":
            depth -= 1
    return deepest


def corrupt(path: Path, what: str, reason: str, error: type[E]) -> E:
    """Move a bad file aside and make the error that tells the player so. Where it cannot be
    moved (a read-only folder), it is named and left alone."""
    try:
        aside = quarantine(path)
    except OSError as e:
        return error.at(Loc(str(path)), "corrupt-file", f"{what} cannot be used: {reason}",
                             f"it could not be moved aside ({e.strerror or e}), so it was left as it is at {path}")
    return error.at(Loc(str(path)), "corrupt-file", f"{what} cannot be used: {reason}",
                         f"it was moved to {aside.name}; nothing was deleted")


def left_in_place(error: Budapest56Error) -> bool:
    """True when corrupt() could not move the file aside: it must not be written over either."""
    return error.findings[0].code == "corrupt-file" and "could not be moved aside" in error.findings[0].hint


def clean_stale_temps(home: Path, now: float | None = None) -> int:
    """Delete the temporary files of writes that were killed mid-way (kill -9, a power cut);
    they never hold anything the real file does not. Returns how many were removed."""
    now = time.time() if now is None else now
    removed = 0
    for folder in (home, *sorted(home.glob("saves/*"))):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if (_TEMP.match(entry.name) and entry.is_file(follow_symlinks=False)
                        and now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS):
                    os.unlink(entry.path)
                    removed += 1
            except OSError:
                continue  # a read-only folder: left alone, like everything else there
    return removed


def check_writable(home: Path) -> str:
    """'' when the data folder can be written; else the reason, in words, that it cannot."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=home, prefix=".write-test.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        return _why(e)
    return ""


def _why(e: OSError) -> str:
    import errno

    if e.errno == errno.EROFS:
        return "the disk is read-only"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "the folder is read-only for you"
    if e.errno == errno.ENOSPC:
        return "the disk is full"
    return str(e.strerror or e)


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
