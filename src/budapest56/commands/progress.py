"""`budapest56 progress [PATH]`: what a player has found, reached and recalled.

Facts found (of the total, per chapter), endings reached, review accuracy per chapter, time
played and, once the player has taken the before-check (learning/gain.py), what they knew before
the story and after it; as Markdown (to read or hand in), JSON or CSV (for a teacher's spreadsheet).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TypedDict

from ..errors import ProfileError
from ..learning.gain import read_gain
from ..learning.schedule import read_book
from ..persist.profile import Progress, load_progress
from ..persist.storage import data_home
from ..story.model import Story
from .common import add_format_argument, add_story_argument, load_or_report, print_json


class ChapterRow(TypedDict):
    id: str
    title: str
    facts_found: int
    facts_total: int
    review_asked: int
    review_right: int


class EndingRow(TypedDict):
    id: str
    title: str


class GainRow(TypedDict):
    """The before- and after-check: right answers of `questions`; None for one not taken."""

    questions: int
    before: int | None
    after: int | None
    skipped: bool


class ProgressReport(TypedDict):
    """What `report` returns and every format prints; the JSON format is exactly this."""

    story: str
    title: str
    facts_found: int
    facts_total: int
    endings_reached: list[EndingRow]
    endings_total: int
    review_asked: int
    review_right: int
    seconds_played: int
    chapters: list[ChapterRow]
    gain: GainRow


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    add_format_argument(parser, "md", "json", "csv")


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args.path)
    if story is None:
        return 1
    progress = open_progress(data_home(), story)
    if progress is None:
        return 1
    data = report(story, progress)
    if args.format == "json":
        print_json(data)
    elif args.format == "csv":
        write_csv(data)
    else:
        sys.stdout.write(markdown(data))
    return 0


def open_progress(home: Path, story: Story) -> Progress | None:
    """The player's progress, or None after saying why not (a corrupt profile is moved aside)."""
    try:
        return load_progress(home, story.id)
    except ProfileError as e:
        print(e, file=sys.stderr)
        print("Your saved games are untouched; the game starts a new profile when you play.", file=sys.stderr)
        return None


def report(story: Story, progress: Progress) -> ProgressReport:
    """The numbers every format shows. Ids the story no longer has are left out."""
    found = {f for f in progress.facts_found if f in story.facts}
    book = read_book(progress.review)
    chapters: list[ChapterRow] = []
    for chapter in story.chapters.values():
        facts = [f for f in story.facts.values() if f.chapter == chapter.id]
        asked, right = book.chapters.get(chapter.id, (0, 0))
        chapters.append({"id": chapter.id, "title": chapter.title, "facts_found": sum(f.id in found for f in facts),
                         "facts_total": len(facts), "review_asked": asked, "review_right": right})
    endings = [story.nodes[e] for e in progress.endings if e in story.nodes and story.nodes[e].ending]
    return {"story": story.id, "title": story.title,
            "facts_found": len(found), "facts_total": len(story.facts),
            "endings_reached": [{"id": n.id, "title": n.ending.title} for n in endings if n.ending],
            "endings_total": len(story.endings),
            "review_asked": sum(c["review_asked"] for c in chapters),
            "review_right": sum(c["review_right"] for c in chapters),
            "seconds_played": round(progress.seconds_played), "chapters": chapters,
            "gain": gain_row(progress)}


def gain_row(progress: Progress) -> GainRow:
    gain = read_gain(progress.gain)
    return {"questions": len(gain.questions),
            "before": gain.before.right(gain.questions) if gain.before else None,
            "after": gain.after.right(gain.questions) if gain.after else None,
            "skipped": bool(gain.skipped)}


def before_after(gain: GainRow) -> str:
    """'1 of 5 before the story, 4 of 5 after (+3)'; '' when the check was never offered."""
    if gain["skipped"]:
        return "skipped"
    if gain["before"] is None:
        return ""
    n = gain["questions"]
    if gain["after"] is None:
        return f"{gain['before']} of {n} before the story; not yet after it"
    change = gain["after"] - gain["before"]
    return f"{gain['before']} of {n} before the story, {gain['after']} of {n} after ({change:+d})"


def markdown(data: ProgressReport) -> str:
    endings = data["endings_reached"]
    out = [f"# Progress: {data['title']}", "",
           f"- Facts found: {data['facts_found']} of {data['facts_total']}",
           f"- Endings reached: {len(endings)} of {data['endings_total']}"
           + (": " + "; ".join(e["title"] for e in endings) if endings else ""),
           f"- Review answers right: {_ratio(data['review_right'], data['review_asked'])}",
           f"- Time played: {duration(data['seconds_played'])}",
           *([f"- Before and after: {said}"] if (said := before_after(data["gain"])) else []), "",
           "| Chapter | Facts found | Review answers right |", "|---|---|---|"]
    for c in data["chapters"]:
        out.append(f"| {c['title']} | {c['facts_found']} of {c['facts_total']} | "
                   f"{_ratio(c['review_right'], c['review_asked'])} |")
    return "\n".join(out) + "\n"


def write_csv(data: ProgressReport) -> None:
    """One row per chapter, then a total row that also carries endings and time played; then,
    once the before-check was taken, a `before` and an `after` row: its questions and right answers."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["chapter", "title", "facts_found", "facts_total", "review_asked", "review_right",
                     "endings_reached", "endings_total", "seconds_played"])
    for c in data["chapters"]:
        writer.writerow([c["id"], c["title"], c["facts_found"], c["facts_total"], c["review_asked"],
                         c["review_right"], "", "", ""])
    writer.writerow(["total", data["title"], data["facts_found"], data["facts_total"], data["review_asked"],
                     data["review_right"], len(data["endings_reached"]), data["endings_total"],
                     data["seconds_played"]])
    gain = data["gain"]
    if gain["before"] is not None:
        for name, title, right in (("before", "Before the story", gain["before"]),
                                   ("after", "After the story", gain["after"])):
            writer.writerow([name, title, "", "", gain["questions"], "" if right is None else right, "", "", ""])


def _ratio(right: int, asked: int) -> str:
    return f"{right} of {asked} ({round(100 * right / asked)}%)" if asked else "none answered yet"


def duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute" if seconds else "none yet"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
