"""Every error a user may read, drawn once. str() of any of them is the message to print.

    Budapest56Error          the base: carries Findings (severity, code, where, message, hint)
    ├── StoryError           a story or transcript file that cannot be used; each Finding is
    │                        located at file:line:col
    ├── PlayError            a move the rules do not allow: no such choice, an unavailable one,
    │                        an unknown node or flag to start from, a saved state that does not
    │                        fit the story
    ├── SaveError            a saved game that cannot be used or written
    │   ├── NoSuchSave       there is no save of that name
    │   ├── DamagedSave      its file is damaged: not text, not JSON, not a save (moved aside)
    │   └── BadSaveName      the name cannot be a save's (a path, too long, empty)
    ├── ProfileError         the player's profile cannot be used
    └── UsageError           a command line that cannot be carried out (exit 2)

A damaged save or profile is moved aside before its error is raised (persist.storage.corrupt),
so catching one never loses a file. Callers branch on these types, never on `code` strings;
codes are stable names for tools and JSON output.

Lines and columns are 1-based, as editors show them (PyYAML's marks are 0-based).
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Self

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Loc:
    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str
    loc: Loc
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.loc}: {self.severity}: {self.message} [{self.code}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def as_json(self) -> dict[str, str | int]:
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.loc.path,
            "line": self.loc.line,
            "column": self.loc.column,
            "message": self.message,
            "hint": self.hint,
        }

    def sentence(self) -> str:
        """The message and its hint as one sentence for a player: 'There is no save called 'x' (type ...).'"""
        text = self.message[:1].upper() + self.message[1:]
        return text + (f" ({self.hint})." if self.hint else ".")


class Budapest56Error(Exception):
    """The base of every error a user may read."""

    def __init__(self, findings: list[Finding] | None = None) -> None:
        super().__init__()
        self.findings: list[Finding] = list(findings or [])

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @classmethod
    def at(cls, loc: Loc, code: str, message: str, hint: str = "") -> Self:
        return cls([Finding("error", code, loc, message, hint)])


class StoryError(Budapest56Error):
    """A story or transcript that cannot be used; every finding says file:line:col."""


class PlayError(Budapest56Error):
    """A move the rules do not allow (an unavailable choice, a choice at an ending, an unknown node)."""


class SaveError(Budapest56Error):
    """A save that cannot be used (damaged ones are moved aside first) or written."""


class NoSuchSave(SaveError):
    """There is no save of that name."""


class DamagedSave(SaveError):
    """A save whose file is damaged (cut short, edited, not a save at all); moved aside."""


class BadSaveName(SaveError):
    """A name that cannot be a save's."""


class ProfileError(Budapest56Error):
    """The player's profile cannot be used (a damaged one is moved aside first)."""


class UsageError(Budapest56Error):
    """A command line that cannot be carried out; str() is the one line to print."""

    def __init__(self, message: str) -> None:
        super().__init__([Finding("error", "usage", Loc(""), message)])

    def __str__(self) -> str:
        return self.first.message


def suggest(word: str, candidates: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
