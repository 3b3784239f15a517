"""`budapest56 check [PATH]`: every error and warning (the story's transcripts played too), with the
source coverage."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from ..analysis.lint import Report, stats
from ..testing.story_check import check_story
from .common import add_format_argument, add_story_argument, print_json, story_folder

LISTED = 10  # sentences not quoted listed by default; --coverage lists them all


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    add_format_argument(parser, "text", "json")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--coverage", action="store_true",
                        help="list every source sentence no quote covers, however many")
    parser.add_argument("--watch", action="store_true",
                        help="check again after every change to a file of the story, until Ctrl-C")


def run(args: argparse.Namespace) -> int:
    if args.watch:  # the same check, again after each change (play/live.py)
        from ..play.live import check_live

        if args.format == "json":  # one report a line on stdout, for a program reading them as they come
            return check_live(story_folder(args.path), lambda: check_once(args, one_line=True), sys.stderr,
                              clear=False)
        return check_live(story_folder(args.path), lambda: check_once(args))
    return check_once(args)


def check_once(args: argparse.Namespace, one_line: bool = False) -> int:
    """One check of the story, printed; the exit code. `one_line`: the JSON report on one line."""
    report = check_story(str(story_folder(args.path)), freeze=True)
    if args.format == "json":
        print_json(as_json(report), one_line)
    else:
        print(as_text(report, args.coverage), file=sys.stdout if report.ok() else sys.stderr)
    return 0 if report.ok(args.strict) else 1


def as_json(report: Report) -> dict[str, Any]:
    return {
        "ok": report.errors == 0,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [f.as_json() for f in report.findings],
        "elisions": [f.as_json() for f in report.elisions],
        "source_coverage": report.coverage.as_json() if report.coverage else None,
        "stats": stats(report.story) if report.story else None,
    }


def as_text(report: Report, coverage: bool = False) -> str:
    """`coverage`: list every sentence not quoted, not only when there are few of them."""
    lines = []
    if report.story:
        s = stats(report.story)
        lines.append(f"{report.story.root}: {s['nodes']} nodes, {s['choices']} choices, "
                     f"{_plural(s['endings'], 'ending')}, {_plural(s['facts'], 'fact')}, {s['words']} words")
    if report.coverage:
        c = report.coverage
        if coverage or len(c.uncovered) <= LISTED:
            lines.append(f"source coverage: {c.covered}/{c.total} sentences quoted")
            lines += [f"  not quoted: {file}:{s.line}: {s.text}" for file, s in c.uncovered]
        else:  # a small story over a big source: its findings, not 25 lines of what it leaves out
            lines.append(f"source coverage: {c.covered}/{c.total} sentences quoted "
                         f"({len(c.uncovered)} not quoted: --coverage lists them)")
    # Elisions first, apart from the problems: they are for reading, not for fixing.
    lines += [str(f) for f in report.elisions]
    lines += [str(f) for f in report.findings]
    if report.errors or report.warnings:
        lines.append(f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')}")
    else:
        lines.append("no problems found")
    return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
