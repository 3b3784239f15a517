"""`budapest56 schema [scene|story]`: JSON Schema for editors."""
from __future__ import annotations

import argparse

from ..story.format import json_schema
from .common import print_json


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", choices=("scene", "story"), default="scene",
                        help="scene files (default) or story.yaml")


def run(args: argparse.Namespace) -> int:
    print_json(json_schema(args.kind))
    return 0
