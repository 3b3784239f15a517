"""`budapest56 [play] [PATH]`: play a story."""
from __future__ import annotations

import argparse
import shutil
import sys

from .. import engine
from ..errors import StoryError
from .common import UsageError, add_story_argument, load_or_report


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    parser.add_argument("--plain", action="store_true",
                        help="plain text mode: no colours or screen control (for pipes and screen readers)")
    parser.add_argument("--width", type=int, metavar="N", help="wrap text at N columns")
    parser.add_argument("--from", dest="start_at", metavar="NODE", help="start at this node (for authors)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="set a flag (true/false) or counter before starting; repeatable")


def parse_values(pairs: list[str]) -> dict[str, bool | int]:
    values: dict[str, bool | int] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        raw = raw.strip().lower()
        if not sep or not name.strip():
            raise UsageError(f"--set takes NAME=VALUE, not '{pair}'")
        if raw in ("true", "false"):
            values[name.strip()] = raw == "true"
        elif raw.lstrip("-").isdigit():
            values[name.strip()] = int(raw)
        else:
            raise UsageError(f"--set {name}: the value must be true, false or a whole number, not '{raw}'")
    return values


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args.path)
    if story is None:
        return 1
    try:
        state = engine.start(story, args.start_at, parse_values(args.set))
    except StoryError as e:
        print(e, file=sys.stderr)
        return 1
    from ..ui import plain

    width = args.width or min(shutil.get_terminal_size((80, 24)).columns - 2, 78)
    plain.play(story, state, lambda: sys.stdin.readline() or None, sys.stdout, width)
    return 0
