"""What the language server shows, as plain data: a finding's span and the places its words
point to, and the hover text of an id. Pure, so it is tested without a client."""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding
from ..story.model import Story
from ..story.quotes import Match, Sentence
from .lsp_index import Occurrence

# "the first is at scenes/a.yaml:4:7" (duplicate ids), "the first is at line 4" and "(the other at
# line 12)" (same file): the messages already name the other place; the editor can link it.
_AT_FILE = re.compile(r"\bat (\S+?):(\d+):(\d+)")
_AT_LINE = re.compile(r"\bat line (\d+)")
_TOKEN_END = re.compile(r"""("[^"]*"?|'[^']*'?|[^\s,\]}#:]+(?::[^\s,\]}#:]+)*)""")  # a key without its colon


@dataclass(frozen=True, slots=True)
class Place:
    path: Path
    line: int    # 0-based
    start: int   # 0-based columns (code points), end exclusive
    end: int


def finding_path(finding: Finding) -> Path:
    """The absolute path a finding names (check prints paths relative to where it runs)."""
    return Path(os.path.abspath(finding.loc.path))


def finding_place(finding: Finding, lines: Sequence[str]) -> Place:
    """Where to underline: from the finding's column over the word there (a quoted value whole),
    or the whole line for a finding at a line's start with nothing under it."""
    line, column = max(finding.loc.line - 1, 0), max(finding.loc.column - 1, 0)
    text = (lines[line] if line < len(lines) else "").rstrip("\r\n")
    if text[max(column - 2, 0):column] == "- ":  # a list item (a node, a fact) as a whole: its first line
        return Place(finding_path(finding), line, column, len(text.rstrip()))
    m = _TOKEN_END.match(text, column)
    end = m.end() if m else len(text.rstrip())
    return Place(finding_path(finding), line, column, max(end, column))


def related(finding: Finding) -> list[Place]:
    """The other places a finding's message or hint names."""
    words = f"{finding.message} {finding.hint}"
    out = [Place(Path(os.path.abspath(p)), int(line) - 1, int(col) - 1, int(col) - 1)
           for p, line, col in _AT_FILE.findall(words)]
    out += [Place(finding_path(finding), int(line) - 1, 0, 0) for line in _AT_LINE.findall(words)]
    return out


def message(finding: Finding) -> str:
    """The finding's words as check prints them, the hint on a line of its own."""
    return f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message


def hover(occurrence: Occurrence, story: Story | None) -> str | None:
    """Markdown for the id under the cursor: a fact's quote with the source's sentences around it,
    a node's date and place, a flag's or counter's description, a term's definition."""
    if story is None:
        return None
    kind, name = occurrence.kind, occurrence.name
    if kind == "fact" and name in story.facts:
        return _fact(story, name)
    if kind == "node" and name in story.nodes:
        node = story.nodes[name]
        what = f"ending: {node.ending.title}" if node.ending else f"{len(node.choices)} choices"
        return f"**{name}** · {node.date.human()} · {node.place} ({what})"
    if kind == "flag" and name in story.flags:
        return f"**{name}** (flag): {story.flags[name]}"
    if kind == "counter" and name in story.counters:
        return f"**{name}** (counter, starts at {story.counters[name]})"
    if kind == "term" and name in story.glossary:
        term = story.glossary[name]
        return f"**{term.name}** ({term.kind}): {term.definition}"
    if kind == "chapter" and name in story.chapters:
        return f"**{story.chapters[name].title}** (chapter)"
    if kind == "source" and name in story.sources:
        source = story.sources[name]
        return f"**{source.title}** (source, {source.file})"
    return None


def _fact(story: Story, name: str) -> str:
    fact = story.facts[name]
    lines = [f"**{fact.title}** · {fact.shown_date}", "", f"> {fact.quote}"]
    source = story.sources.get(fact.source)
    if source is not None:
        lines += ["", f"From *{source.title}* ({source.file}):"]
        lines += [f"- line {s.line}: {s.text}" for s in source_sentences(story, name)]
    return "\n".join(lines)


def source_sentences(story: Story, fact_id: str) -> list[Sentence]:
    """The source's sentences a fact's quote is taken from (each at least in part)."""
    fact = story.facts[fact_id]
    source = story.sources.get(fact.source)
    if source is None:
        return []
    found = source.index.match(fact.quote)
    if not isinstance(found, Match):
        return []
    start, end = found.span
    return [s for s in source.index.sentences if s.start < end and s.end > start]
