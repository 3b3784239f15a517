"""How long a saved edit takes to reach the screen of `play --watch` and `check --watch`.

A copy of the bundled story is played in plain mode with `--watch` (and checked with `check
--watch`) in a child process; the benchmark saves an edit of a scene as an editor does (a hidden
copy renamed over the file) and times, from the rename, until the child has printed the reloaded
scene's prompt (or the re-check's summary line). Edits alternate between two texts, so each one is
a real change. The minimum and median of --repeat edits are printed, for each command.

    python benchmarks/bench_watch.py --repeat 15
"""
from __future__ import annotations

import argparse
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENE = "01-liberation.yaml"


class Child:
    def __init__(self, *args: str, cwd: Path) -> None:
        env = {**os.environ, "BUDAPEST56_HOME": str(cwd / "home")}
        self.proc = subprocess.Popen([sys.executable, "-m", "budapest56", *args], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.seen = ""

    def wait_for(self, text: str, timeout: float = 60) -> float:
        """Seconds until `text` appears (counted from now), consuming what came before it."""
        assert self.proc.stdout is not None
        begun = time.perf_counter()
        while text not in self.seen:
            if time.perf_counter() - begun > timeout:
                raise SystemExit(f"never saw {text!r}:\n{self.seen[-2000:]}")
            if select.select([self.proc.stdout], [], [], 0.05)[0]:
                self.seen += os.read(self.proc.stdout.fileno(), 65536).decode("utf-8", "replace")
        self.seen = self.seen.partition(text)[2]
        return time.perf_counter() - begun

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def save(path: Path, text: str) -> float:
    """Save as an editor does; the moment of the rename."""
    hidden = path.with_name(f".{path.name}.new")
    hidden.write_text(text, encoding="utf-8")
    os.replace(hidden, path)
    return time.perf_counter()


def measure(args: list[str], ready: str, done: tuple[str, ...], repeat: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp) / "story"
        shutil.copytree(ROOT / "scenes", story, ignore=shutil.ignore_patterns("transcripts"))
        scene = story / SCENE
        original = scene.read_text(encoding="utf-8")
        edited = original.replace("title:", "title: ", 1)  # the same story, different bytes
        child = Child(*args, "story", cwd=Path(tmp))
        try:
            child.wait_for(ready)
            times = []
            for i in range(repeat):
                saved = save(scene, edited if i % 2 == 0 else original)
                for text in done:
                    child.wait_for(text)
                times.append(time.perf_counter() - saved)
            return times
        finally:
            child.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    rows = [
        ("play --plain --watch", measure(["play", "--plain", "--watch", "--width", "1000"], "\n> ",
                                         ("reloaded after a change to", "\n> "), repeat)),
        ("check --watch", measure(["check", "--watch"], "no problems found", ("re-checked", "no problems found"),
                                  repeat)),
    ]
    print("| command | edit to screen, min (median) |\n|---|---|")
    for name, times in rows:
        print(f"| `{name}` | {min(times) * 1000:.0f} ms ({statistics.median(times) * 1000:.0f}) |")


if __name__ == "__main__":
    main()
