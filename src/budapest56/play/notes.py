"""The authors' words, set apart from the record: a fact's note, and the page on what the story
leaves out. Text for the game's screens (the (style, text) pairs of play/screens.py); the
handout and `budapest56 credits` print the same words.
"""
from __future__ import annotations

from ..story.model import NOTE_LABEL, Fact, Story
from .contract import Text
from .layout import wrap

LEAVES_OUT_TITLE = "What this story leaves out"


def context_block(fact: Fact, width: int, ornate: bool) -> Text:
    """A fact's authors' note, to show right under its record block (nothing when it has none).

    Indented like the record but without its bar, and labelled, so it never reads as the source."""
    if not fact.context:
        return []
    indent = "    " if ornate else "  "
    text = wrap(f"{NOTE_LABEL}: {fact.context}", width, indent)
    split = len(indent) + len(NOTE_LABEL) + 1
    return [("class:note.label", text[:split]), ("class:note", text[split:] + "\n")]


def leaves_out_text(story: Story, width: int) -> Text:
    """The 'What this story leaves out' page: the story's own `leaves_out` paragraphs."""
    if not story.leaves_out:
        return []
    out: Text = [("class:heading", LEAVES_OUT_TITLE + "\n"),
                 ("", "\n" + wrap("In the authors' words, not the source's: what happened that this story "
                                  "and its source do not tell.", width) + "\n")]
    for part in story.leaves_out:
        out += [("", "\n"), ("class:record.title", part.title + "\n"), ("", wrap(part.text, width - 2, "  ") + "\n")]
    return out
