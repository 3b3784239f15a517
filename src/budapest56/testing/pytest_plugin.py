"""pytest plugin: every `*.play.yaml` transcript is a test item, and so is every story folder.

Registered through the `pytest11` entry point, so `pytest` in a story folder replays its
transcripts, and checks the story as `budapest56 check --strict` and `budapest56 test
--exhaustive` do (one item per folder holding a story.yaml): plain `pytest` fails where they
fail. A failure reports the story-level problems at their file:line:col, never an engine
traceback. (The story item leaves the transcripts to their own items, so a failing one fails once.)

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
MAX_STATES = 1_000_000  # as `budapest56 test --exhaustive`


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    from ..story.loader import STORY_FILE, TRANSCRIPT_SUFFIX  # collection runs after coverage has started

    if file_path.name.endswith(TRANSCRIPT_SUFFIX):
        return TranscriptFile.from_parent(parent, path=file_path)
    if file_path.name == STORY_FILE:
        return StoryFile.from_parent(parent, path=file_path)
    return None


class StoryFailure(Exception):
    """A story that fails `check --strict` or the exhaustive proof; its findings are the message."""

    def __init__(self, heading: str, findings: list[Finding]):
        super().__init__("\n".join([heading, *map(str, findings)]))


class StoryFile(pytest.File):
    def collect(self) -> list[pytest.Item]:
        return [StoryItem.from_parent(self, name="story")]


class StoryItem(pytest.Item):
    """`budapest56 check --strict` and `budapest56 test --exhaustive` of one story folder."""

    def runtest(self) -> None:
        from ..story.loader import display_path, in_order
        from . import playtest
        from .story_check import check_story

        report = check_story(str(self.path.parent), play_transcripts=False)
        failures = [f for f in report.findings if f.severity != "info"] if not report.ok(strict=True) else []
        if report.story is not None and not report.errors:
            proof = playtest.Report(report.story)
            playtest.run_exhaustive(proof, MAX_STATES)
            proof.cycles += playtest.undecided_loops(proof)
            said = {f.loc for f in failures}  # an unreachable node: check's warning says it already
            failures += [f for f in proof.failures() if f.loc not in said]
        if failures:
            problems = f"{len(failures)} problem{'s' * (len(failures) != 1)}"
            raise StoryFailure(f"story {display_path(self.path.parent)}: {problems} "
                               "(budapest56 check --strict, budapest56 test --exhaustive)", in_order(failures))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, StoryFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"story {self.path.parent.name}: check --strict and test --exhaustive"


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
