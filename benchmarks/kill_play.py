"""kill -9 during plain-mode play, again and again, on one data folder.

    python benchmarks/kill_play.py --kills 200 --seed 1956

Each round starts `budapest56 --plain --continue` on the bundled story with the same
BUDAPEST56_HOME, types choices (and `save slotN` now and then) at a steady pace and kills the
game with SIGKILL at a random moment. After every kill the autosave and the profile must read
back whole (nothing moved aside, no game refused by a stale lock). Prints the figures: kills,
saves read back, files moved aside, kills that landed inside a write (a temporary file left),
and the temporary files left at the end (each game start removes those older than a minute).
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from budapest56.errors import Budapest56Error
from budapest56.persist import storage
from budapest56.persist.profile import load_progress
from budapest56.persist.saves import SaveFolder
from budapest56.story.bundled import bundled_story
from budapest56.story.loader import load_story


def feed(game: subprocess.Popen[str], rng: random.Random, stop: threading.Event) -> None:
    assert game.stdin is not None
    n = 0
    while not stop.is_set():
        n += 1
        line = f"save slot{rng.randrange(3)}\n" if n % 7 == 0 else f"{rng.randint(1, 3)}\n"
        try:
            game.stdin.write(line)
            game.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return
        time.sleep(rng.uniform(0.0, 0.01))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1956)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    home = Path(tempfile.mkdtemp(prefix="kill-play-"))
    story = load_story(bundled_story())
    folder = SaveFolder(home, story)
    env = {**os.environ, "BUDAPEST56_HOME": str(home)}
    storage.STALE_SECONDS = 0  # only this process's clean-up at the end uses it
    read_back = refused = locked = mid_write = 0
    temps_before: set[Path] = set()
    started = time.perf_counter()
    for _ in range(args.kills):
        game = subprocess.Popen([sys.executable, "-m", "budapest56", "--plain", "--continue"], env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stop = threading.Event()
        feeder = threading.Thread(target=feed, args=(game, rng, stop), daemon=True)
        feeder.start()
        time.sleep(rng.uniform(0.3, 1.2))  # start-up takes about 0.25 s: most kills land mid-play
        game.send_signal(signal.SIGKILL)
        game.wait()
        stop.set()
        feeder.join()
        err = game.stderr.read() if game.stderr else ""
        temps_now = set(home.rglob(".*.tmp"))
        mid_write += bool(temps_now - temps_before)  # a new temporary file: the kill landed inside a write
        temps_before = temps_now
        if "Another game" in err:
            locked += 1
        try:
            if folder.exists("autosave"):
                folder.read("autosave")
            load_progress(home, story.id)
            read_back += 1
        except Budapest56Error as e:
            refused += 1
            print(f"refused: {e}", file=sys.stderr)
    aside = list(home.rglob("*.corrupt-*"))
    temps = list(home.rglob(".*.tmp"))
    removed = storage.clean_stale_temps(home)
    seconds = time.perf_counter() - started
    print(f"{args.kills} kills in {seconds:.0f} s, {mid_write} of them inside a write: saves and profile read back "
          f"after {read_back}, refused {refused}, stale lock {locked}; moved aside {len(aside)}; temporary files "
          f"left {len(temps)} (younger than a minute, so the games' start-up clean-up kept them), removed "
          f"afterwards {removed}; saves now: "
          f"{', '.join(sorted(p.name for p in folder.folder.glob('*.json')))}")
    return 1 if refused or aside or locked else 0


if __name__ == "__main__":
    sys.exit(main())
