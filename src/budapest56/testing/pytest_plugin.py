"""pytest plugin: every `*.play.yaml` transcript is a test item.

Registered through the `pytest11` entry point, so `pytest` in a story folder replays its
transcripts. A failing transcript reports the story-level problem at the transcript's line,
never an engine traceback.

pytest imports entry-point plugins before pytest-cov starts measuring, so this module imports
nothing of budapest56 at import time (tests/test_plugin_imports.py keeps it so): the loader,
the model and the transcripts are imported inside the hooks, which run after it has started.
Otherwise `pytest --cov=budapest56` would count their module-level lines as never run.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..errors import Finding, StoryError
    from ..story.model import Story
    from .transcripts import Transcript

_STORIES = pytest.StashKey["dict[Path, Story | StoryError]"]()


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    from ..story.loader import TRANSCRIPT_SUFFIX  # collection runs after coverage has started

    if file_path.name.endswith(TRANSCRIPT_SUFFIX):
        return TranscriptFile.from_parent(parent, path=file_path)
    return None


class TranscriptFailure(Exception):
    """A transcript that did not pass; its findings are the whole message."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(map(str, findings)))
        self.findings = findings


class TranscriptFile(pytest.File):
    def collect(self) -> list[pytest.Item]:
        from ..errors import StoryError
        from ..story.loader import TRANSCRIPT_SUFFIX
        from .transcripts import load_transcript

        try:
            transcript: Transcript | StoryError = load_transcript(self.path)
        except StoryError as e:
            transcript = e
        name = self.path.name[: -len(TRANSCRIPT_SUFFIX)]
        return [TranscriptItem.from_parent(self, name=name, transcript=transcript)]


class TranscriptItem(pytest.Item):
    def __init__(self, *, transcript: Transcript | StoryError, **kwargs: Any):
        super().__init__(**kwargs)
        self.transcript = transcript

    def runtest(self) -> None:
        from ..errors import StoryError
        from .transcripts import run

        if isinstance(self.transcript, StoryError):
            raise TranscriptFailure(self.transcript.findings)
        story = self._story(self.transcript)
        result = run(story, self.transcript)
        if result.failures:
            raise TranscriptFailure(result.failures)

    def _story(self, transcript: Transcript) -> Story:
        from ..errors import Finding, Loc, StoryError
        from ..story.loader import display_path, load_story
        from .transcripts import story_folder_of

        folder = story_folder_of(self.path, transcript)
        if folder is None:
            raise TranscriptFailure([Finding("error", "no-story", Loc(display_path(self.path)),
                                             "no story.yaml in this folder or any folder above it",
                                             "put the transcript inside its story folder, or add 'story: PATH'")])
        cache = self.config.stash.setdefault(_STORIES, {})
        if folder not in cache:
            try:
                cache[folder] = load_story(folder)
            except StoryError as e:
                cache[folder] = e
        story = cache[folder]
        if isinstance(story, StoryError):
            raise TranscriptFailure(story.findings)
        return story

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, TranscriptFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        from ..errors import StoryError

        if isinstance(self.transcript, StoryError):
            line = self.transcript.findings[0].loc.line if self.transcript.findings else 0
            return self.path, max(line - 1, 0), f"transcript {self.name} (cannot be read)"
        title = f": {self.transcript.title}" if self.transcript.title else ""
        return self.path, max(self.transcript.loc.line - 1, 0), f"transcript {self.name}{title}"
