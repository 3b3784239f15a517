"""The quote rules: whole words, '…' within a sentence or between whole sentences, every elision
shown, coverage of whole sentences, and misquotes pointed at the word that differs."""
from __future__ import annotations

import json

import pytest

from budapest56 import StoryError, load_story
from budapest56.analysis.lint import check
from budapest56.cli import main
from conftest import SCENE, write_story

SOURCE = """\
A Market Source

In 1897 the Great Market Hall (designed by Samu Pecz) opened after four years of building. Its roof tiles came from Pécs. It is the largest indoor market in Budapest.
Thousands of Hungarians died and thousands were imprisoned. Hundreds of Soviet troops died. About 200,000 people fled to Austrian border towns.
"""

GLOSSARY = """\
glossary:
  - id: hall
    name: the Great Market Hall
    kind: place
    definition: A covered market.
    quote: {quote}
"""


def story_with(root, quote: str, term_quote: str = "the Great Market Hall"):
    text = SCENE.replace("quote: The war ended in 1945.", f"quote: {quote}")
    text = text.replace("summary: The war was over in 1945.", "summary: It happened.")
    text += "    terms: [hall]\n"  # the fact names the term, so no player misses it
    return write_story(root, {"scene.yaml": text, "terms.yaml": GLOSSARY.format(quote=term_quote)}, source=SOURCE)


def errors_of(root) -> list[str]:
    with pytest.raises(StoryError) as e:
        load_story(root)
    return [str(f) for f in e.value.findings]


def test_a_quote_matches_whole_words_only(in_tmp):
    assert errors_of(story_with(in_tmp / "s", "About 200,000 people fled to Austria")) == [
        's/scene.yaml:44:41: error: quote differs from the source at "Austria" [quote-not-in-source]\n'
        '  hint: the quote has "About 200,000 people fled to Austria", '
        'the source "About 200,000 people fled to Austrian border towns."']
    assert load_story(story_with(in_tmp / "t", "About 200,000 people fled to Austrian border towns"))


def test_a_number_is_a_whole_word_too(in_tmp):
    assert errors_of(story_with(in_tmp / "s", "About 200"))[0].startswith(
        's/scene.yaml:44:18: error: quote differs from the source at "200" [quote-not-in-source]')


def test_an_elision_may_leave_out_words_inside_one_sentence(in_tmp):
    report = check(str(story_with(in_tmp / "s", "Thousands of Hungarians died and … were imprisoned.")))
    assert report.errors == 0
    assert [str(f) for f in report.elisions] == [
        "s/scene.yaml:44:45: info: the quote of fact 'war_ended' leaves out: \"thousands\" [quote-elision]"]


def test_an_elision_may_not_join_part_of_one_sentence_to_part_of_another(in_tmp):
    assert errors_of(story_with(in_tmp / "s", "Thousands of … Soviet troops died.")) == [
        "s/scene.yaml:44:25: error: '…' joins part of one sentence to part of another: "
        "\"Thousands of\" and \"Soviet troops died.\" [quote-splice]\n"
        "  hint: '…' may leave out words inside one sentence, or whole sentences between whole sentences; "
        "quote each sentence whole, or make two facts"]


def test_an_elision_may_not_join_a_whole_sentence_to_part_of_another(in_tmp):
    quote = "Thousands of Hungarians died and thousands were imprisoned. … 200,000 people fled to Austrian border towns."
    assert errors_of(story_with(in_tmp / "s", quote))[0].split("\n")[0] == (
        "s/scene.yaml:44:72: error: '…' joins part of a sentence to another sentence: "
        "\"200,000 people fled to Austrian border …\" is only part of its sentence [quote-splice]")


def test_an_elision_may_leave_out_whole_sentences_between_whole_sentences(in_tmp):
    quote = "Thousands of Hungarians died and thousands were imprisoned. … About 200,000 people fled to Austrian border towns."
    report = check(str(story_with(in_tmp / "s", quote)))
    assert report.errors == 0
    assert [str(f) for f in report.elisions] == [
        "s/scene.yaml:44:72: info: the quote of fact 'war_ended' leaves out: \"Hundreds of Soviet troops died.\" "
        "[quote-elision]"]
    assert [s.text for _, s in report.coverage.uncovered][3:] == ["Hundreds of Soviet troops died."]
    assert report.coverage.covered == 2


def test_coverage_counts_a_sentence_with_only_a_parenthesis_left_out(in_tmp):
    report = check(str(story_with(in_tmp / "s", "In 1897 the Great Market Hall … opened after four years of building.")))
    assert report.coverage.covered == 1
    assert "In 1897 the Great Market Hall (designed by Samu Pecz) opened after four years of building." not in [
        s.text for _, s in report.coverage.uncovered]
    assert [str(f) for f in report.elisions] == [
        "s/scene.yaml:44:42: info: the quote of fact 'war_ended' leaves out: \"(designed by Samu Pecz)\" [quote-elision]"]


def test_coverage_does_not_count_a_sentence_with_words_left_out(in_tmp):
    report = check(str(story_with(in_tmp / "s", "In 1897 the Great Market Hall … after four years of building.")))
    assert report.errors == 0 and report.coverage.covered == 0
    assert [str(f) for f in report.elisions] == [
        "s/scene.yaml:44:42: info: the quote of fact 'war_ended' leaves out: \"(designed by Samu Pecz) opened\" "
        "[quote-elision]"]


