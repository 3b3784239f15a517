"""Start a story: a small, complete example folder an author edits, or one more scene file.

    new_story(folder)        story.yaml, one scene file, a source, the editor schemas and a
                             transcript: it checks clean, plays to two endings and passes
                             `budapest56 test --exhaustive` and `pytest` as it stands
    new_scene(folder, name)  a scene file skeleton in an existing story, with its modeline
                             pointing at the story's schema/ from whatever subfolder it is in

Both refuse to overwrite anything: an author's words are never lost to a typo on the command line.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..errors import StoryError, UsageError
from ..story.loader import STORY_FILE, display_path, load_story
from .schemas import KINDS, SCHEMA_DIR, modeline, schema_text


def new_story(folder: Path) -> list[Path]:
    """Write the example story into `folder` (absent or empty); the files written, in order."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{display_path(folder)} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{display_path(folder)} is not empty; give a new folder's name, "
                       f"or add a scene to a story with --scene NAME")
    story_id = _story_id(folder.resolve().name)
    files = {
        STORY_FILE: STORY_YAML.format(id=story_id, today=date.today().isoformat()),
        "october-23.yaml": SCENE_YAML,
        "source/notes.txt": SOURCE_TXT,
        "transcripts/reading-the-demands.play.yaml": TRANSCRIPT_YAML,
        "README.md": README_MD.format(folder=display_path(folder)),
        **{f"{SCHEMA_DIR}/{kind}.schema.json": schema_text(kind) for kind in KINDS},
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def new_scene(folder: Path, name: str) -> Path:
    """Add `<name>.yaml` (a path inside the story, subfolders allowed) holding one node skeleton."""
    if not (folder / STORY_FILE).is_file():
        raise UsageError(f"{display_path(folder)} has no {STORY_FILE}; run 'budapest56 new {display_path(folder)}' "
                       "first to start a story there")
    rel = Path(name if name.endswith(".yaml") else name + ".yaml")
    if rel.is_absolute() or ".." in rel.parts:
        raise UsageError(f"give the scene file's path inside the story folder, not '{name}'")
    if rel.name.endswith(".play.yaml") or rel == Path(STORY_FILE):
        raise UsageError(f"'{rel}' would not be read as a scene file; choose another name")
    path = folder / rel
    if path.exists():
        raise UsageError(f"{display_path(path)} already exists; choose another name")
    try:
        story = load_story(folder)
    except StoryError as e:
        raise UsageError(f"the story does not load ({len(e.findings)} problems); "
                       f"run 'budapest56 check {display_path(folder)}' and fix them first") from None
    node_id = _unique(_story_id(rel.name[: -len(".yaml")]), story.nodes)
    chapter = list(story.chapters)[-1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SCENE_SKELETON.format(modeline=modeline(path, folder, "scene"), chapter=chapter, node=node_id,
                                          date=story.period[1], start=story.start), encoding="utf-8")
    return path


def _story_id(name: str) -> str:
    """An id from a folder or file name: `My Story-2` -> `my_story_2`."""
    word = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return word if re.match(r"[a-z]", word) else f"story_{word}".rstrip("_")


def _unique(word: str, taken: object) -> str:
    candidate, n = word, 2
    while candidate in taken:  # type: ignore[operator]
        candidate, n = f"{word}_{n}", n + 1
    return candidate


# -- the example story ---------------------------------------------------------------------------
# Historical content: the students' sixteen points (drafted at the Technical University on
# 22 October 1956), the march to the Bem statue and the fall of the Stalin statue (23 October).

STORY_YAML = """\
# yaml-language-server: $schema=schema/story.schema.json
# The story file: what the story is, where it starts, its sources, chapters and flags.
# Every key is listed in AUTHORING.md, section 3 ("story.yaml").
id: {id}
title: The Twenty-Third of October
version: 1                 # raise it when you rename or remove node ids, so old saves are checked
start: lecture_hall        # the id of the first node
period: {{from: 1956-10-22, to: 1956-10-23}}   # node dates outside it are warned about
about: >-
  Budapest, 23 October 1956. You are a student at the Technical University on the day the
  revolution begins.
sources:                   # the texts your facts quote, word for word
  - id: notes
    title: Notes on 22 and 23 October 1956
    file: source/notes.txt
    # Who published it, where, under what licence, when you copied it and what you changed:
    # a teacher cites it from these, and a licence such as CC BY-SA requires them. These notes
    # were written for this template; replace all five when you quote a real source.
    publisher: the budapest56 story template
    url: none
    licence: MIT, like budapest56
    retrieved: {today}
    changes: none
chapters:                  # in play order; every node and fact belongs to one
  - id: morning
    title: The demands
  - id: evening
    title: The statue
flags:                     # yes/no memories of what the player did; all start false
  copied_demands: You copied out the students' demands.
"""

SCENE_YAML = """\
# yaml-language-server: $schema=schema/scene.schema.json
# A scene file: nodes (the scenes a player visits), the facts they unlock and glossary terms.
# Keys: AUTHORING.md, section 3 ("Nodes", "Choices", "Facts"). Conditions: section 3 ("Conditions").
chapter: morning             # the default chapter of the nodes and facts below
nodes:
  - id: lecture_hall
    date: 1956-10-23
    place: A lecture hall at the Technical University
    text: |
      The hall is full long before nine. A student stands on a bench and reads from a typed
      sheet, point after point, and after every point the hall roars.

      Someone pushes a pencil into your hand. "Copy it out," she says. "We need every copy we
      can get."
    choices:
      - label: Copy out the list of demands
        goto: the_list
        set: {copied_demands: true}   # remembered: a choice at the square depends on it
        unlock: [sixteen_points]      # a fact learned by taking this choice
      - label: Go straight out to the street
        goto: bem_square

  - id: the_list
    date: 1956-10-23
    place: A bench at the back of the hall
    text: |
      Your hand aches by the last point. Outside, the march is forming, and the girl with the
      pencil is already at the door.
    choices:
      - label: Join the march
        goto: bem_square

  - id: bem_square
    date: 1956-10-23
    place: Bem Square, by the statue of General Bem
    unlock: [bem_march]             # a fact learned on arrival, whichever way the player came
    text:
      - |
        The square is packed from wall to wall. Over the heads of the crowd the old general
        points his sword west, across the river.
      - if: copied_demands          # shown only when the condition holds
        text: The folded sheet of demands is warm in your pocket.
    choices:
      - label: Read the demands aloud to the people around you
        goto: read_aloud
        if: copied_demands          # offered only to a player who copied them
      - label: Follow the crowd to the Stalin statue
        goto: with_the_crowd
      - label: Go home before dark
        goto: home

  - id: with_the_crowd             # answers the choice before the chapter's review questions
    date: 1956-10-23
    place: Among the marchers
    text: |
      You let the crowd carry you. By dusk it is moving east, toward the City Park, and someone
      ahead has a coil of rope over his shoulder.
    choices:
      - label: Go on with them
        goto: stalin_statue

  - id: read_aloud
    date: 1956-10-23
    place: On the steps by the statue
    text: |
      Your voice shakes on the first point and not after it. A workman asks for your sheet so
      he can copy it for his factory.
    choices:
      - label: Give him the sheet and follow the crowd
        goto: stalin_statue

  - id: stalin_statue
    chapter: evening                # a node may leave the file's chapter
    date: 1956-10-23
    place: The edge of the City Park
    unlock: [statue_down]
    text: |
      Men with ropes and a cutting torch work at the bronze knees until, near ten, the figure
      tips and falls. Only the boots are left on the plinth.
    ending:                         # a node with an ending has no choices
      title: The boots on the plinth
      epilogue: Years later you still say you were there the night the statue fell.

  - id: home
    date: 1956-10-23
    place: Your family's kitchen
    text: |
      Your mother turns the radio up. Every station plays music, and between the music the
      announcer's voice sounds like someone else's.
    ending:
      title: Home before dark
      epilogue: You hear the rest of the story from neighbours in the morning.

facts:                               # each quotes source/notes.txt exactly (AUTHORING.md, "Facts")
  - id: sixteen_points
    title: The students' demands
    summary: Students at the Technical University in Budapest wrote a list of sixteen demands.
    quote: >-
      On 22 October 1956, students at the Budapest Technical University drew up a list of
      sixteen demands.
    date: 1956-10-22
    questions:                       # asked at the end of the chapter; see "Review questions"
      - ask: How many demands did the students at the Technical University write down?
        answer: sixteen
        wrong: [ten, twenty-one]

  - id: bem_march
    title: The march to the Bem statue
    summary: On 23 October the students marched to the statue of General Bem.
    quote: >-
      On 23 October they marched to the statue of General Bem, a hero of the 1848 revolution.
    date: 1956-10-23
    terms: [bem]
    questions:
      - ask: Whose statue did the students march to on 23 October?
        answer: General Bem's
        wrong: [Lajos Kossuth's, Imre Nagy's]

  - id: statue_down
    chapter: evening
    title: The Stalin statue falls
    summary: The same evening, a crowd in Budapest pulled down the huge statue of Stalin.
    quote: That evening a crowd pulled down the giant statue of Stalin in Budapest.
    date: 1956-10-23
    questions:
      - ask: What did a crowd pull down in Budapest that evening?
        answer: The giant statue of Stalin
        wrong: [The statue of General Bem, The gates of the university]

glossary:                            # people, organisations and places a fact names (its terms:)
  - id: bem
    name: General Bem
    kind: person
    definition: A general who fought for Hungary's freedom in 1848, honoured with a statue in Budapest.
    quote: General Bem, a hero of the 1848 revolution
"""

SOURCE_TXT = """\
On 22 October 1956, students at the Budapest Technical University drew up a list of sixteen demands.
On 23 October they marched to the statue of General Bem, a hero of the 1848 revolution.
That evening a crowd pulled down the giant statue of Stalin in Budapest.
"""

TRANSCRIPT_YAML = """\
# yaml-language-server: $schema=../schema/transcript.schema.json
# A transcript: a scripted playthrough that `budapest56 test` and `pytest` replay.
# Step keys: AUTHORING.md, section 5 ("Transcript keys").
title: Copying the demands lets you read them aloud
steps:
  - node: lecture_hall
    available: [Copy out the list of demands, Go straight out to the street]
  - choose: Copy out the list of demands
    node: the_list
    unlocked: [sixteen_points]
    flags: {copied_demands: true}
  - choose: Join the march
    node: bem_square
    text: The folded sheet of demands is warm in your pocket.
    available: [Read the demands aloud to the people around you]
  - choose: Read the demands aloud to the people around you
    node: read_aloud
  - choose: Give him the sheet and follow the crowd
    ending: The boots on the plinth
    unlocked: [sixteen_points, bem_march, statue_down]
"""

README_MD = """\
# The Twenty-Third of October

A small budapest56 story to edit into your own. AUTHORING.md explains every key.

| file | what it is |
|---|---|
| `story.yaml` | the title, the start, the sources, the chapters and the flags |
| `october-23.yaml` | the scenes (nodes), the facts they unlock, a glossary term |
| `source/notes.txt` | the source text every fact quotes word for word |
| `transcripts/*.play.yaml` | scripted playthroughs, replayed by `budapest56 test` and `pytest` |
| `schema/` | JSON Schemas: your editor completes keys and underlines mistakes as you type (`budapest56 schema --story {folder} --write` adds your ids) |

```console
budapest56 check {folder}                  # every error and warning, with file:line:col
budapest56 play {folder}                   # play it
budapest56 test {folder} --exhaustive      # prove every scene, choice and fact reachable
budapest56 graph {folder} --format html > map.html   # a map of the story
budapest56 new {folder} --scene NAME       # one more scene file
```
"""

SCENE_SKELETON = """\
{modeline}
# A scene file. Keys: AUTHORING.md, section 3 ("Nodes", "Choices", "Facts").
# No choice leads here yet, so `budapest56 check` warns that '{node}' cannot be reached:
# add a choice with `goto: {node}` to a node on the way from '{start}'.
chapter: {chapter}
nodes:
  - id: {node}
    date: {date}
    place: Where this scene happens
    text: |
      What the player sees, hears and is told here, in the second person.
    ending:                 # or replace the ending with choices: [{{label: ..., goto: NODE}}]
      title: The title of this ending
      epilogue: What became of the player afterwards.
"""
