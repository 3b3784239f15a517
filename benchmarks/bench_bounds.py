#!/usr/bin/env python3
"""Past the state bound: the over-approximation alone, and `budapest56 test --exhaustive` whole.

    python benchmarks/bench_bounds.py [--repeat 3] [--sizes 500,1000,2000,4000,10000] [--big 10000]

1. analysis.bounds.Approx on the synthetic graphs (synth_graph.py, seed 1956, converted with
   synth_to_story.py) at each size: seconds after loading, best of --repeat, in this process.
2. The whole command `budapest56 test GRAPH --exhaustive --format json` on the --big graph, in a
   fresh process: wall time from spawn to exit and peak resident memory (os.wait4's ru_maxrss),
   best of --repeat, with its CPU time and the load average; with the verdicts it printed: how
   many items are reached, proved unreachable and left undecided, and how the search ended.
3. The same command on the counter loop of tests/test_blind_spots.py (10,000 steps, seven free
   switches, 1.3 million states) with --max-states 1,000,000.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from synth_graph import generate  # noqa: E402
from synth_to_story import convert  # noqa: E402


def approx_seconds(folder: Path, repeat: int) -> tuple[float, int]:
    from budapest56 import load_story
    from budapest56.analysis.bounds import Approx

    story = load_story(folder)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        approx = Approx(story)
        best = min(best, time.perf_counter() - t)
    return best, len(approx.at)


def whole_command(folder: Path, extra: list[str]) -> tuple[float, float, dict, float, float]:
    """Wall seconds, peak MB, the JSON report, CPU seconds (user + system) and the load average
    (one minute, read at the end) of one `budapest56 test --exhaustive` run."""
    command = [sys.executable, "-m", "budapest56", "test", str(folder), "--exhaustive", "--format", "json", *extra]
    t = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = child.stdout.read() if child.stdout else ""
    _, _, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t
    return seconds, usage.ru_maxrss / 1024, json.loads(out), usage.ru_utime + usage.ru_stime, os.getloadavg()[0]


def verdicts(story_folder: Path, report: dict) -> dict:
    from budapest56 import load_story

    story = load_story(story_folder)
    items = len(story.nodes) + sum(len(n.choices) for n in story.nodes.values()) + len(story.facts)
    not_reached = Counter(i["status"] for kind in report["unreached"].values() for i in kind)
    return {"items": items, "reached": items - sum(not_reached.values()),
            "unreachable": not_reached["unreachable"], "undecided": not_reached["undecided"],
            "states": report["states"], "complete": report["complete"], "cycles": len(report["cycles"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="500,1000,2000,4000,10000")
    parser.add_argument("--big", type=int, default=10_000)
    args = parser.parse_args()
    results: dict = {"approx_seconds": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for n in map(int, args.sizes.split(",")):
            folder = convert(generate(n, 1956), Path(tmp) / f"g{n}")
            seconds, reached = approx_seconds(folder, args.repeat)
            results["approx_seconds"][n] = {"seconds": round(seconds, 4), "per_node_us": round(seconds / n * 1e6, 1),
                                            "nodes_reachable": reached}
        big = convert(generate(args.big, 1956), Path(tmp) / f"g{args.big}")
        runs = [whole_command(big, []) for _ in range(args.repeat)]
        seconds, megabytes, report, cpu, load = min(runs, key=lambda r: r[0])
        results[f"test_exhaustive_{args.big}"] = {"seconds": round(seconds, 2), "peak_mb": round(megabytes),
                                                  "cpu_seconds": round(cpu, 2), "load": load,
                                                  "all_seconds": [round(r[0], 2) for r in runs],
                                                  "all_cpu_seconds": [round(r[3], 2) for r in runs],
                                                  **verdicts(big, report)}
        from conftest import write_story
        from test_blind_spots import BORDER, BORDER_STORY
        loop = write_story(Path(tmp) / "border", {"scene.yaml": BORDER}, story=BORDER_STORY)
        seconds, megabytes, report, cpu, load = whole_command(loop, [])
        results["counter_loop"] = {"seconds": round(seconds, 2), "peak_mb": round(megabytes), "ok": report["ok"],
                                   "cpu_seconds": round(cpu, 2), "load": load,
                                   **verdicts(loop, report)}
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
