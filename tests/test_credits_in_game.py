"""The record's attribution and what the story leaves out, in the game itself, in both front ends."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from budapest56 import load_story, start
from budapest56.persist.profile import Progress, save_progress
from budapest56.persist.saves import SaveFolder
from budapest56.play.session import Session
from budapest56.play.terminal import TerminalScreen
from budapest56.story.bundled import bundled_story


def plain(home, *args: str, stdin: str) -> str:
    save_progress(home, Progress("budapest56", settings={"skip_reviews": True}))
    result = subprocess.run([sys.executable, "-m", "budapest56", "play", "--plain", "--width", "100", *args],
                            input=stdin, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "BUDAPEST56_HOME": str(home)})
    assert result.returncode == 0 and result.stderr == ""
    return result.stdout


def test_credits_in_plain_mode_name_the_source_and_its_licence(tmp_path):
    out = plain(tmp_path, stdin="credits\nquit\n")
    assert "Credits — The House on the Gallery: Budapest, 1945–1956" in out
    assert "Published by: Simple English Wikipedia" in out
    assert "Licence:      CC BY-SA 4.0" in out
    assert "https://simple.wikipedia.org/wiki/Hungarian_Revolution_of_1956" in out


def test_the_ending_points_to_what_the_story_leaves_out_and_the_page_opens_from_there(tmp_path):
    out = plain(tmp_path, "--from", "c8_end_austria", stdin="left-out\n2\n")
    ending = out.index("THE END:")
    hint = out.index("Type 'left-out' to read what this story leaves out, and 'credits' for its source.")
    page = out.index("What this story leaves out\n\nIn the authors' words, not the source's")
    assert ending < hint < page
    for title in ("Hungary in the Second World War", "Neutrality and the Warsaw Pact, 1 November 1956",
                  "János Kádár's government", "The trial and execution of Imre Nagy", "Suez and the United Nations"):
        assert f"\n{title}\n" in out


def test_credits_on_the_terminal_screen(tmp_path):
    story = load_story(bundled_story())
    out = io.StringIO()
    output = Vt100_Output(out, lambda: Size(rows=30, columns=100), term="xterm-256color")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text("credits\r")
        pipe.close()
        Session(story, TerminalScreen(), SaveFolder(tmp_path, story), start(story)).run()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r", "", out.getvalue())
    assert "Published by: Simple English Wikipedia" in text and "Licence:      CC BY-SA 4.0" in text
