"""The words on every screen, shared by the terminal and plain front ends.

Everything here returns `Text`: a list of (style, text) pairs, the shape prompt_toolkit calls
formatted text, so the terminal can colour it while plain mode just joins the strings
(`plain(text)`). Styles are class names ("class:header"); the terminal's palette maps them.
`ornate=False` (plain mode) avoids box-drawing characters, which screen readers read aloud.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from .. import engine
from ..engine import State
from ..persist.saves import Listing
from ..story.model import MONTHS, Date, Fact, Node, Story
from . import journal, notes
from .contract import Item, Menu, Text
from .layout import numbered, wrap

LEFT_OUT_HINT = "Type 'left-out' to read what this story leaves out, and 'credits' for its source."
LOCKED = "(not possible now)"  # beside a choice the story shows but the player cannot take yet

COMMANDS = (
    ("journal", "the facts you have found, by chapter"),
    ("timeline", "{period}: what you found, and blanks for what is left"),
    ("glossary", "people, organisations and places you have met"),
    ("save [NAME]", "save the game (NAME defaults to 'quicksave')"),
    ("load [NAME]", "load a save (without NAME: pick from the list)"),
    ("saves", "list your saves"),
    ("undo", "take back the last choice (again to go further back)"),
    ("restart", "start the story again (undo brings you back)"),
    ("credits", "the source: who published it, its licence, what was changed"),
    ("left-out", "what this story and its source leave out, in the authors' words"),
    ("quit", "save and leave; '{resume}' resumes"),
)


def plain(text: Text) -> str:
    return "".join(t for _, t in text)


def message(text: str, width: int) -> Text:
    """A word from the game itself (saved, undone, not a choice…), wrapped like the story."""
    return [("class:message", wrap(text, width) + "\n")]


def chapter_title(story: Story, chapter_id: str) -> str:
    chapter = story.chapters.get(chapter_id)
    if chapter is None:
        return ""
    # Authors may number titles themselves ("1. Out of the Cellar"); do not say the number twice.
    title = re.sub(rf"^{chapter.number}[.:]\s*", "", chapter.title)
    return f"Chapter {chapter.number}: {title}"


def where(story: Story, state: State) -> str:
    node = story.nodes[state.node]
    return " — ".join(p for p in (node.date.human(), node.place) if p)


def located(story: Story, node: Node) -> str:
    """`Chapter 8 · 10 November 1956 — The Austrian side of the border`"""
    chapter = story.chapters.get(node.chapter)
    here = " — ".join(p for p in (node.date.human(), node.place) if p)
    return f"Chapter {chapter.number} · {here}" if chapter else here


SEPARATOR = "  ·  "


def toolbar(story: Story, state: State) -> str:
    """The status line at its fullest: ` 23 October 1956 — Bem Square  ·  facts found: 4/33 `."""
    return f" {where(story, state)}{SEPARATOR}facts found: {len(state.facts)}/{len(story.facts)} "


def fit_toolbar(line: str, width: int) -> str:
    """The status line made to fit the width: the count of facts always whole, then the months
    shortened, then the place cut with an ellipsis."""
    if len(line) <= width:
        return line
    where_, _, facts = line.strip().rpartition(SEPARATOR)
    count = facts.removeprefix("facts found: ")
    short = re.sub(r"\b(" + "|".join(MONTHS) + r")\b", lambda m: m.group(1)[:3], where_)
    tail = f"{count} facts"
    if len(short) + len(facts) + len(SEPARATOR) + 2 <= width:  # the months shortened were enough
        return f" {short}{SEPARATOR}{facts} "
    room = width - len(tail) - len(SEPARATOR) - 2
    if room >= 12:  # the place cut, beside the short count
        return f" {_ellipsis(short, room)}{SEPARATOR}{tail} "
    return _ellipsis(f" {tail} ", width)


def _ellipsis(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


def node_screen(story: Story, state: State, width: int, ornate: bool,
                unlocked: Sequence[str] = (), chapter_heading: bool = True) -> Text:
    """The header, the narrative, the facts just unlocked and, at an ending, the epilogue: the
    words of engine.scene(), which decides what is shown. The choices follow as the menu.

    `chapter_heading`: the chapter is announced in capitals when the player has just entered it.
    """
    seen = engine.scene(story, state, unlocked)
    node = seen.node
    out: Text = []
    chapter = chapter_title(story, node.chapter)
    if not ornate:  # one heading a screen reader reads once, and a transcript can grep
        out += [("class:where", wrap(" — ".join(p for p in (chapter, where(story, state)) if p), width) + "\n\n")]
    else:
        entered = bool(chapter) and chapter_heading
        if entered:
            out += [("class:chapter", wrap(chapter.upper(), width) + "\n\n")]
        # Under the chapter's own heading the line need not say the chapter again.
        line = wrap(where(story, state) if entered else located(story, node), width)
        rule = "─" * min(width, max(map(len, line.split("\n"))))
        out += [("class:where", line + "\n"), ("class:rule", rule + "\n\n")]
    for part in seen.text:
        out += [("class:narrative", wrap(part, width) + "\n\n")]
    for fact in seen.unlocked:
        out += fact_block(fact, width, ornate) + [("", "\n")]
    if seen.unlocked and not ornate and not seen.ending:  # plain mode has no status bar to say it
        out += [("class:count", f"Facts found: {len(state.facts)} of {len(story.facts)}.\n\n")]
    if seen.ending:
        out += [("class:ending", f"THE END: {seen.ending.title}\n\n"),
                ("class:narrative", wrap(seen.ending.epilogue, width) + "\n\n"),
                ("class:count", f"You found {len(state.facts)} of the {len(story.facts)} facts in this story.\n\n")]
        if story.leaves_out:
            out += [*message(LEFT_OUT_HINT, width), ("", "\n")]
    return out


def menu_lines(menu: Menu, width: int) -> str:
    """The numbered choices as plain mode prints them (the terminal draws its own, with a cursor)."""
    return "".join(numbered(n, item.label + ("" if item.available else f" {locked_note(item)}"), width) + "\n"
                   for n, item in enumerate(menu.items, 1))


def question_lines(prompt: str, options: Sequence[str], width: int) -> str:
    """A question and its numbered options, as plain mode prints them."""
    return wrap(prompt, width) + "\n" + "".join(numbered(n, o, width) + "\n" for n, o in enumerate(options, 1))


def typed_question(prompt: str, width: int) -> str:
    """A question answered by typing, as plain mode prints it."""
    return wrap(prompt, width) + "\n" + wrap("(Type your answer, or press Enter to skip.)", width)


def locked_note(item: Item) -> str:
    """`(not possible now)`, or the story's own reason: `(the door is barred)`."""
    return f"({item.why.strip().rstrip('.')})" if item.why.strip() else LOCKED


