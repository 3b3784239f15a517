"""Load a story folder into a Story, reporting every problem of every file at once."""
from __future__ import annotations

import errno
import gc
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import Finding, Loc, StoryError, suggest
from . import conditions
from .controls import first_control, shown, strip_controls
from .files import Refused, inside, read_bytes, resolved_inside
from .hints import condition_hint
from .model import (
    NO_EFFECTS,
    WORD,
    Chapter,
    Choice,
    Condition,
    Date,
    Effects,
    Elided,
    Ending,
    Fact,
    LeftOut,
    Node,
    Question,
    Source,
    Story,
    Term,
    TextPart,
    unlock_places,
    word_pattern,
)
from .quotes import Match, Misquote, SourceIndex, index_source

# Re-exported: callers have always found these here.
from .scene_files import DEFINED, near_file, renamed
from .scene_files import STORY_FILE as STORY_FILE
from .scene_files import TRANSCRIPT_SUFFIX as TRANSCRIPT_SUFFIX
from .scene_files import display_path as display_path
from .scene_files import not_read as not_read
from .scene_files import story_files as story_files
from .yamlread import FileReader, Raw

_WORD = re.compile(r"[a-z][a-z0-9_]*")
def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Findings as an author fixes them: file by file, top to bottom (the order found kept at one place)."""
    return sorted(findings, key=lambda f: (f.loc.path, f.loc.line, f.loc.column))


def load_story(path: str | os.PathLike[str], *, freeze: bool = False) -> Story:
    """Load and validate a story folder (or its story.yaml). Raises StoryError with every problem.

    freeze=True is for a process that keeps the story until it ends (the command line): the
    cycle collector is told never to re-scan what exists after loading (gc.freeze), which makes
    `check` of a 10,000-node story a fifth faster. It affects the whole process, so a library
    caller that loads many stories leaves it off."""
    story, problems = read_story(path, freeze=freeze)
    if story is None or any(p.severity == "error" for p in problems):
        raise StoryError(problems)
    return story


READ_CODES = frozenset({"not-a-story", "unreadable", "yaml-syntax", "not-utf8", "bad-character", "empty-file",
                        "missing-source"})  # a file not read whole: what it held is not known


def read_story(path: str | os.PathLike[str], *, freeze: bool = False) -> tuple[Story | None, list[Finding]]:
    """Every problem of the story, in file and line order, and the Story as far as it could be
    built: with errors, a *partial* one, for a linter to find the warnings too (its broken items
    are left out or given empty values). None when story.yaml itself cannot be read.

    A file with a YAML syntax error is read past each error (yamlread), for the ids it defines;
    its other findings are not reported, since the lines read past would make them wrong. Names
    that are unknown only because they were written on such lines are not reported either."""
    given = Path(path)
    folder = given.parent if given.is_file() else given
    story_path = folder / STORY_FILE
    if not story_path.is_file():
        if given.is_file():  # name what was given, not its folder ('.' for `check notes.txt`)
            return None, [Finding("error", "not-a-story", Loc(display_path(given)),
                                  f"this is a file, not a story folder, and there is no {STORY_FILE} beside it",
                                  "give the story's folder (the one holding story.yaml), or its story.yaml")]
        hint = ("rename story.yml to story.yaml" if (folder / "story.yml").is_file()
                else "a story folder holds story.yaml and its scene files")
        return None, [Finding("error", "not-a-story", Loc(display_path(folder)), f"no {STORY_FILE} in this folder",
                              hint)]
    problems: list[Finding] = []
    lost: set[str] = set()  # words on lines no file could be read at
    broken: set[str] = set()  # files not read whole, as displayed
    with _collector_paused(freeze):
        head = _read(folder, story_path, "story", problems, lost, broken)
        scenes = [(p, raw) for p in story_files(folder)
                  if (raw := _read(folder, p, "scene", problems, lost, broken)) is not None]
    if head is None:
        return None, in_order(problems)
    unread = not_read(folder, [s["file"] for s in head.get("sources", []) if isinstance(s.get("file"), str)])
    for path, _ in unread:
        transcript = path.name.endswith(".play.yml")
        problems.append(Finding(
            "info", "not-a-scene-file", Loc(display_path(path)),
            "this looks like a transcript, but is not played: transcripts end in .play.yaml" if transcript else
            "this looks like a scene file, but is not read: scene files end in .yaml or .yml",
            f"rename it to {renamed(path)}"))
    read = len(problems)
    with _collector_paused(freeze):
        story = _Builder(folder, problems, unread, lost).build(head, scenes)
    problems[read:] = [p for p in problems[read:] if p.loc.path not in broken]
    return story, in_order(problems)


@contextmanager
def _collector_paused(freeze: bool) -> Iterator[None]:
    """Loading makes hundreds of thousands of small objects and no reference cycles; CPython's
    cycle collector would re-scan the growing heap again and again (3x the load time at 10,000
    nodes, measured in benchmarks/README.md), so it waits until loading is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _read(folder: Path, path: Path, kind: str, problems: list[Finding], lost: set[str],
          broken: set[str]) -> Raw | None:
    """One file's raw values; for a file with a syntax error, what could be read past it. The words
    of what could not be read go into `lost`, the file's name into `broken`."""
    reader = FileReader(display_path(path), problems)
    try:
        data = read_bytes(resolved_inside(folder, path))
    except Refused as e:
        reader.error(Loc(reader.path), "unreadable", f"cannot read the file: {e}")
        broken.add(reader.path)
        return None
    before = len(problems)
    raw = reader.read(data, kind)
    if raw is None and any(p.severity == "error" for p in problems[before:]):
        reader.lost.append(data.decode("utf-8", errors="replace"))
    if reader.lost:
        broken.add(reader.path)
        lost.update(_WORD.findall("\n".join(reader.lost)))
    return raw


