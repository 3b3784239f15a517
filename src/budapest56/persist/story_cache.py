"""A story as it was last loaded, kept so that the game starts without reading its YAML again.

    load_cached(folder) -> Story     what load_story(folder, freeze=True) returns, from the
                                     cache when nothing it was made from has changed

Loading the bundled story (importing PyYAML, parsing ten files, checking every quote against
the source) was a third of the terminal game's start-up (benchmarks/README.md, "Start-up").
A loaded story is written to the user's cache folder ($BUDAPEST56_CACHE, else the platform's,
~/.cache/budapest56 on Linux; an empty $BUDAPEST56_CACHE turns the cache off) and read back on
the next start while everything it was made from is unchanged: the bytes of every file under
the story folder (but in dot-folders, which the loader skips) and of its sources, the folder
and the working directory (the story's locations are written relative to it), and the code
that loads a story (budapest56.story, budapest56.errors, this module and PyYAML, by size and
modification time, as Python's own bytecode cache does). Anything else, a missing, stale or
damaged file included, is a miss: the story is loaded from its files and the cache written again.

The file is JSON, never pickle or marshal: reading it builds only the story model's own frozen
classes, named in it by tag; conditions are compiled again from their parsed tree, exactly as
the loader compiles them. Its first line holds what the payload on the second line was made
from and the payload's digest, so a file cut short or altered is refused. A story is cached
only once it has been read back and compared equal to the story loaded from its files.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import errors
from ..story import conditions, model, quotes
from ..story.files import Refused, inside, read_bytes, resolved_inside
from ..story.model import Story

CACHE_VARIABLE = "BUDAPEST56_CACHE"
FORMAT = 1  # raised whenever the layout of the file changes
KEEP = 16   # cached stories kept; the least recently used beyond that are removed
_CODE = ("story", "errors.py", "persist/story_cache.py")  # under the package: what builds a Story
# Every class a cached story may hold, by its tag in the file: the story model's own.
_CLASSES: dict[str, type] = {
    cls.__name__: cls for module in (model, errors, quotes) for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__}
_TUPLE, _FROZENSET, _DICT = "t", "f", "d"  # tags of the containers JSON does not have
assert not {_TUPLE, _FROZENSET, _DICT} & _CLASSES.keys()


class _Unfit(ValueError):
    """The story holds something this cache does not write (it is then loaded from its files)."""


def cache_folder() -> Path | None:
    """Where cached stories live: $BUDAPEST56_CACHE, else the platform's user cache folder; None: off."""
    given = os.environ.get(CACHE_VARIABLE)
    if given is not None:
        return Path(given) if given.strip() else None
    if sys.platform.startswith("linux"):
        # platformdirs' own rule here (XDG), without the cost of importing it before the first screen
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return Path(base) / "budapest56" / "stories"
    import platformdirs

    return platformdirs.user_cache_path("budapest56", appauthor=False) / "stories"


def load_cached(folder: Path) -> Story:
    """The story in `folder`, as load_story(folder, freeze=True) would return it (StoryError
    included); read from the cache when it is fresh, else loaded and then cached."""
    where = cache_folder()
    path = where / f"{_digest(str(folder), str(folder.resolve()), os.getcwd())[:32]}.json" if where else None
    if path is not None:
        story = _read(path, folder)
        if story is not None:
            return story
    from ..story.loader import load_story  # PyYAML and the loader are paid for only on a miss

    story = load_story(folder, freeze=True)
    if path is not None:
        _write(path, folder, story)
    return story


# -- the file ------------------------------------------------------------------------------------
def _read(path: Path, folder: Path) -> Story | None:
    try:
        data = path.read_bytes()
        head_line, _, payload = data.partition(b"\n")
        head = json.loads(head_line)
        if (not isinstance(head, dict) or head.get("format") != FORMAT
                or head.get("payload") != _digest(payload, _canonical(head.get("names")))
                or head.get("inputs") != _inputs(folder, head.get("sources", []))):
            return None
        names = head["names"]
        counters = {name: i for i, name in enumerate(names["counters"])}
        # Keyword arguments: the order of Names' fields is not this module's to rely on.
        decoded = _decode(payload, conditions.Names(flags=names["flags"], counters=counters,
                                                    facts=names["facts"], nodes=names["nodes"]))
    except (OSError, ValueError, TypeError, KeyError, RecursionError, Refused):
        return None
    if not isinstance(decoded, Story):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when old entries are removed
    return decoded


