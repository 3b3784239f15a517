"""The transcript format (`*.play.yaml`): its parts as frozen data, and reading a file into them
with every location kept. Playing a transcript is transcripts.py's job.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Finding, Loc, StoryError, suggest
from ..story.files import Refused, read_bytes
from ..story.loader import display_path
from ..story.yamlread import FileReader

TOP_KEYS = ("title", "story", "from", "set", "steps")
ACTIONS = ("choose", "do")
EXPECTATIONS = ("node", "text", "unlocked", "flags", "available", "unavailable", "ending")
COMMANDS = ("undo", "restart")


@dataclass(frozen=True, slots=True)
class Expect:
    kind: str       # one of EXPECTATIONS
    value: Any      # node id; texts; fact ids; {name: value}; labels; True/False/ending title
    loc: Loc
    names: tuple[tuple[str, Loc], ...] = ()  # each fact, flag or counter named, where it is written


@dataclass(frozen=True, slots=True)
class Step:
    number: int                     # 1-based, as reported
    action: str | None              # "choose", "do" or None
    target: str | int | None        # a label or number for choose, a command for do
    expects: tuple[Expect, ...]
    loc: Loc                        # of the action's value, else of the step

    def describe(self) -> str:
        if self.action == "choose":
            return f"step {self.number} (choose {self.target!r})"
        if self.action == "do":
            return f"step {self.number} ({self.target})"
        return f"step {self.number}"


@dataclass(frozen=True, slots=True)
class Transcript:
    path: str                       # as displayed
    title: str
    story: Path | None              # the story folder it names, if any
    start_at: str | None
    start_values: tuple[tuple[str, bool | int, Loc], ...]
    steps: tuple[Step, ...]
    loc: Loc


def load_transcript(path: Path) -> Transcript:
    """Read a transcript file; raise StoryError with every problem in it, each with its location."""
    problems: list[Finding] = []
    reader = _Reader(display_path(path), problems)
    try:
        data = read_bytes(path)  # a regular file of bounded size: a FIFO or /dev/zero is refused, not read
    except Refused as e:
        raise StoryError.at(Loc(reader.path), "unreadable", f"cannot read the file: {e}") from None
    transcript = reader.read(data, "transcript")  # the story reader's read(), ending in our obj()
    if not isinstance(transcript, Transcript) or problems:
        raise StoryError(problems)
    if transcript.story is not None:
        return _replace_story(transcript, (path.parent / transcript.story).resolve())
    return transcript


def _replace_story(t: Transcript, story: Path) -> Transcript:
    return Transcript(t.path, t.title, story, t.start_at, t.start_values, t.steps, t.loc)


class _Reader(FileReader):
    """The story reader's YAML handling (marks, duplicate keys, unsafe tags), with transcript keys."""

    def obj(self, node: yaml.Node, kind: str) -> Any:
        if kind != "transcript":
            return super().obj(node, kind)
        fields = self.keys(node, TOP_KEYS, "a transcript")
        if fields is None:
            return None
        if "steps" not in fields:
            self.error(node, "missing-field", "transcript has no 'steps'", "add 'steps:' with a list of steps")
        values = fields.get("set")
        start_values = self.map(values[1], "value") if values else {}
        story = fields.get("story")
        start_at = fields.get("from")
        steps_node = fields.get("steps")
        items = self.seq(steps_node[1], "a list of steps") if steps_node else []
        steps = tuple(s for s in (self.step(n, i) for i, n in enumerate(items or [], 1)) if s is not None)
        if steps_node and not items and items is not None:
            self.error(steps_node[0], "missing-field", "transcript has no steps", "list at least one step")
        return Transcript(
            self.path, self.read_string(fields["title"][1]) or "" if "title" in fields else "",
            Path(self.read_string(story[1]) or ".") if story else None,
            self.read_id(start_at[1]) if start_at else None,
            tuple((name, value, loc) for name, (value, loc) in (start_values or {}).items()),
            steps, self.loc(node))

    def keys(self, node: yaml.Node, known: tuple[str, ...],
             what: str) -> dict[str, tuple[yaml.ScalarNode, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "wrong-type", f"expected {what} (a mapping), found {_found(node)}")
            return None
        out: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
        for key_node, value_node in self.pairs(node):
            if key_node.value not in known:
                self.error(key_node, "unknown-key", f"unknown key '{key_node.value}' in {what}",
                           suggest(key_node.value, known) or f"the keys are: {', '.join(known)}")
                continue
            out[key_node.value] = (key_node, value_node)
        return out

    def step(self, node: yaml.Node, number: int) -> Step | None:
        loc = self.loc(node)
        if isinstance(node, yaml.ScalarNode):  # shorthand: a label or a number is a choice
            target = self.target(node)
            return None if target is None else Step(number, "choose", target, (), loc)
        fields = self.keys(node, ACTIONS + EXPECTATIONS, f"step {number}")
        if fields is None:
            return None
        if "choose" in fields and "do" in fields:
            self.error(fields["do"][0], "wrong-type", f"step {number} has both 'choose' and 'do'",
                       "one action per step: split it into two steps")
        action, target = None, None
        if "choose" in fields:
            action, target = "choose", self.target(fields["choose"][1])
            loc = self.loc(fields["choose"][1])
        elif "do" in fields:
            action, target = "do", self.read_string(fields["do"][1])
            loc = self.loc(fields["do"][1])
            if target is not None and target not in COMMANDS:
                self.error(fields["do"][1], "wrong-type", f"unknown command '{target}'",
                           suggest(target, COMMANDS) or f"the commands are: {', '.join(COMMANDS)}")
        if not node.value:
            self.error(node, "missing-field", f"step {number} is empty",
                       f"give 'choose', 'do' or an expectation: {', '.join(EXPECTATIONS)}")
        expects = tuple(e for key in fields if key in EXPECTATIONS  # in file order
                        if (e := self.expectation(key, *fields[key])) is not None)
        return Step(number, action, target, expects, loc)

    def target(self, node: yaml.Node) -> str | int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
            number = self.read_integer(node)
            if number is not None and number < 1:
                self.error(node, "wrong-type", f"choice number {number} is not a choice",
                           "number the choices from 1, as the player sees them")
                return None
            return number
        return self.read_string(node)

    def expectation(self, key: str, key_node: yaml.Node, node: yaml.Node) -> Expect | None:
        loc = self.loc(node if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False) else key_node)
        value: Any
        names: tuple[tuple[str, Loc], ...] = ()
        if key == "node":
            value = self.read_id(node)
        elif key in ("text", "available", "unavailable"):
            value = [self.read_string(node)] if isinstance(node, yaml.ScalarNode) else self.read_strings(node)
        elif key == "unlocked":
            ids = self.read_ids(node)
            value = None if ids is None else [i for i, _ in ids]
            names = tuple(ids or ())
        elif key == "flags":
            found = self.map(node, "value")
            value = None if found is None else {name: v for name, (v, _) in found.items()}
            names = tuple((name, where) for name, (_, where) in (found or {}).items())
        else:  # ending: true, false, or the ending's title
            value = self.read_value(node) if node.tag == "tag:yaml.org,2002:bool" else self.read_string(node)
        return None if value is None or value == [None] else Expect(key, value, loc, names)


def _found(node: yaml.Node) -> str:
    return "a list" if isinstance(node, yaml.SequenceNode) else f"'{getattr(node, 'value', '')}'"
