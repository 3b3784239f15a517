"""Plain mode: text in, text out, no escape codes. For pipes, scripts and screen readers.

Protocol: the node's header and text, any facts just unlocked, numbered choices, then a
'> ' prompt that reads one line. End of input ends the game cleanly.
"""
from __future__ import annotations

import textwrap
from typing import Callable, TextIO

from .. import engine
from ..engine import State
from ..model import Story


def header(story: Story, state: State) -> str:
    node = story.nodes[state.node]
    chapter = story.chapters.get(node.chapter)
    parts = [f"Chapter {chapter.number}: {chapter.title}" if chapter else "", node.date.human(), node.place]
    return " — ".join(p for p in parts if p)


def wrap(text: str, width: int) -> str:
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(textwrap.fill(p, width) for p in paragraphs if p)


def new_facts(before: State, after: State) -> list[str]:
    return list(after.facts[len(before.facts):]) if after.facts[: len(before.facts)] == before.facts else \
        [f for f in after.facts if f not in before.facts]


def render_fact(story: Story, fact_id: str, width: int) -> str:
    fact = story.facts[fact_id]
    body = wrap(fact.summary, width - 2) + "\n" + wrap(f"“{fact.quote}”", width - 2)
    return f"From the record: {fact.title} ({fact.date.human()})\n" + textwrap.indent(body, "  ")


def render(story: Story, before: State | None, state: State, width: int) -> str:
    node = story.nodes[state.node]
    out = [header(story, state), ""]
    out += [wrap(t, width) + "\n" for t in engine.narrative(story, state)]
    for fact_id in new_facts(before, state) if before else list(state.facts):
        out += [render_fact(story, fact_id, width), ""]
    if node.ending:
        out += [f"THE END: {node.ending.title}", "", wrap(node.ending.epilogue, width), ""]
    return "\n".join(out) + "\n"


def play(story: Story, state: State, read: Callable[[], str | None], out: TextIO, width: int = 78) -> State:
    """Play until an ending or the end of input; return the last state."""
    before: State | None = None
    while True:
        out.write(render(story, before, state, width))
        if engine.is_ending(story, state):
            out.write(f"Facts found: {len(state.facts)} of {len(story.facts)}\n")
            return state
        options = [o for o in engine.choices(story, state) if o.visible]
        for number, option in enumerate(options, 1):
            suffix = "" if option.available else " (not possible now)"
            out.write(f"  {number}. {option.choice.label}{suffix}\n")
        while True:
            out.write("> ")
            out.flush()
            line = read()
            if line is None:
                out.write("\nGoodbye.\n")
                return state
            answer = line.strip()
            if answer in ("quit", "q"):
                out.write("Goodbye.\n")
                return state
            if answer.isdigit() and 1 <= int(answer) <= len(options) and options[int(answer) - 1].available:
                before = state
                state = engine.choose(story, state, options[int(answer) - 1].index)
                out.write("\n")
                break
            out.write(f"Type a number from 1 to {len(options)}, or 'quit'.\n")
