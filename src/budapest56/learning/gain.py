"""Learning gain: the same few questions before the story begins and after its ending.

    check_items(story) -> [Item]                    the questions: about five, the same every time
    before_check(story, screen, home, ...)          "What do you know already?" (once per profile)
    after_check(story, screen, home, ...)           the same questions at an ending (once answered)
    read_gain(Progress.gain) -> Gain                what was answered, read leniently

The questions come from facts that every route to an ending unlocks (so the after-check asks
only what every player has met), spread over the chapters, one question per fact. There is no
feedback between the questions: before the story that would teach the answers, and the point
is to see what the story taught. After the after-check the player sees both scores and the
answers. Each answer is saved at once, like the reviews'. The profile's `gain` part:

    {"version": 1, "questions": ["f_occupied#1", ...],
     "before": {"day": "2026-12-01", "answers": {"f_occupied#1": false, ...}},
     "after":  {"day": "2026-12-03", "answers": {"f_occupied#1": true, ...}},
     "skipped": "2026-12-01"}          # the player skipped the before-check: never offered again

A question left unanswered (the player stopped the check) counts as not known; stopping at
the first question is a skip.
"""
from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ProfileError
from ..persist.profile import Progress, load_progress, save_progress
from ..story.model import Story
from .quiz import Screen, fill, options_for
from .schedule import Item, item, items_of

VERSION = 1
SIZE = 5          # questions in a check
SMALLEST = 3      # fewer candidate facts than this: the story gets no check
SKIP_SETTING = "skip_reviews"  # reviews turned off: no checks either (the player asked for no quizzes)
DONT_KNOW = "I don't know yet"


@dataclass(frozen=True, slots=True)
class Answers:
    day: str
    answers: Mapping[str, bool] = field(default_factory=dict)  # question key -> right

    def right(self, questions: tuple[str, ...]) -> int:
        return sum(self.answers.get(k) is True for k in questions)


@dataclass(frozen=True)
class Gain:
    questions: tuple[str, ...] = ()
    before: Answers | None = None
    after: Answers | None = None
    skipped: str = ""

    @property
    def seen(self) -> bool:
        """The before-check was offered and either taken or skipped."""
        return bool(self.skipped) or self.before is not None

    @property
    def change(self) -> int | None:
        """After minus before, in questions right; None until both were taken."""
        if self.before is None or self.after is None:
            return None
        return self.after.right(self.questions) - self.before.right(self.questions)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": VERSION, "questions": list(self.questions)}
        for name, part in (("before", self.before), ("after", self.after)):
            if part is not None:
                data[name] = {"day": part.day, "answers": dict(part.answers)}
        if self.skipped:
            data["skipped"] = self.skipped
        return data


def read_gain(data: Mapping[str, Any]) -> Gain:
    """The Gain stored in `Progress.gain`; whatever does not fit is left out, never an error."""
    raw = data.get("questions")
    questions = tuple(dict.fromkeys(k for k in raw if isinstance(k, str))) if isinstance(raw, list) else ()

    def part(value: object) -> Answers | None:
        if not (isinstance(value, Mapping) and isinstance(value.get("day"), str) and questions):
            return None
        answers = value.get("answers")
        kept = {k: v for k, v in answers.items() if k in questions and isinstance(v, bool)} \
            if isinstance(answers, Mapping) else {}
        return Answers(value["day"], kept)

    skipped = data.get("skipped")
    return Gain(questions, part(data.get("before")), part(data.get("after")),
                skipped if isinstance(skipped, str) else "")


# --- which questions ----------------------------------------------------------------------

def every_route_facts(story: Story) -> list[str]:
    """Facts (in story order) that every route from the start to an ending unlocks.

    Read from the story's graph with every condition taken as true: that allows more routes
    than the rules do, so a fact no such route can avoid is one no player can avoid."""
    endings = {n.id for n in story.endings}
    if not _reaches(story, endings, ""):
        return []  # no ending to reach: "every route" would be true of anything
    return [f for f in story.facts if not _reaches(story, endings, f)]


def _reaches(story: Story, endings: set[str], avoiding: str) -> bool:
    """Can some route reach an ending without unlocking the fact `avoiding`?"""
    def unlocks(node_id: str) -> bool:
        return avoiding in story.nodes[node_id].effects.unlock

    if story.start not in story.nodes or unlocks(story.start):
        return False
    seen, todo = {story.start}, deque([story.start])
    while todo:
        here = todo.popleft()
        if here in endings:
            return True
        for choice in story.nodes[here].choices:
            there = choice.goto
            if there in seen or there not in story.nodes or avoiding in choice.effects.unlock or unlocks(there):
                continue
            seen.add(there)
            todo.append(there)
    return False


def check_items(story: Story, size: int = SIZE) -> list[Item]:
    """The check's questions: the first multiple-choice question of `size` facts, spread over the
    chapters, facts every route teaches first; in chapter order, the same list every time for a
    story. (Multiple choice, with "I don't know yet": before the story nobody can type a quote.)"""
    asked = [f for f in story.facts.values() if any(q.kind == "choice" for q in f.questions)]
    if len(asked) < SMALLEST:
        return []
    everywhere = set(every_route_facts(story))
    chosen = _spread(story, [f.id for f in asked if f.id in everywhere], size)
    if len(chosen) < size:  # too few facts on every route: make up the number from the rest
        chosen += _spread(story, [f.id for f in asked if f.id not in everywhere], size - len(chosen))
    order = {f: (_chapter_number(story, story.facts[f].chapter), i) for i, f in enumerate(story.facts)}
    return [next(it for it in items_of(story, f) if it.question.kind == "choice")
            for f in sorted(chosen, key=order.__getitem__)]


