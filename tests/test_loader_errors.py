"""Every class of story error: its exact text and its file:line:col."""
from __future__ import annotations

import gc

import pytest

from budapest56 import StoryError, load_story
from budapest56.analysis.lint import check
from budapest56.cli import main
from budapest56.errors import Loc
from conftest import SCENE, STORY, write_story


def errors(root) -> list[str]:
    with pytest.raises(StoryError) as e:
        load_story(root)
    return [str(f) for f in e.value.findings]


def scene(text: str) -> dict[str, str]:
    return {"scene.yaml": text}


def test_the_example_story_loads(in_tmp):
    story = load_story(write_story(in_tmp / "s"))
    assert list(story.nodes) == ["hall", "yard", "home"]
    assert story.facts["war_ended"].chapter == "one"


def test_yaml_syntax_error_points_at_the_problem(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("    place: A hall\n", "    place: A hall: big\n")))
    assert errors(root) == [
        "s/scene.yaml:5:18: error: YAML syntax: mapping values are not allowed in this context [yaml-syntax]\n"
        "  hint: a text containing ': ' must be quoted: write 'place: \"A hall: big\"'"]


def test_tab_indentation_gets_a_hint(in_tmp):
    root = write_story(in_tmp / "s", scene("nodes:\n\t- id: x\n"))
    assert errors(root) == [
        "s/scene.yaml:2:1: error: YAML syntax: while scanning for the next token found character "
        "that cannot start any token [yaml-syntax]\n  hint: YAML indents with spaces, not tabs",
        # The other files are checked as well: this scene file held the only node.
        "s/story.yaml:4:8: error: start node 'hall' does not exist [dangling-target]"]


def test_wrong_types_are_reported_with_what_was_found(in_tmp):
    broken = SCENE.replace("text: You stand in a hall.", "text: {a: 1}").replace(
        "add: {courage: 2}", "add: {courage: lots}").replace("date: 1949\n    place: A yard", "date: [1949]\n    place: A yard")
    assert errors(write_story(in_tmp / "s", scene(broken))) == [
        "s/scene.yaml:6:11: error: expected text, or a list of texts and {if, text} items, found a mapping [wrong-type]\n"
        "  hint: start each item on its own line with '- '",
        "s/scene.yaml:11:24: error: expected a whole number, found 'lots' [wrong-type]",
        "s/scene.yaml:15:11: error: expected a date, found a list [wrong-type]",
    ]


def test_unknown_key_suggests_the_right_one(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("    choices:\n      - label: Be brave", "    choises:\n      - label: Be brave")))
    assert errors(root) == [
        "s/scene.yaml:7:5: error: unknown key 'choises' in node [unknown-key]\n  hint: did you mean 'choices'?"]


def test_missing_required_field(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("    place: A hall\n", "")))
    assert errors(root) == ["s/scene.yaml:3:5: error: node has no 'place' [missing-field]\n  hint: add 'place: <where the scene happens>' to this node"]


def test_duplicate_key_in_one_mapping(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("    place: A hall\n", "    place: A hall\n    place: A room\n")))
    assert errors(root) == [
        "s/scene.yaml:6:5: error: key 'place' appears twice in this mapping [duplicate-key]\n"
        "  hint: remove one of the two; the first is at line 5 (YAML would silently keep only the last)"]


def test_duplicate_ids_across_files(in_tmp):
    other = """\
        chapter: one
        nodes:
          - id: yard
            date: 1949
            place: Another yard
            text: Same id.
            choices: [{label: Back, goto: hall}]
        """
    root = write_story(in_tmp / "s", {"a.yaml": SCENE, "b.yaml": other})
    assert errors(root) == ["s/b.yaml:3:5: error: id 'yard' is already used [duplicate-id]\n  hint: rename one of the two; the first is at s/a.yaml:14:5"]


def test_choice_to_a_missing_node(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("goto: home\n        if: brave", "goto: hme\n        if: brave")))
    assert errors(root) == [
        "s/scene.yaml:24:15: error: choice goes to unknown node 'hme' [dangling-target]\n  hint: did you mean 'home'?"]


