"""Saved games are never lost: versioned, atomic, and refused (moved aside, not deleted) when unusable."""
from __future__ import annotations

import json
import os

import pytest

from budapest56 import choose, load_story, start
from budapest56.errors import BadSaveName, NoSuchSave, SaveError
from budapest56.persist.saves import AUTOSAVE, UNDO_LIMIT, SaveFolder, check_name


@pytest.fixture
def folder(tiny, tmp_path) -> SaveFolder:
    return SaveFolder(tmp_path / "home", load_story(tiny))


def played(folder: SaveFolder):
    story = folder.story
    first = start(story)
    second = choose(story, first, 0)
    return first, second


def test_a_save_round_trips_state_and_undo_history(folder):
    first, second = played(folder)
    folder.write("mine", second, [first])
    saved = folder.read("mine")
    assert (saved.state, saved.history) == (second, (first,))
    data = json.loads(folder.path("mine").read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["story"], data["story_version"]) == ("budapest56-save", 1, "tiny", 1)
    assert data["state"]["node"] == "yard" and data["state"]["flags"] == ["brave"]


def test_the_undo_history_kept_in_a_save_is_bounded(folder):
    first, second = played(folder)
    folder.write("long", second, [first] * (UNDO_LIMIT + 50))
    assert len(folder.read("long").history) == UNDO_LIMIT


def test_a_save_that_fails_midway_leaves_the_previous_one_whole(folder, monkeypatch):
    first, second = played(folder)
    folder.write(AUTOSAVE, first, [])
    before = folder.path(AUTOSAVE).read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        folder.write(AUTOSAVE, second, [first])
    assert folder.path(AUTOSAVE).read_bytes() == before
    assert os.listdir(folder.folder) == ["autosave.json"]
    monkeypatch.undo()
    assert folder.read(AUTOSAVE).state == first


def test_ctrl_c_during_a_save_leaves_the_previous_one_whole(folder, monkeypatch):
    first, second = played(folder)
    folder.write(AUTOSAVE, first, [])

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        folder.write(AUTOSAVE, second, [first])
    monkeypatch.undo()
    assert folder.read(AUTOSAVE).state == first
    assert os.listdir(folder.folder) == ["autosave.json"]


def refused(folder: SaveFolder, name: str) -> str:
    with pytest.raises(SaveError) as e:
        folder.read(name)
    finding = e.value.findings[0]
    assert finding.code == "corrupt-file"
    assert not folder.path(name).exists()
    [aside] = [p for p in os.listdir(folder.folder) if p.startswith(f"{name}.json.corrupt-")]
    assert finding.hint == f"it was moved to {aside}; nothing was deleted"
    return finding.message


def test_a_truncated_save_is_refused_and_moved_aside(folder):
    first, second = played(folder)
    folder.write("cut", second, [first])
    text = folder.path("cut").read_text(encoding="utf-8")
    folder.path("cut").write_text(text[: len(text) // 2], encoding="utf-8")
    assert refused(folder, "cut").startswith("the save 'cut' cannot be used: it is not valid JSON (line ")


def test_a_save_of_another_story_is_refused(folder):
    first, _ = played(folder)
    folder.write("theirs", first, [])
    data = json.loads(folder.path("theirs").read_text(encoding="utf-8"))
    data["story"] = "other"
    folder.path("theirs").write_text(json.dumps(data), encoding="utf-8")
    assert refused(folder, "theirs") == ("the save 'theirs' cannot be used: it belongs to another story "
                                         "('other', not 'tiny')")


def test_a_save_pointing_at_a_node_that_no_longer_exists_is_refused(folder):
    first, second = played(folder)
    folder.write("old", second, [first])
    data = json.loads(folder.path("old").read_text(encoding="utf-8"))
    data["state"]["node"], data["story_version"] = "courtyard", 0
    folder.path("old").write_text(json.dumps(data), encoding="utf-8")
    assert refused(folder, "old") == (
        "the save 'old' cannot be used: the saved state names a node this story does not have: 'courtyard' "
        "(it was made with version 0 of the story; this is version 1)")


@pytest.mark.parametrize("content, reason", [
    ('{"format": "budapest56-save", "version": 9}', "it has format version 9; this game reads 1"),
    ('{"some": "thing"}', "it is not a budapest56 save"),
    ('[1, 2]', "it is not a budapest56 save"),
    (b"\xff\xfe", "it is not UTF-8 text"),
])
def test_foreign_and_future_files_are_refused(folder, content, reason):
    folder.folder.mkdir(parents=True)
    path = folder.path("odd")
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert refused(folder, "odd") == f"the save 'odd' cannot be used: {reason}"


def test_a_missing_save_says_so_without_moving_anything(folder):
    with pytest.raises(NoSuchSave) as e:
        folder.read("nothing")
    assert e.value.findings[0].message == "there is no save called 'nothing'"


@pytest.mark.parametrize("name", ["../escape", "a/b", "", ".hidden", "x" * 41, "with space"])
def test_save_names_cannot_be_paths(name):
    with pytest.raises(BadSaveName):
        check_name(name)


def test_save_names_may_use_any_alphabet():
    assert check_name("Mátyás_1956-ősz") == "Mátyás_1956-ősz"


def test_the_list_is_newest_first_and_names_unreadable_files(folder):
    first, second = played(folder)
    folder.write("a", first, [])
    folder.write("b", second, [first])
    data = json.loads(folder.path("b").read_text(encoding="utf-8"))
    data["saved_at"] = "2099-01-01T00:00:00"
    folder.path("b").write_text(json.dumps(data), encoding="utf-8")
    folder.path("broken").write_text("{", encoding="utf-8")
    listing = folder.list()
    assert [(s.name, s.node, s.problem) for s in listing[:2]] == [("b", "yard", ""), ("a", "hall", "")]
    assert ("broken", "cannot be read") in [(s.name, s.problem) for s in listing]
    assert folder.path("broken").exists()  # listing never moves files


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions that bind")
def test_an_unreadable_save_is_reported_and_left_alone(folder):
    first, _ = played(folder)
    folder.write("locked", first, [])
    folder.path("locked").chmod(0)
    with pytest.raises(SaveError) as e:
        folder.read("locked")
    assert e.value.findings[0].message.startswith("the save 'locked' cannot be read: Permission denied")
    assert folder.path("locked").exists()


def test_a_save_that_fails_to_open_is_reported_not_raised(folder, monkeypatch):
    first, _ = played(folder)
    folder.write("odd", first, [])

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("budapest56.persist.saves.read_json", refuse)
    with pytest.raises(SaveError) as e:
        folder.read("odd")
    assert e.value.findings[0].message == "the save 'odd' cannot be read: Permission denied"
    assert folder.path("odd").exists()
