"""`budapest56 stats` counts exactly the words plain mode prints: one rule for what a screen shows."""
from __future__ import annotations

import io

import pytest

from budapest56 import engine
from budapest56.analysis.explore import player_numbers, random_runs
from budapest56.persist.saves import SaveFolder
from budapest56.play.keeper import Keeper
from budapest56.play.opening import open_game
from budapest56.play.plain import PlainScreen
from budapest56.play.reading import count_words, word_counter, words_read
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story


def printed(story, home, numbers: list[int]) -> str:
    """What plain mode prints for a playthrough typed as these numbers, prompts and answers aside."""
    answers = iter(f"{n}\n" for n in numbers)
    out = io.StringIO()
    screen = PlainScreen(lambda: next(answers, None), out, echo=True)
    opened = open_game(story, screen, SaveFolder(home, story), engine.start(story), False, "budapest56 --continue")
    assert opened is not None
    session, unlocked = opened
    session.run(unlocked)
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("Saved. Goodbye!")  # the answer to the end of input, like an echo
    return "\n".join(line for line in lines[:-1] if not line.startswith("> "))


def test_stats_counts_the_words_plain_mode_prints(tmp_path, monkeypatch):
    # 9,000 moves: the files they write are tested elsewhere; here only the words matter.
    monkeypatch.setattr(Keeper, "autosave", lambda self, state, history: True)
    story = load_story(bundled_story())
    ends: list[engine.State] = []
    random_runs(story, 200, 56, finished=ends.append)
    assert len(ends) == 200
    count = word_counter()
    for n, end in enumerate(ends):
        text = printed(story, tmp_path / str(n), player_numbers(story, end.path))
        assert "THE END:" in text
        assert count_words(text) == words_read(story, end.path, count), f"run {n}: {end.path}"


@pytest.mark.parametrize("path", [(0, 0), (1, 2)])
def test_the_tiny_story_reads_as_many_words_as_it_prints(tiny, tmp_path, path):
    story = load_story(tiny)
    text = printed(story, tmp_path, player_numbers(story, path))
    assert count_words(text) == words_read(story, path)
