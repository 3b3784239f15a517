"""`budapest56 graph [PATH] [--format dot|mermaid|svg|html]`: a map of the story."""
from __future__ import annotations

import argparse
import sys

from ..authoring.graph import MAX_STATES, GraphvizError, story_map, to_dot, to_html, to_mermaid, to_svg
from ..errors import UsageError
from .common import add_format_argument, add_story_argument, load_or_report

NO_DOT = ("--format svg needs Graphviz's 'dot' program, which is not installed "
          "(Debian/Ubuntu: apt-get install graphviz); --format dot, mermaid and html work without it")


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    add_format_argument(parser, "dot", "mermaid", "svg", "html")
    parser.add_argument("--max-states", type=int, default=MAX_STATES, metavar="N",
                        help=f"states the reachability search may visit (default {MAX_STATES:,})")


def run(args: argparse.Namespace) -> int:
    if args.max_states < 1:
        raise UsageError("--max-states must be at least 1")
    story = load_or_report(args.path)
    if story is None:
        return 1
    m = story_map(story, args.max_states)
    dot_text = to_dot(m)
    if args.format == "dot":
        sys.stdout.write(dot_text)
        return 0
    if args.format == "mermaid":
        sys.stdout.write(to_mermaid(m))
        return 0
    if args.format == "html":
        dot_text = to_dot(m, titled=False)  # the page's heading says the title and legend
    try:
        svg = to_svg(dot_text)
    except GraphvizError as e:
        print(f"budapest56 graph: error: Graphviz's dot failed: {e}", file=sys.stderr)
        return 1
    if args.format == "svg":
        if svg is None:
            raise UsageError(NO_DOT)
        sys.stdout.write(svg)
        return 0
    sys.stdout.write(to_html(m, svg, dot_text))
    return 0