def menu_for(story: Story, state: State) -> Menu:
    """The main prompt's menu: the choices shown (engine.shown), or what an ending offers."""
    bar = toolbar(story, state)
    if engine.is_ending(story, state):
        return Menu((Item("Play again from the beginning"), Item("Quit")), bar)
    return Menu(tuple(Item(o.choice.label, o.available, o.choice.locked_text) for o in engine.shown(story, state)), bar)


def intro_text(story: Story, width: int, helps: str = "journal, timeline, saves, undo") -> Text:
    """The first screen of a new game: the title, what the story is about, where help is."""
    about = [("", "\n" + wrap(story.about, width) + "\n")] if story.about else []
    return [("class:title", wrap(story.title, width) + "\n"), *about, ("", "\n"),
            *message(f"Type ? at any prompt for help: {helps}.", width), ("", "\n")]


def all_games_line(story: Story, facts_found: Sequence[str], endings: Sequence[str]) -> str:
    """At an ending, what every game so far has found: the reason to play again."""
    facts = len(set(facts_found) & set(story.facts))
    reached = len(set(endings) & {n.id for n in story.endings})
    return (f"In all your games: {facts} of {len(story.facts)} facts found, "
            f"{reached} of {len(story.endings)} endings reached.")


def fact_block(fact: Fact, width: int, ornate: bool) -> Text:
    """A fact set apart from the fiction: plainly labelled as history, with its source quote."""
    bar = "  │ " if ornate else "  "
    inner = width - len(bar)
    label = "From the record: "
    heading = _bar(wrap(f"{label}{fact.title} ({fact.when or short_date(fact.date)})", inner), bar)
    return [
        ("class:record.label", heading[: len(bar) + len(label)]),
        ("class:record.title", heading[len(bar) + len(label):] + "\n"),
        ("class:record", _bar(wrap(fact.summary, inner), bar) + "\n"),
        ("class:record.quote", _bar(wrap(f"“{fact.quote.strip()}”", inner), bar) + "\n"),
    ]


def _bar(text: str, bar: str) -> str:
    return "\n".join(bar + line if line else bar.rstrip() for line in text.split("\n"))


def period(story: Story) -> str:
    first, last = (d.human() for d in story.period)
    return first if first == last else f"{first} to {last}"


def help_text(story: Story, resume: str, width: int = 78, commands: tuple[tuple[str, str], ...] = COMMANDS,
              closing: str = "Ctrl-C or Ctrl-D also saves and leaves.") -> Text:
    names = max(len(name) for name, _ in commands)
    out: Text = [("class:heading", wrap("Type a choice's number, or one of these commands:", width) + "\n")]
    for name, about in commands:
        text = about.format(period=period(story), resume=resume)
        if width - names - 4 >= 24:  # a column of names, the words wrapped beside them
            lines = wrap(text, width - names - 4).split("\n")
            out += [("class:command", f"  {name:<{names}}"), ("", f"  {lines[0]}\n")]
            out += [("", " " * (names + 4) + line + "\n") for line in lines[1:]]
        else:  # too narrow for two columns: the name on its own line
            out += [("class:command", f"  {name}\n"), ("", wrap(text, width, "    ") + "\n")]
    out += [("", wrap(closing, width) + "\n")]
    return out