def test_condition_that_does_not_parse_points_inside_the_condition(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("if: brave and courage >= 3", "if: brave and (courage >= 3")))
    assert errors(root) == [
        "s/scene.yaml:25:36: error: condition 'brave and (courage >= 3': expected ')' but found the end "
        "of the condition [bad-condition]\n  hint: the '(' at column 11 is never closed"]


def test_condition_naming_an_unknown_flag_or_fact(in_tmp):
    broken = SCENE.replace("if: brave and courage >= 3", "if: bravee and courage >= 3").replace(
        "if: not brave", "if: 'not unlocked(war_end)'")
    assert errors(write_story(in_tmp / "s", scene(broken))) == [
        "s/scene.yaml:25:13: error: condition 'bravee and courage >= 3': unknown flag or counter 'bravee' "
        "[bad-condition]\n  hint: did you mean 'brave'?",
        "s/scene.yaml:29:27: error: condition 'not unlocked(war_end)': unknown fact 'war_end' in unlocked() "
        "[bad-condition]\n  hint: did you mean 'war_ended'?",
    ]


def test_unknown_names_in_effects_and_references(in_tmp):
    broken = SCENE.replace("set: {brave: true}", "set: {brav: true}").replace(
        "unlock: [war_ended]", "unlock: [war_endd]").replace("chapter: two", "chapter: three")
    assert errors(write_story(in_tmp / "s", scene(broken))) == [
        "s/scene.yaml:10:15: error: unknown flag or counter 'brav' [unknown-name]\n  hint: did you mean 'brave'?",
        "s/scene.yaml:21:14: error: unknown fact 'war_endd' [unknown-name]\n  hint: did you mean 'war_ended'?",
        "s/scene.yaml:33:14: error: unknown chapter 'three' [unknown-name]",
    ]


def test_empty_file(in_tmp):
    assert errors(write_story(in_tmp / "s", {"a.yaml": SCENE, "empty.yaml": "# nothing yet\n"})) == [
        "s/empty.yaml:1:1: error: the file is empty [empty-file]\n"
        "  hint: write 'nodes:' with a list of nodes (or 'facts:' or 'glossary:'), or delete the file"]


def test_file_that_is_not_utf8(in_tmp):
    data = SCENE.replace("A hall", "A caf\u00e9").encode("latin-1")
    assert errors(write_story(in_tmp / "s", {"scene.yaml": data})) == [
        "s/scene.yaml:5:17: error: byte 0xe9 is not UTF-8 text [not-utf8]\n  hint: save the file as UTF-8"]


def test_a_misquote_points_at_the_first_word_that_differs_and_shows_both_texts(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("quote: The war ended in 1945.", "quote: The war ended in 1946.")))
    assert errors(root) == [
        's/scene.yaml:44:29: error: quote differs from the source at "1946." [quote-not-in-source]\n'
        '  hint: the quote has "The war ended in 1946.", the source "The war ended in 1945."']


def test_a_quote_with_no_word_in_the_source_points_at_the_nearest_sentence(in_tmp):
    root = write_story(in_tmp / "s", scene(SCENE.replace("quote: The war ended in 1945.", "quote: Thw war ended in 1945.")))
    assert errors(root) == [
        's/scene.yaml:44:12: error: quote not found in the source: "Thw war ended in 1945." [quote-not-in-source]\n'
        '  hint: closest source sentence: "The war ended in 1945."']


def test_quotes_may_differ_in_whitespace_and_curly_quotes_and_leave_words_out(in_tmp):
    source = "Title\n\nHungary\u2019s war  ended in 1945. The city was rebuilt slowly, street by street.\n"
    text = SCENE.replace("quote: The war ended in 1945.",
                         "quote: \"Hungary's war ended in 1945. The city was rebuilt \u2026 by street.\"")
    story = load_story(write_story(in_tmp / "s", scene(text), source=source))
    assert story.facts["war_ended"].quote.startswith("Hungary's")


