"""`budapest56 new DIR [--scene NAME]`: start a story, or add a scene file to one."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..authoring.new import new_scene, new_story
from ..errors import UsageError
from ..story.loader import display_path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="the new story's folder (absent or empty)")
    parser.add_argument("--scene", metavar="NAME",
                        help="instead, add NAME.yaml (subfolders allowed: chapters/two) to the story in DIR")


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    try:
        if args.scene:
            path = new_scene(folder, args.scene)
            print(f"wrote {display_path(path)}")
            return 0
        written = new_story(folder)
    except OSError as e:
        raise UsageError(f"cannot write {e.filename or folder}: {e.strerror}") from None
    where = display_path(folder)
    print(f"wrote {len(written)} files to {where}/:")
    print("".join(f"  {display_path(p.relative_to(folder))}\n" for p in written), end="")
    print(f"next: budapest56 check {where} && budapest56 play {where}")
    return 0
