"""`budapest56 stats [PATH]`: the size of a story, and how long one playthrough takes to read."""
from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from ..analysis.lint import stats
from ..errors import UsageError
from ..play.reading import WORDS_PER_MINUTE, Reading, playthroughs
from .common import add_format_argument, add_story_argument, load_or_report, print_json, whole_number


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    add_format_argument(parser, "text", "json")
    parser.add_argument("--runs", type=whole_number, default=1_000, metavar="N",
                        help="random playthroughs to measure reading length over (default 1,000; 0 skips)")


def run(args: argparse.Namespace) -> int:
    if args.runs < 0:
        raise UsageError(f"--runs must be 0 or more, not {args.runs}")
    story = load_or_report(args.path)
    if story is None:
        return 1
    numbers = stats(story)
    reading = playthroughs(story, args.runs) if args.runs > 0 else None
    if args.format == "json":
        print_json({**numbers, "playthrough": _json(reading) if reading else None})
        return 0
    width = max(map(len, numbers))
    for name, value in numbers.items():
        print(f"{name:<{width}}  {value:>7,}")
    if args.runs > 0:
        print()
        print(_text(reading, numbers["facts"]) if reading else
              f"None of {args.runs:,} random playthroughs reached an ending: 'budapest56 test --random' says why.")
    return 0


def _text(r: Reading, facts: int) -> str:
    w, f = r.words, r.facts
    return (f"One playthrough ({r.runs:,} random runs, seed {r.seed}):\n"
            f"  reads  {w.least:,} to {w.most:,} words (median {w.median:,}): {_minutes(r.minutes(w.median))}"
            f" at {WORDS_PER_MINUTE} words a minute\n"
            f"  finds  {f.least} to {f.most} of {facts} facts (median {f.median})")


def _minutes(n: int) -> str:
    return "under a minute" if n < 1 else "about a minute" if n == 1 else f"about {n} minutes"


def _json(r: Reading) -> dict[str, Any]:
    return {**asdict(r), "words_per_minute": WORDS_PER_MINUTE,
            "minutes": {k: r.minutes(v) for k, v in asdict(r.words).items()}}
