"""The editor schemas: draft-07, true to the format, and with `--story` completing a story's ids.

Files are read as yaml-language-server reads them (YAML 1.2: `1956-10-23` is text, not a date)
and validated with the jsonschema package, so what passes here passes in the editor.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from budapest56.authoring.schemas import schema, schema_text
from budapest56.cli import main
from budapest56.story.loader import load_story
from budapest56.testing.transcript_file import ACTIONS, EXPECTATIONS, TOP_KEYS
from conftest import write_story

ROOT = Path(__file__).resolve().parent.parent
SCENES = ROOT / "scenes"


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's timestamps, as the editor's YAML 1.2 sees dates."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def read(text: str) -> object:
    return yaml.load(text, Loader=Yaml12Loader)


def errors(schema_: dict, data: object) -> list[str]:
    validator = jsonschema.Draft7Validator(schema_)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data))


@pytest.fixture(scope="module")
def bundled():
    return load_story(SCENES)


def test_schemas_are_valid_draft_07():
    for kind in ("scene", "story", "transcript"):
        s = schema(kind)
        assert s["$schema"] == "http://json-schema.org/draft-07/schema#"
        jsonschema.Draft7Validator.check_schema(s)


def test_committed_copies_are_what_schema_prints(capsys):
    for kind in ("scene", "story", "transcript"):
        assert main(["schema", kind]) == 0
        printed = capsys.readouterr().out
        assert printed == schema_text(kind)
        assert (SCENES / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8") == printed, \
            f"run: budapest56 schema {kind} > scenes/schema/{kind}.schema.json"


def test_every_bundled_file_validates_against_both_schemas(bundled):
    for s in (None, bundled):
        for path in sorted(SCENES.glob("*.yaml")):
            kind = "story" if path.name == "story.yaml" else "scene"
            assert errors(schema(kind, s), read(path.read_text(encoding="utf-8"))) == [], path
        for path in sorted(SCENES.glob("transcripts/*.play.yaml")):
            assert errors(schema("transcript", s), read(path.read_text(encoding="utf-8"))) == [], path


NODE = {"id": "hall", "date": "1945", "place": "A hall", "text": "You stand in a hall."}


def test_a_node_has_choices_or_an_ending_exactly_one():
    s = schema("scene")
    both = {**NODE, "choices": [{"label": "Go", "goto": "yard"}], "ending": {"title": "T", "epilogue": "E"}}
    assert errors(s, {"nodes": [both]}) == [
        f"nodes/0: {both!r} is valid under each of {{'required': ['ending']}}, {{'required': ['choices']}}"]
    assert errors(s, {"nodes": [NODE]}) == [f"nodes/0: {NODE!r} is not valid under any of the given schemas"]
    assert errors(s, {"nodes": [{**NODE, "ending": {"title": "T", "epilogue": "E"}}]}) == []


def test_with_a_story_its_ids_are_completed_and_typos_underlined(bundled):
    generic, own = schema("scene"), schema("scene", bundled)
    node = own["definitions"]["node"]["properties"]
    choice = own["definitions"]["choice"]["properties"]
    assert choice["goto"]["enum"][:2] == ["c1_cellar", "c1_stairs"] and len(choice["goto"]["enum"]) == 86
    assert node["chapter"]["enum"][0] == "liberation"
    assert node["unlock"]["items"]["enum"] == list(bundled.facts)
    assert own["definitions"]["fact"]["properties"]["terms"]["items"]["enum"] == list(bundled.glossary)
    assert choice["set"]["properties"]["hid_radio"] == {"type": "boolean"}
    assert choice["set"]["additionalProperties"] is False
    typo = {**NODE, "choices": [{"label": "Go", "goto": "c1_celar", "set": {"hid_raido": True}}]}
    assert errors(generic, {"nodes": [typo]}) == []
    assert errors(own, {"nodes": [typo]}) == [
        "nodes/0/choices/0/goto: 'c1_celar' is not one of " + repr(list(bundled.nodes)),
        "nodes/0/choices/0/set: Additional properties are not allowed ('hid_raido' was unexpected)"]
    assert schema("story", bundled)["properties"]["start"]["enum"] == list(bundled.nodes)


def test_transcript_schema_knows_every_key_the_reader_knows(bundled):
    s = schema("transcript")
    assert list(s["properties"]) == list(TOP_KEYS)
    assert list(s["definitions"]["step"]["properties"]) == [*ACTIONS, *EXPECTATIONS]
    assert errors(s, {"steps": [{"choose": 1, "do": "undo"}]}) == [
        "steps/0: {'choose': 1, 'do': 'undo'} is not valid under any of the given schemas"]
    own = schema("transcript", bundled)
    assert errors(own, {"steps": [{"node": "c1_celar"}, {"ending": "The Road Home"}]}) == [
        "steps/0: {'node': 'c1_celar'} is not valid under any of the given schemas"]
    step = own["definitions"]["step"]["properties"]
    assert "Creep up the stairs with Laci" in step["choose"]["anyOf"][1]["examples"]
    assert step["ending"]["anyOf"][1]["enum"][0] in {n.ending.title for n in bundled.endings}


def test_schema_story_write_fills_the_schema_folder(tiny, capsys):
    assert main(["schema", "--story", str(tiny), "--write"]) == 0
    assert capsys.readouterr().out.endswith("wrote scene.schema.json, story.schema.json, transcript.schema.json "
                                            f"to {tiny / 'schema'}/\n")
    written = json.loads((tiny / "schema" / "scene.schema.json").read_text(encoding="utf-8"))
    assert written["definitions"]["choice"]["properties"]["goto"]["enum"] == ["hall", "yard", "home"]
    assert main(["schema", "--write"]) == 2
    assert capsys.readouterr().err == ("budapest56 schema: error: --write needs --story PATH: "
                                       "the story whose schema/ folder to write\n")


def test_schema_of_a_broken_story_gives_its_errors(in_tmp, capsys):
    write_story(in_tmp / "s", {"scene.yaml": "nodes: [\n"})
    assert main(["schema", "--story", "s"]) == 1
    assert capsys.readouterr().err.startswith("s/scene.yaml:2:1: error: YAML syntax:")


def test_authoring_md_modelines_point_at_the_schemas_from_where_the_file_is():
    guide = (ROOT / "AUTHORING.md").read_text(encoding="utf-8")
    for line in ("# yaml-language-server: $schema=schema/story.schema.json",
                 "# yaml-language-server: $schema=../schema/scene.schema.json",
                 "# yaml-language-server: $schema=../schema/transcript.schema.json"):
        assert line in guide
    assert re.search(r"budapest56 schema --story my-story --write", guide)
