"""`budapest56 lsp`: the language server, talking to an editor over stdin and stdout."""
from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true",
                        help="talk over stdin and stdout (the only way, and the default; "
                             "accepted because many editors pass it)")


def run(args: argparse.Namespace) -> int:
    from ..authoring.lsp_server import serve  # pygls is imported here, never by another command

    serve()
    return 0
