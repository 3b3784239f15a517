"""How long a playthrough reads: the words counted are the words the screen shows."""
from __future__ import annotations

import json

from budapest56.cli import main
from budapest56.play.reading import Spread, playthroughs, words_read
from budapest56.story.loader import load_story
from conftest import write_story

# The tiny story (conftest), word by word, as plain mode prints it (marks such as "—" and "?"
# are not words; "1." is):
#   first screen  "A Tiny Story" 3 + "Type ? at any prompt for help: journal, timeline, saves, undo." 10 = 13
#   hall   heading "Chapter 1: The first chapter — 1945 — A hall" 8, "You stand in a hall." 5,
#          menu "1. Be brave" 3 + "2. Wait" 2                                                   = 18
#   yard   heading 8, "The yard is cold." 4 and "You hold your head high." 5 only when brave;
#          the fact it unlocks: "From the record: The war ends (1945)" 7 + summary 6 + quote 5,
#          then "Facts found: 1 of 1." 5; menu when brave "1. Go home" 3, "2. Look around (not
#          possible now)" 6, "3. Leave" 2; when not: "1. Look around" 3, "2. Leave" 2
#   home   heading 7, "You are home." 3, "THE END: Home again" 4, epilogue 2, "You found 1 of the
#          1 facts in this story." 10, "In all your games: …" 14, menu 6 + 2                     = 48
YARD = 8 + 4 + (7 + 6 + 5) + 5
BRAVE = 13 + 18 + (YARD + 5 + 3 + 6 + 2) + 48
WAITED = 13 + 18 + (YARD + 3 + 2) + 48


def test_a_playthrough_counts_the_text_labels_facts_and_epilogue_it_shows(tiny):
    story = load_story(tiny)
    assert (BRAVE, WAITED) == (130, 119)
    assert words_read(story, (0, 0)) == words_read(story, (0, 2)) == BRAVE
    assert words_read(story, (1, 1)) == words_read(story, (1, 2)) == WAITED


def test_random_playthroughs_give_the_spread_of_words_and_facts(tiny):
    reading = playthroughs(load_story(tiny), runs=200, seed=7)
    assert reading.runs == 200 and reading.seed == 7
    assert (reading.words.least, reading.words.most) == (WAITED, BRAVE)
    assert reading.facts == Spread(1, 1, 1)
    assert reading.minutes(99) == 0 and reading.minutes(BRAVE) == 1 and reading.minutes(6_700) == 34


def test_stats_prints_how_long_a_playthrough_reads(tiny, capsys):
    assert main(["stats", str(tiny), "--runs", "50"]) == 0
    assert capsys.readouterr().out.endswith(
        "words          19\n"
        "\n"
        "One playthrough (50 random runs, seed 1956):\n"
        f"  reads  {WAITED} to {BRAVE} words (median {WAITED}): about a minute at 200 words a minute\n"
        "  finds  1 to 1 of 1 facts (median 1)\n")
    assert main(["stats", str(tiny), "--runs", "50", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["playthrough"] == {
        "runs": 50, "seed": 1956, "words": {"least": WAITED, "median": WAITED, "most": BRAVE},
        "facts": {"least": 1, "median": 1, "most": 1},
        "words_per_minute": 200, "minutes": {"least": 1, "median": 1, "most": 1}}


def test_stats_says_so_when_no_random_playthrough_ends(tmp_path, capsys):
    stuck = write_story(tmp_path / "stuck", {"scene.yaml": """\
        chapter: one
        nodes:
          - id: hall
            date: 1946
            place: A hall
            text: The door is locked.
            choices:
              - label: Open the door
                goto: street
                if: brave
          - id: street
            date: 1946
            place: The street
            text: You are out.
            ending: {title: Out, epilogue: The end.}
        """})
    assert main(["stats", str(stuck), "--runs", "20"]) == 0
    assert capsys.readouterr().out.endswith(
        "\nNone of 20 random playthroughs reached an ending: 'budapest56 test --random' says why.\n")
