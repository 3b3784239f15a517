"""`budapest56 facts [PATH]`: every fact, for authors and teachers."""
from __future__ import annotations

import argparse

from .common import add_format_argument, add_story_argument, load_or_report, print_json


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    add_format_argument(parser, "text", "json")


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args.path)
    if story is None:
        return 1
    facts = sorted(story.facts.values(),
                   key=lambda f: (f.date, story.chapters[f.chapter].number if f.chapter in story.chapters else 0))
    if args.format == "json":
        print_json([{"id": f.id, "title": f.title, "summary": f.summary, "quote": f.quote,
                     "dropped": [e.dropped for e in f.elided], "date": str(f.date), "chapter": f.chapter,
                     "terms": list(f.terms),
                     "questions": [{"kind": q.kind, "ask": q.ask, "answer": q.answer, "wrong": list(q.wrong)}
                                   for q in f.questions]} for f in facts])
        return 0
    for f in facts:
        print(f"{f.date.human():>18}  {f.title}  [{f.id}]")
        print(f"{'':>18}  {f.summary}")
        print(f"{'':>18}  “{f.quote}”")
        print()
    print(f"{len(facts)} facts")
    return 0
