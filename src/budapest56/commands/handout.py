"""`budapest56 handout [PATH]`: a printable sheet for teachers, in Markdown.

The timeline of every fact with its quote and source, the glossary, then the review questions
and, on its own page, the answer key. Answer options are shuffled by the question's key, so
the right one is not always first and the sheet is the same every time it is made.
"""
from __future__ import annotations

import argparse
import random
import sys

from ..learning.kinds import RECORD, STORY, options_for, recall_prompt, source_prompt
from ..learning.schedule import Item, items_of
from ..story.model import NOTE_LABEL, Fact, Story, Term
from .common import add_format_argument, add_story_argument, load_or_report

LETTERS = "ABCDEFGH"


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    add_format_argument(parser, "md")


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args.path)
    if story is None:
        return 1
    sys.stdout.write(handout(story))
    return 0


def timeline(story: Story) -> list[Fact]:
    """Every fact, chapter by chapter (the chapters run in time order), by date within each.

    Not by date alone: a fact spanning years ('1956–1991: it mattered') would then come before
    the events of July 1956 that led to it, which reads wrongly on paper."""
    number = {cid: c.number for cid, c in story.chapters.items()}
    return sorted(story.facts.values(),
                  key=lambda f: (number.get(f.chapter, len(number) + 1), f.date.earliest, f.date.latest))


def handout(story: Story) -> str:
    facts = timeline(story)
    items = [it for f in facts for it in items_of(story, f.id)]
    out = [f"# {_md(story.title)}", "", "*A handout for teachers, made by `budapest56 handout`.*", ""]
    if story.about.strip():
        out += [_md(story.about), ""]
    parts = [_count(len(facts), "fact"), _count(len(story.glossary), "glossary entry", "glossary entries"),
             _count(len(items), "review question")]
    out += [f"It covers {_listing([p for p in parts if p])}. Every quotation is copied word for word "
            "from the source named under it; '…' marks words left out, and the words it leaves out are "
            "printed under the quotation. Authors' notes, in bold, are our words, not the source's: they "
            "mark where the source simplifies or is disputed.", ""]
    out += _timeline(story, facts) + _glossary(story) + _leaves_out(story) + _questions(story, items) + _sources(story)
    return "\n".join(out).rstrip("\n") + "\n"


def _listing(parts: list[str]) -> str:
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1]


_MARKUP = str.maketrans({"\\": "\\\\", "`": "\\`", "[": "\\[", "]": "\\]",
                         "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _md(text: str) -> str:
    """Story text as Markdown that shows it and does nothing else: no raw HTML (`<img onerror=…>`
    reaches pandoc's HTML as text), no links or images, no inline code with a raw-HTML attribute.
    Folded onto one line, as every place it goes is a line."""
    return " ".join(text.split()).translate(_MARKUP)


def _count(n: int, one: str, many: str = "") -> str:
    return "" if not n else f"1 {one}" if n == 1 else f"{n} {many or one + 's'}"


def _timeline(story: Story, facts: list[Fact]) -> list[str]:
    out = ["## Timeline", ""]
    heading = None
    for fact in facts:
        chapter = story.chapters.get(fact.chapter)
        if (chapter.title if chapter else "Other facts") != heading:
            heading = chapter.title if chapter else "Other facts"
            out += [f"### {f'Chapter {chapter.number}: ' if chapter else ''}{_md(heading)}", ""]
        source = story.sources.get(fact.source)
        out += [f"#### {fact.shown_date}: {_md(fact.title)}", "", _md(fact.summary), "",
                f"> “{_md(fact.quote)}”", ">", f"> — {_md(source.title) if source else 'source not named'}", ""]
        out += [f"*Left out at ‘…’: “{_md(e.dropped)}”*" for e in fact.elided] + ([""] if fact.elided else [])
        if fact.context:
            out += [f"**{NOTE_LABEL}:** {_md(fact.context)}", ""]
    return out


def _glossary(story: Story) -> list[str]:
    if not story.glossary:
        return []
    out = ["## Glossary", ""]
    record = [t for t in story.glossary.values() if not t.story_word]
    words = [t for t in story.glossary.values() if t.story_word]
    for term in sorted(record, key=_sort_name):
        out.append(f"- **{_md(term.name)}** ({_md(term.kind)}): {_md(term.definition)}")
    if words:  # apart from the record's terms: these definitions are ours
        out += ["", "### Words of the story", "",
                "*Words the scenes use, defined in the authors' words, not the source's.*", ""]
        out += [f"- **{_md(t.name)}**: {_md(t.definition)}" for t in sorted(words, key=_sort_name)]
    return out + [""]


def _leaves_out(story: Story) -> list[str]:
    from ..play.notes import LEAVES_OUT_TITLE

    if not story.leaves_out:
        return []
    out = [f"## {LEAVES_OUT_TITLE}", "", "*In the authors' words, not the source's: what happened that this story "
           "and its source do not tell.*", ""]
    for part in story.leaves_out:
        out += [f"**{part.title}.** {part.text}", ""]
    return out


def _questions(story: Story, items: list[Item]) -> list[str]:
    if not items:
        return []
    out = ["## Review questions", "", "Choose one answer, or write in the missing words.", ""]
    key = ["## Answer key", ""]
    heading = None
    for number, item in enumerate(items, 1):
        chapter = story.chapters.get(item.fact.chapter)
        if chapter and chapter.title != heading:  # by chapter, so a lesson can take its own part
            heading = chapter.title
            out += [f"### Chapter {chapter.number}: {_md(heading)}", ""]
        source = f"(from “{_md(item.fact.title)}”, {item.fact.shown_date})"
        kind = item.question.kind
        if kind == "recall":  # the quote with its gap, and a line to write on
            out += [f"{number}. {_md(recall_prompt(item))}", "", "   Answer: ______________________", ""]
            key.append(f"{number}. **{_md(item.question.answer)}** {source}")
            continue
        if kind == "source":
            out.append(f"{number}. {_md(source_prompt(item))}")
            options = [RECORD, STORY]
            answer = RECORD if item.question.answer == "record" else STORY
        else:
            out.append(f"{number}. {_md(item.question.ask)}")
            options = options_for(item, random.Random(item.key))
            answer = item.question.answer
        out += [f"   - {LETTERS[i]}. {_md(option)}" for i, option in enumerate(options)]
        out.append("")
        right = options.index(answer)
        key.append(f"{number}. **{LETTERS[right]}**: {_md(answer)} {source}")
    # A page break for printers and pandoc, so the key can be handed out separately.
    return out + ['<div style="page-break-after: always"></div>', ""] + key + [""]


def _sources(story: Story) -> list[str]:
    from ..play.credits import citation

    out = ["## Sources", ""]
    for source in story.sources.values():
        out += [citation(source), ""]
        if source.unattributed:
            out += [f"*The story does not give this source's {', '.join(source.unattributed)}.*", ""]
    out += ["`budapest56 credits` prints the same. The copy of each source the game quotes, in the story folder:", ""]
    out += [f"- *{s.title}* (`{s.file}`)" for s in story.sources.values()]
    return out + [""]


def _sort_name(term: Term) -> str:
    """'the AVO' files under A, as a reader looks for it."""
    name = term.name.casefold()
    return name[4:] if name.startswith("the ") else name
