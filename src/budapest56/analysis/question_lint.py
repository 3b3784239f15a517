"""Lint for review questions: every fact has one, each is answerable and fair to the source.

Called once from check.lint (`yield from question_findings(story)`); light imports only.

Coverage is a story-level opt-in: once any fact carries a question, every fact must, since the
game and `budapest56 review` can only test what has questions. A story with none (a first draft,
a tutorial) is not nagged fact by fact.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..errors import Finding, Loc
from ..story.model import Fact, Question, Story

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d_][\w]*(?:['’][^\W\d_]+)?")
# A capitalised first word is a name only when it is not one of these.
_SENTENCE_STARTERS = frozenset("""a an the this that these those they he she it we you i his her their its our
    in on at by to for of from with after before because during when while since until only all no not
    yes about some many most more less over under into there here what who which why how one two three
    both each every other another nobody everyone people""".split())


def question_findings(story: Story) -> Iterator[Finding]:
    wants_questions = any(f.questions for f in story.facts.values())
    # Reading every scene for names costs a scan of the whole story: only when there are questions.
    fiction = invented_names(story) if wants_questions else {}
    record = _record_names(story) if wants_questions else {}
    # Once per story, not per question: over the bundled story's record it was most of `check`'s time.
    unaccented = {_plain(stem): word for stem, word in record.items()}
    for fact in story.facts.values():
        if wants_questions and not fact.questions:
            yield Finding("warning", "fact-without-question", fact.loc,
                          f"fact '{fact.id}' has no review question, though other facts have",
                          "add 'questions: [{ask: …, answer: …, wrong: [two or three distractors]}]'")
        for question in fact.questions:
            if question.kind == "source":  # a line to judge, record or story: about the source by nature
                yield from _source_line(story, fact, question)
                continue
            if question.kind == "recall":
                yield from _recall(fact, question)
            else:
                yield from _question(fact, question)
                yield from _distractor_names(fact, question, fiction, record, unaccented)
            if fact.context and "according to the source" not in question.ask.lower():
                # The note says the source simplifies here: the question must not drill it as plain fact.
                yield Finding("warning", "question-not-attributed", question.loc,
                              f"fact '{fact.id}' has an authors' note, but its question does not say whose "
                              f"account it asks about", "begin it 'According to the source, …'")


# Words that put a person of the fiction in front of a name ("Mr Varga"). A name the scenes give
# a title like these, or write as a possessive ("Laci's"), is someone or somewhere of the story's
# own, as long as the record (the source, the glossary, the facts) never uses it.
_HONORIFICS = frozenset("mr mrs miss dr doctor aunt uncle auntie granny grandma grandpa comrade".split())
_TITLES = "|".join(sorted((h.capitalize() for h in _HONORIFICS), key=len, reverse=True))
# One pass over all the scenes' text (a regex, not a Python loop per word: 10,000 nodes in 0.1 s):
# a title with the name after it, or a capitalised possessive.
_NAMED = re.compile(rf"\b(?P<title>{_TITLES})\b\.?(?:\s+(?P<name>[^\W\d_][\w]*(?:['’]s)?))?"
                    r"|\b(?P<possessive>[^\W\d_a-z][\w]*['’]s)\b")


def invented_names(story: Story) -> dict[str, str]:
    """The story's invented people and places, derived from its scenes: stem -> the name as written.

    A name counts when the scenes write it capitalised after a title (Mr, Mrs, Dr, Aunt, …) or as
    a possessive ("Laci's"), and no source, glossary entry or fact uses it. Real
    places the scenes merely mention (Vienna, the Danube) are seldom written so, and are not
    claimed; the titles themselves count, since the record calls no one 'Mr'."""
    record = _record_names(story)
    text = "\n".join(_scene_texts(story))
    names: dict[str, str] = {}
    for m in _NAMED.finditer(text):
        for word in (m.group("title"), m.group("name"), m.group("possessive")):
            if word and word[0].isupper() and (stem := _stem(word)) not in record:
                names.setdefault(stem, word)
    if names:  # a name is never written in lower case: that keeps out "Everyone's" at a sentence's start
        lower = re.compile(r"(?<![\w'’])(?:" + "|".join(map(re.escape, names)) + r")\w*(?:['’]s)?(?!\w)")
        for m in lower.finditer(text):
            names.pop(_stem(m.group()), None)
    return names


def _scene_texts(story: Story) -> Iterator[str]:
    for node in story.nodes.values():
        yield from (p.text for p in node.text)
        yield node.place
        yield from (c.label for c in node.choices)
        if node.ending:
            yield node.ending.title
            yield node.ending.epilogue


def _record_names(story: Story) -> dict[str, str]:
    """Every word of the record (sources, glossary, facts) by its stem, as first written."""
    texts = [s.text for s in story.sources.values()]
    texts += [f"{t.name} {t.definition} {t.quote}" for t in story.glossary.values()]
    texts += [f"{f.title} {f.summary} {f.quote}" for f in story.facts.values()]
    words: dict[str, str] = {}
    for text in texts:
        for w in _WORD.findall(text):
            words.setdefault(_stem(w), re.sub(r"['’]s$", "", w))
    return words


def _distractor_names(fact: Fact, q: Question, fiction: dict[str, str], record: dict[str, str],
                      glossary: dict[str, str]) -> Iterator[Finding]:
    """A wrong answer must be wrong about the record, not a name from the fiction or a misspelt
    name from the glossary: either would teach something that is neither source nor history.
    `glossary`: the record's words by their stem without accents."""
    for wrong in q.wrong:
        words = [w for i, w in enumerate(_WORD.findall(wrong))
                 if w[0].isupper() and not (i == 0 and w.lower() in _SENTENCE_STARTERS)]
        invented = [w for w in words if _stem(w) in fiction]
        if invented:
            yield Finding("warning", "distractor-from-fiction", q.loc,
                          f"the wrong answer \"{wrong}\" of fact '{fact.id}' names "
                          f"{', '.join(repr(w) for w in invented)}, invented for the story",
                          "a wrong answer should be a plausible mistake about the record, not a name from the scenes")
        for word in words:
            stem = _stem(word)
            if stem not in record and stem not in fiction and _plain(stem) in glossary:
                yield Finding("warning", "distractor-misspelt", q.loc,
                              f"the wrong answer \"{wrong}\" of fact '{fact.id}' spells '{word}', "
                              f"which the record spells '{glossary[_plain(stem)]}'",
                              "spell names as the glossary and the source do")


