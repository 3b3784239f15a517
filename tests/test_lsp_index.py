"""The language server's map of ids and its completion contexts, without a server (pure modules)."""
from __future__ import annotations

from pathlib import Path

from budapest56.authoring.lsp_complete import complete
from budapest56.authoring.lsp_index import StoryIndex, index_story, occurrences, story_folder
from budapest56.errors import Finding, Loc
from budapest56.story.bundled import bundled_story
from budapest56.story.files import overlaid, read_bytes
from budapest56.story.loader import load_story
from conftest import write_story


def test_every_id_of_the_bundled_story_is_found_where_it_is_written():
    folder = Path(bundled_story()).resolve()
    index = index_story(folder, {})
    texts: dict[Path, list[str]] = {}
    for o in index.occurrences:
        lines = texts.setdefault(o.path, o.path.read_text(encoding="utf-8").splitlines())
        assert lines[o.line][o.start:o.end] == o.name, o
    story = load_story(folder)
    for node in story.nodes.values():
        [d] = index.of("node", node.id, definitions=True)
        assert (str(d.path), d.line + 1) == (str(Path(node.loc.path).resolve()), node.loc.line)
    assert sorted(index.names("fact")) == sorted(story.facts)
    assert sorted(index.names("flag")) == sorted(story.flags)
    # every goto is a use of its node (plus start:, visited(...) and the transcripts' node:)
    for node in story.nodes.values():
        for choice in node.choices:
            assert any(o.path.resolve() == Path(choice.loc.path).resolve() and 0 <= o.line - (choice.loc.line - 1) <= 8
                       for o in index.of("node", choice.goto, definitions=False))
    # a node named inside a condition, in a text part: visited(c4_university)
    assert any(o.path.name == "06-october.yaml" for o in index.of("node", "c4_university", definitions=False))


def test_names_in_conditions_and_effects_are_told_apart(tmp_path):
    folder = write_story(tmp_path / "tiny")
    index = index_story(folder.resolve(), {})
    # declared in story.yaml, added to in `add:`, compared in `if: brave and courage >= 3`
    assert [(o.path.name, o.line, o.start, o.definition) for o in index.of("counter", "courage")] == [
        ("story.yaml", 17, 2, True), ("scene.yaml", 10, 14, False), ("scene.yaml", 24, 22, False)]
    # declared, set, then read in a text part and in two choices' conditions (one with 'not')
    assert [(o.path.name, o.line, o.start) for o in index.of("flag", "brave")] == [
        ("story.yaml", 15, 2), ("scene.yaml", 9, 14), ("scene.yaml", 18, 12), ("scene.yaml", 24, 12),
        ("scene.yaml", 28, 16)]
    assert [o.path.name for o in index.of("fact", "war_ended")] == ["scene.yaml", "scene.yaml"]


def test_a_file_that_does_not_parse_adds_nothing_and_a_loose_file_has_no_story(tmp_path):
    assert occurrences(tmp_path / "a.yaml", "nodes:\n  - id: a\n   b: [\n", "scene") is None
    (tmp_path / "notes.yaml").write_text("goto: x\n", encoding="utf-8")
    assert story_folder((tmp_path / "notes.yaml").resolve()) is None
    folder = write_story(tmp_path / "tiny").resolve()
    assert story_folder(folder / "scene.yaml") == folder


def test_the_open_documents_are_read_in_place_of_the_files(tmp_path):
    folder = write_story(tmp_path / "tiny").resolve()
    scene = folder / "scene.yaml"
    typed = scene.read_text(encoding="utf-8").replace("id: home", "id: house")
    index = index_story(folder, {scene: typed})
    assert index.names("node") == ["hall", "yard", "house"]
    with overlaid({scene: typed.encode()}):
        assert read_bytes(scene) == typed.encode()
    assert read_bytes(scene) != typed.encode()


def complete_at(text: str, needle: str, offset: int, index: StoryIndex, kind: str = "scene") -> list[str]:
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    return [i.label for i in complete(text.splitlines(), line, column, kind, index, None)]


def test_completion_under_block_keys(tmp_path):
    folder = write_story(tmp_path / "tiny").resolve()
    index = index_story(folder, {})
    text = "nodes:\n  - id: a\n    unlock:\n      - \n    set:\n      \n    add:\n      c\n    text: |\n      goto: \n"
    assert complete_at(text, "      - \n", 8, index) == ["war_ended"]
    assert complete_at(text, "set:\n      \n", 11, index) == ["brave", "courage"]
    assert complete_at(text, "add:\n      c", 12, index) == ["courage"]
    assert complete_at(text, "nodes:", 0, index) == []
    # inside flow mappings: the key nearest before the cursor
    flow = "nodes:\n  - choices:\n      - {label: On, goto: ya}\n    text:\n      - {if: not br, text: Hm}\n"
    assert complete_at(flow, "goto: ya", 8, index) == ["hall", "yard", "home"]
    assert complete_at(flow, "not br", 6, index) == ["brave", "courage", "unlocked(…)", "visited(…)", "visits(…)"]
    # the words of a text block are prose, even when they look like a key
    assert complete_at(text, "      goto: \n", 12, index) == []


def test_a_finding_names_its_other_place():
    from budapest56.authoring.lsp_views import related

    f = Finding("error", "duplicate-key", Loc("s/a.yaml", 9, 5), "key 'place' appears twice",
                "the first is at line 4; YAML would silently keep only the last")
    [place] = related(f)
    assert (place.path.name, place.line, place.start) == ("a.yaml", 3, 0)


def test_a_file_being_typed_keeps_its_last_good_map_until_it_parses_again(tmp_path):
    from budapest56.authoring.lsp_index import Maps

    folder = write_story(tmp_path / "tiny").resolve()
    scene = folder / "scene.yaml"
    good = scene.read_text(encoding="utf-8")
    maps = Maps()
    assert maps.index(folder, {scene: good}).names("node") == ["hall", "yard", "home"]
    half_typed = good.replace("  - id: home\n", "  - id: home\n   [\n", 1)
    assert maps.index(folder, {scene: half_typed}).names("node") == ["hall", "yard", "home"]
    assert maps.unparsed == {scene}
    assert maps.index(folder, {scene: good.replace("id: home", "id: house")}).names("node") == ["hall", "yard", "house"]
    assert maps.unparsed == set()
