"""Saves and the profile are never lost: atomic writes, corrupt files moved aside."""
from __future__ import annotations

import json
import os

import pytest

from budapest56.errors import ProfileError, SaveError
from budapest56.persist.profile import FILE, load_progress, save_progress
from budapest56.persist.storage import atomic_write_json, data_home, read_json


def test_data_home_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_HOME", str(tmp_path / "h"))
    assert data_home() == tmp_path / "h"
    monkeypatch.delenv("BUDAPEST56_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if os.name == "posix":
        assert data_home() == tmp_path / "xdg" / "budapest56"


def test_a_write_that_fails_midway_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "save.json"
    atomic_write_json(path, {"node": "cellar"})
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_json(path, {"node": "street"})
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["save.json"]  # no temporary file left behind


def test_ctrl_c_during_a_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "save.json"
    atomic_write_json(path, {"node": "cellar"})

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_json(path, {"node": "street"})
    assert json.loads(path.read_text()) == {"node": "cellar"}
    assert os.listdir(tmp_path) == ["save.json"]


def test_a_corrupt_file_is_moved_aside_with_a_clear_message(tmp_path):
    path = tmp_path / "save.json"
    path.write_text('{"node": "cel')
    with pytest.raises(SaveError) as e:
        read_json(path, "save 'autosave'", SaveError)
    finding = e.value.findings[0]
    assert finding.message == ("save 'autosave' cannot be used: it is not valid JSON "
                               "(line 1, column 10: Unterminated string starting at)")
    [aside] = os.listdir(tmp_path)
    assert aside.startswith("save.json.corrupt-")
    assert finding.hint == f"it was moved to {aside}; nothing was deleted"
    assert (tmp_path / aside).read_text() == '{"node": "cel'


def test_profile_keeps_progress_per_story(tmp_path):
    save_progress(tmp_path, load_progress(tmp_path, "one").found(["a", "b"]).ended("exile").played(90))
    save_progress(tmp_path, load_progress(tmp_path, "two").found(["z"]))
    save_progress(tmp_path, load_progress(tmp_path, "one").found(["b", "c"]))
    one = load_progress(tmp_path, "one")
    assert one.facts_found == ("a", "b", "c") and one.endings == ("exile",) and one.seconds_played == 90
    assert load_progress(tmp_path, "two").facts_found == ("z",)


def test_a_corrupt_profile_is_moved_aside_and_a_new_one_starts(tmp_path):
    (tmp_path / FILE).write_text(json.dumps({"format": "budapest56-profile", "version": 1,
                                             "stories": {"one": {"facts_found": "abc"}}}))
    with pytest.raises(ProfileError) as e:
        load_progress(tmp_path, "one")
    assert "story 'one' has a value of the wrong kind" in e.value.findings[0].message
    assert load_progress(tmp_path, "one").facts_found == ()
    save_progress(tmp_path, load_progress(tmp_path, "one").found(["a"]))
    assert sorted(p.split(".corrupt")[0] for p in os.listdir(tmp_path)) == ["profile.json", "profile.json"]