class _Builder:
    """Second pass: with every file read, resolve names and build the frozen Story."""

    def __init__(self, folder: Path, problems: list[Finding], unread: Iterable[tuple[Path, str]] = (),
                 lost: Collection[str] = ()):
        self.folder = folder
        self.problems = problems
        self.lost = lost  # words on lines that could not be read: a name among them may be defined there
        # ids written in files that are not read: an unknown name found there says why
        self.elsewhere = {m: display_path(p) for p, text in unread for m in DEFINED.findall(text)}
        self.indexes: dict[str, SourceIndex] = {}
        self.unread: dict[str, Loc] = {}  # sources that could not be read: where each is named
        self.unchecked: dict[str, int] = {}  # source id -> quotes that could not be checked against it
        self.file_lines: dict[str, list[str]] = {}  # read again only to point inside a quote
        self.parsed: dict[str, tuple[conditions.Tree, Callable[..., bool]]] = {}  # condition text -> tree, test

    def error(self, loc: Loc, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Finding("error", code, loc, message, hint))

    def build(self, head: Raw, scenes: list[tuple[Path, Raw]]) -> Story:
        sources = self.sources(head.get("sources", []))
        chapters = self.unique(
            (c["id"], c.loc, Chapter(c["id"], c.get("title", ""), 0, c.loc))
            for c in head.get("chapters", []) if "id" in c)
        chapters = {cid: Chapter(c.id, c.title, n, c.loc) for n, (cid, c) in enumerate(chapters.items(), 1)}
        flags = {name: doc for name, (doc, _) in head.get("flags", {}).items()}
        declared_at = {name: loc for name, (_, loc) in head.get("flags", {}).items()}
        counters = {}
        for name, (raw, loc) in head.get("counters", {}).items():
            if name in flags:
                self.error(loc, "duplicate-id", f"'{name}' is declared both as a flag and as a counter",
                           f"rename one of the two, or remove one; the flag is at {declared_at[name]}")
            counters[name] = raw.get("start", 0)
            declared_at[name] = loc
        self.chapters = chapters

        # Each node and fact with its scene file's default chapter.
        raw_nodes: list[tuple[Raw, str | None]] = []
        raw_facts: list[tuple[Raw, str | None]] = []
        raw_terms: list[Raw] = []
        for _, scene in scenes:
            default = scene.get("chapter")
            if default is not None:
                self.check_ref(default, scene.where("chapter"), chapters, "chapter")
            raw_nodes += [(n, default) for n in scene.get("nodes", []) if "id" in n]
            raw_facts += [(f, default) for f in scene.get("facts", []) if "id" in f]
            raw_terms += scene.get("glossary", [])
        node_ids = self.unique((n["id"], n.loc, n) for n, _ in raw_nodes)
        fact_ids = self.unique((f["id"], f.loc, f) for f, _ in raw_facts)
        glossary = self.unique((t["id"], t.loc, self.term(t, sources)) for t in raw_terms if "id" in t)
        self.names = conditions.Names(flags, {c: i for i, c in enumerate(counters)}, fact_ids, node_ids)

        nodes = {n["id"]: self.node(n, default) for n, default in raw_nodes if node_ids.get(n["id"]) is n}
        facts = {f["id"]: self.fact(f, default, sources, glossary, nodes)
                 for f, default in raw_facts if fact_ids.get(f["id"]) is f}
        for sid, count in self.unchecked.items():
            self.problems.append(Finding(
                "info", "quotes-not-checked", self.unread[sid],
                f"{count} quote{'s' * (count != 1)} not checked: source '{sid}' cannot be read"))
        start = head.get("start")
        if start is not None and start not in nodes and start not in self.lost:
            self.error(head.where("start"), "dangling-target", f"start node '{shown(start, 60)}' does not exist",
                       self.unknown_hint(start, nodes))
        period = head.get("period", {})
        budget = head.get("review_budget")
        if budget is not None and not 0 <= budget <= 1000:
            self.error(head.where("review_budget"), "bad-value", f"review_budget must be from 0 to 1000, not {budget}",
                       "about 12 suits a story of eight chapters: a few good questions, not a test")
        # With errors, a partial story: what is missing gets an empty value (no period: all of time).
        return Story(
            id=head.get("id", ""), title=head.get("title", ""), version=head.get("version", 0),
            about=head.get("about", ""), start=head.get("start", ""),
            period=(period.get("from", Date(1)), period.get("to", Date(9999))), sources=sources,
            chapters=chapters, flags=flags, counters=counters, nodes=nodes, facts=facts,
            glossary=glossary, root=display_path(self.folder), loc=head.loc, declared_at=declared_at,
            review_budget=budget, words=_words_used(nodes, glossary),
            leaves_out=tuple(LeftOut(p["title"], " ".join(p["text"].split()), p.loc)
                             for p in head.get("leaves_out", []) if {"title", "text"} <= p.keys()),
            warnings=tuple(p for p in self.problems if p.severity != "error"))  # infos too: files not read

    # -- pieces -----------------------------------------------------------------------------
    def unique(self, items: Iterable[tuple[str, Loc, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        where: dict[str, Loc] = {}
        for key, loc, value in items:
            if key in out:
                self.error(loc, "duplicate-id", f"id '{shown(key, 60)}' is already used",
                           f"rename one of the two; the first is at {where[key]}")
                continue
            out[key], where[key] = value, loc
        return out

    def check_ref(self, name: str, loc: Loc, known: Any, what: str, code: str = "unknown-name") -> bool:
        if name in known:
            return True
        if name in self.lost:  # written where a file could not be read: not known to be wrong
            return False
        self.error(loc, code, f"unknown {what} '{shown(name, 60)}'", self.unknown_hint(name, known))
        return False

    def unknown_hint(self, name: str, known: Any) -> str:
        if name in self.elsewhere:
            return (f"'{name}' is written in {self.elsewhere[name]}, which is not read: scene files end in "
                    ".yaml or .yml")
        return suggest(name, known)

    def sources(self, raws: list[Raw]) -> dict[str, Source]:
        out = {}
        for raw in raws:
            if not {"id", "file"} <= raw.keys():
                continue
            try:
                text = read_bytes(inside(self.folder, raw["file"])).decode("utf-8")
            except (Refused, UnicodeDecodeError) as e:
                reason = str(e) if isinstance(e, Refused) else "it is not UTF-8 text"
                self.error(raw.where("file"), "missing-source", f"cannot read source '{shown(raw['file'])}': {reason}",
                           "save it as UTF-8" if not isinstance(e, Refused) else
                           near_file(self.folder, raw["file"]) if str(e) == os.strerror(errno.ENOENT) else "")
                self.unread[raw["id"]] = raw.where("file")
                continue
            text = self.clean_source(raw, text)
            out[raw["id"]] = source = Source(
                raw["id"], raw.get("title", ""), raw["file"], text, raw.loc, index_source(text),
                raw.get("publisher", ""), raw.get("url", ""), raw.get("licence", ""), raw.get("retrieved"),
                raw.get("changes", ""))
            self.indexes[raw["id"]] = source.index
        return out

    def clean_source(self, raw: Raw, text: str) -> str:
        """A source's text without control characters, with a warning at the first one."""
        found = first_control(text)
        if found is None:
            return text
        offset, name = found
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        path = display_path(inside(self.folder, raw["file"]))
        self.problems.append(Finding(
            "warning", "control-character", Loc(path, line, column),
            f"the source holds a control character ({name}), which could take over the player's terminal; "
            "it was removed", "remove it from the file"))
        return strip_controls(text)

    def condition(self, text: str, loc: Loc) -> Condition | None:
        known = self.parsed.get(text)
        if known is not None:  # a condition written again ('not met_anna' on many choices): parsed once
            return Condition(text, known[0], known[1], loc)
        try:
            tree = conditions.parse(text, self.names)
        except conditions.ConditionError as e:
            word = _WORD.match(text, e.offset)
            if word is not None and word.group() in self.lost and e.message.startswith("unknown"):
                return None
            at = Loc(loc.path, loc.line, loc.column + e.offset) if loc.column else loc
            self.error(at, "bad-condition", f"condition '{_clip(text)}': {e.message}",
                       condition_hint(text, e.offset) or e.hint)
            return None
        test = conditions.compile_tree(tree, self.names)
        self.parsed[text] = (tree, test)
        return Condition(text, tree, test, loc)

    def effects(self, raw: Raw) -> Effects:
        if "set" not in raw and "add" not in raw and "unlock" not in raw:
            return NO_EFFECTS  # most nodes and choices: skip the work
        flags, counters, adds = [], [], []
        for name, (value, loc) in raw.get("set", {}).items():
            if name in self.names.flags:
                if isinstance(value, bool):
                    flags.append((name, value))
                else:
                    self.error(loc, "wrong-type", f"flag '{name}' is set to a number",
                               f"write '{name}: true' or '{name}: false'; numbers belong in a counter")
            elif name in self.names.counters:
                if isinstance(value, bool):
                    self.error(loc, "wrong-type", f"counter '{name}' is set to {str(value).lower()}",
                               f"write a whole number, such as '{name}: 1'; yes or no belongs in a flag")
                else:
                    counters.append((name, value))
            else:
                self.check_ref(name, loc, [*self.names.flags, *self.names.counters], "flag or counter")
        for name, (value, loc) in raw.get("add", {}).items():
            if name in self.names.flags:
                self.error(loc, "wrong-type", f"'add:' changes counters, and '{name}' is a flag",
                           f"write 'set: {{{name}: true}}' (or false)")
            elif self.check_ref(name, loc, self.names.counters, "counter"):
                adds.append((name, value))
        unlock = tuple(f for f, loc in raw.get("unlock", []) if self.check_ref(f, loc, self.names.facts, "fact"))
        if not (flags or counters or adds or unlock):
            return NO_EFFECTS
        return Effects(tuple(flags), tuple(counters), tuple(adds), unlock)

    def node(self, raw: Raw, default_chapter: str | None) -> Node:
        chapter = raw.get("chapter", default_chapter)
        if chapter is None:
            self.error(raw.loc, "missing-field", f"node '{raw['id']}' has no chapter",
                       "add 'chapter:' to the node, or once at the top of the file")
        elif "chapter" in raw:
            self.check_ref(chapter, raw.where("chapter"), self.chapters, "chapter")
        text = []
        for part in raw.get("text", []):
            if isinstance(part, str):
                text.append(TextPart(part))
            elif "if" in part and "text" in part:
                text.append(TextPart(part["text"], self.condition(*part["if"])))
        choices = tuple(self.choice(c) for c in raw.get("choices", []) if {"label", "goto"} <= c.keys())
        ending = None
        if "ending" in raw:
            if raw.get("choices"):
                self.error(raw.where("ending"), "ending-with-choices",
                           f"node '{raw['id']}' is an ending but has choices",
                           "an ending closes the story: remove 'choices' or 'ending'")
            e = raw["ending"]
            ending = Ending(e.get("title", ""), e.get("epilogue", ""))
        return Node(raw["id"], chapter or "", raw.get("date", Date(0)), raw.get("place", ""), tuple(text),
                    choices, self.effects(raw), ending, raw.get("flashback", False), raw.loc)

    def choice(self, raw: Raw) -> Choice:
        goto = raw["goto"]
        if goto not in self.names.nodes and goto not in self.lost:
            self.error(raw.where("goto"), "dangling-target", f"choice goes to unknown node '{shown(goto, 60)}'",
                       self.unknown_hint(goto, self.names.nodes))
        cond = self.condition(*raw["if"]) if "if" in raw else None
        why = raw.get("locked_text", "")
        return Choice(raw["label"], goto, cond, self.effects(raw), raw.get("locked") == "show" or bool(why),
                      raw.loc, raw.where("goto"), why)

    def quote_span(self, quote: str, loc: Loc, source_ids: Iterable[str]) -> tuple[Elided, ...]:
        """Check a quote against its sources; return what its '…' leave out, for reviewers."""
        misses: list[Misquote] = []
        source_ids = list(source_ids)
        for sid in source_ids:
            if sid in self.unread and len(source_ids) == 1:
                self.unchecked[sid] = self.unchecked.get(sid, 0) + 1
            if sid not in self.indexes:
                continue
            found = self.indexes[sid].match(quote)
            if isinstance(found, Match):
                return tuple(Elided(e.dropped, self.word_loc(loc, e.word)) for e in found.elisions if e.dropped)
            misses.append(found)
        unread = [sid for sid in source_ids if sid in self.unread]
        if unread and len(source_ids) > 1:  # a glossary quote not in the sources read may be in this one
            self.unchecked[unread[0]] = self.unchecked.get(unread[0], 0) + 1
        elif misses:
            # Of several sources, the one that went furthest before differing is the one meant.
            miss = max(misses, key=lambda m: (m.code == "quote-splice", m.score))
            self.error(self.word_loc(loc, miss.word), miss.code, miss.message, miss.hint)
        return ()

    def word_loc(self, loc: Loc, word: int) -> Loc:
        """Where the quote's word number `word` (counted at white space) is in its file.

        The value starts at `loc`; an opening quote mark or a block indicator line comes first,
        then the words, which YAML keeps apart by the same white space the file has."""
        if not loc.line:
            return loc
        if loc.path not in self.file_lines:
            try:
                self.file_lines[loc.path] = read_bytes(Path(loc.path)).decode("utf-8").splitlines()
            except (Refused, UnicodeDecodeError):
                self.file_lines[loc.path] = []
        lines = self.file_lines[loc.path]
        line, col = loc.line - 1, loc.column - 1
        if line >= len(lines):
            return loc
        if lines[line][col:col + 1] in ("|", ">"):
            line, col = line + 1, 0
        elif lines[line][col:col + 1] in ('"', "'"):
            col += 1
        seen = -1
        while line < len(lines):
            text = lines[line]
            while col < len(text):
                if text[col].isspace():
                    col += 1
                    continue
                seen += 1
                if seen == word:
                    return Loc(loc.path, line + 1, col + 1)
                while col < len(text) and not text[col].isspace():
                    col += 1
            line, col = line + 1, 0
        return loc

    def fact(self, raw: Raw, default_chapter: str | None, sources: dict[str, Source],
             glossary: dict[str, Term], nodes: dict[str, Node]) -> Fact:
        fid = raw["id"]
        chapter: str | None = raw.get("chapter", default_chapter)
        if "chapter" in raw:
            self.check_ref(raw["chapter"], raw.where("chapter"), self.chapters, "chapter")
        if chapter is None:  # the chapter of the first node that unlocks it
            chapter = next((n.chapter for n, _, facts in unlock_places(nodes) if fid in facts),
                           next(iter(self.chapters), ""))
        source = raw.get("source")
        declared = [*sources, *self.unread]
        if source is None:
            if len(declared) > 1:
                self.error(raw.loc, "missing-field", f"fact '{fid}' has no 'source'",
                           f"add 'source: {declared[0]}' (the story has several sources: {', '.join(declared)})")
            source = next(iter(declared), "")
        elif source not in self.unread:
            self.check_ref(source, raw.where("source"), sources, "source")
        elided = self.quote_span(raw["quote"], raw.where("quote"), [source]) if "quote" in raw else ()
        terms = tuple(t for t, loc in raw.get("terms", []) if self.check_ref(t, loc, glossary, "glossary term"))
        questions = tuple(Question(" ".join(q.get("ask", "").split()), q["answer"], tuple(q.get("wrong", ())),
                                   q.loc, q.get("kind", "choice"))
                          for q in raw.get("questions", []) if "answer" in q)
        return Fact(fid, raw.get("title", ""), raw.get("summary", ""), raw.get("quote", ""),
                    raw.get("date", Date(0)), chapter or "", source, terms, questions, raw.loc, elided,
                    " ".join(raw.get("context", "").split()), raw.get("when", ""))

    def term(self, raw: Raw, sources: dict[str, Source]) -> Term:
        if raw.get("kind") == WORD and "quote" in raw:
            self.error(raw.where("quote"), "word-with-quote", f"glossary word '{raw['id']}' has a quote",
                       "a word of the story is defined in the authors' words: remove 'quote:', or give it "
                       "another kind if the source defines it")
        elif raw.get("kind") != WORD and "quote" not in raw:
            self.error(raw.loc, "missing-field", f"glossary term '{raw.get('id', '?')}' has no 'quote'",
                       "quote the source where it names the term, or make it 'kind: word' (the authors' definition)")
        elided = self.quote_span(raw["quote"], raw.where("quote"), [*sources, *self.unread]) if "quote" in raw else ()
        return Term(raw["id"], raw.get("name", ""), raw.get("kind", "term"), raw.get("definition", ""),
                    raw.get("quote", ""), raw.loc, elided)


def _words_used(nodes: dict[str, Node], glossary: dict[str, Term]) -> dict[str, tuple[frozenset[str], ...]]:
    """For each node that uses any, the story words (glossary kind 'word') in each text part."""
    patterns = [(t.id, re.compile(word_pattern(t.name))) for t in glossary.values() if t.story_word]
    if not patterns:
        return {}
    out: dict[str, tuple[frozenset[str], ...]] = {}
    for node in nodes.values():
        parts = tuple(frozenset(tid for tid, p in patterns if p.search(part.text)) for part in node.text)
        if any(parts):
            out[node.id] = parts
    return out


def _clip(text: str, width: int = 40) -> str:
    return shown(text, width)
