"""`budapest56 new`: a story folder that checks clean, plays, and passes its tests as it stands."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from budapest56.authoring.schemas import schema_text
from budapest56.cli import main
from budapest56.story.format import json_schema


def run(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budapest56", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=60, check=False)


def test_new_writes_a_story_that_checks_clean(in_tmp, capsys):
    assert main(["new", "day"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wrote 8 files to day/:\n  story.yaml\n  october-23.yaml\n  source/notes.txt\n")
    assert out.endswith("next: budapest56 check day && budapest56 play day\n")
    assert main(["check", "day", "--strict"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("day: 7 nodes, 8 choices, 2 endings, 3 facts, 231 words\n"
                            "source coverage: 3/3 sentences quoted\nno problems found\n")
    assert captured.err == ""


def test_new_story_passes_the_exhaustive_proof_and_its_transcript(in_tmp, capsys):
    main(["new", "day"])
    capsys.readouterr()
    assert main(["test", "day", "--exhaustive"]) == 0
    out = capsys.readouterr().out
    assert "transcripts: 1 passed, 0 failed\n" in out
    assert "exhaustive: all 11 states searched: a proof\n" in out
    assert "unreached: 0 nodes, 0 choices, 0 facts, 0 terms, 0 endings\n" in out


def test_new_story_plays_to_an_ending(in_tmp):
    main(["new", "day"])
    # copy the demands, join the march, read them aloud, follow the crowd; then skip the review
    result = run("play", "day", "--plain", stdin="1\n1\n1\n1\n2\n", cwd=in_tmp)
    assert result.returncode == 0, result.stderr
    words = " ".join(result.stdout.split())  # lines wrap at the screen's width
    assert "Chapter 1: The demands — 23 October 1956 — A lecture hall at the Technical University" in words
    assert "The folded sheet of demands is warm in your pocket." in words
    assert "THE END: The boots on the plinth" in words
    assert "You found 3 of the 3 facts in this story." in words


def test_plain_pytest_in_the_new_folder_passes(in_tmp):
    main(["new", "day"])
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                            cwd=in_tmp / "day", capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout
    assert "2 passed" in result.stdout  # the transcript, and the story (check --strict, test --exhaustive)


def test_new_story_carries_the_editor_schemas(in_tmp):
    main(["new", "day"])
    for kind in ("scene", "story", "transcript"):
        path = in_tmp / "day" / "schema" / f"{kind}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(kind)
    assert json.loads((in_tmp / "day" / "schema" / "scene.schema.json").read_text(encoding="utf-8")) == json_schema()
    assert (in_tmp / "day" / "story.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=schema/story.schema.json\n")
    assert (in_tmp / "day" / "october-23.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=schema/scene.schema.json\n")
    assert (in_tmp / "day" / "transcripts" / "reading-the-demands.play.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/transcript.schema.json\n")


def test_new_refuses_a_folder_that_is_not_empty(in_tmp):
    (in_tmp / "day").mkdir()
    (in_tmp / "day" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("new", "day", cwd=in_tmp)
    assert result.returncode == 2
    assert result.stderr == ("budapest56 new: error: day is not empty; give a new folder's name, "
                             "or add a scene to a story with --scene NAME\n")
    assert (in_tmp / "day" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_new_scene_in_a_subfolder_points_its_modeline_at_the_schema(in_tmp, capsys):
    main(["new", "day"])
    assert main(["new", "day", "--scene", "chapters/radio"]) == 0
    assert capsys.readouterr().out.endswith("wrote day/chapters/radio.yaml\n")
    text = (in_tmp / "day" / "chapters" / "radio.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/scene.schema.json\n")
    assert "chapter: evening\nnodes:\n  - id: radio\n    date: 1956-10-23\n" in text
    # It loads; the one warning is the one its comment announces.
    assert main(["check", "day"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "day/chapters/radio.yaml:7:5: warning: node 'radio' cannot be reached from the start [unreachable-node]",
        "  hint: add a choice that goes to it, or remove it",
        "0 errors, 1 warning"]


def test_new_scene_refuses_to_overwrite_or_to_leave_the_story(in_tmp):
    main(["new", "day"])
    for args, message in [
        (("--scene", "october-23"), "day/october-23.yaml already exists; choose another name"),
        (("--scene", "../outside"), "give the scene file's path inside the story folder, not '../outside'"),
        (("--scene", "walk.play"), "'walk.play.yaml' would not be read as a scene file; choose another name"),
    ]:
        result = run("new", "day", *args, cwd=in_tmp)
        assert (result.returncode, result.stderr) == (2, f"budapest56 new: error: {message}\n")
    result = run("new", "elsewhere", "--scene", "radio", cwd=in_tmp)
    assert result.stderr == ("budapest56 new: error: elsewhere has no story.yaml; "
                             "run 'budapest56 new elsewhere' first to start a story there\n")


def test_authoring_md_shows_what_new_prints(in_tmp):
    guide = (Path(__file__).resolve().parent.parent / "AUTHORING.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```console\n(.*?)```", guide, re.DOTALL) if b.startswith("$ budapest56 new ")]
    for command, expected in re.findall(r"^\$ budapest56 (.*)\n((?:[^$].*\n)*)", block, re.MULTILINE):
        result = run(*command.split(), cwd=in_tmp)
        assert (result.returncode, result.stdout) == (0, expected), command