def _write(path: Path, folder: Path, story: Story) -> None:
    """Cache `story`, once it reads back equal; any failure leaves the cache as it was."""
    try:
        payload = json.dumps(_encode(story), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        names = {"flags": list(story.flags), "counters": list(story.counters),
                 "facts": list(story.facts), "nodes": list(story.nodes)}
        counters = {name: i for i, name in enumerate(story.counters)}
        again = _decode(payload, conditions.Names(flags=story.flags, counters=counters, facts=story.facts,
                                                  nodes=story.nodes))
        if not (again == story and _indexes(again) == _indexes(story)):
            return
        sources = sorted({s.file for s in story.sources.values()})
        head = {"format": FORMAT, "inputs": _inputs(folder, sources), "sources": sources,
                "payload": _digest(payload, _canonical(names)), "names": names}
        text = json.dumps(head, ensure_ascii=True).encode("ascii") + b"\n" + payload
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(text)
            os.replace(tmp, path)  # whole or not at all, for a game starting at the same time
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(path.parent)
    except (OSError, _Unfit, ValueError, TypeError, RecursionError, Refused):
        return


def _indexes(story: Story) -> list[quotes.SourceIndex]:
    """The sources' indexes, which Story equality leaves out (compare=False)."""
    return [s.index for s in story.sources.values()]


def _prune(where: Path) -> None:
    entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


# -- what a story is made from ------------------------------------------------------------------
def _digest(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=32)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=True)


def _inputs(folder: Path, sources: Iterable[str]) -> str:
    """A digest of everything load_story(folder) depends on; Refused when a file cannot be read."""
    parts: list[str | bytes] = [str(FORMAT), sys.version, os.getcwd(), str(folder), str(folder.resolve())]
    for code in _code_files():
        info = code.stat()
        parts.append(f"{code}:{info.st_size}:{info.st_mtime_ns}")
    # Every file under the folder that the loader may look at (scene files, and files that only
    # look like one, which it names), read as the loader reads them; a file added, removed or
    # changed anywhere but in a dot-folder (which the loader skips) makes a new digest.
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or file.is_dir():
            continue
        parts += [str(rel), read_bytes(resolved_inside(folder, file))]
    for name in sources:
        parts += [name, read_bytes(inside(folder, name))]
    return _digest(*parts)


def _code_files() -> list[Path]:
    package = Path(__file__).resolve().parent.parent
    files = [package / "errors.py", package / "persist" / "story_cache.py", *sorted((package / "story").glob("*.py"))]
    from importlib.machinery import PathFinder  # found without importing it: PyYAML is not loaded on a hit

    yaml_spec = PathFinder.find_spec("yaml")
    if yaml_spec is not None and yaml_spec.origin:
        files.append(Path(yaml_spec.origin))
    return files


# -- the codec -----------------------------------------------------------------------------------
def _encode(value: object) -> object:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is tuple:
        return {_TUPLE: [_encode(v) for v in value]}  # type: ignore[attr-defined]
    if kind is frozenset:
        items = list(value)  # type: ignore[call-overload]
        if not all(type(v) is str for v in items):
            raise _Unfit(f"a set of {items!r}")
        return {_FROZENSET: sorted(items)}
    if kind is dict:
        flat: list[object] = []
        for k, v in value.items():  # type: ignore[attr-defined]
            if type(k) is not str:
                raise _Unfit(f"a key {k!r}")
            flat += [k, _encode(v)]
        return {_DICT: flat}
    if kind is model.Condition:
        c: model.Condition = value  # type: ignore[assignment]
        return {"Condition": [c.source, _encode(c.tree), _encode(c.loc)]}
    if _CLASSES.get(kind.__name__) is kind:
        fields = dataclasses.fields(value)  # type: ignore[arg-type]
        if not all(f.init for f in fields):
            raise _Unfit(f"{kind.__name__} has a field set after construction")
        return {kind.__name__: [_encode(getattr(value, f.name)) for f in fields]}
    raise _Unfit(f"a {kind.__name__}")


def _decode(payload: bytes, names: conditions.Names) -> object:
    classes = _CLASSES
    no_effects = model.NO_EFFECTS
    Condition, Effects, compile_tree = model.Condition, model.Effects, conditions.compile_tree

    def hook(obj: dict[str, Any]) -> object:
        ((tag, value),) = obj.items()  # ValueError unless exactly one tag
        if tag == _TUPLE:
            return tuple(value)
        if tag == _DICT:
            return dict(zip(value[::2], value[1::2], strict=True))
        if tag == _FROZENSET:
            return frozenset(value)
        if tag == "Condition":
            source, tree, loc = value
            return Condition(source, tree, compile_tree(tree, names), loc)
        made = classes[tag](*value)
        # The loader shares one empty Effects, which the engine tells apart by identity.
        return no_effects if type(made) is Effects and made == no_effects else made

    was_enabled = gc.isenabled()
    gc.disable()  # as load_story(freeze=True) does: no cycles here, and no re-scans while building
    try:
        return json.loads(payload.decode("utf-8", "surrogatepass"), object_hook=hook)
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
