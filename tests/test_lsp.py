"""`budapest56 lsp` through a real client over stdio (tests/lsp_client.py): what an editor shows."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lsp_client import Client, ServerError, position_of

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = """\
glossary:
  - id: market_hall
    name: Great Market Hall
    kind: place
    definition: The big covered market by the river.
    quote: The Great Market Hall opened in 1897.
"""
TRANSCRIPT = """\
title: Through the plaque
steps:
  - node: gate
  - choose: "Read the plaque by the door"
    node: plaque
    unlocked: [hall_opened]
  - choose: Go in
    node: stalls
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return tmp_path_factory.mktemp("lsp")


@pytest.fixture(scope="module")
def client(base):
    """One server for the module, as an editor keeps one open: each test works in its own story folder."""
    c = Client(base)
    yield c
    assert c.close() == 0  # shutdown, exit: the server ends cleanly


@pytest.fixture
def story(base, request):
    """The guide's tutorial story, with a glossary file and a transcript, in base/<test>/my-story."""
    folder = base / request.node.name / "my-story"
    shutil.copytree(ROOT / "tests" / "stories" / "tutorial", folder)
    (folder / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    (folder / "transcripts").mkdir()
    (folder / "transcripts" / "plaque.play.yaml").write_text(TRANSCRIPT, encoding="utf-8")
    return folder


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def span(line: int, start: int, end: int) -> dict[str, dict[str, int]]:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


# -- diagnostics ---------------------------------------------------------------------------------

def test_diagnostics_follow_the_unsaved_text_and_are_what_check_reports(client, story):
    scene = story / "market.yaml"
    on_disk = scene.read_text(encoding="utf-8")
    client.open(scene)
    assert client.diagnostics(scene, 1) == []
    typed = on_disk.replace("goto: stalls", "goto: stall", 1)
    version = client.change(scene, typed)
    [d] = client.diagnostics(scene, version)
    assert d == {"range": span(12, 14, 19), "severity": 1, "code": "dangling-target", "source": "budapest56",
                 "message": "choice goes to unknown node 'stall'\nhint: did you mean 'stalls'?"}
    assert scene.read_text(encoding="utf-8") == on_disk  # nothing was saved: the buffer was checked
    # The command line, given the same text on disk, says the same at the same place.
    scene.write_text(typed, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "budapest56", "check", str(story), "--format", "json"],
                            capture_output=True, text=True, cwd=story.parent.parent, timeout=60)
    [f] = [f for f in json.loads(result.stdout)["findings"] if f["path"].endswith("/market.yaml")]
    assert (f["message"], f["hint"], f["code"]) == ("choice goes to unknown node 'stall'", "did you mean 'stalls'?",
                                                    d["code"])
    assert (f["line"] - 1, f["column"] - 1) == (d["range"]["start"]["line"], d["range"]["start"]["character"])
    # Fixed again in the buffer: the diagnostics are cleared.
    assert client.diagnostics(scene, client.change(scene, on_disk)) == []


def test_a_file_that_does_not_parse_gives_its_error_and_the_server_goes_on(client, story):
    scene = story / "market.yaml"
    text = scene.read_text(encoding="utf-8")
    client.open(scene)
    client.diagnostics(scene, 1)
    broken = text.replace("    place: The main door\n", "    place: The main door\n   oops: [\n", 1)
    [d] = client.diagnostics(scene, client.change(scene, broken))
    assert d["code"] == "yaml-syntax" and d["severity"] == 1
    assert d["message"] == ("YAML syntax: 'oops:' is indented 3 spaces, but the keys beside it 4 ('place:' on line 18)"
                            "\nhint: indent 'oops:' by 4 spaces, as 'place:' above it")
    assert d["range"] == span(18, 3, 7)  # at 'oops', the line that broke the list of nodes
    # Still answering: a definition in the transcript, from the last index of the parsed files.
    transcript = story / "transcripts" / "plaque.play.yaml"
    line, column = position_of(TRANSCRIPT, "node: gate", 7)
    assert client.at("textDocument/definition", transcript, line, column) == [
        {"uri": uri(scene), "range": span(3, 8, 12)}]


