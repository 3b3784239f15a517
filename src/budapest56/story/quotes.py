"""Finding quotes in a source text, and which source sentences they cover.

Comparison ignores differences a reader would not call a misquote: runs of white space,
straight versus curly quotes, Unicode composition. A quote may leave words out with
'…' (or '...'); each piece must then appear in the source, in order.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"'})
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()


@dataclass(frozen=True)
class Sentence:
    number: int   # 1-based, in reading order
    line: int     # 1-based line of the source file
    text: str     # as written
    start: int    # span in the normalised source
    end: int


@dataclass(frozen=True)
class SourceIndex:
    """A source text prepared for quote look-ups."""

    text: str                       # normalised
    sentences: tuple[Sentence, ...]

    def find(self, quote: str) -> tuple[int, int] | None:
        """The span of the source a quote stands for, or None if it is not a faithful quote."""
        pieces = [p for p in _ELLIPSIS.split(normalise(quote)) if p]
        if not pieces:
            return None
        first = pieces[0]
        at = self.text.find(first)
        while at != -1:
            end, ok = at + len(first), True
            for piece in pieces[1:]:
                nxt = self.text.find(piece, end)
                if nxt == -1:
                    ok = False
                    break
                end = nxt + len(piece)
            if ok:
                return at, end
            at = self.text.find(first, at + 1)
        return None

    def covered_by(self, span: tuple[int, int]) -> list[Sentence]:
        """Sentences a quote's span holds whole (a final full stop may be left out)."""
        start, end = span
        return [s for s in self.sentences if start <= s.start and s.end - 1 <= end]


def _has_title(lines: list[str]) -> bool:
    """A first line standing alone, without a full stop, is a title, not a sentence."""
    return len(lines) > 1 and not lines[1].strip() and not lines[0].rstrip().endswith((".", "!", "?"))


def index_source(raw: str) -> SourceIndex:
    """Split a source into sentences, one paragraph per line, leaving out a title line."""
    lines = raw.splitlines()
    titled = _has_title(lines)
    body_parts: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    for line_number, line in enumerate(lines[1:] if titled else lines, start=2 if titled else 1):
        para = normalise(line)
        if not para:
            continue
        if body_parts:
            offset += 1  # the joining space
        at = 0
        for piece in _SENTENCE_END.split(para):
            at = para.find(piece, at)
            sentences.append(Sentence(len(sentences) + 1, line_number, piece,
                                      offset + at, offset + at + len(piece)))
            at += len(piece)
        body_parts.append(para)
        offset += len(para)
    title = normalise(lines[0]) if titled else ""
    text = " ".join(body_parts)
    # The title may be quoted too, but it is not a sentence to cover.
    return SourceIndex(text if not title else text + " " + title, tuple(sentences))
