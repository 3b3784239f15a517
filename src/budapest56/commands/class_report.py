"""`budapest56 class PATH... [--story PATH]`: a report on a whole class from the students' profiles.

The CLI's name is `class` (a Python keyword, hence this module's name). The reading and counting
is learning/classroom.py's, the pages learning/class_pages.py's; the profiles are only read.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from ..learning.class_pages import CSV_TABLES, csv_rows, html, markdown
from ..learning.classroom import find_profiles, gather
from .common import add_format_argument, load_or_report


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="profile.json files, data folders (as BUDAPEST56_HOME makes them), or folders of them")
    parser.add_argument("--story", metavar="PATH", help="the story folder (default: the bundled story)")
    add_format_argument(parser, "md", "csv", "html")
    parser.add_argument("--by", choices=CSV_TABLES, default="student",
                        help="with --format csv: one row per student (default), fact or question")


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args.story)
    if story is None:
        return 1
    profiles, missing = find_profiles(Path(p) for p in args.paths)
    room = gather(story, profiles, missing)
    for line in room.skipped:
        print(f"budapest56 class: {line}", file=sys.stderr)
    if not room.students:
        print("budapest56 class: no profile of this story to report on", file=sys.stderr)
        return 1
    if args.format == "csv":
        csv.writer(sys.stdout, lineterminator="\n").writerows(csv_rows(room, args.by))
    else:
        sys.stdout.write(html(room) if args.format == "html" else markdown(room))
    return 0