def test_a_duplicate_id_in_another_file_links_to_the_first(client, story):
    extra = story / "more.yaml"
    text = "chapter: morning\nnodes:\n  - id: gate\n    date: 1897\n    place: A second gate\n" \
           "    text: Again.\n    choices:\n      - {label: On, goto: stalls}\n"
    extra.write_text(text, encoding="utf-8")
    client.open(extra)
    found = client.diagnostics(extra, 1)
    [d] = [d for d in found if d["code"] == "duplicate-id"]
    first = f"{story.parent.name}/my-story/market.yaml:4:5"  # as check prints it, from where the server runs
    assert d["message"] == f"id 'gate' is already used\nhint: rename one of the two; the first is at {first}"
    assert d["range"] == span(2, 4, 12)  # the node's first line
    assert d["relatedInformation"] == [{"location": {"uri": uri(story / "market.yaml"), "range": span(3, 4, 4)},
                                        "message": "named here"}]


def test_a_file_outside_any_story_is_left_alone(client, story):
    loose = story.parent / "notes.yaml"
    loose.write_text("goto: somewhere\n", encoding="utf-8")
    client.open(loose)
    assert client.at("textDocument/completion", loose, 0, 6) is None
    assert client.at("textDocument/hover", loose, 0, 8) is None
    scene = story / "market.yaml"
    client.open(scene)
    assert client.diagnostics(scene, 1) == []
    published = []
    while not client.notes.empty():
        published.append(client.notes.get()["params"]["uri"])
    assert uri(loose) not in published


# -- completion ----------------------------------------------------------------------------------

def labels(client: Client, path: Path, text: str, needle: str, offset: int) -> list[str]:
    client.change(path, text)
    line, column = position_of(text, needle, offset)
    return [i["label"] for i in client.at("textDocument/completion", path, line, column)["items"]]


def test_completion_offers_the_ids_each_key_takes(client, story):
    scene = story / "market.yaml"
    text = scene.read_text(encoding="utf-8")
    client.open(scene)
    assert labels(client, scene, text, "goto: plaque", 6) == ["gate", "plaque", "stalls"]
    assert labels(client, scene, text, "unlock: [hall_opened]", 9) == ["hall_opened"]
    assert labels(client, scene, text, "chapter: morning", 9) == ["morning"]
    assert labels(client, scene, text, "{bought_paprika: true}", 1) == ["bought_paprika"]
    assert labels(client, scene, text, "if: bought_paprika", 4) == [
        "bought_paprika", "unlocked(…)", "visited(…)", "visits(…)"]
    typed = text.replace("if: bought_paprika", "if: bought_paprika and unlocked(ha", 1)
    assert labels(client, scene, typed, "unlocked(ha", 11) == ["hall_opened"]
    typed = text.replace("if: bought_paprika", "if: visited(", 1)
    assert labels(client, scene, typed, "visited(", 8) == ["gate", "plaque", "stalls"]
    typed = text.replace("    date: 1897\n    questions:", "    date: 1897\n    terms:\n      - \n    questions:", 1)
    assert labels(client, scene, typed, "terms:\n      - ", 15) == ["market_hall"]


def test_completion_replaces_the_word_being_typed(client, story):
    scene = story / "market.yaml"
    client.open(scene)
    client.diagnostics(scene, 1)  # the story has loaded once: its details are known from now on
    text = scene.read_text(encoding="utf-8").replace("goto: plaque", "goto: pla", 1)
    client.diagnostics(scene, client.change(scene, text))
    line, column = position_of(text, "goto: pla", 9)
    items = client.at("textDocument/completion", scene, line, column)["items"]
    plaque = next(i for i in items if i["label"] == "plaque")
    assert plaque["textEdit"] == {"range": span(line, 14, 17), "newText": "plaque"}
    assert plaque["detail"] == "node · 1897 · The main door"


def test_transcript_completion_knows_where_the_transcript_stands(client, story):
    transcript = story / "transcripts" / "plaque.play.yaml"
    client.open(transcript)
    client.diagnostics(transcript, 1)  # the story has loaded: its choices are known
    at_gate = TRANSCRIPT.replace('  - choose: "Read the plaque by the door"', "  - choose: ", 1)
    client.change(transcript, at_gate)
    line, column = position_of(at_gate, "choose: ", 8)
    items = client.at("textDocument/completion", transcript, line, column)["items"]
    assert [(i["label"], i["detail"], i["textEdit"]) for i in items] == [
        ("Read the plaque by the door", "choice 1 of gate → plaque",
         {"range": span(line, 12, 12), "newText": '"Read the plaque by the door"'}),
        ("Go straight to the paprika stalls", "choice 2 of gate → stalls",
         {"range": span(line, 12, 12), "newText": '"Go straight to the paprika stalls"'})]
    at_plaque = TRANSCRIPT.replace("  - choose: Go in\n    node: stalls\n", "  - choose: G\n", 1)
    assert labels(client, transcript, at_plaque, "choose: G", 9) == ["Go in"]
    at_ending = TRANSCRIPT + "  - choose: \n"
    assert labels(client, transcript, at_ending, "choose: \n", 8) == []  # stalls is an ending
    assert labels(client, transcript, TRANSCRIPT, "node: plaque", 6) == ["gate", "plaque", "stalls"]
    assert labels(client, transcript, TRANSCRIPT, "unlocked: [hall", 11) == ["hall_opened"]
    new_step = TRANSCRIPT + "  - \n"
    assert labels(client, transcript, new_step, "  - \n", 4) == [
        "choose", "do", "node", "text", "unlocked", "flags", "available", "unavailable", "ending"]
    undone = TRANSCRIPT + "  - do: undo\n  - choose: \n"
    assert labels(client, transcript, undone, "choose: \n", 8) == ["Go in"]


