#!/usr/bin/env python3
"""How fast `budapest56 test` plays: random runs, exhaustive search, the bundled story's proof.

    python benchmarks/bench_explore.py [--repeat 5] [--runs 20000] [--big-states 1000000]

1. Random runs on the 200-node synthetic graph (synth_graph.py, seed 1956, converted with
   synth_to_story.py): choices per second of explore.random_runs, against a bare Python loop
   over the same graph's JSON dicts (pick an available choice at random, follow it, add the
   node's flags; no history) measured in the same process, alternating, best of --repeat.
2. Exhaustive search: distinct states per second on the 200-node graph (complete) and on the
   2000-node graph (stopped at --big-states), each in a fresh process; peak memory is the rise
   of the process's maximum resident set during the search, scaled to a million states.
3. The bundled story's exhaustive proof: search plus judging every item (what
   `budapest56 test --exhaustive` does after loading), best of --repeat.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth_graph import generate  # noqa: E402
from synth_to_story import convert  # noqa: E402

SEARCH = """
import gc, resource, sys, time
from budapest56 import load_story
from budapest56.analysis.explore import exhaustive
story = load_story(sys.argv[1])
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
g = exhaustive(story, int(sys.argv[2]))
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(g.states, g.complete, seconds, (peak - before) / 1024)
"""


def bare_loop(graph: dict, runs: int, seed: int) -> int:
    """The floor: the same random walk over plain dicts, with nothing but the current flags."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    rng = random.Random(seed)
    made = 0
    for _ in range(runs):
        node = nodes[graph["start"]]
        flags = set(node["set"])
        while not node.get("ending"):
            options = [c for c in node["choices"] if c["if"] is None
                       or (c["if"][4:] not in flags if c["if"].startswith("not ") else c["if"] in flags)]
            node = nodes[options[int(rng.random() * len(options))]["goto"]]
            flags.update(node["set"])
            made += 1
    return made


def random_speed(graph: dict, folder: Path, runs: int, repeat: int) -> tuple[float, float]:
    from budapest56 import load_story
    from budapest56.analysis.explore import random_runs

    story = load_story(folder)
    ours, bare = 0.0, 0.0
    for r in range(repeat):
        t = time.perf_counter()
        made = random_runs(story, runs, seed=r).choices_made
        ours = max(ours, made / (time.perf_counter() - t))
        t = time.perf_counter()
        made = bare_loop(graph, runs, seed=r)
        bare = max(bare, made / (time.perf_counter() - t))
    return ours, bare


def search_speed(folder: Path, max_states: int, repeat: int) -> tuple[int, bool, float, float]:
    best = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", SEARCH, str(folder), str(max_states)],
                             capture_output=True, text=True, check=True).stdout.split()
        states, complete, seconds, megabytes = int(out[0]), out[1] == "True", float(out[2]), float(out[3])
        if best is None or seconds < best[2]:
            best = (states, complete, seconds, megabytes)
    assert best is not None
    return best


def bundled_proof(repeat: int) -> tuple[float, int, bool]:
    from budapest56 import load_story
    from budapest56.story.bundled import bundled_story
    from budapest56.testing.playtest import Report, run_exhaustive

    story = load_story(bundled_story())
    best, report = float("inf"), Report(story)
    for _ in range(repeat):
        report = Report(story)
        t = time.perf_counter()
        run_exhaustive(report, 1_000_000)
        best = min(best, time.perf_counter() - t)
    assert report.graph is not None
    return best, report.graph.states, report.graph.complete


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--big-states", type=int, default=1_000_000)
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        small, big = generate(200, 1956), generate(2000, 1956)
        small_folder, big_folder = convert(small, Path(tmp) / "g200"), convert(big, Path(tmp) / "g2000")
        ours, bare = random_speed(small, small_folder, args.runs, args.repeat)
        results["random_choices_per_second"] = round(ours)
        results["bare_loop_choices_per_second"] = round(bare)
        results["bare_over_ours"] = round(bare / ours, 2)
        for name, folder, bound in (("g200", small_folder, 1_000_000), ("g2000", big_folder, args.big_states)):
            states, complete, seconds, megabytes = search_speed(folder, bound, max(1, args.repeat // 2))
            results[f"exhaustive_{name}"] = {
                "states": states, "complete": complete, "seconds": round(seconds, 3),
                "states_per_second": round(states / seconds),
                # Below ~100,000 states the search's memory hides under the loader's peak.
                "peak_mb_per_million_states": round(megabytes / states * 1e6, 1) if states >= 100_000 else None}
    seconds, states, complete = bundled_proof(args.repeat)
    results["bundled_proof"] = {"seconds": round(seconds, 3), "states": states, "complete": complete}
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
