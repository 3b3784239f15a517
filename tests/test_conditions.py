"""The condition language: what it accepts, and a clear error for everything else."""
from __future__ import annotations

import pytest

from budapest56.engine import State
from budapest56.story.conditions import ConditionError, Names, compile_tree, names_read, parse

NAMES = Names(flags={"brave", "hid_radio"}, counters={"courage": 0, "fear": 1},
              facts={"nagy_returns"}, nodes={"cellar", "street"})


def state(flags=(), counters=(0, 0), facts=(), trail=("cellar",)) -> State:
    return State(trail[-1], frozenset(flags), counters, tuple(facts), tuple(trail), ())


def holds(text: str, s: State) -> bool:
    return compile_tree(parse(text, NAMES), NAMES)(s)


@pytest.mark.parametrize("text, s, expected", [
    ("brave", state({"brave"}), True),
    ("not brave", state({"brave"}), False),
    ("brave and hid_radio", state({"brave"}), False),
    ("brave or hid_radio", state({"brave"}), True),
    ("not brave or hid_radio", state(), True),  # not binds tighter than or
    ("not (brave or hid_radio)", state({"hid_radio"}), False),
    ("brave or hid_radio and false", state({"brave"}), True),  # and binds tighter than or
    ("courage >= 2", state(counters=(2, 0)), True),
    ("courage > fear", state(counters=(2, 3)), False),
    ("3 == courage", state(counters=(3, 0)), True),
    ("brave == false", state(), True),
    ("unlocked(nagy_returns)", state(facts={"nagy_returns"}), True),
    ("visited(street)", state(), False),
    ("visits(cellar) >= 2", state(trail=("cellar", "street", "cellar")), True),
    ("true", state(), True),
    ("  brave  ", state({"brave"}), True),
])
def test_conditions_evaluate_against_a_state(text, s, expected):
    assert holds(text, s) is expected


def test_names_read_lists_what_a_condition_depends_on():
    tree = parse("brave and (courage > 1 or unlocked(nagy_returns)) and not visited(street)", NAMES)
    assert names_read(tree) == {("flag", "brave"), ("counter", "courage"), ("unlocked", "nagy_returns"),
                                ("visited", "street")}


@pytest.mark.parametrize("text, message, offset, hint", [
    ("__import__('os')", "unexpected character \"'\"", 11,
     "conditions use names, numbers, comparisons, and/or/not and parentheses"),
    ("__import__", "unknown flag or counter '__import__'", 0,
     "conditions can only read the story's flags, counters, facts and nodes"),
    ("brave.__class__", "unexpected character '.'", 5,
     "conditions use names, numbers, comparisons, and/or/not and parentheses"),
    ("open(x)", "unknown flag or counter 'open'", 0,
     "conditions can only read the story's flags, counters, facts and nodes"),
    ("brave; rm -rf /", "unexpected character ';'", 5,
     "conditions use names, numbers, comparisons, and/or/not and parentheses"),
    ("(brave", "expected ')' but found the end of the condition", 6, "the '(' at column 1 is never closed"),
    ("brave)", "unexpected ')'", 5, "a ')' has no matching '('"),
    ("brave hid_radio", "unexpected 'hid_radio'", 6, "join conditions with 'and' or 'or'"),
    ("brave and", "expected a name, number or '(' but found the end of the condition", 9, ""),
    ("", "condition is empty", 0, "remove 'if:' to make the choice always available"),
    ("courage", "counter 'courage' is a number, not a yes/no", 0, "compare it, e.g. 'courage > 0'"),
    ("brave > 1", "cannot compare flag 'brave' with '1'", 6, ""),
    ("brave < hid_radio", "'<' compares numbers, but flag 'brave' is a yes/no", 6, ""),
    ("unlocked(cellar)", "unknown fact 'cellar' in unlocked()", 9, ""),
    ("visited(celar)", "unknown node 'celar' in visited()", 8, "did you mean 'cellar'?"),
    ("courage > 99999999999999", "number 999999999999… is too large", 10, ""),
    ("braev", "unknown flag or counter 'braev'", 0, "did you mean 'brave'?"),
])
def test_bad_and_hostile_conditions_get_a_clear_error(text, message, offset, hint):
    with pytest.raises(ConditionError) as e:
        parse(text, NAMES)
    assert (e.value.message, e.value.offset, e.value.hint) == (message, offset, hint)


def test_deep_nesting_is_refused_before_python_recursion_runs_out():
    with pytest.raises(ConditionError) as e:
        parse("(" * 40 + "brave" + ")" * 40, NAMES)
    assert e.value.message == "condition is nested more than 32 levels deep"
    with pytest.raises(ConditionError) as e:
        parse("not " * 40 + "brave", NAMES)
    assert e.value.message == "condition is nested more than 32 levels deep"


def test_huge_conditions_are_refused():
    with pytest.raises(ConditionError) as e:
        parse("(" * 100_000, NAMES)
    assert e.value.message == "condition is 100000 characters long (at most 500)"
    with pytest.raises(ConditionError) as e:
        parse(" or ".join(["brave"] * 200), NAMES)
    assert e.value.message == "condition is 1796 characters long (at most 500)"


def test_long_flat_chains_within_the_limit_work():
    assert holds(" and ".join(["brave"] * 40), state({"brave"}))
