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
from typing import Any


@dataclass(frozen=True)
class Field:
    type: str
    required: bool = False
    doc: str = ""
    write: str = ""  # the line an author writes when it is missing: the missing-field hint


def missing_hint(kind: str, key: str) -> str:
    """What to write when `key` is missing from a `kind`: the fix, not a description."""
    field = OBJECTS[kind][key]
    return f"add '{field.write or key + ': …'}' to this {kind.replace('_', ' ')}"


F = Field
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"  # ASCII digits: \d would take Arabic-Indic ones
SPAN_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(\.\.([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?)?$"

OBJECTS: dict[str, dict[str, Field]] = {
    "story": {
        "id": F("id", True, "The story's id; saves name it.", "id: my_story"),
        "title": F("string", True, "Shown on the title screen.", "title: <the title players see>"),
        "version": F("integer", True, "Raise it when node ids change, so old saves are checked.", "version: 1"),
        "start": F("id", True, "The first node's id.", "start: <the first node's id>"),
        "period": F("object:period", True, "The dates the story covers.", "period: {from: 1945, to: 1956}"),
        "sources": F("list:source", True, "The source texts that facts quote.",
                     "sources: [{id: …, title: …, file: source/….txt}]"),
        "chapters": F("list:chapter", True, "Chapters in play order.", "chapters: [{id: …, title: …}]"),
        "flags": F("map:string", False, "name: description. Every flag starts false."),
        "counters": F("map:counter", False, "name: {start, about}. Whole numbers."),
        "about": F("string", False, "A paragraph shown on the title screen."),
        "review_budget": F("integer", False, "Review questions a playthrough asks in all, at its chapter "
                           "ends (default 12; 0 asks none)."),
        "leaves_out": F("list:left_out", False,
                        "What this story leaves out: titled paragraphs of plain, well-established history."),
    },
    "left_out": {
        "title": F("string", True, "A short title: 'Kádár's government'.", "title: <a short title>"),
        "text": F("string", True, "A paragraph in the authors' words: no statistic, no quotation of a real person.",
                  "text: <a paragraph in your words>"),
    },
    "period": {
        "from": F("date", True, "First date: 1945, 1945-02 or 1945-02-13.", "from: 1945"),
        "to": F("date", True, "Last date.", "to: 1956"),
    },
    "source": {
        "id": F("id", True, write="id: <a new id>"),
        "title": F("string", True, write="title: <the source's title>"),
        "file": F("string", True, "Path relative to the story folder.", "file: source/<name>.txt"),
        # Attribution: check warns when one is missing, since a teacher must be able to cite the
        # source and most licences (CC BY-SA) require it.
        "publisher": F("string", False, "Who published the source: 'Simple English Wikipedia'."),
        "url": F("string", False, "Where the source can be read."),
        "licence": F("string", False, "The licence it is used under: 'CC BY-SA 4.0'."),
        "retrieved": F("date", False, "When the text was copied: 2026-11-26."),
        "changes": F("string", False, "What was changed in the copy, or 'none'."),
    },
    "chapter": {
        "id": F("id", True, write="id: <a new id>"),
        "title": F("string", True, write="title: <the chapter's title>"),
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
        "id": F("id", True, "Unique across the story.", "id: <a new id>"),
        "chapter": F("id", False, "A chapter id; defaults to the file's chapter."),
        "date": F("date", True, "1949, 1955-04 or 1956-10-23.", "date: 1956-10-23"),
        "place": F("string", True, "Where the scene happens.", "place: <where the scene happens>"),
        "text": F("text", True, "The narrative: a string, or a list of strings and {if, text} items.",
                  "text: <what the player reads>"),
        "choices": F("list:choice", False, "What the player can do next."),
        "ending": F("object:ending", False, "Makes this node an ending."),
        "unlock": F("ids", False, "Fact ids unlocked on arrival."),
        "set": F("map:value", False, "Flags (true/false) and counters (numbers) set on arrival."),
        "add": F("map:integer", False, "Numbers added to counters on arrival."),
        "flashback": F("boolean", False, "True if this node may be dated before the node leading to it."),
    },
    "choice": {
        "label": F("string", True, "What the player picks.", "label: <what the player picks>"),
        "goto": F("id", True, "The node this choice leads to.", "goto: <the next node's id>"),
        "if": F("condition", False, "The choice is available only when this holds."),
        "locked": F("enum:hide|show", False, "hide (default) or show an unavailable choice dimmed."),
        "locked_text": F("string", False, "Why the choice cannot be taken yet, as a short phrase: shown in "
                         "brackets beside it, dimmed, and said when it is picked. Implies locked: show."),
        "unlock": F("ids", False, "Fact ids unlocked when the choice is taken."),
        "set": F("map:value", False, "Flags and counters set when the choice is taken."),
        "add": F("map:integer", False, "Numbers added to counters when the choice is taken."),
    },
    "text_part": {
        "if": F("condition", True, "Shown only when this holds.", "if: <a condition>"),
        "text": F("string", True, write="text: <the words shown when it holds>"),
    },
    "ending": {
        "title": F("string", True, write="title: <the ending's name>"),
        "epilogue": F("string", True, write="epilogue: <what became of the player>"),
    },
    "fact": {
        "id": F("id", True, "Unique across the story.", "id: <a new id>"),
        "title": F("string", True, "A short title.", "title: <a short title>"),
        "summary": F("string", True, "Plain words; no number or date the quote does not hold.",
                     "summary: <the fact in plain words>"),
        "quote": F("string", True, "Copied exactly from the source; '…' may leave out words inside one sentence, "
                                   "or whole sentences between whole sentences.",
                   "quote: <the source's words, copied exactly>"),
        "date": F("span", True, "When it happened: 1949, 1955-04, 1956-10-23, a span 1949..1956, or 1956.. (no end).",
                  "date: 1956-10-23"),
        "chapter": F("id", False, "Defaults to the file's chapter."),
        "source": F("id", False, "Needed only when the story has several sources."),
        "terms": F("ids", False, "Glossary ids of those involved."),
        "questions": F("list:question", False, "Review questions."),
        "when": F("string", False, "How the date reads where the date alone would mislead: 'decades later'. "
                  "The date still places the fact on the timeline."),
        "context": F("string", False, "An authors' note where the source simplifies or is contested; "
                     "shown apart from the record, marked as the authors' words."),
    },
    "question": {
        "kind": F("enum:choice|recall|source", False, "choice (the default): pick the answer from among the "
                  "wrong ones; recall: type the missing words of the quote; source: say whether a line is "
                  "the record's or the story's."),
        "ask": F("string", False, "The question (choice); the line to judge (source); for recall, optional "
                 "words before the quote with its gap."),
        "answer": F("string", True, "choice: the correct answer; recall: the words of the quote the player "
                    "types; source: record or story.", "answer: <the right answer>"),
        "wrong": F("strings", False, "choice only: two or three wrong answers."),
    },
    "term": {
        "id": F("id", True, "Unique across the story.", "id: <a new id>"),
        "name": F("string", True, "As displayed, with accents.", "name: <as displayed, with accents>"),
        "kind": F("enum:person|organisation|place|term|word", True, "word: a word of the story's own "
                  "(norms, curfew), defined by the authors, shown where the scenes first use it.",
                  "kind: person (or organisation, place, term, word)"),
        "definition": F("string", True, "Plain words.", "definition: <plain words>"),
        "quote": F("string", False, "Copied exactly from the source (every kind but word)."),
    },
}


# -- JSON Schema for editors (draft-07: what yaml-language-server supports fully) ----------------
DRAFT = "http://json-schema.org/draft-07/schema#"
Schema = dict[str, Any]  # a JSON Schema object, as json.dump writes it

# Which fields name an id of the story: with a story's ids, `schema --story` turns them into enums.
# (A field of a kind not listed here stays a plain pattern.)
REFERENCES: dict[tuple[str, str], str] = {
    ("story", "start"): "node", ("choice", "goto"): "node",
    ("scene", "chapter"): "chapter", ("node", "chapter"): "chapter", ("fact", "chapter"): "chapter",
    ("node", "unlock"): "fact", ("choice", "unlock"): "fact",
    ("fact", "terms"): "term", ("fact", "source"): "source",
    ("node", "set"): "flag_or_counter", ("choice", "set"): "flag_or_counter",
    ("node", "add"): "counter", ("choice", "add"): "counter",
}
# One of these keys, exactly: a node is a scene with choices or an ending, never both or neither.
EXACTLY_ONE: dict[str, tuple[str, ...]] = {"node": ("choices", "ending")}


@dataclass(frozen=True)
class StoryIds:
    """A story's ids, for a schema that completes them (empty: the schema for any story)."""

    nodes: tuple[str, ...] = ()
    chapters: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    counters: tuple[str, ...] = ()


def json_schema(top: str = "scene", ids: StoryIds | None = None) -> Schema:
    """JSON Schema (draft-07) for a scene file ('scene') or the story file ('story'); with a
    story's `ids`, every reference to a node, chapter, fact, term, source, flag or counter is an
    enum of that story's names, so an editor completes them and underlines a typo."""
    ids = ids or StoryIds()
    defs = {name: object_schema(name, ids) for name in OBJECTS if name != top}
    return {
        "$schema": DRAFT,
        "title": f"budapest56 {top} file",
        **object_schema(top, ids),
        "definitions": defs,
    }


def object_schema(name: str, ids: StoryIds | None = None) -> Schema:
    ids = ids or StoryIds()
    fields = OBJECTS[name]
    out: Schema = {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, f in fields.items() if f.required],
        "properties": {k: {**_field_schema(name, k, f.type, ids), **({"description": f.doc} if f.doc else {})}
                       for k, f in fields.items()},
    }
    if name in EXACTLY_ONE:
        out["oneOf"] = [{"required": [k]} for k in EXACTLY_ONE[name]]
    return out


def _field_schema(obj: str, key: str, t: str, ids: StoryIds) -> Schema:
    kind = REFERENCES.get((obj, key))
    if kind == "flag_or_counter" and (ids.flags or ids.counters):
        return _names_schema({**{f: {"type": "boolean"} for f in ids.flags},
                              **{c: {"type": "integer"} for c in ids.counters}})
    if kind == "counter" and (ids.flags or ids.counters):
        return _names_schema({c: {"type": "integer"} for c in ids.counters})
    names = {"node": ids.nodes, "chapter": ids.chapters, "fact": ids.facts, "term": ids.terms,
             "source": ids.sources}.get(kind or "", ())
    if names:
        return {"type": "array", "items": {"enum": list(names)}} if t == "ids" else {"enum": list(names)}
    return _type_schema(t)


def _names_schema(properties: dict[str, Schema]) -> Schema:
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _type_schema(t: str) -> Schema:
    if t.startswith("list:"):
        return {"type": "array", "items": {"$ref": f"#/definitions/{t[5:]}"}}
    if t.startswith("object:"):
        return {"$ref": f"#/definitions/{t[7:]}"}
    if t.startswith("enum:"):
        return {"enum": t[5:].split("|")}
    if t.startswith("map:"):
        inner = t[4:]
        value = _type_schema(inner) if inner in SIMPLE else {"$ref": f"#/definitions/{inner}"}
        return {"type": "object", "propertyNames": {"pattern": ID_PATTERN}, "additionalProperties": value}
    return SIMPLE[t]


SIMPLE: dict[str, Schema] = {
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
                                                             {"$ref": "#/definitions/text_part"}]}}]},
}
