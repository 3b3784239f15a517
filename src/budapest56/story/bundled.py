"""Where the bundled story is, for both kinds of install."""
from __future__ import annotations

from pathlib import Path


def bundled_story() -> Path:
    package = Path(__file__).resolve().parent.parent  # src/budapest56
    packaged = package / "scenes"          # a wheel: hatchling copies scenes/ into the package
    if (packaged / "story.yaml").is_file():
        return packaged
    return package.parent.parent / "scenes"  # an editable install or a checkout: src/budapest56 -> scenes
