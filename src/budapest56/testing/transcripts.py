"""Transcripts: scripted playthroughs (`*.play.yaml`) that a story must keep passing.

    title: Hiding the radio pays off
    steps:
      - node: c1_cellar                 # expectations only: check where we are
      - choose: Help Grandmother hide the radio
        unlocked: [siege_ends]
      - choose: 2                       # the number the player would type
        node: c1_courtyard
        flags: {hid_radio: true}
      - do: undo                        # or: restart

A step takes at most one action (`choose` or `do`), then checks its expectations. A plain
string or number as a step is shorthand for `choose:`. The first failing step stops the run:
later steps depend on it. transcript_file.py reads the files; this module plays them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import engine
from ..engine import State
from ..errors import Finding, Loc, PlayError, suggest
from ..story.loader import STORY_FILE, TRANSCRIPT_SUFFIX
from ..story.model import Story
from .transcript_file import Expect, Step, Transcript, load_transcript

__all__ = ["Expect", "Result", "Step", "Transcript", "check_names", "find_transcripts", "load_transcript",
           "render", "run", "story_folder_of"]


@dataclass(frozen=True)
class Result:
    transcript: Transcript
    failures: list[Finding]
    states: list[State]             # every state passed through, for coverage

    @property
    def passed(self) -> bool:
        return not self.failures


# -- finding and reading ---------------------------------------------------------------------
def find_transcripts(folder: Path) -> list[Path]:
    """Every transcript under a story folder, in path order, skipping hidden folders."""
    return sorted(p for p in folder.rglob("*" + TRANSCRIPT_SUFFIX)
                  if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def story_folder_of(path: Path, transcript: Transcript | None = None) -> Path | None:
    """The story a transcript plays: its `story:` key, else the nearest folder above with story.yaml."""
    if transcript is not None and transcript.story is not None:
        return transcript.story
    for folder in path.resolve().parents:
        if (folder / STORY_FILE).is_file():
            return folder
    return None


# -- checking names before playing -----------------------------------------------------------
def check_names(story: Story, t: Transcript) -> list[Finding]:
    """Every node, fact, flag or counter the transcript names that the story does not have."""
    out = []

    def need(name: str, known: Any, what: str, loc: Loc) -> None:
        if name not in known:
            out.append(Finding("error", "unknown-name", loc, f"the story has no {what} '{name}'", suggest(name, known)))

    values = [*story.flags, *story.counters]
    if t.start_at:
        need(t.start_at, story.nodes, "node", t.loc)
    for name, _, loc in t.start_values:
        need(name, values, "flag or counter", loc)
    for step in t.steps:
        for e in step.expects:
            if e.kind == "node":
                need(e.value, story.nodes, "node", e.loc)
            elif e.kind == "unlocked":
                for fact, loc in e.names:
                    need(fact, story.facts, "fact", loc)
            elif e.kind == "flags":
                for name, loc in e.names:
                    need(name, values, "flag or counter", loc)
    return out


# -- playing -----------------------------------------------------------------------------------
def run(story: Story, t: Transcript) -> Result:
    """Play a transcript against a story; the failures say where, what was expected and what happened."""
    failures = check_names(story, t)
    if failures:
        return Result(t, failures, [])
    try:
        first = engine.start(story, t.start_at, {n: v for n, v, _ in t.start_values})
    except PlayError as e:
        return Result(t, [Finding("error", "transcript-failed", t.loc, e.findings[0].message, e.findings[0].hint)], [])
    history = [first]
    seen = [first]
    for step in t.steps:
        state = history[-1]
        problem = _act(story, step, history)
        if problem is None:
            if step.action == "choose":
                seen.append(history[-1])
            problems = [p for e in step.expects if (p := _expect(story, history[-1], e)) is not None]
        else:
            problems = [(step.loc, problem)]
            history.append(state)  # report the path as it was
        if problems:
            path = _path_text(story, history[-1])
            return Result(t, [Finding("error", "transcript-failed", loc, f"{step.describe()}: {text}",
                                      f"path so far: {path}") for loc, text in problems], seen)
    return Result(t, [], seen)


def _act(story: Story, step: Step, history: list[State]) -> str | None:
    """Carry out the step's action on the history; the reason it could not, or None."""
    state = history[-1]
    if step.action == "do":
        if step.target == "restart":
            del history[1:]
        elif len(history) < 2:
            return "there is nothing to undo"
        else:
            history.pop()
        return None
    if step.action != "choose":
        return None
    node = story.nodes[state.node]
    if node.ending is not None:
        return f"the story has ended at '{node.id}' ({node.ending.title}); there is nothing to choose"
    options = engine.choices(story, state)
    visible = engine.shown(story, state)  # what the player's numbers count
    if isinstance(step.target, int):
        picked = engine.pick_number(str(step.target), len(visible))
        if picked is None:
            return f"there is no choice {step.target} at '{node.id}'; {_listing(visible)}"
        option = visible[picked]
    else:
        matches = ([o for o in options if o.choice.label == step.target]
                   or [o for o in options if o.choice.label.casefold() == str(step.target).casefold()])
        if not matches:
            hint = suggest(str(step.target), [o.choice.label for o in visible])
            return (f"there is no choice {step.target!r} at '{node.id}'; {_listing(visible)}"
                    + (f"; {hint}" if hint else ""))
        option = next((o for o in matches if o.available), matches[0])
    if not option.available:
        cond = option.choice.condition
        return (f"choice {option.choice.label!r} at '{node.id}' is not available now: "
                f"its condition '{cond.source if cond else ''}' does not hold ({option.choice.loc})")
    history.append(engine.choose(story, state, option.index))
    return None


