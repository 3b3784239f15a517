"""budapest56: a text-adventure learning game engine.

The public API for authors who test their stories with plain pytest functions:

    story = load_story("scenes")
    state = start(story)
    for option in choices(story, state): ...
    state = choose(story, state, option.index)
"""
from .engine import Option, PlayError, State, choices, choose, is_ending, narrative, start
from .errors import Finding, Loc, StoryError
from .story.loader import load_story
from .story.model import Story

__all__ = ["Finding", "Loc", "Option", "PlayError", "State", "Story", "StoryError", "choices", "choose",
           "is_ending", "load_story", "narrative", "start"]
