"""`budapest56 credits [PATH]`: who published the story's sources, the licence, what was changed,
then the story's page on what it leaves out."""
from __future__ import annotations

import argparse
import shutil
import sys

from .common import add_story_argument, load_or_report


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args.path)
    if story is None:
        return 1
    from ..play.credits import credits_text
    from ..play.notes import leaves_out_text
    from ..play.screens import plain

    width = min(shutil.get_terminal_size((80, 24)).columns, 100) - 1
    sys.stdout.write(plain(credits_text(story, width)))
    if story.leaves_out:
        sys.stdout.write("\n" + plain(leaves_out_text(story, width)))
    return 0
