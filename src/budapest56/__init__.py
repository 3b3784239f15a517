"""budapest56: a text-adventure learning game, and the engine and tools behind it.

What a library user may rely on (the README's "Using budapest56 from Python" shows it):

    story = load_story("scenes")                  # a Story, or StoryError with every problem
    state = start(story)                          # the State at the start node
    for option in choices(story, state): ...      # Option(index, choice, available)
    state = choose(story, state, option.index)    # a new State; PlayError for an illegal move
    scene(story, state)                           # what the screen shows there
    is_ending(story, state), narrative(story, state), shown(story, state)

and the errors: Budapest56Error over StoryError (with Finding and Loc), PlayError, SaveError,
ProfileError. Everything else is internal and may change.

Names load on first use (PEP 562), so `import budapest56` — and the pytest plugin, which pytest
imports before coverage starts — costs nothing until a name is asked for.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "load_story": "budapest56.story.loader",
    "Story": "budapest56.story.model",
    **dict.fromkeys(["Option", "Scene", "State", "choices", "choose", "is_ending", "narrative", "scene",
                     "shown", "start"], "budapest56.engine"),
    **dict.fromkeys(["Budapest56Error", "Finding", "Loc", "PlayError", "ProfileError", "SaveError",
                     "StoryError"], "budapest56.errors"),
}

__all__ = ["Budapest56Error", "Finding", "Loc", "Option", "PlayError", "ProfileError", "SaveError", "Scene", "State",
           "Story", "StoryError", "choices", "choose", "is_ending", "load_story", "narrative", "scene", "shown",
           "start"]  # the names of _HOMES, sorted (a test keeps them equal)

if TYPE_CHECKING:
    from .engine import Option, Scene, State, choices, choose, is_ending, narrative, scene, shown, start
    from .errors import Budapest56Error, Finding, Loc, PlayError, ProfileError, SaveError, StoryError
    from .story.loader import load_story
    from .story.model import Story


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'budapest56' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # once found, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
