#!/usr/bin/env python3
"""How long a player waits for the first choice, against the floor of importing the game's libraries.

In fresh processes, alternating, with a new empty data home (BUDAPEST56_HOME) for every game.

plain mode (pipes):
  floor: python -c "import yaml, prompt_toolkit"           from spawn to exit
  game:  python -m budapest56 play --plain (bundled story)  from spawn until the first choices
         and the '> ' prompt have been read from its stdout; then stdin is closed, so the game
         autosaves and exits
pty mode (a real pseudo-terminal, 100x30, TERM=xterm-256color, as a player's terminal):
  floor: the same python -c "import yaml, prompt_toolkit" on a pty, from spawn to exit
  game:  python -m budapest56 (bundled story) on a pty, from spawn until the terminal game's
         first live prompt has drawn its first choice: the output, escape sequences removed, holds
         "When you are ready:" and then "1. Begin" (a new game's first prompt, under the title and
         premise). The cursor-position requests prompt_toolkit sends are answered as a terminal
         would. Then Ctrl-C, and the game says goodbye and exits.
Peak memory is each child's maximum resident set size (os.wait4), so the game's figure
includes its exit. The median of the repeats is reported, with the minimum beside it.

    python benchmarks/bench_startup.py [--mode plain|pty|both] [--repeat 21]

Run it with PYTHONDONTWRITEBYTECODE unset: a process that cannot cache bytecode recompiles
every module it imports.
"""
from __future__ import annotations

import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

FLOOR = [sys.executable, "-c", "import yaml, prompt_toolkit"]
GAME = [sys.executable, "-m", "budapest56", "play", "--plain"]
TERMINAL_GAME = [sys.executable, "-m", "budapest56"]
# The terminal game's first prompt in a new data home (play/opening.py), as it is drawn.
FIRST_QUESTION, FIRST_CHOICE = "When you are ready:", "1. Begin"
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")
WINSIZE = b"\x1e\x00\x64\x00\x00\x00\x00\x00"  # struct winsize: 30 rows, 100 columns
TIMEOUT = 30.0
Measure = Callable[[], tuple[float, int]]  # one run: (seconds, peak RSS in KiB)


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


def _spawn_on_pty(argv: list[str], env: dict[str, str]) -> tuple[int, int]:
    import fcntl
    import pty
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of a known size, then the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, WINSIZE)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    return pid, fd


def _read(fd: int, left: float) -> bytes | None:
    """What the child wrote within `left` seconds (b"" if nothing yet), None once it closed the pty."""
    if not select.select([fd], [], [], max(left, 0))[0]:
        return b""
    try:
        return os.read(fd, 65536) or None
    except OSError:  # EIO: the child's side of the terminal is closed
        return None


def _reap(pid: int, fd: int) -> tuple[int, int]:
    """Drain the terminal until the child exits; (exit code, peak RSS in KiB)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got:
            os.close(fd)
            return os.waitstatus_to_exitcode(status), usage.ru_maxrss
        if _read(fd, 0.05) is None:
            time.sleep(0.005)
    os.kill(pid, 9)
    raise SystemExit("the child did not exit")


def pty_floor() -> tuple[float, int]:
    env = {**os.environ, "TERM": "xterm-256color"}
    start = time.perf_counter()
    pid, fd = _spawn_on_pty(FLOOR, env)
    _, status, usage = os.wait4(pid, 0)  # the floor writes nothing, so it cannot block on the pty
    elapsed = time.perf_counter() - start
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    return elapsed, usage.ru_maxrss


def pty_game() -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "BUDAPEST56_HOME": home, "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        start = time.perf_counter()
        pid, fd = _spawn_on_pty(TERMINAL_GAME, env)
        raw, screen = b"", b""
        question, choice = FIRST_QUESTION.encode(), FIRST_CHOICE.encode()
        while True:
            chunk = _read(fd, start + TIMEOUT - time.perf_counter())
            if chunk is None or time.perf_counter() - start > TIMEOUT:
                os.kill(pid, 9)
                raise SystemExit(f"the game never showed its first choice:\n{screen.decode(errors='replace')}")
            raw += chunk
            if b"\x1b[6n" in chunk:  # a cursor-position request: answer it, as a terminal does
                os.write(fd, b"\x1b[1;1R")
            screen = ESCAPES.sub(b"", raw)
            asked = screen.find(question)
            if asked >= 0 and screen.find(choice, asked) >= 0:
                break
        elapsed = time.perf_counter() - start
        os.write(fd, b"\x03")  # Ctrl-C: the game says goodbye and exits
        code, peak = _reap(pid, fd)
        assert code == 0, code
    return elapsed, peak


def _row(name: str, runs: list[tuple[float, int]]) -> tuple[float, float, float]:
    median = statistics.median(t for t, _ in runs)
    fastest = min(t for t, _ in runs)
    memory = statistics.median(m for _, m in runs)
    print(f"{name:34} {median * 1000:8.1f} ({fastest * 1000:5.1f}) {memory / 1024:13.1f}")
    return median, fastest, memory


def compare(label: str, measure_floor: Measure, measure_game: Measure, repeat: int) -> None:
    measure_floor(), measure_game()  # warm the file cache and the bytecode cache
    floors, games = [], []
    for _ in range(repeat):
        floors.append(measure_floor())
        games.append(measure_game())
    print(f"{label}: python {sys.version.split()[0]}, {repeat} runs each, median (min)")
    print(f"{'':34} {'time ms':>16} {'peak RSS MiB':>13}")
    ft, fmin, fm = _row("floor: import yaml, prompt_toolkit", floors)
    gt, gmin, gm = _row(f"game: first choice, {label}", games)
    print(f"{'ratio (target <= 1.3)':34} {gt / ft:8.2f} ({gmin / fmin:5.2f}) {gm / fm:13.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("plain", "pty", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("warning: PYTHONDONTWRITEBYTECODE is set, so every start recompiles the package", file=sys.stderr)
    if args.mode in ("plain", "both"):
        compare("plain", floor, game, args.repeat)
    if args.mode in ("pty", "both"):
        compare("pty", pty_floor, pty_game, args.repeat)


if __name__ == "__main__":
    main()
