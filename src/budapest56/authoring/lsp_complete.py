"""What to offer where the author is typing: pure, read from the line text (a file being typed
rarely parses), with the story index for ids and the last story that loaded for labels.

    goto: / start: / from: / node:        node ids
    if:                                   flags, counters, unlocked(fact), visited(node), visits(node)
    unlock: / unlocked:                   fact ids          terms:    glossary terms
    chapter:                              chapters          source:   sources
    set: / flags: (keys)                  flags and counters
    add: (keys)                           counters
    a transcript's choose:                the labels of the choices where the transcript stands
    a transcript's do:                    undo, restart     a step's keys
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..story.conditions import FUNCTIONS
from ..story.model import Story
from ..testing.transcript_file import ACTIONS, COMMANDS, EXPECTATIONS
from .lsp_index import StoryIndex

_KEY_LINE = re.compile(r"^(\s*)((?:-\s+)*)([A-Za-z_]+):(?:\s+(.*)|$)")
# A key inside a flow mapping, whose value the cursor is in: `- {label: On, goto: sta`.
_FLOW_KEY = re.compile(r"[{,]\s*([A-Za-z_]+):\s*([^,{}\[\]]*)$")
_ITEM_LINE = re.compile(r"^(\s*)-\s*([^:]*)$")
_BARE_LINE = re.compile(r"^(\s*)([A-Za-z_]*)$")
_ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
_CALL = re.compile(r"\b(" + "|".join(FUNCTIONS) + r")\(\s*([A-Za-z0-9_]*)$")
_STEP_LINE = re.compile(r"^\s*(?:-\s+)?(choose|node|do):\s*(.*?)\s*$")
_IDS = {"goto": "node", "start": "node", "from": "node", "node": "node", "unlock": "fact", "unlocked": "fact",
        "terms": "term", "chapter": "chapter", "source": "source"}
_FUNCTION_DETAIL = {"unlocked": "true once the player has found this fact",
                    "visited": "true once the player has been at this node",
                    "visits": "how many times the player has been at this node"}
_KEYS = {"set": ("flag", "counter"), "flags": ("flag", "counter"), "add": ("counter",)}


@dataclass(frozen=True, slots=True)
class Item:
    label: str          # what the list shows
    kind: str           # node, fact, flag, counter, term, chapter, source, function, label, key, command
    detail: str
    insert: str         # the text that replaces the typed part
    start: int          # column where the replaced part begins (code points); it ends at the cursor


def complete(lines: Sequence[str], line: int, column: int, file_kind: str, index: StoryIndex,
             story: Story | None) -> list[Item]:
    """Completion items for the cursor at (line, column), 0-based, in a file of `file_kind`."""
    text = lines[line][:column] if line < len(lines) else ""
    word_start = len(text.rstrip(_ID_CHARS))  # the id being typed begins here
    if _in_block_text(lines, line):
        return []  # prose of a `text: |` block, even where it reads like a key
    key, value_start = _key_at(lines, line, text)
    transcript = file_kind == "transcript"
    if key == "if":
        return _condition(text, word_start, index, story)
    if transcript and key == "choose":
        return _labels(lines, line, value_start, story)
    if transcript and key == "do":
        return [Item(c, "command", "transcript command", c, word_start) for c in COMMANDS]
    if key in _IDS:
        return _ids(_IDS[key], word_start, index, story)
    if key in _KEYS and (transcript or key != "flags"):
        return [i for kind in _KEYS[key] for i in _ids(kind, word_start, index, story)]
    if transcript and key == "step":
        return [Item(k, "key", "step action" if k in ACTIONS else "step expectation", k + ": ", word_start)
                for k in ACTIONS + EXPECTATIONS]
    return []


_BLOCK_START = re.compile(r"(?:^|[\s:-])[|>][0-9+-]*\s*(?:#.*)?$")


def _in_block_text(lines: Sequence[str], line: int) -> bool:
    """Whether the line is inside a block scalar: the nearest line above that is indented less
    ends with '|' or '>'."""
    text = lines[line] if line < len(lines) else ""
    if not text.strip():
        return False
    indent = len(text) - len(text.lstrip(" "))
    for above in range(line - 1, -1, -1):
        prev = lines[above]
        if prev.strip() and len(prev) - len(prev.lstrip(" ")) < indent:
            return _BLOCK_START.search(prev.rstrip()) is not None
    return False


def _key_at(lines: Sequence[str], line: int, text: str) -> tuple[str, int]:
    """The key whose value the cursor is in, and the column where that value starts; "" if none.
    A list item or a bare name belongs to the nearest key above it that is indented less (or, for
    a '-' item, as much: YAML allows that); under a transcript's `steps:` that is 'step'."""
    flow = _FLOW_KEY.search(text)
    if flow:
        return flow.group(1), flow.start(2)
    m = _KEY_LINE.match(text)
    if m:
        return m.group(3), m.start(4) if m.group(4) is not None else len(text)
    found = _ITEM_LINE.match(text) or _BARE_LINE.match(text)
    if not found:
        return "", 0
    item, indent = text.lstrip().startswith("-"), len(found.group(1))
    for above in range(line - 1, -1, -1):
        prev = lines[above]
        if not prev.strip() or prev.lstrip().startswith("#"):
            continue
        head = _KEY_LINE.match(prev)
        key_column = head.end(2) if head else len(prev) - len(prev.lstrip(" "))
        if key_column < indent or (item and head is not None and key_column == indent):
            if head is None or head.group(4) is not None:
                return "", 0  # a value on the line above: the cursor's line is not in a block under it
            return ("step" if head.group(3) == "steps" else head.group(3)), len(text)
    return "", 0


