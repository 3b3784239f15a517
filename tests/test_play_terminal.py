"""The prompt_toolkit game, driven through a pipe as if keys were typed."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from budapest56 import load_story, start
from budapest56.engine import State
from budapest56.persist.saves import AUTOSAVE, SaveFolder
from budapest56.play.opening import open_game
from budapest56.play.session import Session
from budapest56.play.terminal import TerminalScreen

TUTORIAL = Path(__file__).resolve().parent / "stories" / "tutorial"


def play(keys: str, home: Path, story_dir: Path = TUTORIAL, output=None, width: int | None = None,
         interlude=None) -> Session:
    story = load_story(story_dir)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output or DummyOutput()):
        pipe.send_text(keys)
        pipe.close()  # the end of input: like a closed terminal, it ends the game
        screen = TerminalScreen(width=width)
        session = Session(story, screen, SaveFolder(home, story), start(story))
        if interlude:
            session.interlude = interlude(session)
        assert session.run() == 0
    return session


def saved_node(home: Path, story_id: str = "market_day") -> str:
    story = load_story(TUTORIAL) if story_id == "market_day" else None
    assert story is not None
    return SaveFolder(home, story).read(AUTOSAVE).state.node


def test_a_number_and_enter_picks_that_choice(tmp_path):
    session = play("2\r", tmp_path)  # the input then ends: the game saves and leaves
    assert session.state.node == "stalls"
    assert saved_node(tmp_path) == "stalls"


def test_arrow_down_and_enter_picks_the_next_choice(tmp_path):
    assert play("\x1b[B\r", tmp_path).state.node == "stalls"
    assert play("\x1b[B\x1b[A\r", tmp_path / "2").state.node == "plaque"


def test_enter_alone_picks_the_highlighted_first_choice(tmp_path):
    assert play("\r\r", tmp_path).state.node == "stalls"


def test_commands_are_typed_at_the_same_prompt(tmp_path):
    session = play("1\rjournal\rundo\rundo\r2\r", tmp_path)
    assert session.state.node == "stalls"
    assert [s.node for s in session.history] == ["gate"]


@pytest.mark.parametrize("key", ["\x03", "\x04"])
def test_ctrl_c_and_ctrl_d_save_and_leave(tmp_path, key):
    session = play("1\r" + key + "1\r", tmp_path)
    assert session.state.node == "plaque"  # nothing after the key was played
    assert saved_node(tmp_path) == "plaque"


def test_at_an_ending_the_menu_offers_to_play_again(tmp_path):
    session = play("2\r1\r", tmp_path)
    assert session.state.node == "gate" and [s.node for s in session.history] == ["gate", "stalls"]


def test_the_interlude_asks_through_the_terminal(tmp_path):
    answers = []

    def interlude(session):
        def ask(finished: str, state: State) -> None:
            answers.append(session.screen.ask("When did the hall open?", ["1867", "1897", "1920"]))
        return ask

    play("2\r\x1b[B\r2\r", tmp_path, interlude=interlude)  # the ending's interlude: arrow down, Enter
    assert answers == [1]
    answers.clear()
    play("2\r3\r2\r", tmp_path / "2", interlude=interlude)
    assert answers == [2]


def visible(keys: str, home: Path, width: int = 60) -> str:
    """What a terminal would show, escape codes removed."""
    out = io.StringIO()
    output = Vt100_Output(out, lambda: Size(rows=30, columns=80), term="xterm-256color")
    play(keys, home, output=output, width=width)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r", "", out.getvalue()), out.getvalue()


def test_the_screen_shows_header_facts_choices_and_toolbar(tmp_path):
    text, raw = visible("1\r", tmp_path)
    # Under the chapter's heading the place line does not name the chapter again; later scenes do.
    assert "CHAPTER 1: MORNING\n\n1897 — Fővám Square\n───" in text
    assert "Chapter 1 · 1897 — The main door\n───" in text
    assert "From the record: The market hall opens (1897)" in text
    assert "│ “The Great Market Hall opened in 1897.”" in text
    assert "❯ 1. Read the plaque by the door" in text
    assert "› 1. Read the plaque by the door" in text  # the pick stays in the scrollback
    assert re.search(r"\x1b\[[0-9;]*38;[25];", raw)  # coloured by default


def test_no_color_gives_a_monochrome_screen(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    text, raw = visible("1\r", tmp_path)
    assert "From the record: The market hall opens (1897)" in text
    assert not re.search(r"\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|38;|48;)[0-9;]*m", raw)


def test_text_is_wrapped_to_the_width(tmp_path):
    text, _ = visible("2\r", tmp_path, width=24)
    assert "The hall is louder than\nany street you know." in text


def test_a_new_game_can_continue_the_one_in_progress(tmp_path):
    play("1\r", tmp_path)
    story = load_story(TUTORIAL)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("\r")  # "Continue it" is highlighted first
        pipe.close()
        opened = open_game(story, TerminalScreen(), SaveFolder(tmp_path, story), start(story), False, "x")
    assert opened is not None and opened[0].state.node == "plaque"


def test_questions_at_a_chapter_end_show_the_chapter_just_finished(tmp_path, tiny):
    bars = []

    def interlude(session):
        return lambda finished, state: bars.append((finished, state.node, session.screen._toolbar))

    play("1\r1\r", tmp_path, story_dir=tiny, interlude=interlude)  # brave, then home: chapter two
    assert bars == [("one", "home", " 1949 — A yard  ·  facts found: 1/1 "),   # the review of chapter one
                    ("two", "home", " 1949 — Home  ·  facts found: 1/1 ")]     # the ending's


def test_questions_at_an_ending_show_the_ending_in_the_status_bar(tmp_path):
    bars = []

    def interlude(session):
        return lambda finished, state: bars.append(session.screen._toolbar)

    play("1\r1\r", tmp_path, interlude=interlude)
    assert bars == [" 1897 — Under the glass roof  ·  facts found: 1/1 "]
