"""Lint for review questions: every fact has one, each is answerable and fair to the source.

Called once from check.lint (`yield from question_findings(story)`); light imports only.

Coverage is a story-level opt-in: once any fact carries a question, every fact must, since the
game and `budapest56 review` can only test what has questions. A story with none (a first draft,
a tutorial) is not nagged fact by fact.
"""
from __future__ import annotations

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
    for fact in story.facts.values():
        if wants_questions and not fact.questions:
            yield Finding("warning", "fact-without-question", fact.loc,
                          f"fact '{fact.id}' has no review question, though other facts have",
                          "add 'questions: [{ask: …, answer: …, wrong: [two or three distractors]}]'")
        for question in fact.questions:
            yield from _question(fact, question)


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


def _stem(word: str) -> str:
    """'Union’s' -> 'union', 'Nazis' -> 'nazi': enough to match a name across its forms."""
    word = re.sub(r"['’]s$", "", word.lower())
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).rstrip(".")