def _ids(kind: str, start: int, index: StoryIndex, story: Story | None) -> list[Item]:
    return [Item(name, kind, _detail(kind, name, story), name, start) for name in index.names(kind)]


def _detail(kind: str, name: str, story: Story | None) -> str:
    if story is None:
        return kind
    if kind == "node" and name in story.nodes:
        node = story.nodes[name]
        return f"node · {node.date.human()} · {node.place}"
    if kind == "fact" and name in story.facts:
        return f"fact · {story.facts[name].title}"
    if kind == "flag" and name in story.flags:
        return f"flag · {story.flags[name]}"
    if kind == "counter" and name in story.counters:
        return f"counter · starts at {story.counters[name]}"
    if kind == "term" and name in story.glossary:
        return f"{story.glossary[name].kind} · {story.glossary[name].name}"
    if kind == "chapter" and name in story.chapters:
        return f"chapter · {story.chapters[name].title}"
    return kind


def _condition(text: str, word_start: int, index: StoryIndex, story: Story | None) -> list[Item]:
    call = _CALL.search(text)
    if call:
        return _ids(FUNCTIONS[call.group(1)], word_start, index, story)
    functions = [Item(f"{f}(…)", "function", _FUNCTION_DETAIL.get(f, FUNCTIONS[f]), f + "(", word_start)
                 for f in FUNCTIONS]
    return _ids("flag", word_start, index, story) + _ids("counter", word_start, index, story) + functions


def _labels(lines: Sequence[str], line: int, value_start: int, story: Story | None) -> list[Item]:
    """The choices of the node the transcript has reached by this line, as the engine's start
    and each earlier step (its `node:`, its chosen label or number, undo and restart) tell."""
    if story is None:
        return []
    node = _node_before(lines, line, story)
    if node is None or node not in story.nodes:
        return []
    return [Item(c.label, "label", f"choice {i} of {node} → {c.goto}" + (f" (if {c.condition.source})"
                 if c.condition else ""), json.dumps(c.label, ensure_ascii=False), value_start)
            for i, c in enumerate(story.nodes[node].choices, 1)]


def _node_before(lines: Sequence[str], line: int, story: Story) -> str | None:
    trail = [story.start]
    for text in lines[:line]:
        top = re.match(r"^from:\s*(\w+)", text)
        if top:
            trail = [top.group(1)]
            continue
        m = _STEP_LINE.match(text)
        if not m:
            continue
        key, value = m.group(1), _unquoted(m.group(2))
        here = story.nodes.get(trail[-1])
        if key == "node":
            trail[-1] = value
        elif key == "do":
            trail = trail[:1] if value == "restart" else (trail[:-1] or trail)
        elif here is not None:
            choices = here.choices
            # A number counts every choice of the node: a hidden locked one would shift it in play,
            # which only a replay knows; for a list to pick from, this is near enough.
            chosen = (choices[int(value) - 1] if value.isdigit() and 0 < int(value) <= len(choices)
                      else next((c for c in choices if c.label == value), None))
            if chosen is None:
                return None  # the transcript has left what the story says; better no list than a wrong one
            trail.append(chosen.goto)
    return trail[-1]


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
            return decoded if isinstance(decoded, str) else value
        except ValueError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value
