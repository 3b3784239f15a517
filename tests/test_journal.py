"""The journal files each fact under the chapter the player found it in."""
from __future__ import annotations

from budapest56 import choose, load_story, start
from budapest56.engine import found_in
from budapest56.play.journal import journal, timeline
from conftest import SCENE, write_story


def test_a_fact_is_filed_under_the_chapter_it_was_found_in(tmp_path):
    # The fact is written in chapter one's file, but here the yard that teaches it is in chapter two.
    scene = SCENE.replace("  - id: yard\n    date: 1949", "  - id: yard\n    chapter: two\n    date: 1949")
    story = load_story(write_story(tmp_path / "s", {"scene.yaml": scene}))
    assert story.facts["war_ended"].chapter == "one"
    state = choose(story, start(story), 0)
    assert found_in(story, state.trail, state.path) == {"war_ended": "two"}
    assert [(s.chapter.id, [f.id for f in s.facts]) for s in journal(story, state)] == [("two", ["war_ended"])]
    assert [(e.date.human(), e.fact and e.fact.id) for e in timeline(story, state)] == [("1945", "war_ended")]


def test_nothing_found_means_an_empty_journal_and_a_blank_timeline(tiny):
    story = load_story(tiny)
    state = start(story)
    assert journal(story, state) == [] and found_in(story, state.trail, state.path) == {}
    assert [(e.date.human(), e.fact) for e in timeline(story, state)] == [("1945", None)]


def test_a_fact_offered_again_later_belongs_to_where_it_was_first_found(tmp_path):
    from budapest56.learning.schedule import unlocked_in

    # Home, in chapter two, teaches the same fact again: the journal and the review keep chapter one.
    scene = SCENE.replace("  - id: home\n    chapter: two\n", "  - id: home\n    chapter: two\n    unlock: [war_ended]\n")
    story = load_story(write_story(tmp_path / "s", {"scene.yaml": scene}))
    state = choose(story, choose(story, start(story), 0), 0)
    assert state.node == "home" and found_in(story, state.trail, state.path) == {"war_ended": "one"}
    assert unlocked_in(story, state.trail, state.path, state.facts, "two") == []
    assert unlocked_in(story, state.trail, state.path, state.facts, "one") == ["war_ended"]
