#!/usr/bin/env python3
"""How fast `budapest56 test` plays: random runs, exhaustive search, the bundled story's proof.

    python benchmarks/bench_explore.py [--repeat 5] [--choices 300000] [--big-states 1000000]
                                       [--against /work/main/src]

Every figure is measured in a fresh child process (so no run inherits another's heap), with the
code of this checkout, and with `--against SRC` also with the code under SRC (another checkout's
`src` folder, run with PYTHONPATH=SRC), the two alternating, best of --repeat.

1. Random runs on the synthetic graphs (synth_graph.py, seed 1956, converted with
   synth_to_story.py) of 200, 2,000 and 10,000 nodes: CPU microseconds per choice of
   explore.random_runs, over as many playthroughs as make about --choices choices, against a
   bare Python loop over the same graph's JSON dicts (pick an available choice at random,
   follow it, add the node's flags; no history) in the same child, alternating.
2. Exhaustive search: distinct states per second on the 200-node graph (complete), the
   2,000-node graph and the 800-node graph (its 40 flags: the 40-flag variant), the last two
   stopped at --big-states; both wall-clock and CPU time of the search alone (the story loaded
   and compiled first). Memory: the rise of the child's peak resident set during the search,
   per million states; with --tracemalloc also the peak of Python's own allocations.
3. The bundled story's exhaustive proof: search plus judging every item (what
   `budapest56 test --exhaustive` does after loading), best of --repeat.

Prints one JSON object; "against" holds the same figures for the other code.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth_graph import generate  # noqa: E402
from synth_to_story import convert  # noqa: E402

SIZES = (200, 2000, 10_000)
SEARCHES = (("g200", 200, 1_000_000), ("g2000", 2000, None), ("g800_40_flags", 800, None))


def bare_loop(graph: dict[str, Any], runs: int, seed: int) -> int:
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


# -- what a child process measures -----------------------------------------------------------------
def child_random(folder: str, nodes: int, choices: int, seed: int) -> dict[str, float]:
    from budapest56 import load_story
    from budapest56.analysis.explore import random_runs

    graph = generate(nodes, 1956)
    story = load_story(folder)
    runs = max(1, round(choices / (bare_loop(graph, 200, 0) / 200)))
    random_runs(story, 10, seed)  # the compiled form is built once per story, not timed
    # CPU time of this one-threaded child: on a shared machine, wall time mostly measures the others.
    t = time.process_time()
    ours = random_runs(story, runs, seed).choices_made
    ours_s = time.process_time() - t
    t = time.process_time()
    bare = bare_loop(graph, runs, seed)
    bare_s = time.process_time() - t
    return {"runs": runs, "choices": ours, "us_per_choice": ours_s / ours * 1e6,
            "bare_us_per_choice": bare_s / bare * 1e6}


def child_search(folder: str, max_states: int, trace: bool) -> dict[str, float]:
    import gc
    import resource

    from budapest56 import load_story
    from budapest56.analysis.explore import exhaustive

    story = load_story(folder)
    exhaustive(story, 2)  # builds the compiled form (the old code: nothing to build)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t, cpu = time.perf_counter(), time.process_time()
    g = exhaustive(story, max_states)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"states": g.states, "complete": g.complete, "seconds": seconds, "cpu_seconds": cpu,
           "rss_mb": (peak - before) / 1024}
    if trace:
        import tracemalloc
        del g
        gc.collect()
        tracemalloc.start()
        g = exhaustive(story, max_states)
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    return out


def child_proof() -> dict[str, float]:
    from budapest56 import load_story
    from budapest56.story.bundled import bundled_story
    from budapest56.testing.playtest import Report, run_exhaustive

    story = load_story(bundled_story())
    run_exhaustive(Report(story), 1_000_000)
    report = Report(story)
    t = time.perf_counter()
    run_exhaustive(report, 1_000_000)
    seconds = time.perf_counter() - t
    assert report.graph is not None
    return {"seconds": seconds, "states": report.graph.states, "complete": report.graph.complete}


def child(args: list[str]) -> None:
    kind = args[0]
    if kind == "random":
        out = child_random(args[1], int(args[2]), int(args[3]), int(args[4]))
    elif kind == "search":
        out = child_search(args[1], int(args[2]), args[3] == "1")
    else:
        out = child_proof()
    print(json.dumps(out))


# -- the parent: children side by side -----------------------------------------------------------
def run_child(src: str | None, *args: object) -> dict[str, Any]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode caching matters to every figure
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *map(str, args)],
                         capture_output=True, text=True, check=True, env=env).stdout
    result: dict[str, Any] = json.loads(out.splitlines()[-1])
    return result


def measure(codes: dict[str, str | None], repeat: int, choices: int, big: int, trace: bool,
            folders: dict[int, Path], parts: set[str]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {name: {} for name in codes}
    for nodes in SIZES if "random" in parts else ():
        best: dict[str, dict[str, Any]] = {}
        for r in range(repeat):
            for name, src in codes.items():
                got = run_child(src, "random", folders[nodes], nodes, choices, r)
                old = best.get(name)
                best[name] = {"runs": got["runs"],
                              "us_per_choice": min(got["us_per_choice"], old["us_per_choice"] if old else 1e9),
                              "bare_us_per_choice": min(got["bare_us_per_choice"],
                                                        old["bare_us_per_choice"] if old else 1e9)}
        for name, b in best.items():
            b["over_bare"] = b["us_per_choice"] / b["bare_us_per_choice"]
            results[name][f"random_{nodes}"] = {k: round(v, 3) for k, v in b.items()}
    for name in codes if "random" in parts else ():
        r = results[name]
        r["random_10000_over_200"] = round(r["random_10000"]["us_per_choice"] / r["random_200"]["us_per_choice"], 2)
    for label, nodes, bound in SEARCHES if "search" in parts else ():
        best = {}
        for _ in range(max(1, repeat // 2)):
            for name, src in codes.items():
                got = run_child(src, "search", folders[nodes], bound or big, int(trace))
                if name not in best or got["cpu_seconds"] < best[name]["cpu_seconds"]:
                    best[name] = got
        for name, b in best.items():
            states = b["states"]
            entry = {"states": states, "complete": b["complete"], "seconds": round(b["seconds"], 3),
                     "states_per_second": round(states / b["seconds"]),
                     "cpu_states_per_second": round(states / b["cpu_seconds"]),
                     # Below ~100,000 states the search's memory hides under the loader's peak.
                     "rss_mb_per_million_states": round(b["rss_mb"] / states * 1e6, 1) if states >= 100_000 else None}
            if "tracemalloc_peak_mb" in b and states >= 100_000:
                entry["tracemalloc_mb_per_million_states"] = round(b["tracemalloc_peak_mb"] / states * 1e6, 1)
            results[name][f"exhaustive_{label}"] = entry
    for name, src in codes.items() if "proof" in parts else ():
        proofs = [run_child(src, "proof") for _ in range(repeat)]
        fastest = min(proofs, key=lambda p: p["seconds"])
        results[name]["bundled_proof"] = {**fastest, "seconds": round(fastest["seconds"], 3)}
    return results


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--choices", type=int, default=300_000, help="choices per random-run measurement")
    parser.add_argument("--big-states", type=int, default=1_000_000)
    parser.add_argument("--against", metavar="SRC", help="also measure the code in this src folder")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the search's Python allocations")
    parser.add_argument("--parts", default="random,search,proof", help="which of random,search,proof to measure")
    args = parser.parse_args()
    codes: dict[str, str | None] = {"this": None}
    if args.against:
        codes["against"] = args.against
    with tempfile.TemporaryDirectory() as tmp:
        folders = {n: convert(generate(n, 1956), Path(tmp) / f"g{n}") for n in {*SIZES, *(s[1] for s in SEARCHES)}}
        results = measure(codes, args.repeat, args.choices, args.big_states, args.tracemalloc, folders,
                          set(args.parts.split(",")))
    out: dict[str, Any] = results["this"]
    if args.against:
        out["against"] = {"src": args.against, **results["against"]}
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
