"""The game loop without a process: the learning layer's interlude hook and the Screen interface."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from budapest56 import load_story, start
from budapest56.engine import State
from budapest56.persist.saves import AUTOSAVE, SaveFolder
from budapest56.play.plain import PlainScreen
from budapest56.play.session import Quit, Session


def session_for(tiny: Path, home: Path, answers: list[str]) -> tuple[Session, io.StringIO]:
    story = load_story(tiny)
    lines = iter(answers)
    out = io.StringIO()
    screen = PlainScreen(lambda: next(lines, None), out, width=60, echo=True)
    return Session(story, screen, SaveFolder(home, story), start(story)), out


def test_the_interlude_runs_between_chapters_and_at_the_ending(tiny, tmp_path):
    session, out = session_for(tiny, tmp_path / "home", ["1", "1"])
    calls: list[tuple[str, str, str]] = []

    def interlude(finished: str, state: State) -> None:
        # By now the move is autosaved and the screen shows what came before.
        saved = session.saves.read(AUTOSAVE).state
        calls.append((finished, state.node, saved.node))
        session.screen.show(f"[review of {finished}]")

    session.interlude = interlude
    assert session.run() == 0
    # hall and yard are chapter one; home is chapter two and an ending.
    assert calls == [("one", "home", "home"), ("two", "home", "home")]
    text = out.getvalue()
    assert text.index("[review of one]") < text.index("THE END: Home again") < text.index("[review of two]")


def test_a_question_through_the_screen_interface(tiny, tmp_path):
    session, out = session_for(tiny, tmp_path / "home", ["1", "1", "x", "3", ""])
    answers = []

    def quiz(finished: str, state: State) -> None:
        if finished != "one":
            return
        answers.append(session.screen.ask("When did the war end?", ["1944", "1945", "1946"]))
        answers.append(session.screen.ask("Skip me?", ["yes", "no"]))

    session.interlude = quiz
    session.run()
    assert answers == [2, None]  # 'x' was not a number; '3' picked the third; '' skipped
    assert "When did the war end?\n  1. 1944\n  2. 1945\n  3. 1946\n> x\n" in out.getvalue()
    assert "Type a number from 1 to 3, or press Enter to skip." in out.getvalue()


def test_leaving_during_an_interlude_saves_and_says_goodbye(tiny, tmp_path):
    session, out = session_for(tiny, tmp_path / "home", ["1", "1"])

    def quiz(finished: str, state: State) -> None:
        session.screen.ask("A question nobody answers", ["a", "b"])  # the input ends here: Quit

    session.interlude = quiz
    assert session.run() == 0
    assert out.getvalue().endswith("Saved. Goodbye! ('budapest56 --continue' picks up where you\nleft off.)\n")
    assert session.saves.read(AUTOSAVE).state.node == "home"


def test_the_plain_screen_raises_quit_at_the_end_of_input():
    screen = PlainScreen(lambda: None, io.StringIO())
    with pytest.raises(Quit):
        screen.ask("Anything?", ["a"])


def test_a_failing_disk_is_reported_once_and_the_game_goes_on(tiny, tmp_path, monkeypatch):
    session, out = session_for(tiny, tmp_path / "home", ["1", "1"])

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("budapest56.persist.saves.atomic_write_json", full)
    monkeypatch.setattr("budapest56.play.keeper.save_progress", full)
    assert session.run() == 0
    text = out.getvalue()
    flat = " ".join(text.split())  # messages wrap at the screen's width
    assert flat.count(f"Could not save the game in {session.saves.folder}: No space left on device. "
                      "You can play on, but this game cannot be continued later.") == 1
    assert text.count("Could not update your profile: No space left on device.") == 1
    assert "THE END: Home again" in text
    assert text.endswith("\nGoodbye!\n")  # not "Saved."


def test_the_opening_runs_once_the_first_scene_of_a_chapter_is_read(tmp_path):
    from conftest import SCENE, write_story

    # A second scene in chapter two, so the player takes a choice inside it.
    scene = SCENE.replace("    ending:\n      title: Home again\n      epilogue: The end.\n",
                          "    choices: [{label: Sleep, goto: bed}]\n"
                          "  - id: bed\n    chapter: two\n    date: 1949\n    place: Bed\n    text: Sleep.\n"
                          "    ending: {title: Asleep, epilogue: The end.}\n")
    root = write_story(tmp_path / "s", {"scene.yaml": scene})
    session, out = session_for(root, tmp_path / "home", ["2", "2", "1"])
    calls: list[tuple[str, str]] = []
    session.opening = lambda chapter, state: calls.append((chapter, state.node))
    session.run()
    # hall -> yard: the story's first scene has no chapter before it to bring questions back from;
    # yard -> home crosses into chapter two; home -> bed is the first choice inside it.
    assert calls == [("two", "bed")]
    assert "THE END: Asleep" in out.getvalue()
