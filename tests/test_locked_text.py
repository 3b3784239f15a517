"""A locked choice can say why, in both front ends, and check warns about a reason never shown."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from budapest56.analysis.lint import check
from conftest import SCENE, write_story
from test_play_terminal import play as play_terminal

LOCKED_SCENE = SCENE.replace("""      - label: Look around
        goto: home
        locked: show
        if: not brave""", """      - label: Look around
        goto: home
        locked_text: the guard is watching you now
        if: not brave""")


def story(tmp_path):
    assert LOCKED_SCENE != SCENE
    return write_story(tmp_path / "locked", {"scene.yaml": LOCKED_SCENE})


def test_plain_mode_shows_the_reason_beside_the_choice_and_when_it_is_picked(tmp_path):
    env = {**os.environ, "BUDAPEST56_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-m", "budapest56", "play", str(story(tmp_path)), "--from", "yard",
                          "--set", "brave=true", "--set", "courage=4"], input="2\n", capture_output=True,
                         text=True, env=env, timeout=60).stdout
    assert "  1. Go home\n  2. Look around (the guard is watching you now)\n  3. Leave\n" in out
    assert "“Look around”: the guard is watching you now" in out


def test_the_terminal_shows_the_reason_dimmed(tmp_path):
    import io

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    out = io.StringIO()
    output = Vt100_Output(out, lambda: Size(rows=30, columns=80), term="xterm-256color")
    # brave, so 'Look around' is locked at the yard; then pick it
    play_terminal("1\r\x1b[B\r", tmp_path / "home", story_dir=story(tmp_path), output=output)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r", "", out.getvalue())
    assert "2. Look around (the guard is watching you now)" in text
    assert "“Look around”: the guard is watching you now" in text


def test_check_warns_about_a_reason_for_a_choice_that_is_never_locked(tmp_path):
    unlocked = LOCKED_SCENE.replace("        if: not brave\n", "", 1)
    report = check(str(write_story(tmp_path / "never", {"scene.yaml": unlocked})))
    [finding] = [f for f in report.findings if f.code == "locked-text-unused"]
    assert (finding.loc.line, finding.message) == (
        26, "choice 'Look around' has a 'locked_text' but no 'if:', so it is never locked")
