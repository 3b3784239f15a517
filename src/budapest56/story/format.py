"""The story file format, written once as data.

The loader validates files against it (keys, required fields, value types) and
`budapest56 schema` turns it into JSON Schema for editors, so the two never disagree.

A type is one of:
  string  text   id   ids (list of id)   integer   boolean   date   span (a date or DATE..DATE)   condition
  enum:a|b              list:OBJ  object:OBJ
  map:string (name -> text)   map:value (name -> yes/no or number)   map:integer   map:OBJ
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    type: str
    required: bool = False
    doc: str = ""


F = Field
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"  # ASCII digits: \d would take Arabic-Indic ones
SPAN_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(\.\.([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?)?$"

OBJECTS: dict[str, dict[str, Field]] = {
    "story": {
        "id": F("id", True, "The story's id; saves name it."),
        "title": F("string", True, "Shown on the title screen."),
        "version": F("integer", True, "Raise it when node ids change, so old saves are checked."),
        "start": F("id", True, "The first node's id."),
        "period": F("object:period", True, "The dates the story covers."),
        "sources": F("list:source", True, "The source texts that facts quote."),
        "chapters": F("list:chapter", True, "Chapters in play order."),
        "flags": F("map:string", False, "name: description. Every flag starts false."),
        "counters": F("map:counter", False, "name: {start, about}. Whole numbers."),
        "about": F("string", False, "A paragraph shown on the title screen."),
    },
    "period": {
        "from": F("date", True, "First date: 1945, 1945-02 or 1945-02-13."),
        "to": F("date", True, "Last date."),
    },
    "source": {
        "id": F("id", True),
        "title": F("string", True),
        "file": F("string", True, "Path relative to the story folder."),
    },
    "chapter": {
        "id": F("id", True),
        "title": F("string", True),
    },
    "counter": {
        "start": F("integer", False, "Starting value (0 when left out)."),
        "about": F("string", False, "What the counter means."),
    },
    "scene": {
        "chapter": F("id", False, "Default chapter for the nodes and facts in this file."),
        "nodes": F("list:node", False, "Scenes the player visits."),
        "facts": F("list:fact", False, "Facts from the source that nodes and choices unlock."),
        "glossary": F("list:term", False, "People, organisations, places and terms."),
    },
    "node": {
        "id": F("id", True, "Unique across the story."),
        "chapter": F("id", False, "A chapter id; defaults to the file's chapter."),
        "date": F("date", True, "1949, 1955-04 or 1956-10-23."),
        "place": F("string", True, "Where the scene happens."),
        "text": F("text", True, "The narrative: a string, or a list of strings and {if, text} items."),
        "choices": F("list:choice", False, "What the player can do next."),
        "ending": F("object:ending", False, "Makes this node an ending."),
        "unlock": F("ids", False, "Fact ids unlocked on arrival."),
        "set": F("map:value", False, "Flags (true/false) and counters (numbers) set on arrival."),
        "add": F("map:integer", False, "Numbers added to counters on arrival."),
        "flashback": F("boolean", False, "True if this node may be dated before the node leading to it."),
    },
    "choice": {
        "label": F("string", True, "What the player picks."),
        "goto": F("id", True, "The node this choice leads to."),
        "if": F("condition", False, "The choice is available only when this holds."),
        "locked": F("enum:hide|show", False, "hide (default) or show an unavailable choice dimmed."),
        "unlock": F("ids", False, "Fact ids unlocked when the choice is taken."),
        "set": F("map:value", False, "Flags and counters set when the choice is taken."),
        "add": F("map:integer", False, "Numbers added to counters when the choice is taken."),
    },
    "text_part": {
        "if": F("condition", True, "Shown only when this holds."),
        "text": F("string", True),
    },
    "ending": {
        "title": F("string", True),
        "epilogue": F("string", True),
    },
    "fact": {
        "id": F("id", True, "Unique across the story."),
        "title": F("string", True, "A short title."),
        "summary": F("string", True, "Plain words; no number or date the quote does not hold."),
        "quote": F("string", True, "Copied exactly from the source; ' … ' may leave words out."),
        "date": F("span", True, "When it happened: 1949, 1955-04, 1956-10-23, a span 1949..1956, or 1956.. (no end)."),
        "chapter": F("id", False, "Defaults to the file's chapter."),
        "source": F("id", False, "Needed only when the story has several sources."),
        "terms": F("ids", False, "Glossary ids of those involved."),
        "questions": F("list:question", False, "Review questions."),
    },
    "question": {
        "ask": F("string", True, "The question."),
        "answer": F("string", True, "The correct answer."),
        "wrong": F("strings", True, "Two or three wrong answers."),
    },
    "term": {
        "id": F("id", True, "Unique across the story."),
        "name": F("string", True, "As displayed, with accents."),
        "kind": F("enum:person|organisation|place|term", True),
        "definition": F("string", True, "Plain words."),
        "quote": F("string", True, "Copied exactly from the source."),
    },
}


def json_schema(top: str = "scene") -> dict:
    """JSON Schema (draft 2020-12) for a scene file ('scene') or the story file ('story')."""
    defs = {name: _object_schema(name) for name in OBJECTS if name != top}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"budapest56 {top} file",
        **_object_schema(top),
        "$defs": defs,
    }
    return schema


def _object_schema(name: str) -> dict:
    fields = OBJECTS[name]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, f in fields.items() if f.required],
        "properties": {k: {**_type_schema(f.type), **({"description": f.doc} if f.doc else {})}
                       for k, f in fields.items()},
    }


def _type_schema(t: str) -> dict:
    if t.startswith("list:"):
        return {"type": "array", "items": {"$ref": f"#/$defs/{t[5:]}"}}
    if t.startswith("object:"):
        return {"$ref": f"#/$defs/{t[7:]}"}
    if t.startswith("enum:"):
        return {"enum": t[5:].split("|")}
    if t.startswith("map:"):
        inner = t[4:]
        value = _type_schema(inner) if inner in SIMPLE else {"$ref": f"#/$defs/{inner}"}
        return {"type": "object", "propertyNames": {"pattern": ID_PATTERN}, "additionalProperties": value}
    return SIMPLE[t]


SIMPLE: dict[str, dict] = {
    "string": {"type": "string"},
    "strings": {"type": "array", "items": {"type": "string"}},
    "id": {"type": "string", "pattern": ID_PATTERN},
    "ids": {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": ["string", "integer"], "pattern": DATE_PATTERN},
    "span": {"type": ["string", "integer"], "pattern": SPAN_PATTERN},
    "condition": {"type": "string"},
    "value": {"type": ["boolean", "integer"]},
    "text": {"anyOf": [{"type": "string"},
                       {"type": "array", "items": {"anyOf": [{"type": "string"},
                                                             {"$ref": "#/$defs/text_part"}]}}]},
}
