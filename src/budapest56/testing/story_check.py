"""What `budapest56 check` reports: the linter's findings and the story's transcripts, one truth.

The linter (analysis.lint) reads the story; a transcript that no longer passes is as much a
problem of the story as a dangling `goto:`, so `check` plays every transcript too and reports
each failure at the transcript's own file:line:col. (The linter cannot do it itself: the
transcripts live in this room, above it.)
"""
from __future__ import annotations

from pathlib import Path

from ..analysis import lint
from ..errors import Finding, Loc, StoryError
from ..story.loader import STORY_FILE, display_path, in_order
from . import transcripts


def check_story(path: str, freeze: bool = False, play_transcripts: bool = True) -> lint.Report:
    """lint.check(path), with every transcript of the story read and (when the story has no
    errors) played; `play_transcripts=False` for a caller that runs them on its own."""
    report = lint.check(path, freeze)
    given = Path(path)
    folder = given.parent if given.is_file() else given
    if not play_transcripts or not (folder / STORY_FILE).is_file():
        return report
    report.findings = in_order([*report.findings, *transcript_findings(report, folder)])
    return report


def transcript_findings(report: lint.Report, folder: Path) -> list[Finding]:
    out: list[Finding] = []
    unplayed = 0
    for path in transcripts.find_transcripts(folder):
        try:
            t = transcripts.load_transcript(path)
        except StoryError as e:
            out += e.findings
            continue
        if transcripts.story_folder_of(path, t) != folder.resolve():
            continue  # it plays another story (its `story:` key), checked with that one
        if report.story is None or report.errors:
            unplayed += 1
            continue
        out += transcripts.run(report.story, t).failures
    if unplayed:
        out.append(Finding("info", "transcripts-not-played", Loc(display_path(folder)),
                           f"{unplayed} transcript{'s were' if unplayed != 1 else ' was'} not played: "
                           "the story has errors"))
    return out
