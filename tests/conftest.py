"""Shared helpers: small stories written into a temporary folder, one file per scene."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from budapest56.errors import Finding

pytest_plugins = ["pytester"]

SOURCE = """\
A Tiny Source

The war ended in 1945. The city was rebuilt slowly. In 1949 a new state was declared.
"""

STORY = """\
id: tiny
title: A Tiny Story
version: 1
start: hall
period: {from: 1945, to: 1956-11-10}
sources:
  - {id: src, title: A tiny source, publisher: the budapest56 tests, url: "https://example.org/tiny",
     licence: CC0 1.0, retrieved: 2026-11-26, changes: none,
    file: source.txt}
chapters:
  - id: one
    title: The first chapter
  - id: two
    title: The second chapter
flags:
  brave: You were brave.
counters:
  courage: {start: 1, about: How brave you feel.}
"""

SCENE = """\
chapter: one
nodes:
  - id: hall
    date: 1945
    place: A hall
    text: You stand in a hall.
    choices:
      - label: Be brave
        goto: yard
        set: {brave: true}
        add: {courage: 2}
      - label: Wait
        goto: yard
  - id: yard
    date: 1949
    place: A yard
    text:
      - The yard is cold.
      - if: brave
        text: You hold your head high.
    unlock: [war_ended]
    choices:
      - label: Go home
        goto: home
        if: brave and courage >= 3
      - label: Look around
        goto: home
        locked: show
        if: not brave
      - label: Leave
        goto: home
  - id: home
    chapter: two
    date: 1949
    place: Home
    text: You are home.
    ending:
      title: Home again
      epilogue: The end.
facts:
  - id: war_ended
    title: The war ends
    summary: The war was over in 1945.
    quote: The war ended in 1945.
    date: 1945
"""


def write_story(root: Path, scenes: dict[str, str] | None = None, story: str = STORY,
                source: str = SOURCE) -> Path:
    """Write a story folder; `scenes` maps file names to YAML (dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(textwrap.dedent(story), encoding="utf-8")
    (root / "source.txt").write_text(source, encoding="utf-8")
    for name, text in (scenes if scenes is not None else {"scene.yaml": SCENE}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_story(tmp_path / "tiny")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the temporary folder as the working directory, so paths print short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def private_data_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test, and no program a test starts, may touch the real player's saves and profile, or
    their cache of loaded stories."""
    home = tmp_path_factory.mktemp("budapest56-home")
    monkeypatch.setenv("BUDAPEST56_HOME", str(home))
    monkeypatch.setenv("BUDAPEST56_CACHE", str(tmp_path_factory.mktemp("budapest56-cache")))
    return home


def besides_the_seam(findings: list[Finding]) -> list[Finding]:
    """The findings but the tiny story's own seam: every choice of 'yard' leaves chapter one, so
    once a fact has a question, each one leads straight into the review (decision-into-review).
    For tests about something else."""
    return [f for f in findings if f.code != "decision-into-review"]
