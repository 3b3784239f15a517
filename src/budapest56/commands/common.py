"""What several commands share: the story argument and loading it with readable errors."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ..errors import StoryError, UsageError
from ..story.bundled import bundled_story
from ..story.controls import shown
from ..story.model import Story

_WHOLE = re.compile(r"-?[0-9]{1,18}")  # ASCII digits: int() would take '٣' and choke on 4,301 digits


def add_story_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="a story folder (default: the bundled story)")


def whole_number(text: str) -> int:
    """argparse's `type` for a number option: a whole number in ASCII digits, else one line."""
    if not _WHOLE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"expected a whole number, not '{shown(text, 20)}'")
    return int(text)


def add_format_argument(parser: argparse.ArgumentParser, *formats: str) -> None:
    parser.add_argument("--format", choices=formats, default=formats[0], help="output format")


def story_folder(path: str | None) -> Path:
    if path is None:
        return bundled_story()
    folder = Path(path)
    if not folder.exists():
        raise UsageError(f"no such file or folder: {path}")
    return folder


def load_or_report(path: str | None, cached: bool = False) -> Story | None:
    """The story, or None after printing its problems to stderr. cached: from the story cache
    when it is fresh (persist.story_cache), for the game's start-up."""
    try:
        if cached:
            from ..persist.story_cache import load_cached

            return load_cached(story_folder(path))
        from ..story.loader import load_story

        return load_story(story_folder(path), freeze=True)  # a command's process ends with its story
    except StoryError as e:
        print(e, file=sys.stderr)
        return None


def print_json(data: object, one_line: bool = False) -> None:
    """`one_line`: the document on one line, flushed, for a program reading one per line."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=None if one_line else 2)
    sys.stdout.write("\n")
    if one_line:
        sys.stdout.flush()