def journal_text(story: Story, state: State, width: int, ornate: bool) -> Text:
    sections = journal.journal(story, state)
    out: Text = [("class:heading", wrap(f"Journal — {len(state.facts)} of {len(story.facts)} facts found", width)
                  + "\n")]
    if not sections:
        return out + [("", wrap("Nothing yet. Facts appear here as you find them.", width) + "\n")]
    for section in sections:
        name = chapter_title(story, section.chapter.id) if section.chapter else "Other facts"
        out += [("", "\n"), ("class:chapter", wrap(name, width) + "\n")]
        for fact in section.facts:
            out += fact_block(fact, width, ornate) + notes.context_block(fact, width, ornate) + [("", "\n")]
    words = [t.name for t in journal.glossary(story, state) if t.story_word]
    if words:  # the story's own words, defined by the authors: in the glossary, apart from the record
        out += message(f"Words of the story you have met, explained in the glossary: {', '.join(words)}.", width)
    if story.leaves_out:
        out += message(LEFT_OUT_HINT, width)
    return out


def timeline_text(story: Story, state: State, width: int) -> Text:
    entries = journal.timeline(story, state)
    dates = [e.fact.when if e.fact and e.fact.when else short_date(e.date) for e in entries]
    pad = max(map(len, dates), default=0)
    out: Text = [("class:heading", wrap(f"Timeline, {period(story)} — {len(state.facts)} of {len(entries)} found",
                                        width) + "\n")]
    rows = list(zip(entries, dates))
    for n, (entry, date) in enumerate(rows):
        if entry.fact is None:
            if n and rows[n - 1][0].fact is None and rows[n - 1][1] == date:
                continue  # blanks on one date are counted on one line, not repeated
            same = 1
            while n + same < len(rows) and rows[n + same][0].fact is None and rows[n + same][1] == date:
                same += 1
            out += [("class:blank", f"  {date:<{pad}}  ???" + (f"  ({same} facts)" if same > 1 else "") + "\n")]
        else:
            title = textwrap.shorten(entry.fact.title, max(width - pad - 4, 10), placeholder="…")
            out += [("class:date", f"  {date:<{pad}}  "), ("class:record.title", title + "\n")]
    return out


def short_date(date: Date) -> str:
    """A date for a narrow column: spans shortened ("23 Oct–10 Nov 1956", "Apr 1955–Jul 1956",
    "Oct 1956 onwards")."""
    if not date.until[0]:
        return date.human()
    (y1, m1, d1), (y2, m2, d2) = (date.year, date.month, date.day), date.until
    if date.open:
        return f"{_short_part(y1, m1, d1, True)} onwards"
    return f"{_short_part(y1, m1, d1, y1 != y2 or not m1)}–{_short_part(y2, m2, d2, True)}"


def _short_part(year: int, month: int, day: int, with_year: bool) -> str:
    words = [str(day) if day else "", MONTHS[month - 1][:3] if month else "", str(year) if with_year else ""]
    return " ".join(w for w in words if w)


def glossary_text(story: Story, state: State, width: int) -> Text:
    terms = journal.glossary(story, state)
    out: Text = [("class:heading", wrap(f"Glossary — {len(terms)} of {len(story.glossary)} met so far", width) + "\n")]
    if not terms:
        return out + [("", wrap("Nobody and nothing yet. People, organisations and places appear here as "
                                "the facts you find name them.", width) + "\n")]
    for term in terms:
        kind = "a word of the story; the authors' definition" if term.story_word else term.kind
        out += [("", "\n"), ("class:record.title", term.name), ("class:kind", f" ({kind})\n"),
                ("", wrap(term.definition, width - 2, "  ") + "\n")]
    return out


def save_label(story: Story, listing: Listing) -> str:
    """`spring, saved 2026-11-27 00:28: Chapter 1 · May 1945`"""
    node = story.nodes.get(listing.node)
    chapter = story.chapters.get(node.chapter) if node else None
    where_ = f": Chapter {chapter.number} · {node.date.human()}" if node and chapter else ""
    return f"{listing.name}, saved {listing.saved_at.replace('T', ' ')[:16]}{where_}"


def saves_text(story: Story, listings: Sequence[Listing], width: int) -> Text:
    if not listings:
        return [("", wrap("No saves yet. 'save NAME' makes one; the game also saves itself after every choice.",
                          width) + "\n")]
    out: Text = [("class:heading", "Saves, newest first:\n")]
    for s in listings:
        if s.problem:
            out += [("class:command", f"  {s.name}"), ("class:blank", f"  ({s.problem})\n")]
            continue
        node = story.nodes.get(s.node)
        if node is None:
            detail = f"at '{s.node}', which this version of the story does not have"
        else:
            detail = located(story, node)
        out += [("class:command", f"  {s.name}"), ("", f"  saved {s.saved_at.replace('T', ' ')[:16]}\n"),
                ("", wrap(detail, width, "      ") + "\n")]
    return out
