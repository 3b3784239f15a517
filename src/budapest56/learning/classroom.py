"""A class's profiles, read together: who found, reached and answered what, and what the class learned.

    find_profiles(paths) -> ([(student, file)], [problem])   profile.json files, data folders, class folders
    gather(story, found) -> Classroom                          every student's numbers, and the class's

A path is a profile file (the student is its folder's name when the file is `profile.json`,
else the file's own name), a data folder as BUDAPEST56_HOME makes it (holding profile.json), or
a folder of those (the students' folders and files gathered from USB sticks). The files are the
teacher's copies: they are only read, never written or moved, even when damaged. A profile of
another story, or one that cannot be read, is named in `Classroom.skipped` and left out.

A question counts as answered right by a student whose last answer to it was right.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProfileError
from ..persist.profile import FILE, Progress, peek_progress
from ..story.model import Story
from .gain import read_gain
from .schedule import items_of, read_book


@dataclass(frozen=True, slots=True)
class Student:
    name: str
    file: str
    facts_found: int
    endings: tuple[str, ...]          # ending titles, in the order reached
    asked: int                        # review answers given, in the game and in `review`
    right: int
    check_size: int                   # questions in the before/after check; 0: never offered
    before: int | None                # right before the story; None: not taken
    after: int | None                 # right after it; None: not taken
    skipped: bool = False             # the student skipped the before-check

    @property
    def gain(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True, slots=True)
class FactRow:
    id: str
    title: str
    chapter: str
    found_by: int


@dataclass(frozen=True, slots=True)
class QuestionRow:
    key: str
    fact: str
    ask: str
    answered_by: int
    right_by: int       # of those, how many answered it right the last time
    before_right: int   # right in the before-check, of the students who took both checks
    after_right: int    # right in the after-check, of the same students
    in_check: bool


@dataclass(frozen=True)
class Classroom:
    story_id: str
    title: str
    facts_total: int
    endings_total: int
    students: tuple[Student, ...]
    facts: tuple[FactRow, ...]
    questions: tuple[QuestionRow, ...]
    skipped: tuple[str, ...]          # one line per profile left out, naming it and why

    @property
    def both_checks(self) -> list[Student]:
        return [s for s in self.students if s.gain is not None]

    @property
    def average_gain(self) -> float | None:
        """The mean of after minus before, in questions, over the students who took both checks."""
        took = self.both_checks
        return sum(s.gain or 0 for s in took) / len(took) if took else None

    def average(self, which: str) -> float | None:
        """The mean before- or after-check score ('before' / 'after') of those who took both."""
        took = self.both_checks
        return sum(getattr(s, which) for s in took) / len(took) if took else None

    @property
    def check_size(self) -> int:
        return max((s.check_size for s in self.students), default=0)


def find_profiles(paths: Iterable[Path]) -> tuple[list[tuple[str, Path]], list[str]]:
    """Every profile file under `paths`, each with its student's name; and what was not found."""
    found: list[tuple[str, Path]] = []
    problems: list[str] = []
    for path in paths:
        if path.is_file():
            found.append((_name(path), path))
        elif (path / FILE).is_file():
            found.append((_name(path / FILE), path / FILE))
        elif path.is_dir():
            inside = sorted([(p.name, p / FILE) for p in path.iterdir() if (p / FILE).is_file()]
                            + [(p.stem, p) for p in path.iterdir() if p.is_file() and p.suffix == ".json"])
            if not inside:
                problems.append(f"{path}: no profile.json in it or in the folders in it")
            found += inside
        else:
            problems.append(f"{path}: no such file or folder")
    once: dict[Path, tuple[str, Path]] = {}
    for name, file in found:  # a folder named and also inside another one named: one student
        once.setdefault(file.resolve(), (name, file))
    return list(once.values()), problems


def _name(file: Path) -> str:
    if file.name == FILE:
        return file.resolve().parent.name or str(file.parent)
    return file.stem


def gather(story: Story, profiles: list[tuple[str, Path]], skipped: Iterable[str] = ()) -> Classroom:
    """Read each profile (never changing it) and count, per student and across the class."""
    left_out = list(skipped)
    read: list[tuple[str, str, Progress]] = []
    for name, file in profiles:
        try:
            progress, stories = peek_progress(file, story.id)
        except ProfileError as e:
            left_out.append(f"{file}: skipped, {e.first.message}")
            continue
        if progress is None:
            others = ", ".join(f"'{s}'" for s in stories) or "none"
            left_out.append(f"{file}: skipped, it is a profile of another story (it has {others}, not '{story.id}')")
            continue
        read.append((name, str(file), progress))
    return _count(story, read, tuple(left_out))


def classroom(story: Story, named: list[tuple[str, Progress]]) -> Classroom:
    """The same numbers from progress already in hand (for tests and other callers)."""
    return _count(story, [(n, "", p) for n, p in named], ())


def _count(story: Story, read: list[tuple[str, str, Progress]], skipped: tuple[str, ...]) -> Classroom:
    students: list[Student] = []
    found_by = dict.fromkeys(story.facts, 0)
    keys = [it.key for f in story.facts for it in items_of(story, f)]
    answered, right = dict.fromkeys(keys, 0), dict.fromkeys(keys, 0)
    before_right, after_right = dict.fromkeys(keys, 0), dict.fromkeys(keys, 0)
    in_check: set[str] = set()
    for name, file, progress in read:
        found = {f for f in progress.facts_found if f in story.facts}
        for f in found:
            found_by[f] += 1
        book = read_book(progress.review)
        for key, card in book.cards.items():
            if key in answered and card.right + card.wrong:
                answered[key] += 1
                right[key] += not card.missed
        gain = read_gain(progress.gain)
        questions = tuple(k for k in gain.questions if k in answered)
        in_check.update(questions)
        if gain.before is not None and gain.after is not None:  # the class's before/after: those who took both
            for part, tally in ((gain.before, before_right), (gain.after, after_right)):
                for k in questions:
                    tally[k] += part.answers.get(k) is True
        endings = tuple(n.ending.title for e in dict.fromkeys(progress.endings)
                        if (n := story.nodes.get(e)) is not None and n.ending is not None)
        students.append(Student(
            name, file, len(found), endings,
            sum(a for a, _ in book.chapters.values()), sum(r for _, r in book.chapters.values()),
            len(questions) if gain.seen else 0,
            gain.before.right(questions) if gain.before and questions else None,
            gain.after.right(questions) if gain.after and questions else None,
            bool(gain.skipped)))
    place = {f: i for i, f in enumerate(story.facts)}
    order = sorted(story.facts.values(), key=lambda f: (_number(story, f.chapter), place[f.id]))
    facts = tuple(FactRow(f.id, f.title, c.title if (c := story.chapters.get(f.chapter)) else f.chapter, found_by[f.id])
                  for f in order)
    rows = tuple(QuestionRow(it.key, f.id, it.question.ask, answered[it.key], right[it.key],
                             before_right[it.key], after_right[it.key], it.key in in_check)
                 for f in order for it in items_of(story, f.id))
    return Classroom(story.id, story.title, len(story.facts), len(story.endings),
                     tuple(sorted(students, key=lambda s: (s.name.casefold(), s.name, s.file))), facts, rows, skipped)


def _number(story: Story, chapter: str) -> int:
    found = story.chapters.get(chapter)
    return found.number if found else len(story.chapters) + 1
