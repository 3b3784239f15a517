"""`budapest56 stats [PATH]`: the size of a story."""
from __future__ import annotations

import argparse

from ..check import stats
from .common import add_format_argument, add_story_argument, load_or_report, print_json


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    add_format_argument(parser, "text", "json")


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args.path)
    if story is None:
        return 1
    numbers = stats(story)
    if args.format == "json":
        print_json(numbers)
    else:
        width = max(map(len, numbers))
        for name, value in numbers.items():
            print(f"{name:<{width}}  {value:>7,}")
    return 0
