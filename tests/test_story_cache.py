"""The story cache: the game reads back exactly the story its files make, and never a stale one."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from budapest56 import engine
from budapest56.errors import StoryError
from budapest56.persist import story_cache
from budapest56.persist.story_cache import load_cached
from budapest56.story import loader
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story
from budapest56.story.model import Story
from conftest import SCENE, write_story


def _files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def _from_cache_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any load from the files fail, so a story returned must have come from the cache."""
    def refuse(*args: object, **kwargs: object) -> Story:
        raise AssertionError("loaded from the files, not the cache")

    monkeypatch.setattr(loader, "load_story", refuse)


def _playthroughs(story: Story, runs: int = 200) -> list[tuple[str, ...]]:
    """Seeded random playthroughs through the engine: the conditions must decide alike."""
    out = []
    for seed in range(runs):
        rng, state = random.Random(seed), engine.start(story)
        for _ in range(200):
            open_ = engine.available(story, state)
            if not open_:
                break
            state = engine.choose(story, state, rng.choice(open_))
        out.append((*state.trail, *sorted(state.flags), *map(str, state.counters), *state.facts))
    return out


def test_the_bundled_story_reads_back_equal_and_plays_alike(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = bundled_story()
    fresh = load_story(folder)
    first = load_cached(folder)  # a miss: loaded from the files, then cached
    assert first == fresh
    assert len(_files(tmp_path / "cache")) == 1
    _from_cache_only(monkeypatch)
    cached = load_cached(folder)
    assert cached == fresh
    assert [s.index for s in cached.sources.values()] == [s.index for s in fresh.sources.values()]
    assert _playthroughs(cached) == _playthroughs(fresh)


def test_a_changed_scene_is_read_from_its_file(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "tiny")
    assert load_cached(folder).nodes["hall"].place == "A hall"
    (folder / "scene.yaml").write_text(SCENE.replace("place: A hall", "place: A great hall"), encoding="utf-8")
    assert load_cached(folder).nodes["hall"].place == "A great hall"


def test_a_new_scene_file_is_seen(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "tiny")
    load_cached(folder)
    (folder / "more.yaml").write_text("nodes: 3\n", encoding="utf-8")
    with pytest.raises(StoryError, match=r"more\.yaml"):
        load_cached(folder)


def test_a_new_yml_scene_file_is_seen(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "tiny")
    load_cached(folder)
    (folder / "more.yml").write_text("nodes: 3\n", encoding="utf-8")
    with pytest.raises(StoryError, match=r"more\.yml"):
        load_cached(folder)


def test_a_changed_source_is_read_from_its_file(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "tiny")
    load_cached(folder)
    source = folder / "source.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("ended in 1945", "ended in 1946"), encoding="utf-8")
    with pytest.raises(StoryError, match="quote"):
        load_cached(folder)


@pytest.mark.parametrize("damage", ["cut", "flipped", "not json", "empty"])
def test_a_damaged_cache_file_is_replaced(monkeypatch, tmp_path, damage):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "tiny")
    good = load_cached(folder)
    (path,) = _files(tmp_path / "cache")
    data = path.read_bytes()
    broken = {"cut": data[: len(data) // 2], "flipped": data.replace(b"A hall", b"A hell"),
              "not json": b"\x80\x04pickle?\n" + data, "empty": b""}[damage]
    path.write_bytes(broken)
    assert load_cached(folder) == good
    assert path.read_bytes() == data  # written again, whole


def test_the_file_is_json_naming_only_the_models_classes(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    load_cached(write_story(tmp_path / "tiny"))
    (path,) = _files(tmp_path / "cache")
    head_line, payload = path.read_bytes().split(b"\n", 1)
    head = json.loads(head_line)
    assert head["format"] == story_cache.FORMAT and head["sources"] == ["source.txt"]
    tags: set[str] = set()
    json.loads(payload, object_hook=lambda d: tags.update(d) or d)
    assert tags <= {"t", "f", "d", *story_cache._CLASSES}
    assert {"Story", "Node", "Choice", "Condition", "Loc"} <= tags


def test_a_file_naming_another_class_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "tiny")
    load_cached(folder)
    (path,) = _files(tmp_path / "cache")
    head_line, payload = path.read_bytes().split(b"\n", 1)
    assert story_cache._read(path, folder) is not None
    evil = payload.replace(b'{"Ending":', b'{"Popen":', 1)
    head = json.loads(head_line)
    head["payload"] = story_cache._digest(evil, story_cache._canonical(head["names"]))
    path.write_bytes(json.dumps(head).encode() + b"\n" + evil)
    assert story_cache._read(path, folder) is None


def test_an_empty_variable_turns_the_cache_off(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert load_cached(write_story(tmp_path / "tiny")).id == "tiny"
    assert not any(tmp_path.rglob("*.json"))


def test_another_working_directory_gets_its_own_paths(monkeypatch, tmp_path):
    """Locations print relative to where the player stands; a cached story keeps that true."""
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "tiny")
    monkeypatch.chdir(tmp_path)
    assert str(load_cached(folder.resolve()).nodes["hall"].loc).startswith("tiny/scene.yaml:")
    monkeypatch.chdir(folder)
    assert str(load_cached(folder.resolve()).nodes["hall"].loc).startswith("scene.yaml:")


def test_old_entries_are_removed(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path / "cache"))
    for n in range(story_cache.KEEP + 3):
        load_cached(write_story(tmp_path / f"story{n}"))
    assert len(_files(tmp_path / "cache")) == story_cache.KEEP
