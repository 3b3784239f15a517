"""Mutation fuzzing of the loader, linter and engine with copies of the bundled story.

    python benchmarks/fuzz_stories.py --count 3000 --seed 1956

Each round copies the bundled story, applies 1-4 random mutations to one or two of its files
(line edits, characters YAML treats specially, escapes that make control characters, huge
numbers, deep nesting, odd dates, hostile paths), then loads it, lints it and, when it loads,
plays a few random steps. Anything but a story or StoryError findings is a crash; a finding or
a scene text holding a control character is a leak. Prints the figures; exits 1 on any crash.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from budapest56 import engine
from budapest56.analysis.lint import coverage, lint
from budapest56.errors import StoryError
from budapest56.story.bundled import bundled_story
from budapest56.story.controls import strip_controls
from budapest56.story.loader import load_story

PIECES = [":", "- ", "  ", "\t", "'", '"', "[", "]", "{", "}", "&a ", "*a", "!!python/object:os.system ", "#",
          '"\\e]0;pwned\\a"', '"\\x9b2J"', '"\\0"', "\ufffe", "\x00", "9" * 4400, "[" * 5000, "{a: " * 300,
          "1949-00-05", "'0000'", "'١٩٤٩'", "if: courage > ٣", "if: not not not (", "goto: nowhere",
          "file: /etc/passwd", "file: ../../../etc/passwd", "file: /dev/zero", "flashback: true", "unlock: [x]",
          "<img src=x onerror=alert(1)>", "\u202e", "\r", "\x85", "date: 1956-02-30", "~", "null", "- - - -"]


LEAKS: list[str] = []  # the findings that leaked, for the report


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        i = rng.randrange(len(lines))
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 2:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(PIECES) + lines[i][at + rng.randint(0, 6):]
        elif kind == 3:
            lines[i] = " " * rng.randint(0, 8) + lines[i].lstrip()
        elif kind == 4:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            key, sep, _ = lines[i].partition(": ")
            if sep:
                lines[i] = key + sep + rng.choice(PIECES)
    return "\n".join(lines)


def one_round(src: Path, rng: random.Random, tmp: Path) -> str:
    root = tmp / "story"
    shutil.copytree(src, root)
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".txt"))
    for path in rng.sample(files, rng.randint(1, 2)):
        path.write_text(mutate(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
    try:
        story = load_story(root)
    except StoryError as e:
        findings = e.findings
        outcome = "refused"
    else:
        findings = list(lint(story))
        coverage(story)
        state = engine.start(story)
        for _ in range(30):
            options = engine.available(story, state)
            if not options:
                break
            state = engine.step(story, state, rng.choice(options))
            for text in engine.narrative(story, state):
                if strip_controls(str(text)) != str(text):
                    return "leak"
        for node in story.nodes.values():
            if any(strip_controls(p.text) != p.text for p in node.text):
                return "leak"
        outcome = "loaded"
    for f in findings:
        if strip_controls(str(f)) != str(f) or "\n" in f.message:
            LEAKS.append(repr(str(f))[:300])
            return "leak"
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1956)
    args = parser.parse_args()
    src = bundled_story()
    results: Counter[str] = Counter()
    crashes: list[tuple[int, str]] = []
    began = time.perf_counter()
    for n in range(args.count):
        rng = random.Random(f"{args.seed}-{n}")
        with tempfile.TemporaryDirectory() as tmp:
            try:
                results[one_round(src, rng, Path(tmp))] += 1
            except Exception:  # what this script is looking for
                results["crash"] += 1
                crashes.append((n, traceback.format_exc(limit=3)))
    seconds = time.perf_counter() - began
    counts = ", ".join(f"{k} {v:,}" for k, v in sorted(results.items()))
    print(f"{args.count:,} mutated stories in {seconds:.0f} s: {counts}")
    for text in LEAKS[:5]:
        print(f"--- leak: {text}", file=sys.stderr)
    for n, tb in crashes[:5]:
        print(f"--- round {n} ---\n{tb}", file=sys.stderr)
    return 1 if results["crash"] or results["leak"] else 0


if __name__ == "__main__":
    sys.exit(main())
