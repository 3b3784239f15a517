"""Finding quotes in a source text, and which source sentences they cover.

Comparison ignores differences a reader would not call a misquote: runs of white space,
straight versus curly quotes, Unicode composition. Anything else is a misquote:

- A quote matches at word boundaries: "Austria" is not a quote of "Austrian".
- '…' (or '...') may leave out words inside one sentence, or whole sentences between whole
  sentences; it never joins part of one sentence to part of another, because that makes the
  source say something it does not ("Thousands of … Soviet troops died.").

A quote that breaks a rule is a Misquote: which rule, and the word of the quote it happened at
(counted in whitespace-separated words, so the loader can find it in the file).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"'})
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_STOPS = ".!?"
_JOINERS = "'-,."  # inside a word when letters or digits stand on both sides: USSR's, 300,000
_PARENTHESIS = re.compile(r"\([^()]*\)")
_MAX_ALIGNMENTS = 2000  # a quote of common words could align many ways; none real needs more
CONTEXT_BEFORE, CONTEXT_AFTER = 5, 3  # words shown around a misquote


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
class Piece:
    """A run of the quote between elisions: where it is in the quote and in the source."""

    word: int     # index of its first word in the quote (words split at white space)
    start: int    # its span in the normalised source
    end: int


@dataclass(frozen=True)
class Elision:
    """One '…' of a quote and the source words it stands for."""

    word: int     # index of the word holding the '…' in the quote
    dropped: str


@dataclass(frozen=True)
class Match:
    pieces: tuple[Piece, ...]
    elisions: tuple[Elision, ...]

    @property
    def span(self) -> tuple[int, int]:
        return self.pieces[0].start, self.pieces[-1].end


@dataclass(frozen=True)
class Misquote:
    code: str     # quote-not-in-source or quote-splice
    word: int     # the word of the quote the message is about
    message: str
    hint: str
    score: int = 0  # how many words matched before it went wrong, to pick the nearest source


@dataclass(frozen=True)
class _Part:
    text: str
    word: int     # index of its first word in the quote
    mark: int     # index of the word holding the '…' before it (-1 for the first part)


def _parts(quote: str) -> list[_Part]:
    text = normalise(quote)
    parts: list[_Part] = []
    at, mark = 0, -1
    for m in _ELLIPSIS.finditer(text):
        piece = text[at:m.start()]
        if piece:
            parts.append(_Part(piece, text[:at].count(" "), mark))
        dots = m.start() + len(m.group()) - len(m.group().lstrip())
        mark, at = text[:dots].count(" "), m.end()
    if text[at:]:
        parts.append(_Part(text[at:], text[:at].count(" "), mark))
    return parts


def _wordish(c: str) -> bool:
    return c.isalnum()


@dataclass(frozen=True)
class SourceIndex:
    """A source text prepared for quote look-ups."""

    text: str                       # normalised
    sentences: tuple[Sentence, ...]
    bounds: tuple[tuple[int, int], ...] = ()  # every sentence's span, the title's too
    starts: tuple[int, ...] = ()              # the bounds' starts, for bisect

    # -- boundaries ----------------------------------------------------------------------------
    def _inside_word(self, i: int) -> bool:
        """True when position i (between text[i-1] and text[i]) cuts a word in two."""
        t = self.text
        if i <= 0 or i >= len(t):
            return False
        before, after = t[i - 1], t[i]
        if _wordish(before) and _wordish(after):
            return True
        if after in _JOINERS and _wordish(before) and i + 1 < len(t) and _wordish(t[i + 1]):
            return True
        return before in _JOINERS and _wordish(after) and i >= 2 and _wordish(t[i - 2])

    def _occurrences(self, piece: str, start: int) -> Iterator[int]:
        at = self.text.find(piece, start)
        while at != -1:
            if not self._inside_word(at) and not self._inside_word(at + len(piece)):
                yield at
            at = self.text.find(piece, at + 1)

    def _sentence_at(self, i: int) -> int:
        """Index into bounds of the sentence holding the character at i."""
        return max(0, bisect.bisect_right(self.starts, i) - 1)

    def _starts_sentence(self, i: int) -> bool:
        return self.bounds[self._sentence_at(i)][0] == i

    def _ends_sentence(self, i: int) -> bool:
        """i is the end of a sentence, or just before its final stop (which a quote may leave out)."""
        end = self.bounds[self._sentence_at(i - 1)][1]
        return i == end or (i == end - 1 and self.text[i] in _STOPS)

    # -- matching ------------------------------------------------------------------------------
    def find(self, quote: str) -> tuple[int, int] | None:
        """The span of the source a quote stands for, or None if it is not a faithful quote."""
        found = self.match(quote)
        return found.span if isinstance(found, Match) else None

    def match(self, quote: str) -> Match | Misquote:
        parts = _parts(quote)
        if not parts:
            return Misquote("quote-not-in-source", 0, "the quote is empty", "copy the words from the source")
        first: list[Piece] | None = None
        for count, pieces in enumerate(self._alignments(parts, 0, 0, [])):
            if self._splice(parts, pieces) is None:
                return self._as_match(parts, pieces)
            first = first or pieces
            if count >= _MAX_ALIGNMENTS:
                break
        if first is not None:
            splice = self._splice(parts, first)
            assert splice is not None
            return splice
        return self._misquote(parts)

    def _alignments(self, parts: list[_Part], i: int, start: int, done: list[Piece]) -> Iterator[list[Piece]]:
        if i == len(parts):
            yield list(done)
            return
        for at in self._occurrences(parts[i].text, start):
            done.append(Piece(parts[i].word, at, at + len(parts[i].text)))
            yield from self._alignments(parts, i + 1, at + len(parts[i].text), done)
            done.pop()

    def _groups(self, pieces: list[Piece]) -> list[tuple[int, int]]:
        """Index ranges of pieces that stay within one sentence; '…' between groups leaves out
        text across a sentence boundary."""
        groups, first = [], 0
        for i in range(1, len(pieces)):
            if self._sentence_at(pieces[i - 1].end - 1) != self._sentence_at(pieces[i].start):
                groups.append((first, i - 1))
                first = i
        return groups + [(first, len(pieces) - 1)]

    def _splice(self, parts: list[_Part], pieces: list[Piece]) -> Misquote | None:
        """The first '…' that joins part of a sentence to another sentence, if any."""
        groups = self._groups(pieces)
        whole = [self._starts_sentence(pieces[a].start) and self._ends_sentence(pieces[b].end) for a, b in groups]
        for g in range(1, len(groups)):
            if whole[g - 1] and whole[g]:
                continue
            left, right = groups[g - 1], groups[g]
            left_text, right_text = self._quoted(pieces, left), self._quoted(pieces, right)
            partial = [t for t, ok in ((left_text, whole[g - 1]), (right_text, whole[g])) if not ok]
            if len(partial) == 2:
                message = (f"'…' joins part of one sentence to part of another: "
                           f"\"{left_text}\" and \"{right_text}\"")
            else:
                message = (f"'…' joins part of a sentence to another sentence: \"{partial[0]}\" is only part "
                           "of its sentence")
            return Misquote("quote-splice", parts[right[0]].mark, message,
                            "'…' may leave out words inside one sentence, or whole sentences between whole "
                            "sentences; quote each sentence whole, or make two facts")
        return None

    def _quoted(self, pieces: list[Piece], group: tuple[int, int]) -> str:
        a, b = group
        return _clip(self.text[pieces[a].start:pieces[b].end], 40)

    def _as_match(self, parts: list[_Part], pieces: list[Piece]) -> Match:
        elisions = tuple(Elision(parts[i].mark, self.text[pieces[i - 1].end:pieces[i].start].strip())
                         for i in range(1, len(pieces)))
        return Match(tuple(pieces), elisions)

    # -- what went wrong ---------------------------------------------------------------------
    def _misquote(self, parts: list[_Part]) -> Misquote:
        """Point at the first word of the quote that the source does not have."""
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self.text)]
        starts = [w[0] for w in words]
        start = 0
        for part in parts:
            found = next(self._occurrences(part.text, start), None)
            if found is not None:
                start = found + len(part.text)
                continue
            mine = part.text.split(" ")
            best, best_j, best_score = 0, -1, (0, False)
            for j in range(bisect.bisect_left(starts, start), len(words)):
                n = 0
                while (n < len(mine) and j + n < len(words)
                       and self.text[words[j + n][0]:words[j + n][1]] == mine[n]):
                    n += 1
                # Between equally long runs, the one whose next word begins alike ("USSR" in "USSR's")
                near = n < len(mine) and j + n < len(words) and self.text[words[j + n][0]:].startswith(mine[n][:3])
                if n and (n, near) > best_score:
                    best, best_j, best_score = n, j, (n, near)
            if best == len(mine):  # every word there, but not as one run: blame the last
                best -= 1
            if (best == 0 and part.mark == -1) or not words:
                return Misquote("quote-not-in-source", part.word,
                                f"quote not found in the source: \"{_clip(part.text, 60)}\"", self._closest(part.text))
            word = part.word + best
            at = best_j + best if best_j != -1 else bisect.bisect_left(starts, start)
            theirs = self._around(words, at, best_j if best_j != -1 else at)
            ours_from = max(0, best - CONTEXT_BEFORE)
            ours = " ".join(mine[ours_from:best + CONTEXT_AFTER + 1])
            before = "…" if ours_from or part.mark != -1 else ""
            ours = before + ours + ("…" if best + CONTEXT_AFTER + 1 < len(mine) else "")
            return Misquote("quote-not-in-source", word,
                            f"quote differs from the source at \"{mine[best]}\"",
                            f"the quote has \"{ours}\", the source \"{theirs}\"", best)
        raise AssertionError("every piece was found, so the quote matched")  # pragma: no cover

    def _around(self, words: list[tuple[int, int]], at: int, matched_from: int) -> str:
        """The source's words around word `at`, within its sentence, marked '…' where cut."""
        if at >= len(words):
            at = len(words) - 1
        first, last = self.bounds[self._sentence_at(words[at][0])]
        a = max(min(matched_from, at), at - CONTEXT_BEFORE)
        while a < at and words[a][0] < first:
            a += 1
        b = min(at + CONTEXT_AFTER, len(words) - 1)
        while b > at and words[b][1] > last:
            b -= 1
        text = self.text[words[a][0]:words[b][1]]
        return ("…" if words[a][0] > first else "") + text + ("…" if words[b][1] < last else "")

    def _closest(self, text: str) -> str:
        import difflib

        close = difflib.get_close_matches(text, [s.text for s in self.sentences], n=1, cutoff=0.5)
        if close:
            return f"closest source sentence: \"{close[0]}\""
        return "copy the words exactly from the source; leave words out with '…'"

    # -- coverage ------------------------------------------------------------------------------
    def covered_by(self, found: Match | tuple[int, int]) -> list[Sentence]:
        """Sentences a quote holds whole (a final full stop may be left out). A sentence with
        words left out by '…' does not count, unless what is left out is a parenthesis."""
        if isinstance(found, tuple):
            found = Match((Piece(0, *found),), ())
        start, end = found.span
        gaps = [(a.end, b.start) for a, b in zip(found.pieces, found.pieces[1:])]
        return [s for s in self.sentences if start <= s.start and s.end - 1 <= end
                and all(self._harmless(s, gap) for gap in gaps)]

    def _harmless(self, s: Sentence, gap: tuple[int, int]) -> bool:
        left_out = self.text[max(gap[0], s.start):min(gap[1], s.end)].strip()
        return left_out in ("", *_STOPS) or _PARENTHESIS.fullmatch(left_out) is not None


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
    bounds = [(s.start, s.end) for s in sentences]
    if title:
        # The title may be quoted too, but it is not a sentence to cover.
        text += " " + title
        bounds.append((len(text) - len(title), len(text)))
    bounds = bounds or [(0, len(text))]
    return SourceIndex(text, tuple(sentences), tuple(bounds), tuple(b[0] for b in bounds))