def test_python_tags_are_refused_and_nothing_runs(in_tmp, tmp_path):
    marker = tmp_path / "pwned"
    evil = SCENE.replace("text: You stand in a hall.",
                         f"text: !!python/object/apply:os.system ['touch {marker}']")
    assert errors(write_story(in_tmp / "s", scene(evil))) == [
        "s/scene.yaml:6:11: error: tag '!!python/object/apply:os.system' is not allowed [unsafe-tag]\n"
        "  hint: story files hold plain text, numbers, lists and mappings; remove the tag"]
    assert not marker.exists()


def test_every_problem_of_every_file_is_reported_not_only_the_first(in_tmp):
    one = SCENE.replace("    place: A hall\n", "")
    two = "nodes:\n  - id: x\n    date: 19490\n"
    assert [e.split(" [")[0] for e in errors(write_story(in_tmp / "s", {"a.yaml": one, "b.yaml": two}))] == [
        "s/a.yaml:3:5: error: node has no 'place'",
        "s/b.yaml:2:5: error: node has no 'place'",
        "s/b.yaml:2:5: error: node has no 'text'",
        "s/b.yaml:2:5: error: node 'x' has no chapter",
        "s/b.yaml:3:11: error: '19490' is not a date",
    ]


def test_story_file_errors(in_tmp):
    story = STORY.replace("start: hall", "start: hal").replace("file: source.txt", "file: missing.txt")
    found = errors(write_story(in_tmp / "s", story=story))
    assert found[:2] == ["s/story.yaml:4:8: error: start node 'hal' does not exist [dangling-target]\n"
                         "  hint: did you mean 'hall'?",
                         "s/story.yaml:9:11: error: cannot read source 'missing.txt': No such file or directory "
                         "[missing-source]\n  hint: the path is relative to the story folder, the one holding story.yaml"]


def test_a_folder_without_a_story_file(in_tmp):
    (in_tmp / "empty").mkdir()
    assert errors(in_tmp / "empty") == [
        "empty: error: no story.yaml in this folder [not-a-story]\n  hint: a story folder holds story.yaml and its scene files"]


def test_ending_with_choices(in_tmp):
    text = SCENE.replace("      epilogue: The end.\n", "      epilogue: The end.\n    choices: [{label: Again, goto: hall}]\n")
    assert errors(write_story(in_tmp / "s", scene(text))) == [
        "s/scene.yaml:37:5: error: node 'home' is an ending but has choices [ending-with-choices]\n"
        "  hint: an ending closes the story: remove 'choices' or 'ending'"]


def test_flag_set_to_a_number_and_counter_to_yes(in_tmp):
    text = SCENE.replace("set: {brave: true}", "set: {brave: 2, courage: true}")
    assert errors(write_story(in_tmp / "s", scene(text))) == [
        "s/scene.yaml:10:15: error: flag 'brave' is set to a number [wrong-type]\n"
        "  hint: write 'brave: true' or 'brave: false'; numbers belong in a counter",
        "s/scene.yaml:10:25: error: counter 'courage' is set to true [wrong-type]\n"
        "  hint: write a whole number, such as 'courage: 1'; yes or no belongs in a flag",
    ]


def test_a_billion_laughs_file_is_refused_quickly(in_tmp):
    lines = ["  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    bomb = "glossary:\n" + "\n".join(lines) + "\n  - *a9\n"
    found = errors(write_story(in_tmp / "s", {"a.yaml": SCENE, "bomb.yaml": bomb}))
    assert found[0] == "s/bomb.yaml:2:5: error: expected a mapping of term keys, found a list [wrong-type]"
    # One message for each of the eleven items; no list was expanded into its billion strings.
    assert len(found) == 11 and all(f.endswith("found a list [wrong-type]") for f in found)


def test_an_alias_is_refused_once_per_file(in_tmp):
    text = SCENE.replace("        set: {brave: true}\n", "        set: &brave {brave: true}\n").replace(
        "      - label: Wait\n        goto: yard\n", "      - label: Wait\n        goto: yard\n        set: *brave\n"
    ).replace("      - label: Leave\n        goto: home\n", "      - label: Leave\n        goto: home\n        set: *brave\n")
    assert errors(write_story(in_tmp / "s", {"scene.yaml": text})) == [
        "s/scene.yaml:10:14: error: the list or mapping anchored here (&) is repeated through an alias (*) [yaml-alias]\n"
        "  hint: write the repeated part out in full; story files do not use '&' anchors and '*' aliases"]


def test_loading_leaves_the_cycle_collector_as_it_was_unless_the_command_line_asks(tiny):
    frozen = gc.get_freeze_count()
    enabled = gc.isenabled()
    load_story(tiny)
    assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)
    load_story(tiny, freeze=True)   # the command line: the story lives as long as the process
    assert gc.get_freeze_count() > frozen and gc.isenabled() == enabled
    gc.unfreeze()


