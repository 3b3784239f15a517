"""The editor schemas: scene files and story.yaml (from story.format), transcripts (from
testing.transcript_file's keys), each for any story or, with a story's ids, completing them.

    story_ids(story)              -> StoryIds
    schema(kind, story=None)      -> dict    kind: scene, story or transcript
    schema_text(kind, story=None) -> str     the bytes `budapest56 schema` prints and writes
    modeline(file, schema_dir)    -> str     the first line that points an editor at the schema
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..story.format import DRAFT, ID_PATTERN, SIMPLE, Schema, StoryIds, json_schema
from ..story.model import Story
from ..testing.transcript_file import ACTIONS, COMMANDS, EXPECTATIONS, TOP_KEYS

KINDS = ("scene", "story", "transcript")
SCHEMA_DIR = "schema"

# What each transcript key means (AUTHORING.md, "Transcript keys"); the keys come from the reader.
TRANSCRIPT_DOCS = {
    "title": "What the transcript shows.",
    "story": "The story folder, relative to this file (default: the nearest folder above with story.yaml).",
    "from": "Start at this node instead of the story's start.",
    "set": "Flags and counters set before the first step: {hid_radio: true, courage: 3}.",
    "steps": "The steps; a step that is just a label or a number chooses it.",
    "choose": "A choice by its label, or by the number the player would type.",
    "do": "undo (go back one choice) or restart.",
    "node": "The player is at this node.",
    "text": "The node's text as the player sees it contains this (or each of a list).",
    "unlocked": "These facts are unlocked by now.",
    "flags": "Flags and counters have these values.",
    "available": "These choices (by label) can be taken now.",
    "unavailable": "These choices (by label) cannot be taken now.",
    "ending": "true: this is an ending; false: it is not; a title: it is that ending.",
}


def story_ids(story: Story) -> StoryIds:
    return StoryIds(tuple(story.nodes), tuple(story.chapters), tuple(story.facts), tuple(story.glossary),
                    tuple(story.sources), tuple(story.flags), tuple(story.counters))


def schema(kind: str, story: Story | None = None) -> Schema:
    ids = story_ids(story) if story is not None else None
    if kind == "transcript":
        return transcript_schema(story)
    return json_schema(kind, ids)


def schema_text(kind: str, story: Story | None = None) -> str:
    return json.dumps(schema(kind, story), ensure_ascii=False, indent=2) + "\n"


def modeline(file: Path, story_folder: Path, kind: str) -> str:
    """`# yaml-language-server: $schema=…` with the path relative to the file's own folder, as
    yaml-language-server resolves it (so a scene in chapters/ needs ../schema/)."""
    target = story_folder / SCHEMA_DIR / f"{kind}.schema.json"
    return f"# yaml-language-server: $schema={Path(os.path.relpath(target, file.parent)).as_posix()}"


def transcript_schema(story: Story | None = None) -> Schema:
    ids = story_ids(story) if story is not None else StoryIds()
    node = {"enum": list(ids.nodes)} if ids.nodes else SIMPLE["id"]
    facts = {"type": "array", "items": {"enum": list(ids.facts)}} if ids.facts else SIMPLE["ids"]
    if ids.flags or ids.counters:
        values: Schema = {"type": "object", "additionalProperties": False,
                        "properties": {**{f: {"type": "boolean"} for f in ids.flags},
                                       **{c: {"type": "integer"} for c in ids.counters}}}
    else:
        values = {"type": "object", "propertyNames": {"pattern": ID_PATTERN},
                  "additionalProperties": SIMPLE["value"]}
    labels = sorted({c.label for n in story.nodes.values() for c in n.choices}) if story else []
    label = {"type": "string", **({"examples": labels} if labels else {})}
    titles = [n.ending.title for n in story.nodes.values() if n.ending] if story else []
    ending = {"anyOf": [{"type": "boolean"}, {"enum": titles} if titles else {"type": "string"}]}
    texts = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    # Keyed by the reader's own key lists below: a key added there and not here fails loudly.
    step_keys: dict[str, Schema] = {
        "choose": {"anyOf": [{"type": "integer", "minimum": 1}, label]},
        "do": {"enum": list(COMMANDS)},
        "node": node, "text": texts, "unlocked": facts, "flags": values,
        "available": {"type": "array", "items": label}, "unavailable": {"type": "array", "items": label},
        "ending": ending,
    }
    step = {
        "type": "object", "additionalProperties": False, "minProperties": 1,
        "properties": {k: {**step_keys[k], "description": TRANSCRIPT_DOCS[k]} for k in (*ACTIONS, *EXPECTATIONS)},
        "not": {"required": ["choose", "do"]},  # one action per step
    }
    top_keys: dict[str, Schema] = {
        "title": {"type": "string"}, "story": {"type": "string"}, "from": node, "set": values,
        "steps": {"type": "array", "minItems": 1,
                  "items": {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 1},
                                      {"$ref": "#/definitions/step"}]}},
    }
    return {
        "$schema": DRAFT,
        "title": "budapest56 transcript (*.play.yaml)",
        "type": "object", "additionalProperties": False, "required": ["steps"],
        "properties": {k: {**top_keys[k], "description": TRANSCRIPT_DOCS[k]} for k in TOP_KEYS},
        "definitions": {"step": step},
    }