def _plain(word: str) -> str:
    """Without accents: 'rákosi' -> 'rakosi'."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _question(fact: Fact, q: Question) -> Iterator[Finding]:
    loc: Loc = q.loc
    if not q.ask.strip() or not q.answer.strip():
        yield Finding("error", "question-empty", loc, f"a question of fact '{fact.id}' has an empty ask or answer")
        return
    answer = _norm(q.answer)
    if any(_norm(w) == answer for w in q.wrong):
        yield Finding("error", "distractor-is-answer", loc,
                      f"a wrong answer of fact '{fact.id}' is the right answer, \"{q.answer}\"",
                      "the player would have two right options; write a distractor the source rules out")
    seen: set[str] = set()
    for wrong in q.wrong:
        if _norm(wrong) in seen:
            yield Finding("error", "distractor-repeated", loc,
                          f"fact '{fact.id}' offers the wrong answer \"{wrong}\" twice")
        seen.add(_norm(wrong))
    if not 2 <= len(q.wrong) <= 3:
        yield Finding("warning", "distractor-count", loc,
                      f"a question of fact '{fact.id}' has {len(q.wrong)} wrong answer{'s' * (len(q.wrong) != 1)}",
                      "give two or three: one is a coin toss, more make the question a reading test")
    if gives_away(q.ask, q.answer):
        yield Finding("warning", "answer-in-question", loc,
                      f"the question of fact '{fact.id}' contains its own answer, \"{q.answer}\"",
                      "ask so that the words of the answer are not in the question")
    missing = unsupported(q.answer, fact.quote)
    if missing:
        yield Finding("warning", "answer-not-in-quote", loc,
                      f"the answer \"{q.answer}\" says {', '.join(repr(m) for m in missing)}, "
                      f"which the quote of fact '{fact.id}' does not",
                      "an answer's numbers, dates and names must come from the quote, so the feedback proves it")


def _recall(fact: Fact, q: Question) -> Iterator[Finding]:
    """The words to type must be words of the quote, whole, so the gap can be cut out of it."""
    if q.wrong:
        yield Finding("warning", "recall-has-wrong", q.loc,
                      f"a recall question of fact '{fact.id}' lists wrong answers, which it never shows",
                      "remove 'wrong:': the player types the missing words")
    if gap_of(fact.quote, q.answer) is None:
        yield Finding("error", "recall-not-in-quote", q.loc,
                      f"the words to recall, \"{q.answer}\", are not words of the quote of fact '{fact.id}'",
                      "copy one to four words exactly from the quote; the game shows the quote with them left out")
    elif len(q.answer.split()) > 4:
        yield Finding("warning", "recall-too-long", q.loc,
                      f"the words to recall for fact '{fact.id}' are {len(q.answer.split())} words long",
                      "ask for one to four words: a name, a number, the key word")


def gap_of(quote: str, words: str) -> tuple[int, int] | None:
    """Where `words` stand in the quote, as whole words (start, end), or None."""
    if not words.strip():
        return None
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)"
    found = re.search(pattern, quote)
    return found.span() if found else None


def _source_line(story: Story, fact: Fact, q: Question) -> Iterator[Finding]:
    """'Did the record say this, or the story?': the answer must be provably so."""
    if q.answer not in ("record", "story"):
        yield Finding("error", "source-answer", q.loc,
                      f"a source question of fact '{fact.id}' has the answer \"{q.answer}\"",
                      "answer 'record' (the line is the source's own words) or 'story' (the scenes wrote it)")
        return
    if not q.ask:
        yield Finding("error", "question-empty", q.loc, f"a source question of fact '{fact.id}' has no line to judge",
                      "put the line in 'ask:'")
        return
    source = story.sources.get(fact.source)
    in_record = any(s.index.find(q.ask) is not None for s in story.sources.values())
    if q.answer == "record" and not in_record:
        yield Finding("error", "source-line-not-in-source", q.loc,
                      f"the line of a source question of fact '{fact.id}' is not the source's own words",
                      f"copy it word for word from {source.file if source else 'the source'}, or answer 'story'")
    if q.answer == "story":
        if in_record:
            yield Finding("error", "source-line-in-source", q.loc,
                          f"the line of a source question of fact '{fact.id}' is in the source, but the answer "
                          "says the story invented it", "answer 'record'")
        elif " ".join(q.ask.split()) not in _story_text(story):
            yield Finding("error", "source-line-not-in-story", q.loc,
                          f"the line of a source question of fact '{fact.id}' is not in the story's scenes",
                          "copy it word for word from a scene, so the player can have read it")


def _story_text(story: Story) -> str:
    return " ".join(" ".join(t.split()) for t in _scene_texts(story))


def unsupported(answer: str, quote: str) -> list[str]:
    """Numbers, dates and names (capitalised words) in the answer that the quote lacks."""
    numbers = {n.replace(",", "") for n in _NUMBER.findall(quote)}
    missing = [n for n in _NUMBER.findall(answer) if n.replace(",", "") not in numbers]
    stems = {_stem(w) for w in _WORD.findall(quote)}
    for i, word in enumerate(_WORD.findall(answer)):
        if not word[0].isupper() or (i == 0 and word.lower() in _SENTENCE_STARTERS):
            continue
        if _stem(word) not in stems:
            missing.append(word)
    return missing


def gives_away(ask: str, answer: str) -> bool:
    """The answer (less a leading article or a possessive 's) is already written in the question."""
    core = re.sub(r"^(the|a|an) |'s$", "", _norm(answer))
    return len(core) >= 3 and re.search(rf"(?<!\w){re.escape(core)}(?!\w)", _norm(ask)) is not None


@functools.lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    """'Union’s' -> 'union', 'Nazis' -> 'nazi': enough to match a name across its forms."""
    word = re.sub(r"['’]s$", "", word.lower())
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).rstrip(".")