# -- definition, references, hover, rename -------------------------------------------------------

def test_definition_and_references_cross_files(client, story):
    scene, transcript = story / "market.yaml", story / "transcripts" / "plaque.play.yaml"
    client.open(scene)
    head = (story / "story.yaml").read_text(encoding="utf-8")
    line, column = position_of(head, "start: gate", 8)
    assert client.at("textDocument/definition", story / "story.yaml", line, column) == [
        {"uri": uri(scene), "range": span(3, 8, 12)}]
    text = scene.read_text(encoding="utf-8")
    line, column = position_of(text, "[hall_opened]", 1)
    found = client.at("textDocument/references", scene, line, column, context={"includeDeclaration": True})
    assert found == [{"uri": uri(scene), "range": span(19, 13, 24)},
                     {"uri": uri(scene), "range": span(36, 8, 19)},
                     {"uri": uri(transcript), "range": span(5, 15, 26)}]
    line, column = position_of(text, "if: bought_paprika", 5)
    assert client.at("textDocument/definition", scene, line, column) == [
        {"uri": uri(story / "story.yaml"), "range": span(18, 2, 16)}]


def test_hover_on_a_fact_shows_its_quote_and_the_source_sentence(client, story):
    scene = story / "market.yaml"
    client.open(scene)
    client.diagnostics(scene, 1)  # the story has loaded
    line, column = position_of(scene.read_text(encoding="utf-8"), "[hall_opened]", 4)
    hover = client.at("textDocument/hover", scene, line, column)
    assert hover["contents"] == {"kind": "markdown", "value": (
        "**The market hall opens** · 1897\n\n> The Great Market Hall opened in 1897.\n\n"
        "From *A note on the market hall* (source/market.txt):\n"
        "- line 1: The Great Market Hall opened in 1897.")}
    assert hover["range"] == span(19, 13, 24)


def test_rename_changes_every_use_in_every_file(client, story):
    scene, transcript = story / "market.yaml", story / "transcripts" / "plaque.play.yaml"
    client.open(scene)
    text = scene.read_text(encoding="utf-8")
    line, column = position_of(text, "id: stalls", 5)
    assert client.at("textDocument/prepareRename", scene, line, column) == span(line, 8, 14)
    edit = client.at("textDocument/rename", scene, line, column, newName="hall_floor")
    new = {"newText": "hall_floor"}
    assert edit == {"changes": {
        uri(scene): [{"range": span(12, 14, 20), **new}, {"range": span(22, 14, 20), **new},
                     {"range": span(24, 8, 14), **new}],
        uri(transcript): [{"range": span(7, 10, 16), **new}]}}
    with pytest.raises(ServerError, match="'Hall' cannot be an id: use lower-case letters, digits and _"):
        client.at("textDocument/rename", scene, line, column, newName="Hall")
    with pytest.raises(ServerError, match="there is already a node 'gate'"):
        client.at("textDocument/rename", scene, line, column, newName="gate")
    head = (story / "story.yaml").read_text(encoding="utf-8")
    flag_line, flag_column = position_of(head, "bought_paprika:", 2)
    (story / "story.yaml").write_text(head + "counters:\n  coins: {start: 3}\n", encoding="utf-8")
    with pytest.raises(ServerError, match="there is already a counter 'coins'"):
        client.at("textDocument/rename", story / "story.yaml", flag_line, flag_column, newName="coins")
    # A file that does not parse has only its last good map: no edits at stale places.
    client.change(scene, text.replace("    place: The main door\n", "    place: [The main door\n", 1))
    with pytest.raises(ServerError) as refused:
        client.at("textDocument/rename", scene, line, column, newName="hall_floor")
    assert str(refused.value) == "cannot rename while market.yaml does not parse; fix its YAML first"


