"""The credits screen: who published each source, where, under which licence, and what was changed.

Shared by the game's `credits` command, `budapest56 credits` and the handout, so a teacher reads
the same attribution everywhere. Returns Text, the (style, text) pairs of play/screens.py.
"""
from __future__ import annotations

from ..story.model import Source, Story
from .contract import Text
from .layout import wrap

NOT_GIVEN = "not given"


def attribution(source: Source) -> list[tuple[str, str]]:
    """(label, value) pairs for one source; a value the story leaves out reads 'not given'."""
    return [
        ("Published by", source.publisher or NOT_GIVEN),
        ("Address", source.url or NOT_GIVEN),
        ("Licence", source.licence or NOT_GIVEN),
        ("Retrieved", source.retrieved.human() if source.retrieved else NOT_GIVEN),
        ("Changes", source.changes or NOT_GIVEN),
    ]


def citation(source: Source) -> str:
    """One sentence to cite the source by: title, publisher, address, date, licence, changes."""
    parts = [f"“{source.title}”"]
    parts += [p for p in (source.publisher, source.url) if p]
    if source.retrieved:
        parts.append(f"retrieved {source.retrieved.human()}")
    text = ", ".join(parts) + "."
    if source.licence:
        text += f" Licence: {source.licence}."
    if source.changes:
        text += f" Changes: {source.changes.rstrip('.')}."
    return text


def credits_text(story: Story, width: int) -> Text:
    out: Text = [("class:heading", f"Credits — {story.title}\n")]
    plural = len(story.sources) != 1
    out += [("", "\n" + wrap(f"Every fact in this story quotes {'these sources' if plural else 'this source'} "
                             "word for word ('…' marks words left out); the scenes and the people you meet "
                             "in them are fiction.", width) + "\n")]
    label_width = max(len(label) for label, _ in attribution(next(iter(story.sources.values())))) \
        if story.sources else 0
    for source in story.sources.values():
        out += [("", "\n"), ("class:record.title", source.title + "\n")]
        for label, value in attribution(source):
            indent = " " * (label_width + 4)
            # An address is never broken across lines: it could not be copied then.
            body = value if " " not in value else wrap(value, width - len(indent), "").replace("\n", "\n" + indent)
            out += [("class:kind", f"  {label + ':':<{label_width + 1}} "), ("", body + "\n")]
    return out
