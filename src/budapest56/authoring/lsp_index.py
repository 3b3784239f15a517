"""Where every id of a story is defined and used, to the column: the language server's map.

Pure (no pygls): each file is composed with PyYAML and walked along the format (story.format),
so a node id after `goto:`, a fact id in `unlock:`, a flag in `set:` or inside an `if:`
condition, a node in a transcript's `node:` are all found the way the loader reads them. A file
that does not parse adds nothing; the rest of the story is still mapped.

Positions are 0-based (line, column in code points), as PyYAML's marks are.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..story.conditions import FUNCTIONS, KEYWORDS
from ..story.format import OBJECTS, REFERENCES
from ..story.loader import STORY_FILE, TRANSCRIPT_SUFFIX, story_files

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KINDS = ("node", "fact", "term", "chapter", "source", "flag", "counter")
# Objects whose `id:` defines a name of that kind.
_DEFINES = {"node": "node", "fact": "fact", "term": "term", "chapter": "chapter", "source": "source"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EITHER = "flag_or_counter"  # a name in `set:` or a condition: a counter if the story declares one so


@dataclass(frozen=True, slots=True)
class Occurrence:
    kind: str         # one of KINDS (or EITHER until the story's counters are known)
    name: str
    path: Path        # absolute
    line: int         # 0-based
    start: int        # 0-based columns, end exclusive
    end: int
    definition: bool

    def covers(self, path: Path, line: int, column: int) -> bool:
        return self.path == path and self.line == line and self.start <= column <= self.end


def story_folder(path: Path) -> Path | None:
    """The story folder a file belongs to: the nearest folder above it holding story.yaml."""
    for folder in path.parents:
        if (folder / STORY_FILE).is_file():
            return folder
    return None


def story_paths(folder: Path) -> list[Path]:
    """Every file of the story that names ids: story.yaml, the scene files, the transcripts."""
    transcripts = sorted(p for p in folder.rglob("*" + TRANSCRIPT_SUFFIX)
                         if not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return [folder / STORY_FILE, *story_files(folder), *transcripts]


def file_kind(folder: Path, path: Path) -> str:
    if path == folder / STORY_FILE:
        return "story"
    return "transcript" if path.name.endswith(TRANSCRIPT_SUFFIX) else "scene"


def occurrences(path: Path, text: str, kind: str) -> tuple[Occurrence, ...] | None:
    """Every id defined or used in one file ('story', 'scene' or 'transcript'); None if it does not parse."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if root is None:
        return ()
    walker = _Walker(path, text)
    if kind == "transcript":
        walker.transcript(root)
    else:
        walker.value(root, f"object:{kind}", kind)
    return tuple(walker.found)


class _Walker:
    def __init__(self, path: Path, text: str):
        self.path, self.text = path, text
        self.found: list[Occurrence] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def add(self, kind: str, node: yaml.Node, definition: bool = False) -> None:
        if isinstance(node, yaml.ScalarNode) and node.value and _NAME.fullmatch(node.value):
            at = node.start_mark.index + (1 if node.style in ("'", '"') else 0)
            self.add_at(kind, node.value, at, definition)

    def add_at(self, kind: str, name: str, index: int, definition: bool) -> None:
        line = _line_of(self.line_starts, index)
        start = index - self.line_starts[line]
        self.found.append(Occurrence(kind, name, self.path, line, start, start + len(name), definition))

    def value(self, node: yaml.Node, t: str, obj: str, key: str = "") -> None:
        ref = REFERENCES.get((obj, key))
        if t.startswith("object:"):
            self.object(node, t[7:])
        elif t.startswith("list:"):
            for item in _items(node):
                self.object(item, t[5:])
        elif t == "text":
            for item in _items(node) if isinstance(node, yaml.SequenceNode) else ():
                if isinstance(item, yaml.MappingNode):
                    self.object(item, "text_part")
        elif t == "condition":
            self.condition(node)
        elif ref and t == "id":
            self.add(ref, node)
        elif ref and t == "ids":
            for item in _items(node):
                self.add(ref, item)
        elif ref and t.startswith("map:"):
            for name, _ in _pairs(node):
                self.add(ref, name)
        elif obj == "story" and key in ("flags", "counters"):
            for name, _ in _pairs(node):
                self.add(key[:-1], name, definition=True)

    def object(self, node: yaml.Node, obj: str) -> None:
        fields = OBJECTS[obj]
        for key_node, value_node in _pairs(node):
            key = key_node.value
            if key == "id" and obj in _DEFINES and obj != "story":
                self.add(_DEFINES[obj], value_node, definition=True)
            elif key in fields:
                self.value(value_node, fields[key].type, obj, key)

    def condition(self, node: yaml.Node) -> None:
        """Names in a condition, found in the file's own text so their columns are exact."""
        if not isinstance(node, yaml.ScalarNode):
            return
        start, end = node.start_mark.index, node.end_mark.index
        raw = self.text[start:end]
        matches = list(_NAME.finditer(raw))
        for i, m in enumerate(matches):
            word = m.group()
            if word in KEYWORDS or (word in FUNCTIONS and raw[m.end():].lstrip().startswith("(")):
                continue
            before = matches[i - 1] if i else None
            call = before is not None and before.group() in FUNCTIONS and \
                raw[before.end():m.start()].strip() == "("
            self.add_at(FUNCTIONS[before.group()] if call and before else EITHER, word, start + m.start(), False)

    def transcript(self, root: yaml.Node) -> None:
        for key_node, value_node in _pairs(root):
            if key_node.value == "from":
                self.add("node", value_node)
            elif key_node.value == "set":
                for name, _ in _pairs(value_node):
                    self.add(EITHER, name)
            elif key_node.value == "steps":
                for step in _items(value_node):
                    self.step(step)

    def step(self, step: yaml.Node) -> None:
        for key_node, value_node in _pairs(step):
            if key_node.value == "node":
                self.add("node", value_node)
            elif key_node.value == "unlocked":
                for item in _items(value_node) if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                    self.add("fact", item)
            elif key_node.value == "flags":
                for name, _ in _pairs(value_node):
                    self.add(EITHER, name)


