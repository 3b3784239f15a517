import json

import pytest

from budapest56 import PlayError, choices, choose, is_ending, load_story, narrative, start
from budapest56.engine import from_json, to_json, values


def labels(story, state):
    return [(o.choice.label, o.available) for o in choices(story, state)]


def test_start_is_at_the_start_node_with_declared_starting_values(tiny):
    story = load_story(tiny)
    state = start(story)
    assert state.node == "hall"
    assert values(story, state) == {"brave": False, "courage": 1}
    assert state.trail == ("hall",)
    assert state.facts == ()


def test_choosing_applies_effects_then_arrival_unlocks(tiny):
    story = load_story(tiny)
    state = choose(story, start(story), 0)
    assert state.node == "yard"
    assert values(story, state) == {"brave": True, "courage": 3}
    assert state.facts == ("war_ended",)
    assert state.path == (0,)
    assert narrative(story, state) == ["The yard is cold.", "You hold your head high."]
    assert labels(story, state) == [("Go home", True), ("Look around", False), ("Leave", True)]


def test_the_other_branch_sees_other_text_and_choices(tiny):
    story = load_story(tiny)
    state = choose(story, start(story), 1)
    assert narrative(story, state) == ["The yard is cold."]
    assert labels(story, state) == [("Go home", False), ("Look around", True), ("Leave", True)]


def test_unavailable_choice_is_refused_and_the_state_is_unchanged(tiny):
    story = load_story(tiny)
    state = choose(story, start(story), 1)
    with pytest.raises(PlayError, match="choice 'Go home' is not available: brave and courage >= 3"):
        choose(story, state, 0)
    with pytest.raises(PlayError, match="node 'yard' has no choice 9"):
        choose(story, state, 8)


def test_states_are_values(tiny):
    story = load_story(tiny)
    a = choose(story, start(story), 0)
    b = choose(story, start(story), 0)
    assert a == b and hash(a) == hash(b)
    assert choose(story, a, 2) != choose(story, b, 0)  # same node, different path


def test_ending(tiny):
    story = load_story(tiny)
    state = choose(story, choose(story, start(story), 0), 0)
    assert is_ending(story, state)
    assert choices(story, state) == []


def test_state_round_trips_through_json_exactly(tiny):
    story = load_story(tiny)
    state = choose(story, choose(story, start(story), 0), 2)
    data = json.loads(json.dumps(to_json(story, state)))
    assert data == {"node": "home", "flags": ["brave"], "counters": {"courage": 3},
                    "facts": ["war_ended"], "trail": ["hall", "yard", "home"], "path": [0, 2]}
    assert from_json(story, data) == state


@pytest.mark.parametrize("data, message", [
    ([], "a saved state must be a JSON object"),
    ({"node": "hall"}, "the saved state has no 'flags'"),
    ({"node": "cellar", "flags": [], "counters": {}, "facts": [], "trail": [], "path": []},
     "the saved state names a node this story does not have: 'cellar'"),
    ({"node": "hall", "flags": ["timid"], "counters": {}, "facts": [], "trail": [], "path": []},
     "the saved state names a flag this story does not have: 'timid'"),
    ({"node": "hall", "flags": [], "counters": {"courage": "x"}, "facts": [], "trail": [], "path": []},
     "counter 'courage' is not a whole number"),
])
def test_a_state_that_does_not_fit_the_story_is_refused(tiny, data, message):
    story = load_story(tiny)
    with pytest.raises(PlayError) as e:
        from_json(story, data)
    assert e.value.findings[0].message == message


def test_authors_can_start_anywhere_with_chosen_values(tiny):
    story = load_story(tiny)
    state = start(story, "yard", {"brave": True, "courage": 5})
    assert state.node == "yard" and values(story, state) == {"brave": True, "courage": 5}
    assert labels(story, state)[0] == ("Go home", True)
    with pytest.raises(PlayError, match="there is no node 'yrd'"):
        start(story, "yrd")
    with pytest.raises(PlayError) as e:
        start(story, None, {"brav": True})
    assert e.value.findings[0].hint == "did you mean 'brave'?"
    with pytest.raises(PlayError, match="flag 'brave' cannot be set to 3"):
        start(story, None, {"brave": 3})


def test_visits_count_arrivals(tmp_path):
    from conftest import write_story

    root = write_story(tmp_path / "loop", {"s.yaml": """\
        chapter: one
        nodes:
          - id: hall
            date: 1945
            place: Hall
            text: Again.
            choices:
              - label: Round again
                goto: hall
                if: visits(hall) < 3
              - label: Out
                goto: out
                if: visited(hall)
          - id: out
            date: 1945
            place: Out
            text: Out.
            unlock: [f]
            ending: {title: Out, epilogue: Done.}
        facts:
          - {id: f, title: F, summary: It ended., quote: The war ended in 1945., date: 1945}
        """})
    story = load_story(root)
    state = start(story)
    state = choose(story, choose(story, state, 0), 0)
    assert state.visits("hall") == 3
    assert [o.available for o in choices(story, state)] == [False, True]