def test_starting_budapest56_does_not_import_pygls(tmp_path):
    script = ("import sys\nfrom budapest56.cli import main\n"
              "main(['check'])\nprint('pygls' in sys.modules, 'lsprotocol' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "False False"


# -- the guide's editor settings start this server -----------------------------------------------

def guide_section() -> str:
    guide = (ROOT / "AUTHORING.md").read_text(encoding="utf-8")
    return guide.split("### The language server: `budapest56 lsp`", 1)[1].split("\n## ", 1)[0]


def test_the_editor_settings_in_authoring_md_start_the_server(story):
    import re

    section = guide_section()
    [vscode] = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", section, re.S)]
    neovim = re.findall(r"```lua\n(.*?)```", section, re.S)
    command = [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]]
    assert command == ["budapest56", "lsp"] and vscode["glspc.server.languageId"] == ["yaml"]
    assert len(neovim) == 2 and all("cmd = { 'budapest56', 'lsp' }" in b and "story.yaml" in b for b in neovim)
    # The command as the editor runs it: the installed console script, not `python -m`.
    script = shutil.which("budapest56", path=str(Path(sys.executable).parent))
    assert script is not None
    editor = Client(story.parent, command=[script, *command[1:]])
    try:
        scene = story / "market.yaml"
        editor.open(scene, scene.read_text(encoding="utf-8").replace("goto: plaque", "goto: plaques", 1))
        [d] = editor.diagnostics(scene, 1)
        assert d["message"] == "choice goes to unknown node 'plaques'\nhint: did you mean 'plaque'?"
    finally:
        assert editor.close() == 0


def test_columns_are_counted_as_the_editor_counts_them(client, story):
    """LSP counts UTF-16 units: an accented letter is one, an emoji two; YAML counts characters."""
    scene = story / "market.yaml"
    text = scene.read_text(encoding="utf-8").replace(
        "      - label: Go in\n        goto: stalls\n", '      - {label: "Fővám 🙂", goto: stall}\n', 1)
    client.open(scene, text)
    [d] = client.diagnostics(scene, 1)
    line, column = position_of(text, "goto: stall}", 6)
    assert column == 33 and d["range"] == span(line, 34, 39)  # 🙂 is two units: one column further


def test_closing_an_unsaved_document_checks_the_file_on_disk_again(client, story):
    scene = story / "market.yaml"
    client.open(scene, scene.read_text(encoding="utf-8").replace("goto: stalls", "goto: stall", 1))
    [d] = client.diagnostics(scene, 1)
    assert d["code"] == "dangling-target"
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri(scene)}})
    assert client.diagnostics(scene) == []  # the edit was never saved: the file on disk is clean


def test_a_broken_story_yaml_is_reported_in_story_yaml_while_a_scene_is_edited(client, story):
    head = story / "story.yaml"
    head.write_text(head.read_text(encoding="utf-8").replace("start: gate", "start: [gate", 1), encoding="utf-8")
    scene = story / "market.yaml"
    client.open(scene)
    assert client.diagnostics(scene, 1) == []  # the scene itself has nothing wrong
    found = client.diagnostics(head)
    # check says: my-story/story.yaml:5:7: error: YAML syntax: while parsing a flow sequence ...
    assert [(d["code"], d["message"], d["range"]["start"]) for d in found] == [
        ("yaml-syntax", "YAML syntax: while parsing a flow sequence did not find expected ',' or ']'",
         {"line": 4, "character": 6})]
    assert client.at("textDocument/completion", scene, *position_of(scene.read_text(encoding="utf-8"), "goto: plaque", 6))[
        "items"][0]["label"] == "gate"  # still answering, from the scene files' own ids


def test_a_file_changed_outside_the_editor_is_checked_again(client, story):
    [asked] = [r for r in client.requests if r["method"] == "client/registerCapability"]
    [registration] = asked["params"]["registrations"]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    assert registration["registerOptions"] == {"watchers": [{"globPattern": "**/*.{yaml,yml,txt}"}]}
    glossary = story / "glossary.yaml"
    glossary.write_text(GLOSSARY.replace("kind: place", "kind: plaice"), encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(glossary), "type": 2}]})
    [d] = client.diagnostics(glossary)
    assert (d["code"], d["range"]) == ("wrong-type", span(3, 10, 16))
    assert d["message"] == "'plaice' is not one of: person, organisation, place, term, word\nhint: did you mean 'place'?"