def _pairs(node: yaml.Node) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield key, value


def _items(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _line_of(starts: list[int], index: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= index:
            lo = mid
        else:
            hi = mid - 1
    return lo


@dataclass(frozen=True)
class StoryIndex:
    """Every occurrence of every id across a story's files, flags and counters told apart."""

    occurrences: tuple[Occurrence, ...]

    @classmethod
    def build(cls, files: Iterable[tuple[Occurrence, ...]]) -> StoryIndex:
        every = [o for found in files for o in found]
        counters = {o.name for o in every if o.kind == "counter" and o.definition}
        return cls(tuple(_resolved(o, counters) for o in every))

    def at(self, path: Path, line: int, column: int) -> Occurrence | None:
        return next((o for o in self.occurrences if o.covers(path, line, column)), None)

    def of(self, kind: str, name: str, definitions: bool | None = None) -> list[Occurrence]:
        """Occurrences of one id; only definitions (True), only uses (False), or both (None)."""
        return [o for o in self.occurrences if o.kind == kind and o.name == name
                and (definitions is None or o.definition == definitions)]

    def names(self, kind: str) -> list[str]:
        """The defined ids of a kind, in file order."""
        return list(dict.fromkeys(o.name for o in self.occurrences if o.kind == kind and o.definition))


def _resolved(o: Occurrence, counters: set[str]) -> Occurrence:
    if o.kind != EITHER:
        return o
    kind = "counter" if o.name in counters else "flag"
    return Occurrence(kind, o.name, o.path, o.line, o.start, o.end, o.definition)


class Maps:
    """Each file's occurrences, kept between calls so only a changed file is composed again, and
    kept through a text that does not parse (half-typed YAML): that file's last good map is
    nearer the truth than none, and `unparsed` names the files where it is stale."""

    def __init__(self) -> None:
        self.files: dict[Path, tuple[str, tuple[Occurrence, ...]]] = {}
        self.unparsed: set[Path] = set()

    def index(self, folder: Path, texts: Mapping[Path, str]) -> StoryIndex:
        """The story folder's index, reading `texts` (open documents) in place of the files."""
        found = []
        for path in story_paths(folder):
            text = texts.get(path)
            if text is None:
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
            cached = self.files.get(path)
            if cached is None or cached[0] != text:
                now = occurrences(path, text, file_kind(folder, path))
                cached = (text, now if now is not None else cached[1] if cached else ())
                self.files[path] = cached
                (self.unparsed.add if now is None else self.unparsed.discard)(path)
            found.append(cached[1])
        return StoryIndex.build(found)


def index_story(folder: Path, texts: Mapping[Path, str]) -> StoryIndex:
    """The index of a story folder, once (`Maps` keeps the files' maps between calls)."""
    return Maps().index(folder, texts)
