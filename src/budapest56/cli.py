"""The `budapest56` command: find the subcommand, import only its module, run it.

Each command lives in budapest56.commands.<name> (or the module MODULES names, for a command
whose name Python keeps for itself) with `configure(parser)` and `run(args) -> int`, so
`budapest56 check` never pays for the terminal UI's imports.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Protocol, cast

from .errors import UsageError, suggest

# name -> one-line help; the module is budapest56.commands.<name>
COMMANDS: dict[str, str] = {
    "play": "play a story (the bundled one by default)",
    "check": "check a story for errors and lint warnings",
    "facts": "list every fact of a story",
    "test": "replay transcripts, play randomly or search every state (--exhaustive) for problems",
    "stats": "count a story's nodes, choices, endings, facts, chapters and words",
    "schema": "print the JSON Schema for scene files ('story': story.yaml, 'transcript': *.play.yaml)",
    "review": "answer review questions on the facts you have found (spaced repetition)",
    "progress": "what you have found, reached and recalled: for a student to hand in",
    "handout": "a printable sheet for teachers: timeline, quotes, glossary, questions and answer key",
    "graph": "a map of a story: chapters, choices, facts, endings and what cannot be reached",
    "new": "start a story folder that checks, plays and passes its tests (or add a scene with --scene)",
    "credits": "the story's sources: publisher, address, licence, date retrieved and changes",
    "lsp": "a language server for editors (stdio): the checker as you type, completion, go to definition, rename",
    "class": "a report on a class from the students' profiles: Markdown, CSV or a printable HTML page",
}
MODULES: dict[str, str] = {"class": "class_report"}  # `class` is a Python keyword


def module_name(command: str) -> str:
    """The module under budapest56.commands that runs `command`."""
    return f"budapest56.commands.{MODULES.get(command, command)}"


EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Command(Protocol):
    """What every budapest56.commands.<name> module provides."""

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help", "help"):
        print(_overview())
        return EXIT_OK
    if argv and argv[0] == "--version":
        from importlib.metadata import version

        print(f"budapest56 {version('budapest56')}")
        return EXIT_OK
    # No command, or a play option first (`budapest56 --continue`): play.
    name = "play" if not argv or argv[0].startswith("-") else argv[0]
    rest = argv if name == "play" and (not argv or argv[0] != "play") else argv[1:]
    if name not in COMMANDS:
        hint = suggest(name, COMMANDS)
        print(f"budapest56: unknown command '{name}'" + (f"; {hint}" if hint else ""), file=sys.stderr)
        print("run 'budapest56 --help' to see the commands", file=sys.stderr)
        return EXIT_USAGE
    # Imported by name, so mypy cannot check it: tests/test_command_modules.py does.
    module = cast(Command, importlib.import_module(module_name(name)))
    parser = argparse.ArgumentParser(prog=f"budapest56 {name}", description=COMMANDS[name])
    module.configure(parser)
    try:
        args = parser.parse_args(rest)
        return module.run(args)
    except UsageError as e:
        print(f"budapest56 {name}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`budapest56 facts | head`): nothing left to say to it.
        sys.stderr.close()
        return EXIT_OK
    except SystemExit as e:  # argparse's usage errors exit 2 already
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_USAGE


def _overview() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: budapest56 [COMMAND] [ARGS]", "",
             "With no command, plays the bundled story. Commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "'budapest56 COMMAND --help' tells more about one command."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
