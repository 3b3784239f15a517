"""`budapest56 schema [scene|story|transcript] [--story PATH] [--write]`: JSON Schema for editors."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..authoring.schemas import KINDS, SCHEMA_DIR, schema_text
from ..errors import UsageError
from ..story.loader import display_path
from .common import load_or_report


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", choices=KINDS, default="scene",
                        help="scene files (default), story.yaml or transcripts (*.play.yaml)")
    parser.add_argument("--story", metavar="PATH",
                        help="complete this story's ids: node ids after goto:, its flags, facts, chapters, terms")
    parser.add_argument("--write", action="store_true",
                        help="write all three schemas into the story's schema/ folder (needs --story)")


def run(args: argparse.Namespace) -> int:
    if args.write and not args.story:
        raise UsageError("--write needs --story PATH: the story whose schema/ folder to write")
    story = None
    if args.story:
        story = load_or_report(args.story)
        if story is None:
            return 1
    if not args.write:
        sys.stdout.write(schema_text(args.kind, story))
        return 0
    folder = Path(args.story)
    folder = (folder.parent if folder.is_file() else folder) / SCHEMA_DIR
    try:
        folder.mkdir(exist_ok=True)
        for kind in KINDS:
            (folder / f"{kind}.schema.json").write_text(schema_text(kind, story), encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot write {e.filename or folder}: {e.strerror}") from None
    print(f"wrote {', '.join(f'{k}.schema.json' for k in KINDS)} to {display_path(folder)}/")
    return 0