def _chapter_number(story: Story, chapter: str) -> int:
    found = story.chapters.get(chapter)
    return found.number if found else len(story.chapters) + 1


def _spread(story: Story, facts: list[str], size: int) -> list[str]:
    """Up to `size` of `facts`: evenly spaced over the chapters that have any, round after round."""
    chapters = sorted({story.facts[f].chapter for f in facts}, key=lambda c: _chapter_number(story, c))
    queues = [[f for f in facts if story.facts[f].chapter == c] for c in chapters]
    chosen: list[str] = []
    while queues and len(chosen) < size:
        want = size - len(chosen)
        if want >= len(queues):
            picks = list(range(len(queues)))
        else:  # evenly spaced, the first and the last chapter included
            picks = sorted({round(i * (len(queues) - 1) / max(want - 1, 1)) for i in range(want)})
        chosen += [queues[i].pop(0) for i in picks]
        queues = [q for q in queues if q]
    return chosen


# --- asking -------------------------------------------------------------------------------

def before_check(story: Story, screen: Screen, home: Path, rng: random.Random | None = None,
                 today: Callable[[], date] = date.today) -> None:
    """Offer the check before a new game's first scene, if this profile has never seen it."""
    progress = _progress(home, story)
    if progress is None:
        return
    gain = read_gain(progress.gain)
    items = check_items(story)
    if gain.seen or not items or progress.settings.get(SKIP_SETTING) is True:
        return
    width = getattr(screen, "width", 78)
    offer = (f"What do you know already? {len(items)} short questions before the story begins, and the same "
             f"{len(items)} after its end, so you can see what you learned. No marks; the story does not "
             "depend on it.")
    day = today().isoformat()
    if screen.ask(fill(offer, width), ["Answer them", "Skip"]) != 0:
        _store(home, replace(progress, gain=replace(gain, skipped=day).as_json()))
        screen.show("Skipped. The story begins.\n")
        return
    gain = Gain(tuple(it.key for it in items), Answers(day))
    _store(home, replace(progress, gain=gain.as_json()))  # taken, even if the player stops at once
    answers = _ask(items, screen, rng or random.Random(), width,
                   lambda got: _store(home, replace(progress, gain=replace(gain, before=Answers(day, got)).as_json())))
    if not answers:  # stopped at the first question: a skip, not a score of nought
        _store(home, replace(progress, gain=Gain(skipped=day).as_json()))
        screen.show("Skipped. The story begins.\n")
        return
    known = sum(answers.values())
    screen.show(fill(f"You knew {known} of {len(items)}. The same questions come back after the story's end; "
                     "now the story begins.", width) + "\n")


def after_check(story: Story, screen: Screen, home: Path, rng: random.Random | None = None,
                today: Callable[[], date] = date.today) -> None:
    """At an ending: the before-check's questions once more, if they were taken and not yet repeated."""
    progress = _progress(home, story)
    if progress is None:
        return
    gain = read_gain(progress.gain)
    items = [it for k in gain.questions if (it := item(story, k))]
    if gain.before is None or gain.after is not None or not items:
        return
    width = getattr(screen, "width", 78)
    offer = (f"What do you know now? The {len(items)} questions from before the story, once more. "
             "No marks; then you see both scores and the answers.")
    if screen.ask(fill(offer, width), ["Answer them", "Not now"]) != 0:
        screen.show(fill("Not now. They are offered again at your next ending.", width) + "\n")
        return
    day = today().isoformat()
    questions = tuple(it.key for it in items)
    answers = _ask(items, screen, rng or random.Random(), width,
                   lambda got: _store(home, replace(progress,
                                                    gain=replace(gain, questions=questions,
                                                                 after=Answers(day, got)).as_json())))
    before = gain.before.right(questions)
    now = sum(answers.values())
    lines = [fill(f"Before the story you knew {before} of {len(items)}; now you know {now} of {len(items)}.", width)]
    for it in items:
        mark = "Right" if answers.get(it.key) else "Not yet"
        lines.append(fill(f"{mark}: {it.question.ask} — {it.question.answer}", width, "  "))
    screen.show("\n".join(lines) + "\n")


def _ask(items: list[Item], screen: Screen, rng: random.Random, width: int,
         save: Callable[[dict[str, bool]], str]) -> dict[str, bool]:
    """Ask each question with no feedback between them; stop when the player skips one."""
    got: dict[str, bool] = {}
    problem = ""
    for number, it in enumerate(items, 1):
        options = [*options_for(it, rng), DONT_KNOW]
        chosen = screen.ask(fill(f"Question {number} of {len(items)}: {it.question.ask}", width), options)
        if chosen is None or not 0 <= chosen < len(options):
            break
        got[it.key] = options[chosen] == it.question.answer
        problem = problem or save(dict(got))  # said once, at the end; the check itself goes on
    if problem:
        screen.show(fill(problem, width) + "\n")
    return got


def _progress(home: Path, story: Story) -> Progress | None:
    try:
        return load_progress(home, story.id)
    except ProfileError:
        return None  # the game has said so and starts a new profile; no check this time


def _store(home: Path, progress: Progress) -> str:
    """Save the profile; '' when done, else what went wrong in words (never a traceback mid-game)."""
    try:
        save_progress(home, progress)
    except OSError as e:
        return f"Could not save your answers in {home}: {e.strerror or e}. The story goes on."
    return ""
