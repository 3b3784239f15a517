"""Reading a story's own files, and only those: inside the story folder, regular, not too big.

A story is often someone else's folder. A source `file:` written as `/etc/passwd` or
`../../secret.txt`, or a scene that is a symbolic link to one, would let `check` print that
file and facts quote it; `/dev/zero` would be read until memory runs out, and a FIFO would
block for ever. Each refusal says why, in words.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

MAX_FILE_BYTES = 32 * 1024 * 1024  # the bundled story's largest file is under 100 KB


# Texts read in place of files on disk: an editor's unsaved buffers (authoring.lsp_server), keyed
# by resolved path. A context variable, so a check running in one thread sees only its own.
_OVERLAY: ContextVar[Mapping[str, bytes] | None] = ContextVar("overlay", default=None)


@contextmanager
def overlaid(texts: Mapping[Path, bytes]) -> Iterator[None]:
    """While inside, read_bytes returns these bytes for these paths instead of the files' own."""
    token = _OVERLAY.set({os.path.realpath(path): data for path, data in texts.items()})
    try:
        yield
    finally:
        _OVERLAY.reset(token)


class Refused(Exception):
    """A file the story may not use; str() is the reason, to follow 'cannot read ...: '."""


def inside(folder: Path, name: str) -> Path:
    """The path `name` (relative to the story folder) names, once it is known to lie inside
    the folder after every symbolic link is resolved; Refused otherwise."""
    if "\0" in name:
        raise Refused("the file name holds a NUL character")
    if not name.strip():
        raise Refused("the file name is empty")
    if os.path.isabs(name):
        raise Refused("the path is absolute; name a file inside the story folder, relative to it")
    return resolved_inside(folder, folder / name)


def resolved_inside(folder: Path, path: Path) -> Path:
    try:
        real, root = path.resolve(), folder.resolve()
    except (OSError, RuntimeError) as e:  # a symbolic link loop
        raise Refused(f"the path cannot be followed ({getattr(e, 'strerror', None) or e})") from None
    if not real.is_relative_to(root):
        how = " (through a symbolic link)" if ".." not in path.parts else ""
        raise Refused("it lies outside the story folder" + how)
    return real


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, at most `limit` (MAX_FILE_BYTES) of them; Refused for anything
    else (a device, a FIFO, a folder, a file too big) and for OSError, with its reason."""
    limit = MAX_FILE_BYTES if limit is None else limit
    overlay = _OVERLAY.get()
    if overlay and (data := overlay.get(os.path.realpath(path))) is not None:
        if len(data) > limit:
            raise Refused(f"it is {len(data):,} bytes; story files may be at most {limit:,}")
        return data
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise Refused(str(e.strerror or e)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise Refused(f"it is {info.st_size:,} bytes; story files may be at most {limit:,}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise Refused(f"it is more than {limit:,} bytes; story files may be at most {limit:,}")
        return b"".join(chunks)
    except OSError as e:
        raise Refused(str(e.strerror or e)) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
