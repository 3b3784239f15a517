"""Context, clearly labelled: authors' notes on facts, the 'What this story leaves out' page, and
review questions that neither drill a simplification nor borrow names from the fiction."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from budapest56.analysis.lint import check
from budapest56.cli import main
from budapest56.commands.handout import handout
from budapest56.learning.quiz import feedback
from budapest56.learning.schedule import items_of
from budapest56.play.notes import context_block, leaves_out_text
from budapest56.play.screens import plain
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story
from conftest import SCENE, STORY, besides_the_seam, write_story

ROOT = Path(__file__).resolve().parent.parent
NOTE = "    context: The source simplifies; historians tell it at more length.\n"
QUESTION = """\
    questions:
      - ask: {ask}
        answer: "1945"
        wrong: {wrong}
"""
LEAVES_OUT = STORY + """\
leaves_out:
  - title: The harbour
    text: >-
      The town also had a harbour,
      which this story does not visit.
"""


@pytest.fixture(scope="module")
def bundled():
    return load_story(bundled_story())


def with_question(root, ask: str, wrong: str = '["1944", "1946"]', note: bool = True):
    scene = SCENE + (NOTE if note else "") + QUESTION.format(ask=ask, wrong=wrong)
    return write_story(root, {"scene.yaml": scene})


def test_a_note_is_shown_after_a_review_answer_and_marked_as_the_authors(in_tmp):
    story = load_story(with_question(in_tmp / "s", "According to the source, when did the war end?"))
    [item] = items_of(story, "war_ended")
    assert feedback(item, right=False, width=60) == (
        "Not quite. The answer is: 1945.\n"
        "From the record: The war ends (1945)\n"
        "  The war was over in 1945.\n"
        "  “The war ended in 1945.”\n"
        "  Authors' note, not from the source: The source simplifies;\n"
        "  historians tell it at more length.\n")


def test_a_fact_without_a_note_gets_no_note_line(in_tmp):
    story = load_story(with_question(in_tmp / "s", "When did the war end?", note=False))
    [item] = items_of(story, "war_ended")
    assert "Authors' note" not in feedback(item, right=True)


def test_the_journal_block_for_a_note_in_plain_and_ornate_mode(in_tmp):
    story = load_story(with_question(in_tmp / "s", "According to the source, when did the war end?"))
    fact = story.facts["war_ended"]
    assert plain(context_block(fact, 50, ornate=False)) == (
        "  Authors' note, not from the source: The source\n  simplifies; historians tell it at more length.\n")
    ornate = context_block(fact, 50, ornate=True)
    assert ornate[0] == ("class:note.label", "    Authors' note, not from the source:")
    assert plain(ornate) == ("    Authors' note, not from the source: The source\n"
                             "    simplifies; historians tell it at more length.\n")
    assert context_block(load_story(write_story(in_tmp / "t")).facts["war_ended"], 50, True) == []


def test_a_question_on_a_fact_with_a_note_must_say_it_asks_about_the_source(in_tmp):
    root = with_question(in_tmp / "s", "When did the war end?")
    assert [str(f) for f in besides_the_seam(check(str(root)).findings)] == [
        "s/scene.yaml:48:9: warning: fact 'war_ended' has an authors' note, but its question does not say whose "
        "account it asks about [question-not-attributed]\n  hint: begin it 'According to the source, …'"]
    assert besides_the_seam(check(str(with_question(in_tmp / "t", "According to the source, when did the war end?"))).findings) == []


def test_a_wrong_answer_may_not_name_a_person_of_the_fiction(in_tmp):
    scene = SCENE.replace("text: You stand in a hall.", "text: Mr Varga waits in Laci's hall.")
    scene += QUESTION.format(ask="When did the war end?", wrong='["1944", "When Mr Varga came home"]')
    assert [str(f) for f in besides_the_seam(check(str(write_story(in_tmp / "s", {"scene.yaml": scene}))).findings)] == [
        "s/scene.yaml:47:9: warning: the wrong answer \"When Mr Varga came home\" of fact 'war_ended' names "
        "'Mr', 'Varga', invented for the story [distractor-from-fiction]\n"
        "  hint: a wrong answer should be a plausible mistake about the record, not a name from the scenes"]


def test_a_wrong_answer_may_not_misspell_a_name_of_the_record(in_tmp):
    source = "A Tiny Source\n\nThe war ended in 1945 under Mátyás Rákosi. The city was rebuilt slowly.\n"
    scene = SCENE.replace("quote: The war ended in 1945.", "quote: The war ended in 1945 under Mátyás Rákosi.")
    scene += QUESTION.format(ask="When did the war end?", wrong='["1944", "When Rakosi left"]')
    assert [str(f) for f in besides_the_seam(check(str(write_story(in_tmp / "s", {"scene.yaml": scene}, source=source))).findings)] == [
        "s/scene.yaml:47:9: warning: the wrong answer \"When Rakosi left\" of fact 'war_ended' spells 'Rakosi', "
        "which the record spells 'Rákosi' [distractor-misspelt]\n  hint: spell names as the glossary and the source do"]


def test_the_bundled_story_derives_its_invented_names(bundled):
    from budapest56.analysis.question_lint import invented_names

    names = set(invented_names(bundled).values())
    assert {"Varga", "Halász", "Gergely", "Mr", "Dr", "Laci's", "Fekete's"} <= names
    assert not names & {"Rákosi", "Nagy", "Stalin", "Budapest", "Hungary", "Everyone's"}


def test_the_leaves_out_page_as_the_game_shows_it(in_tmp, bundled):
    story = load_story(write_story(in_tmp / "s", story=LEAVES_OUT))
    assert plain(leaves_out_text(story, 60)) == (
        "What this story leaves out\n\n"
        "In the authors' words, not the source's: what happened that\n"
        "this story and its source do not tell.\n\n"
        "The harbour\n"
        "  The town also had a harbour, which this story does not\n  visit.\n")
    assert leaves_out_text(load_story(write_story(in_tmp / "t")), 60) == []
    titles = [p.title for p in bundled.leaves_out]
    assert titles == ["Hungary in the Second World War", "Neutrality and the Warsaw Pact, 1 November 1956",
                      "János Kádár's government", "The trial and execution of Imre Nagy", "Suez and the United Nations"]
    page = plain(leaves_out_text(bundled, 78))
    assert all(t in page for t in titles) and "Arrow Cross" in page and "Warsaw Pact" in page


def test_credits_print_the_leaves_out_page_after_the_sources(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["credits"]) == 0
    out = capsys.readouterr().out
    assert out.index("Changes:") < out.index("\nWhat this story leaves out\n") < out.index("Suez and the United Nations")


def test_the_handout_carries_every_note_and_the_leaves_out_page(bundled):
    text = handout(bundled)
    noted = [f for f in bundled.facts.values() if f.context]
    assert len(noted) == 7
    for fact in noted:
        assert f"**Authors' note, not from the source:** {fact.context}\n" in text
    page = text.split("## What this story leaves out\n", 1)[1].split("\n## ", 1)[0]
    assert page.count("\n**") == 5 and "**The trial and execution of Imre Nagy.** On 4 November" in page
    assert text.index("## What this story leaves out") < text.index("## Review questions")


def test_the_bundled_notes_cover_what_the_source_simplifies(bundled):
    noted = {f.id for f in bundled.facts.values() if f.context}
    assert {"f_stalin_dies", "f_rakosi_returns", "f_not_organized", "f_300000", "f_took_over"} <= noted
    assert "prime minister" in bundled.facts["f_stalin_dies"].context
    assert "march of 23 October" in bundled.facts["f_not_organized"].context
    assert "put in Rákosi's place" not in bundled.glossary["nagy"].definition
    for fact in bundled.facts.values():
        if fact.context:
            # (A 'record or story?' question is about the source by its nature.)
            assert all(q.ask.startswith("According to the source") or "according to the source" in q.ask
                       for q in fact.questions if q.kind != "source"), fact.id


def test_notes_add_no_statistic_and_quote_only_the_source(bundled):
    source = " ".join(bundled.sources["revolution"].text.split())
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    texts = [f.context for f in bundled.facts.values() if f.context] + [p.text for p in bundled.leaves_out]
    for text in texts:
        for number in re.findall(r"\d[\d,.]*(?:–\d+)?", text):
            number = number.rstrip(".,")
            assert re.fullmatch(r"19[0-9]{2}(–[0-9]{2})?", number) or re.search(rf"\b{number} ({months})\b", text), (number, text)
        for quoted in re.findall(r"[\"“]([^\"”]+)[\"”]", text):
            assert quoted.lower() in source.lower(), quoted


def test_history_lists_each_note_with_a_reference(bundled):
    history = (ROOT / "HISTORY.md").read_text(encoding="utf-8")
    for fact in bundled.facts.values():
        if fact.context:
            [entry] = [e for e in history.split("\n- ") if f"`{fact.id}`" in e]
            assert "*Check:*" in entry, fact.id
    for part in bundled.leaves_out:
        [entry] = [e for e in history.split("\n- ") if e.startswith(f"**{part.title}**")]
        assert "*Check:*" in entry, part.title


def test_a_when_label_is_shown_where_the_date_alone_would_mislead(bundled):
    fall, fled = bundled.facts["f_soviet_fall"], bundled.facts["f_fled"]
    assert (fall.shown_date, fled.shown_date) == ("Decades later", "Mostly after 4 November 1956")
    assert bundled.facts["f_fled"].date.human() == "October 1956 onwards"  # still ordered by the date
    text = handout(bundled)
    assert "#### Decades later: A part in the fall of the Soviet Union\n" in text
    [item] = [it for it in items_of(bundled, "f_fled") if it.question.ask.startswith("How many")]
    assert "From the record: Over a hundred thousand flee (Mostly after 4 November 1956)" in \
        " ".join(feedback(item, True, 200).split())


def test_the_march_scene_agrees_with_its_fact(bundled):
    march = " ".join(" ".join(p.text for p in bundled.nodes["c6_march"].text).split())
    assert "f_not_organized" in bundled.nodes["c6_march"].effects.unlock
    # The students called the march; nobody called the crowd that followed: as the fact's note says.
    assert '"The students called the march,"' in march and "Nobody called this" in march
    assert "It just happened" not in march
