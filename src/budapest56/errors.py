"""Problems found in a story, each knowing where it came from.

    Finding            one problem: severity, stable code, path:line:col, message, hint
    StoryError         raised when a story cannot be used; carries every Finding found

Lines and columns are 1-based, as editors show them (PyYAML's marks are 0-based).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


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

    def as_json(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.loc.path,
            "line": self.loc.line,
            "column": self.loc.column,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class StoryError(Exception):
    """A story, save or transcript that cannot be used. str() is what the user reads."""

    findings: list[Finding] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)

    @classmethod
    def at(cls, loc: Loc, code: str, message: str, hint: str = "") -> "StoryError":
        return cls([Finding("error", code, loc, message, hint)])


def suggest(word: str, candidates: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
