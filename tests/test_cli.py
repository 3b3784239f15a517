"""The command line as a user meets it: commands, exit codes, the tutorial in AUTHORING.md."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from budapest56.cli import main
from budapest56.story.format import json_schema
from conftest import write_story

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budapest56", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def test_unknown_command_is_a_usage_error_with_a_suggestion():
    result = run("chek")
    assert result.returncode == 2
    assert result.stderr == ("budapest56: unknown command 'chek'; did you mean 'check'?\n"
                             "run 'budapest56 --help' to see the commands\n")


def test_missing_path_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr == f"budapest56 check: error: no such file or folder: {tmp_path / 'nowhere'}\n"


def test_bad_option_is_a_usage_error():
    result = run("check", "--format", "xml")
    assert result.returncode == 2
    assert "argument --format: invalid choice: 'xml'" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("play", "check", "facts", "stats", "schema"):
        assert re.search(rf"^  {name} +\w", out, re.M)


def test_stats_and_facts_as_json(tiny, capsys):
    assert main(["stats", str(tiny), "--format", "json", "--runs", "0"]) == 0
    assert json.loads(capsys.readouterr().out) == {"nodes": 3, "choices": 5, "endings": 1, "facts": 1,
                                                   "chapters": 2, "words": 19, "playthrough": None}
    assert main(["facts", str(tiny), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{
        "id": "war_ended", "title": "The war ends", "summary": "The war was over in 1945.",
        "quote": "The war ended in 1945.", "dropped": [], "date": "1945", "chapter": "one", "terms": [], "questions": []}]


def test_a_broken_story_gives_readable_errors_everywhere(in_tmp):
    write_story(in_tmp / "s", {"scene.yaml": "nodes: [\n"})
    for command in ("check", "stats", "facts", "play"):
        result = run(command, "s", cwd=in_tmp)
        assert result.returncode == 1, command
        assert result.stderr.startswith("s/scene.yaml:2:1: error: YAML syntax:"), (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_schema_ships_and_matches_the_committed_copies(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema("scene")
    assert printed["properties"]["nodes"]["items"] == {"$ref": "#/definitions/node"}
    assert "choises" not in printed["definitions"]["node"]["properties"]
    for kind in ("scene", "story"):
        committed = json.loads((ROOT / "scenes" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert committed == json_schema(kind), f"run: budapest56 schema {kind} > scenes/schema/{kind}.schema.json"


def test_play_plain_through_a_pipe(tiny):
    result = run("play", str(tiny), "--plain", "--width", "60", stdin="1\n1\n")
    assert result.returncode == 0, result.stderr
    assert "Chapter 1: The first chapter — 1945 — A hall" in result.stdout
    assert "  1. Be brave\n  2. Wait\n> " in result.stdout
    assert "From the record: The war ends (1945)" in result.stdout
    assert "THE END: Home again" in result.stdout
    assert "\x1b" not in result.stdout


def test_play_from_a_node_with_flags(tiny):
    result = run("play", str(tiny), "--plain", "--from", "yard", "--set", "brave=true", "--set", "courage=4",
                 stdin="")
    assert result.returncode == 0, result.stderr
    assert "You hold your head high." in result.stdout
    assert "  1. Go home\n  2. Look around (not possible now)\n  3. Leave\n" in result.stdout
    bad = run("play", str(tiny), "--plain", "--set", "brave")
    assert bad.returncode == 2 and bad.stderr == "budapest56 play: error: --set takes NAME=VALUE, not 'brave'\n"


# -- the tutorial in AUTHORING.md is true -------------------------------------------------------

def authoring_blocks() -> list[tuple[str, str]]:
    return re.findall(r"```(\w+)\n(.*?)```", (ROOT / "AUTHORING.md").read_text(encoding="utf-8"), re.S)


def test_authoring_tutorial_matches_the_tested_copy():
    blocks = authoring_blocks()
    tutorial = ROOT / "tests" / "stories" / "tutorial"
    assert next(b for k, b in blocks if k == "text") == (tutorial / "source" / "market.txt").read_text(encoding="utf-8")
    yamls = [b for k, b in blocks if k == "yaml"]
    assert yamls[0] == (tutorial / "story.yaml").read_text(encoding="utf-8")
    assert yamls[1] == (tutorial / "market.yaml").read_text(encoding="utf-8")


def test_authoring_console_sessions_print_what_the_guide_says(tmp_path):
    shutil.copytree(ROOT / "tests" / "stories" / "tutorial", tmp_path / "my-story")
    sessions = [b for k, b in authoring_blocks() if k == "console" and b.startswith("$ budapest56 check my-story")]
    clean, broken = sessions[0], sessions[1]
    expected = clean.split("$ budapest56 play")[0].split("\n", 1)[1]
    assert run("check", "my-story", cwd=tmp_path).stdout == expected
    scene = tmp_path / "my-story" / "market.yaml"
    scene.write_text(scene.read_text(encoding="utf-8").replace("goto: stalls", "goto: stall", 1), encoding="utf-8")
    result = run("check", "my-story", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == broken.split("\n", 1)[1]


def test_authoring_stats_example_is_what_stats_prints_for_the_bundled_story():
    [example] = [b for k, b in authoring_blocks() if k == "console" and b.startswith("$ budapest56 stats\n")]
    tail = example.split("…\n", 1)[1]
    out = run("stats").stdout
    assert out.endswith(tail), f"AUTHORING.md's stats example is out of date; budapest56 stats now ends:\n{out[-len(tail) - 40:]}"


def test_check_never_imports_the_terminal_ui(tiny):
    script = ("import sys\nfrom budapest56.cli import main\nimport budapest56\n"
              f"code = main(['check', {str(tiny)!r}])\n"
              "print(code, 'prompt_toolkit' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "0 False"
