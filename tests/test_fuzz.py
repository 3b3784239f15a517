"""Bounded fuzzing (hypothesis) of what reads untrusted text: the loader and the condition parser.
Whatever the input, the answer is a story or located findings, never a traceback, and nothing a
story holds reaches a message raw."""
from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budapest56 import engine
from budapest56.analysis.lint import lint
from budapest56.errors import StoryError
from budapest56.story import conditions
from budapest56.story.controls import strip_controls
from budapest56.story.loader import load_story
from conftest import SCENE, SOURCE, STORY

NAMES = conditions.Names({"brave", "met_anna"}, {"courage": 0}, {"war_ended"}, {"hall", "yard"})
TOKENS = ["brave", "met_anna", "courage", "war_ended", "hall", "visited", "visits", "unlocked", "and", "or", "not",
          "(", ")", "==", "!=", "<", "<=", ">", ">=", "0", "3", "99999999999", "٣", "true", "false", " ", "\x1b", "\0"]
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join) | st.text(max_size=40))
def test_a_condition_parses_to_a_tree_or_a_located_error(text):
    try:
        tree = conditions.parse(text, NAMES)
    except conditions.ConditionError as e:  # either outcome is fine; a located, clean message is the test
        assert 0 <= e.offset <= max(len(text), conditions.MAX_LENGTH)  # noqa: PT017
        assert e.message and strip_controls(e.message) == e.message  # noqa: PT017
        return
    test = conditions.compile_tree(tree, NAMES)
    assert test(engine.State("hall", frozenset({"brave"}), (2,), (), ("hall",), ())) in (True, False)


# Edits an author (or an attacker) might make: characters YAML treats specially, escapes that
# make control characters, numbers past int()'s limits, deep nesting, odd dates.
PIECES = [":", "- ", "  ", "\n", "\t", "'", '"', "[", "]", "{", "}", "&a ", "*a", "!!python/object ", "#",
          '"\\e[2J"', '"\\x9b"', '"\\0"', "\ufffe", "9" * 4400, "[" * 200, "1949-00-05", "0000", "١٩٤٩",
          "if: ", "goto: ", "nowhere", "text: ", "date: ", "../../etc/passwd", "<img onerror=x>"]


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(SCENE)), st.integers(0, 8), st.sampled_from(PIECES)), min_size=1,
                max_size=4))
def test_a_mutated_story_loads_or_says_where_it_is_wrong(edits):
    text = SCENE
    for at, cut, piece in edits:
        at = min(at, len(text))
        text = text[:at] + piece + text[at + cut:]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "story.yaml").write_text(textwrap.dedent(STORY), encoding="utf-8")
        (root / "source.txt").write_text(SOURCE, encoding="utf-8")
        (root / "scene.yaml").write_text(text, encoding="utf-8")
        try:
            story = load_story(root)
        except StoryError as e:
            findings = e.findings
            assert findings
        else:
            findings = list(lint(story))
            for node in story.nodes.values():
                assert all(strip_controls(p.text) == p.text for p in node.text)
        for f in findings:
            assert f.loc.path and "\n" not in f.message
            assert strip_controls(str(f)) == str(f), str(f)
            assert len(f.message) < 1000