@pytest.mark.parametrize("written, column, fix", [
    ("brave && courage >= 3", 19, "write 'and' instead of '&&'"),
    ("brave || courage >= 3", 19, "write 'or' instead of '||'"),
    ("brave and courage => 3", 31, "write '>=' (at least) instead of '=>'"),
    ("brave and courage = 3", 31, "write '==' to compare"),
    ("'!brave'", 14, "write 'not' instead of '!'"),
    ("!brave", 13, "write 'if: not brave' ('!' starts a tag in YAML)"),
    ("'brave == \"true\"'", 23, "write true without quotes"),
])
def test_a_condition_written_as_in_another_language_gets_its_fix(in_tmp, written, column, fix):
    text = SCENE.replace("if: brave and courage >= 3", f"if: {written}")
    [found] = errors(write_story(in_tmp / "s", scene(text)))
    assert found.split(": error:")[0] == f"s/scene.yaml:25:{column}"
    assert found.endswith(f"[bad-condition]\n  hint: {fix}")


def test_true_in_quotes_is_text(in_tmp):
    text = SCENE.replace("set: {brave: true}", 'set: {brave: "true"}')
    assert errors(write_story(in_tmp / "s", scene(text))) == [
        "s/scene.yaml:10:22: error: expected true, false or a whole number, found the text 'true' [wrong-type]\n"
        "  hint: write true without quotes: in quotes it is text"]


def test_add_on_a_flag_says_to_set_it(in_tmp):
    text = SCENE.replace("add: {courage: 2}", "add: {brave: 1}")
    assert errors(write_story(in_tmp / "s", scene(text))) == [
        "s/scene.yaml:11:15: error: 'add:' changes counters, and 'brave' is a flag [wrong-type]\n"
        "  hint: write 'set: {brave: true}' (or false)"]


def test_a_counter_declared_as_a_bare_number_is_one_error(in_tmp):
    story = STORY.replace("  courage: {start: 1, about: How brave you feel.}", "  courage: 0")
    assert errors(write_story(in_tmp / "s", story=story)) == [
        "s/story.yaml:18:12: error: counter 'courage' is a number; a counter is declared as a mapping [wrong-type]\n"
        "  hint: write 'courage: {start: 0, about: <what it counts>}'"]


def test_a_misspelt_source_is_one_error_with_the_file_meant_and_its_quotes_not_checked(in_tmp):
    story = STORY.replace("file: source.txt", "file: sources.txt")
    assert errors(write_story(in_tmp / "s", story=story)) == [
        "s/story.yaml:9:11: error: cannot read source 'sources.txt': No such file or directory [missing-source]\n"
        "  hint: did you mean 'source.txt'?",
        "s/story.yaml:9:11: info: 1 quote not checked: source 'src' cannot be read [quotes-not-checked]"]


def test_a_source_in_another_folder_is_found_by_its_name(in_tmp):
    root = write_story(in_tmp / "s")
    (root / "texts").mkdir()
    (root / "source.txt").rename(root / "texts" / "source.txt")
    assert errors(root)[0] == (
        "s/story.yaml:9:11: error: cannot read source 'source.txt': No such file or directory [missing-source]\n"
        "  hint: did you mean 'texts/source.txt'? (the path is relative to the story folder)")


