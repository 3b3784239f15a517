#!/usr/bin/env python3
"""How long a player waits for the first choice, against the floor of importing the game's libraries.

In fresh processes, alternating, with a new empty data home (BUDAPEST56_HOME) for every game:
  floor: python -c "import yaml, prompt_toolkit"           from spawn to exit
  game:  python -m budapest56 play --plain (bundled story)  from spawn until the first choices
         and the '> ' prompt have been read from its stdout; then stdin is closed, so the game
         autosaves and exits
Peak memory is each child's maximum resident set size (os.wait4), so the game's figure
includes its autosave at exit. The median of the repeats is reported, with the minimum beside it.

    python benchmarks/bench_startup.py [--repeat 21]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR = [sys.executable, "-c", "import yaml, prompt_toolkit"]
GAME = [sys.executable, "-m", "budapest56", "play", "--plain"]


def floor() -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(FLOOR)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0
    return elapsed, usage.ru_maxrss


def game() -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "BUDAPEST56_HOME": home}
        start = time.perf_counter()
        proc = subprocess.Popen(GAME, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        assert proc.stdin is not None and proc.stdout is not None
        seen = b""
        while not (b"\n  1. " in seen and seen.endswith(b"> ")):
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                raise SystemExit(f"the game ended before showing a choice:\n{seen.decode(errors='replace')}")
            seen += chunk
        elapsed = time.perf_counter() - start
        proc.stdin.close()
        proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    floor(), game()  # warm the file cache and the bytecode cache
    floors, games = [], []
    for _ in range(args.repeat):
        floors.append(floor())
        games.append(game())
    ft, fm = statistics.median(t for t, _ in floors), statistics.median(m for _, m in floors)
    gt, gm = statistics.median(t for t, _ in games), statistics.median(m for _, m in games)
    print(f"python {sys.version.split()[0]}, {args.repeat} runs each, median (min)")
    print(f"{'':28} {'time ms':>16} {'peak RSS MiB':>13}")
    print(f"{'floor: import yaml, pt':28} {ft * 1000:8.1f} ({min(t for t, _ in floors) * 1000:5.1f}) {fm / 1024:13.1f}")
    fastest_game = min(t for t, _ in games)
    print(f"{'game: first choice, plain':28} {gt * 1000:8.1f} ({fastest_game * 1000:5.1f}) {gm / 1024:13.1f}")
    print(f"{'ratio (target <= 1.3)':28} {gt / ft:8.2f}{'':8} {gm / fm:13.2f}")


if __name__ == "__main__":
    main()
