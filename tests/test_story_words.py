"""The story's own words (norms, curfew): defined by the authors, no quote, met in the scenes."""
from __future__ import annotations

import pytest

from budapest56 import StoryError, load_story
from budapest56.analysis.lint import check
from budapest56.engine import choose, start
from budapest56.play.journal import glossary
from budapest56.play.screens import glossary_text, journal_text, plain
from budapest56.story.bundled import bundled_story
from conftest import write_story

WORDS = """\
glossary:
  - id: yard_word
    name: courtyard
    kind: word
    definition: The open square inside a Pest apartment building.
"""


def story_with(tmp_path, words: str = WORDS):
    from conftest import SCENE

    scene = SCENE.replace("      - The yard is cold.", "      - The courtyard is cold.")
    return write_story(tmp_path / "w", {"scene.yaml": scene, "words.yaml": words})


def test_a_word_is_in_the_glossary_once_a_scene_on_the_route_uses_it(tmp_path):
    story = load_story(story_with(tmp_path))
    state = start(story)
    assert glossary(story, state) == []
    state = choose(story, state, 1)  # to the yard, whose text says 'courtyard'
    assert [t.id for t in glossary(story, state)] == ["yard_word"]
    text = plain(glossary_text(story, state, 78))
    assert "courtyard (a word of the story; the authors' definition)\n  The open square inside" in text
    assert "Words of the story you have met, explained in the glossary: courtyard." in plain(
        journal_text(story, state, 78, False))


def test_a_word_may_not_quote_and_a_term_must(tmp_path):
    with pytest.raises(StoryError) as e:
        load_story(story_with(tmp_path, WORDS + "    quote: The war ended in 1945.\n"))
    assert [(f.code, f.loc.line, f.message) for f in e.value.findings] == [
        ("word-with-quote", 6, "glossary word 'yard_word' has a quote")]
    term = WORDS.replace("kind: word", "kind: term")
    with pytest.raises(StoryError) as e:
        load_story(story_with(tmp_path / "t", term))
    assert [(f.code, f.message) for f in e.value.findings] == [("missing-field", "glossary term 'yard_word' has no 'quote'")]


def test_check_warns_about_a_word_no_scene_uses(tmp_path):
    report = check(str(story_with(tmp_path, WORDS.replace("name: courtyard", "name: curfew"))))
    [finding] = [f for f in report.findings if f.code == "unused-word"]
    assert (finding.loc.line, finding.message) == (2, "no scene uses the story word 'curfew', so no player sees "
                                                       "its definition")


def test_the_bundled_story_explains_the_hard_words_of_its_fiction():
    story = load_story(bundled_story())
    words = {t.name for t in story.glossary.values() if t.story_word}
    assert {"norms", "class enemy", "workers' council", "curfew", "imperialist", "collective farm",
            "internment camp", "amnesty", "counter-revolution", "general strike", "Csepel"} <= words
    used = {w for parts in story.words.values() for ws in parts for w in ws}
    assert {t.id for t in story.glossary.values() if t.story_word} <= used
    assert all(not t.quote for t in story.glossary.values() if t.story_word)