def test_facts_and_terms_of_an_unreadable_source_are_not_checked_instead_of_each_an_error(in_tmp):
    story = STORY.replace("    file: source.txt}", "    file: source.txt}\n  - {id: notes, title: Notes, file: notes.txt}")
    facts = SCENE + """\
    source: src
  - id: notes_say
    title: The notes
    summary: A note.
    quote: Words nobody can check.
    date: 1949
    source: notes
glossary:
  - {id: hall_t, name: The hall, kind: place, definition: A hall., quote: Words from the notes.}
"""
    assert errors(write_story(in_tmp / "s", scene(facts), story=story)) == [
        "s/story.yaml:10:37: error: cannot read source 'notes.txt': No such file or directory [missing-source]\n"
        "  hint: the path is relative to the story folder, the one holding story.yaml",
        "s/story.yaml:10:37: info: 2 quotes not checked: source 'notes' cannot be read [quotes-not-checked]"]


NIGHT = """\
chapter: two
nodes:
  - id: home
    date: 1949
    place: Home
    text: You are home.
    ending: {title: Home again, epilogue: The end.}
"""
WITHOUT_HOME = SCENE.split("  - id: home")[0] + "facts:" + SCENE.split("facts:")[1]


def test_yml_scene_files_are_read(in_tmp):
    story = load_story(write_story(in_tmp / "s", {"a.yaml": WITHOUT_HOME, "night.yml": NIGHT}))
    assert story.nodes["home"].loc == Loc("s/night.yml", 3, 5)


def test_a_scene_file_that_is_not_read_is_named_and_explains_the_unknown_nodes(in_tmp):
    found = errors(write_story(in_tmp / "s", {"a.yaml": WITHOUT_HOME, "night.yaml.txt": NIGHT}))
    assert found[0] == ("s/a.yaml:24:15: error: choice goes to unknown node 'home' [dangling-target]\n"
                        "  hint: 'home' is written in s/night.yaml.txt, which is not read: scene files end in .yaml "
                        "or .yml")
    assert found[-1] == ("s/night.yaml.txt: info: this looks like a scene file, but is not read: scene files end in "
                         ".yaml or .yml [not-a-scene-file]\n  hint: rename it to night.yaml")
    assert len(found) == 4


def test_a_transcript_named_play_yml_is_named_not_read_as_a_scene(in_tmp):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE, "walk.play.yml": "steps: [Wait]\n"})
    assert [str(f) for f in check(str(root)).findings] == [
        "s/walk.play.yml: info: this looks like a transcript, but is not played: transcripts end in .play.yaml "
        "[not-a-scene-file]\n  hint: rename it to walk.play.yaml"]


def test_warnings_are_shown_and_counted_with_the_errors(in_tmp, capsys):
    text = SCENE.replace("goto: yard\n        set", "goto: yrd\n        set").replace(
        "date: 1949\n    place: A yard", "date: 1940\n    place: A yard")
    write_story(in_tmp / "s", scene(text))
    assert main(["check", "s"]) == 1
    assert capsys.readouterr().err == (
        "s/scene.yaml:9:15: error: choice goes to unknown node 'yrd' [dangling-target]\n"
        "  hint: did you mean 'yard'?\n"
        "s/scene.yaml:13:15: warning: choice goes back in time from 1945 ('hall') to 1940 ('yard') "
        "[chronology-backwards]\n"
        "  hint: mark 'yard' with 'flashback: true' if that is meant\n"
        "s/scene.yaml:14:5: warning: node 'yard' is dated 1940, outside the story's period 1945 to 1956-11-10 "
        "[date-out-of-period]\n"
        "s/scene.yaml:14:5: warning: node 'yard' (1940) unlocks fact 'war_ended', dated 1945: before it happened "
        "[fact-from-the-future]\n"
        "  hint: unlock it in a scene dated on or after the fact\n"
        "1 error, 3 warnings\n")