def test_glossary_quotes_follow_the_same_rules(in_tmp):
    assert errors_of(story_with(in_tmp / "s", "It is the largest indoor market in Budapest.",
                                term_quote="the Great Market Hall … tiles")) == [
        "s/terms.yaml:6:34: error: '…' joins part of one sentence to part of another: "
        "\"the Great Market Hall\" and \"tiles\" [quote-splice]\n"
        "  hint: '…' may leave out words inside one sentence, or whole sentences between whole sentences; "
        "quote each sentence whole, or make two facts"]
    report = check(str(story_with(in_tmp / "t", "It is the largest indoor market in Budapest.",
                                  term_quote="the Great Market Hall … opened")))
    assert [str(f) for f in report.elisions] == [
        "t/terms.yaml:6:34: info: the quote of glossary term 'hall' leaves out: \"(designed by Samu Pecz)\" "
        "[quote-elision]"]


def test_a_misquote_in_a_quote_written_over_several_lines_is_found_on_its_line(in_tmp):
    quote = "|\n      Thousands of Hungarians died and\n      thousands were jailed."
    assert errors_of(story_with(in_tmp / "s", quote))[0] == (
        's/scene.yaml:46:22: error: quote differs from the source at "jailed." [quote-not-in-source]\n'
        '  hint: the quote has "…Hungarians died and thousands were jailed.", '
        'the source "…Hungarians died and thousands were imprisoned."')


def test_check_lists_each_elision_and_strict_still_passes(in_tmp, capsys):
    story_with(in_tmp / "s", "Thousands of Hungarians died and … were imprisoned.")
    assert main(["check", "s", "--strict"]) == 0
    out = capsys.readouterr().out
    assert "s/scene.yaml:44:45: info: the quote of fact 'war_ended' leaves out: \"thousands\" [quote-elision]\n" \
           "no problems found\n" in out
    assert main(["check", "s", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] == [] and data["elisions"] == [
        {"severity": "info", "code": "quote-elision", "path": "s/scene.yaml", "line": 44, "column": 45,
         "message": "the quote of fact 'war_ended' leaves out: \"thousands\"", "hint": ""}]


def test_facts_json_shows_what_each_quote_leaves_out(in_tmp, capsys):
    story_with(in_tmp / "s", "Thousands of Hungarians died and … were imprisoned.")
    assert main(["facts", "s", "--format", "json"]) == 0
    [fact] = json.loads(capsys.readouterr().out)
    assert fact["quote"] == "Thousands of Hungarians died and … were imprisoned." and fact["dropped"] == ["thousands"]


@pytest.mark.parametrize("quote", ["Thousands of … Soviet troops died.", "Hungary … killed over 300,000 Hungarians.",
                                   "The Hungarian … idea."])
def test_the_splices_a_teacher_found_in_the_bundled_source_are_refused(quote):
    from budapest56.story.bundled import bundled_story
    from budapest56.story.quotes import Misquote, index_source

    source = (bundled_story() / "source" / "hungarian-revolution-1956.txt").read_text(encoding="utf-8")
    found = index_source(source).match(quote)
    assert isinstance(found, Misquote) and found.code == "quote-splice"
    assert found.message.startswith("'…' joins part of one sentence to part of another")


# -- the rules in AUTHORING.md print what the guide says ------------------------------------------

def quoting_examples() -> tuple[str, list[tuple[str, str]]]:
    import re
    from pathlib import Path

    guide = (Path(__file__).parent.parent / "AUTHORING.md").read_text(encoding="utf-8")
    section = guide.split("### Quoting the source", 1)[1].split("\n### ", 1)[0]
    [source] = re.findall(r"```text\n(.*?)```", section, re.S)
    return source, re.findall(r"`quote: ([^`]*)`\s*\n\n```console\n\$ budapest56 check my-story\n(.*?)```", section, re.S)


def test_the_quoting_rules_in_the_guide_give_one_good_and_one_refused_example_each():
    source, examples = quoting_examples()
    assert len(examples) == 6 and "In 1897 the Great Market Hall (designed by Samu Pecz)" in source


@pytest.mark.parametrize("number", range(6))
def test_each_quoting_example_in_the_guide_prints_what_the_guide_says(tmp_path, number, capsys, monkeypatch):
    import shutil
    from pathlib import Path

    source, examples = quoting_examples()
    quote, expected = examples[number]
    story = tmp_path / "my-story"
    shutil.copytree(Path(__file__).parent / "stories" / "tutorial", story)
    (story / "source" / "market.txt").write_text(source, encoding="utf-8")
    scene = story / "market.yaml"
    scene.write_text(scene.read_text(encoding="utf-8").replace(
        "quote: The Great Market Hall opened in 1897.", f"quote: {quote}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", "my-story"])
    out = capsys.readouterr()
    printed = out.out + out.err
    if expected.startswith("…\n"):
        assert printed.endswith(expected[2:]), printed
    else:
        assert printed == expected
