"""Files to a wake-up call, for the --watch commands (play/live.py runs them).

    watch_folder(folder, keep)  -> [] once watching has begun, then each batch of changed files
    Watcher(folder, wake)       a thread calling wake() when a file of the story changes
    LineReader                  plain mode's stdin, a line at a time, that wake() interrupts

watchfiles (a Rust file-notification core, with polling where the system has none) is imported
only here, and only when a --watch command runs.
"""
from __future__ import annotations

import os
import select
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path

from ..errors import UsageError
from ..story.loader import TRANSCRIPT_SUFFIX
from ..story.model import Story
from .contract import Changed

STEP_MS = 50        # a batch of changes is over once nothing changed for this long (an editor's save is several)
DEBOUNCE_MS = 1600  # ... or after this long at most, for a tool that keeps writing
READY_MS = 100      # how soon watchfiles first returns empty-handed: the sign that the watch has begun
SCENE_SUFFIXES = (".yaml", ".yml")
ADDED = 1  # watchfiles.Change.added, without importing watchfiles to say it


def need_watchfiles() -> None:
    """One line instead of a traceback when the dependency went missing from an environment."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        raise UsageError("--watch needs the watchfiles package: pip install watchfiles") from None


def watch_folder(folder: Path, keep: Callable[[Path], bool],
                 stop: threading.Event | None = None) -> Iterator[list[Path]]:
    """Yield [] as soon as changes are being watched, then each batch of changed files inside
    `folder` that `keep` keeps (hidden ones and editors' swap files never count). Raises
    KeyboardInterrupt on Ctrl-C (main thread), ends when `stop` is set."""
    import watchfiles  # only a --watch command pays for it

    root = folder.resolve()
    junk = watchfiles.DefaultFilter()

    def wanted(change: watchfiles.Change, name: str) -> bool:
        path = Path(name)
        return junk(change, name) and visible(root, path) and keep(path)

    begun = False
    for batch in watchfiles.watch(root, watch_filter=wanted, debounce=DEBOUNCE_MS, step=STEP_MS,
                                  rust_timeout=READY_MS, yield_on_timeout=True, stop_event=stop):
        if not begun:  # whatever came before the first look at the files is in that look
            begun = True
            yield []
        elif changed := _lasting(batch):
            yield changed


def _lasting(batch: Iterable[tuple[int, str]]) -> list[Path]:
    """The files of a batch, without those made and removed within it (a tool's temporary file)."""
    kinds: dict[str, set[int]] = {}
    for change, name in batch:
        kinds.setdefault(name, set()).add(change)
    return sorted(Path(name) for name, seen in kinds.items() if ADDED not in seen or os.path.lexists(name))


def visible(root: Path, path: Path) -> bool:
    """Inside the folder and in no hidden folder, as the loader reads it (.git, .cache, ...)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    return not any(part.startswith(".") for part in parts)


def names(root: Path, paths: Sequence[Path]) -> str:
    """The changed files as the author names them: relative to the story folder, a few at most."""
    shown = [str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in paths[:3]]
    more = len(paths) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


class Watcher:
    """The story folder, watched in a thread. A change to a file of the story (a scene, story.yaml,
    a source text; any file while the story does not load, since any may be the fix) wakes the game."""

    def __init__(self, folder: Path, wake: Callable[[], None]) -> None:
        self.folder, self._wake = folder, wake
        self.sources: frozenset[Path] = frozenset()  # the loaded story's source texts
        self.everything = True  # until a story loads
        self.problem = ""  # why watching stopped, if it did
        self._changed: set[Path] = set()
        self._lock = threading.Lock()
        self._stop, self._begun = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="budapest56-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._begun.wait(30)
        if self.problem:
            raise OSError(self.problem)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def follow(self, story: Story) -> None:
        self.sources = frozenset((self.folder / s.file).resolve() for s in story.sources.values())
        self.everything = False

    def take(self) -> list[Path]:
        """The files changed since the last call."""
        with self._lock:
            changed, self._changed = sorted(self._changed), set()
        return changed

    def _keep(self, path: Path) -> bool:
        scene = path.suffix in SCENE_SUFFIXES and not path.name.endswith(TRANSCRIPT_SUFFIX)
        return self.everything or scene or path in self.sources

    def _run(self) -> None:
        try:
            for batch in watch_folder(self.folder, self._keep, self._stop):
                self._begun.set()
                if batch:
                    with self._lock:
                        self._changed.update(batch)
                    self._wake()
        except Exception as e:  # the thread must say why it stopped, never die silently
            self.problem = str(e) or type(e).__name__
            self._wake()
        finally:
            self._begun.set()


class LineReader:
    """Standard input a line at a time, for plain mode in a --watch game: wake() (from any thread)
    makes the read waiting now, or the next one, raise Changed. On POSIX the read waits on stdin
    and a pipe together, so a change is shown at once; elsewhere it is seen at the next prompt."""

    def __init__(self, fd: int | None) -> None:
        self._fd, self._woken = fd, threading.Event()
        self._bell = os.pipe() if fd is not None else None
        if self._bell:  # neither end may block: the reader drains it, the watcher only rings
            os.set_blocking(self._bell[0], False)
            os.set_blocking(self._bell[1], False)
        self._buffer, self._ended = b"", False

    @classmethod
    def for_stdin(cls) -> LineReader:
        try:
            fd = sys.stdin.fileno() if sys.stdin is not None and os.name == "posix" else None
        except (OSError, ValueError):  # no file behind it (an embedding's stdin)
            fd = None
        return cls(fd)

    @property
    def at_once(self) -> bool:
        """Whether a wake ends the read waiting now (else only the next one)."""
        return self._bell is not None

    def wake(self) -> None:
        self._woken.set()
        bell = self._bell
        if bell:
            with suppress(OSError):  # full (rung already) or closed (the game is over)
                os.write(bell[1], b"!")

    def read(self) -> str | None:
        """The next line, or None at the end of input."""
        if self._fd is None or self._bell is None:
            self._changed()
            try:
                return (sys.stdin.readline() or None) if sys.stdin is not None else None
            except (OSError, ValueError, UnicodeDecodeError):
                return None
        while True:
            self._changed()
            if b"\n" in self._buffer:
                line, _, self._buffer = self._buffer.partition(b"\n")
                return self._text(line)
            if self._ended:
                rest, self._buffer = self._buffer, b""
                return self._text(rest) if rest else None
            ready, _, _ = select.select([self._fd, self._bell[0]], [], [])
            if self._bell[0] in ready:
                self._drain()
            if self._fd in ready:
                try:
                    data = os.read(self._fd, 65536)
                except OSError:  # stdin closed under us: as good as its end
                    data = b""
                self._buffer += data
                self._ended = not data

    def close(self) -> None:
        if self._bell:
            for fd in self._bell:
                os.close(fd)
            self._bell = None

    def _changed(self) -> None:
        if self._woken.is_set():
            self._woken.clear()
            self._drain()
            raise Changed

    def _drain(self) -> None:
        try:
            while self._bell and os.read(self._bell[0], 4096):
                pass
        except BlockingIOError:
            pass

    @staticmethod
    def _text(line: bytes) -> str:
        return line.decode(sys.stdin.encoding if sys.stdin is not None else "utf-8", "replace")
