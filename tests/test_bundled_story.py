"""Promises the bundled story makes to a teacher (issue 4), checked on the story itself.

Each test states one promise and fails, naming what broke it, if an edit to scenes/ breaks it.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from budapest56 import load_story
from budapest56.analysis.lint import check, coverage, stats
from budapest56.play.reading import playthroughs
from budapest56.story.bundled import bundled_story

STORY_DIR = bundled_story()


@pytest.fixture(scope="module")
def story():
    return load_story(str(STORY_DIR))


def test_check_strict_finds_nothing():
    report = check(str(STORY_DIR))
    assert [f"{f.code}: {f.message}" for f in report.findings] == []


def test_every_sentence_of_the_source_is_quoted(story):
    cov = coverage(story)
    assert (cov.covered, cov.total) == (30, 30), [s.text for _, s in cov.uncovered]


def test_sizes_match_a_full_game(story):
    s = stats(story)
    assert s["chapters"] >= 8, s
    assert s["nodes"] >= 70, s
    assert s["words"] >= 12_000, s
    assert s["endings"] >= 4, s
    assert 30 <= s["facts"] <= 45, s


def test_every_fact_has_a_fair_question(story):
    for fact in story.facts.values():
        assert fact.questions, f"{fact.id} has no review question"
        for q in (q for q in fact.questions if q.kind == "choice"):  # recall and source have no distractors
            assert 2 <= len(q.wrong) <= 3, f"{fact.id}: {q.ask!r} has {len(q.wrong)} wrong answers"
            assert q.answer not in q.wrong, f"{fact.id}: {q.ask!r} lists its answer as wrong"


REQUIRED_TERMS = {
    "Rákosi": r"\bRákosi\b",
    "Imre Nagy": r"\bImre Nagy\b",
    "Stalin": r"\bStalin\b",
    "the AVO": r"\bAVO\b",
    "the Kremlin": r"\bKremlin\b",
    "the Red Army": r"\bRed Army\b",
    "the Eastern Bloc": r"\bEastern Bloc\b",
    "the Western Bloc": r"\bWestern Bloc\b",
    "the People's Republic of Hungary": r"\bPeople's Republic of Hungary\b",
    "the Communist Party": r"\bCommunist Party\b",
}


@pytest.mark.parametrize("term", sorted(REQUIRED_TERMS))
def test_the_glossary_holds_the_required_term(story, term):
    names = [t.name for t in story.glossary.values()]
    assert any(re.search(REQUIRED_TERMS[term], n) for n in names), f"no glossary entry for {term}: {names}"


def test_glossary_definitions_quote_the_source(story):
    source = " ".join(s.text for s in story.sources.values()).replace("’", "'")
    for term in story.glossary.values():
        assert term.definition.strip(), term.id
        assert term.quote.replace("’", "'") in source, f"{term.id}: {term.quote!r}"


def test_names_carry_their_accents():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(STORY_DIR.glob("*.yaml")))
    for wrong in (r"\bRakosi\b", r"\bMatyas\b", r"\bHalasz\b", r"\bEva\b"):
        hits = re.findall(rf".{{0,30}}{wrong}.{{0,30}}", text)
        assert not hits, f"{wrong} without its accent: {hits[:3]}"


def test_chapters_run_in_date_order(story):
    first_date = {}
    for node in story.nodes.values():
        d = node.date.earliest
        first_date[node.chapter] = min(first_date.get(node.chapter, d), d)
    order = sorted(story.chapters.values(), key=lambda c: c.number)
    dates = [first_date[c.id] for c in order]
    assert dates == sorted(dates), list(zip([c.id for c in order], dates))
    assert dates[0][0] == 1945 and max(n.date.earliest for n in story.nodes.values())[:2] == (1956, 11)


def test_every_chapter_has_a_choice_that_decides_facts_and_one_that_sets_a_flag(story):
    def unlocks(choice):
        return set(choice.effects.unlock) | set(story.nodes[choice.goto].effects.unlock)

    for chapter in story.chapters:
        nodes = [n for n in story.nodes.values() if n.chapter == chapter]
        decides_facts = any(len({frozenset(unlocks(c)) for c in n.choices}) > 1 for n in nodes)
        sets_flag = any(v for n in nodes for c in n.choices for _, v in c.effects.set_flags) or \
            any(v for n in nodes for _, v in n.effects.set_flags)
        assert decides_facts, f"chapter {chapter}: no choice decides which facts the player learns"
        assert sets_flag, f"chapter {chapter}: no choice sets a flag"


def test_exhaustive_search_reaches_everything_with_no_dead_ends():
    out = subprocess.run([sys.executable, "-m", "budapest56", "test", str(STORY_DIR), "--exhaustive",
                          "--format", "json"], capture_output=True, text=True, check=False)
    report = json.loads(out.stdout)
    assert report["complete"], "the exhaustive search did not finish"
    assert report["unreached"] == {"nodes": [], "choices": [], "facts": [], "terms": [], "endings": []}
    assert report["soft_locks"] == [] and report["cycles"] == [] and report["errors"] == []
    assert len(report["endings_reached"]) >= 4


@pytest.fixture(scope="module")
def reading(story):
    return playthroughs(story, runs=1_000)


def test_one_playthrough_with_its_reviews_takes_30_to_40_minutes(reading):
    """At 200 words a minute, the slow end for 13- to 16-year-olds. `stats` now counts every word
    plain mode shows, headings, menus and the chapter reviews of a first playthrough included
    (the story text alone once held 20-35 minutes; this is the honest whole): a typical
    playthrough fits 30 to 40 minutes, and the longest route stays within 45."""
    median, longest = reading.minutes(reading.words.median), reading.minutes(reading.words.most)
    assert 30 <= median <= 40 and longest <= 45, f"{median} minutes (longest {longest}): {reading}"


def test_one_playthrough_finds_roughly_half_to_two_thirds_of_the_facts(story, reading):
    total = len(story.facts)
    assert 0.45 <= reading.facts.median / total <= 0.75, f"a playthrough finds {reading.facts} of {total}"
    assert reading.facts.most < total, "one playthrough can find every fact, so replaying is not rewarded"


def test_fact_dates_stay_in_the_story_unless_the_source_says_later(story):
    """Nothing is dated before the war's end, and no end date past 10 November 1956 is invented:
    where the source says only "decades later", the timeline says "1956 onwards"."""
    start, end = story.period[0].earliest, story.period[1].latest
    for fact in story.facts.values():
        d = fact.date
        year, month, day = d.until if d.until[0] else (d.year, d.month, d.day)
        assert d.earliest >= start, f"{fact.id} is dated {d}"
        assert d.open or (year, month or 1, day or 1) <= end, f"{fact.id} is dated {d}"
    assert story.facts["f_soviet_fall"].date.human() == "November 1956 onwards"