def _expect(story: Story, state: State, e: Expect) -> tuple[Loc, str] | None:
    node = story.nodes[state.node]
    if e.kind == "node" and state.node != e.value:
        return e.loc, f"expected node '{e.value}', but the player is at '{state.node}' ({node.loc})"
    if e.kind == "text":
        seen = engine.scene(story, state)
        shown = " ".join([*seen.text, *([seen.ending.epilogue] if seen.ending else [])])
        missing = [t for t in e.value if " ".join(t.split()) not in " ".join(shown.split())]
        if missing:
            return e.loc, f"expected the text of '{state.node}' to contain {missing[0]!r}; it reads: {_clip(shown)!r}"
    if e.kind == "unlocked":
        missing = [f for f in e.value if f not in state.facts]
        if missing:
            have = ", ".join(state.facts) or "none"
            return e.loc, f"expected fact '{missing[0]}' to be unlocked; unlocked so far: {have}"
    if e.kind == "flags":
        now = engine.values(story, state)
        wrong = [(n, v) for n, v in e.value.items() if now[n] != v]
        if wrong:
            name, want = wrong[0]
            return e.loc, f"expected {name} to be {_show(want)}, but it is {_show(now[name])}"
    if e.kind in ("available", "unavailable"):
        options = engine.choices(story, state)
        labels = {o.choice.label.casefold(): o.available for o in options}
        want = e.kind == "available"
        for label in e.value:
            if labels.get(label.casefold()) is not want:
                found = "not a choice here" if label.casefold() not in labels else (
                    "available" if labels[label.casefold()] else "not available")
                return e.loc, f"expected choice {label!r} to be {e.kind} at '{state.node}', but it is {found}"
    if e.kind == "ending":
        return _expect_ending(node, e)
    return None


def _expect_ending(node: Any, e: Expect) -> tuple[Loc, str] | None:
    ending = node.ending
    if e.value is False and ending is not None:
        return e.loc, f"expected the story to go on, but '{node.id}' is the ending '{ending.title}'"
    if e.value is not False and ending is None:
        return e.loc, f"expected an ending, but '{node.id}' is not an ending"
    if isinstance(e.value, str) and ending is not None and ending.title != e.value:
        return e.loc, f"expected the ending {e.value!r}, but reached {ending.title!r}"
    return None


def _listing(options: list[engine.Option]) -> str:
    if not options:
        return "it has no choices"
    return "the choices are: " + ", ".join(f"{n}. {o.choice.label!r}" for n, o in enumerate(options, 1))


def _path_text(story: Story, state: State) -> str:
    return " → ".join(state.trail) if state.trail else story.start


def _show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _clip(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(story: Story, title: str, path: tuple[int, ...]) -> str:
    """A transcript of a playthrough (choice indexes from the start) that checks every step."""
    state = engine.start(story)
    lines = ["# Written by 'budapest56 test --write-transcripts'. Edit freely; 'budapest56 test' replays it.",
             f"title: {_quote(title)}", "steps:", f"  - node: {state.node}"]
    if state.facts:
        lines.append(f"    unlocked: [{', '.join(state.facts)}]")
    for index in path:
        label = story.nodes[state.node].choices[index].label
        before = len(state.facts)
        state = engine.choose(story, state, index)
        lines += [f"  - choose: {_quote(label)}", f"    node: {state.node}"]
        if len(state.facts) > before:
            lines.append(f"    unlocked: [{', '.join(state.facts[before:])}]")
    ending = story.nodes[state.node].ending
    if ending is not None:
        lines.append(f"    ending: {_quote(ending.title)}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    import json

    return json.dumps(text, ensure_ascii=False)