def test_a_yaml_error_in_one_file_hides_nothing_of_the_others(in_tmp):
    # a.yaml cannot be read whole; b.yaml's misquote and dangling choice are still found, and
    # b.yaml's choice into a.yaml ('hall', defined there) is not reported as unknown.
    broken = SCENE.replace("    place: A hall\n", "    place: A hall: big\n")
    other = """\
chapter: one
nodes:
  - id: cellar
    date: 1945
    place: A cellar
    text: Dark.
    choices: [{label: Up, goto: hall}, {label: Out, goto: yarrd}]
facts:
  - id: rebuilt
    title: Rebuilt
    summary: Rebuilt.
    quote: The city was rebuilt quickly.
    date: 1946
"""
    assert errors(write_story(in_tmp / "s", {"a.yaml": broken, "b.yaml": other})) == [
        "s/a.yaml:5:18: error: YAML syntax: mapping values are not allowed in this context [yaml-syntax]\n"
        "  hint: a text containing ': ' must be quoted: write 'place: \"A hall: big\"'",
        "s/b.yaml:7:59: error: choice goes to unknown node 'yarrd' [dangling-target]\n  hint: did you mean 'yard'?",
        's/b.yaml:12:33: error: quote differs from the source at "quickly." [quote-not-in-source]\n'
        '  hint: the quote has "The city was rebuilt quickly.", the source "The city was rebuilt slowly."',
    ]


def test_every_yaml_error_of_a_file_is_shown(in_tmp):
    text = SCENE.replace("    place: A hall\n", "    place: A hall: big\n").replace(
        "    place: Home\n", "    place: Home: sweet home\n")
    assert [e.split(" [")[0] for e in errors(write_story(in_tmp / "s", scene(text)))] == [
        "s/scene.yaml:5:18: error: YAML syntax: mapping values are not allowed in this context",
        "s/scene.yaml:35:16: error: YAML syntax: mapping values are not allowed in this context"]


@pytest.mark.parametrize("old, new, expected", [
    ("      - label: Wait\n", "       - label: Wait\n",  # PyYAML: did not find expected '-' indicator
     "s/scene.yaml:12:8: error: YAML syntax: this item is indented 7 spaces, the items of its list 6 (line 8) "
     "[yaml-syntax]\n  hint: indent '- label:' by 6 spaces, as the item on line 8"),
    ("        goto: yard\n        set: {brave", "        goto: yard\n       set: {brave",
     "s/scene.yaml:10:8: error: YAML syntax: 'set:' is indented 7 spaces, but the keys beside it 8 ('goto:' on "
     "line 9) [yaml-syntax]\n  hint: indent 'set:' by 8 spaces, as 'goto:' above it"),
    ("    place: A hall\n", "      place: A hall\n",  # PyYAML: mapping values are not allowed here
     "s/scene.yaml:5:7: error: YAML syntax: 'place:' is indented 6 spaces, more than 'date:' above it (4), so YAML "
     "reads it as more of the value of 'date:' [yaml-syntax]\n  hint: indent 'place:' by 4 spaces, as 'date:' on line 4"),
    ("  - id: yard\n", " - id: yard\n",  # PyYAML: while parsing a block mapping did not find expected key
     "s/scene.yaml:14:2: error: YAML syntax: this item is indented 1 space, the items of its list 2 (line 3) "
     "[yaml-syntax]\n  hint: indent '- id:' by 2 spaces, as the item on line 3"),
    ("    place: A hall\n", "    place A hall\n",
     "s/scene.yaml:5:5: error: YAML syntax: 'place' has no ':' after it [yaml-syntax]\n  hint: write 'place: A hall'"),
])
def test_indentation_slips_are_explained_with_the_fix(in_tmp, old, new, expected):
    assert errors(write_story(in_tmp / "s", scene(SCENE.replace(old, new, 1)))) == [expected]


def test_a_forgotten_dash_is_one_error_and_the_choice_is_read_as_meant(in_tmp):
    text = SCENE.replace("      - label: Wait\n        goto: yard\n", "        label: Wait\n        goto: yard\n")
    assert errors(write_story(in_tmp / "s", scene(text))) == [
        "s/scene.yaml:12:9: error: a new choice starts here without its '- ' [missing-dash]\n"
        "  hint: write '- label: Wait', its '- ' under the one on line 8"]


def test_a_story_file_named_story_yml_is_named(in_tmp):
    root = write_story(in_tmp / "s")
    (root / "story.yaml").rename(root / "story.yml")
    assert errors(root) == ["s: error: no story.yaml in this folder [not-a-story]\n  hint: rename story.yml to story.yaml"]
