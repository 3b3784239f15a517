"""Which files of a story folder are what: scene files (*.yaml, *.yml), files that look like
scenes but are not read (named, so an unknown node written in one says why), and the file of
the folder a misspelt source name most likely meant."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import suggest

STORY_FILE = "story.yaml"
TRANSCRIPT_SUFFIX = ".play.yaml"
SCENE_SUFFIXES = (".yaml", ".yml")
_SCENE_KEYS = re.compile(r"^(?:nodes|facts|glossary|steps):", re.M)  # the top keys of a scene (or transcript)
DEFINED = re.compile(r"^[ -]*id:\s*([a-z][a-z0-9_]*)\s*$", re.M)
_LOOKED_AT = 64 * 1024  # of a file that is not a scene file, enough to tell whether it looks like one


def story_files(folder: Path) -> list[Path]:
    """Scene files of a story folder, in path order: every *.yaml and *.yml but story.yaml and
    transcripts (*.play.yaml, and *.play.yml, named by not_read())."""
    out = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if not path.name.endswith(SCENE_SUFFIXES) or rel == Path(STORY_FILE):
            continue
        if path.name.endswith((TRANSCRIPT_SUFFIX, ".play.yml")) or any(part.startswith(".") for part in rel.parts):
            continue
        if not path.is_dir():  # a FIFO or a device is refused, with its reason, when it is read
            out.append(path)
    return sorted(out)


def not_read(folder: Path, sources: Iterable[str] = ()) -> list[tuple[Path, str]]:
    """Files of the story folder that look like scene files but are not read as one (night.yaml.txt,
    night.YAML, a transcript named .play.yml), with the start of their text; `sources` are the source
    files (relative to the folder), which are read as sources."""
    skip = {(folder / name).resolve() for name in sources if name.strip() and "\0" not in name}
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or rel == Path(STORY_FILE):
            continue
        if path.name.endswith(SCENE_SUFFIXES + (".json",)) and not path.name.endswith(".play.yml"):
            continue
        try:
            if not path.is_file() or path.resolve() in skip:
                continue
            with path.open("rb") as f:
                text = f.read(_LOOKED_AT).decode("utf-8", errors="replace")
        except OSError:
            continue
        if _SCENE_KEYS.search(text):
            out.append((path, text))
    return out



def display_path(path: Path) -> str:
    """A path as the user should read it: relative to where they stand, when that is shorter."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)



def renamed(path: Path) -> str:
    """The name a file not read should have: night.yaml.txt -> night.yaml, x.play.yml -> x.play.yaml."""
    name = path.name
    if name.endswith(".play.yml"):
        return name[: -len(".play.yml")] + TRANSCRIPT_SUFFIX
    stem = re.sub(r"(?i)\.(ya?ml)(\.\w+|~)?$|\.\w+$", "", name)
    return (stem or name) + ".yaml"


def near_file(folder: Path, name: str) -> str:
    """'did you mean' a file of the story folder, for a source file that is not there."""
    try:
        files = [p.relative_to(folder).as_posix() for p in folder.rglob("*")
                 if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    except OSError:
        return ""
    files = [f for f in files if not f.endswith((".yaml", ".yml", ".json"))][:10_000]
    same_name = [f for f in files if f.rsplit("/", 1)[-1] == name.rsplit("/", 1)[-1]]
    hint = suggest(name, files)
    if same_name:
        return f"did you mean '{same_name[0]}'? (the path is relative to the story folder)"
    return hint or "the path is relative to the story folder, the one holding story.yaml"


