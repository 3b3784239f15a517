#!/usr/bin/env python3
"""What `check`'s condition proofs cost (analysis/condition_proofs.py), beside the whole check.

For each size N: the synthetic story of synth_graph.py (seed 1956) as a folder, loaded once; then,
in this process, alternating, `condition_findings(story)` (the bounded exhaustive search, the
replay of its states and the verdicts) and the whole `lint.check(folder)`. The bundled story's
proofs last. Minimum of the repeats (the least disturbed run on a shared machine).

    python benchmarks/bench_condition_proofs.py [--sizes 100 1000 10000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from budapest56 import load_story  # noqa: E402
from budapest56.analysis.condition_proofs import BOUND, condition_findings  # noqa: E402
from budapest56.analysis.explore import exhaustive  # noqa: E402
from budapest56.analysis.lint import check  # noqa: E402
from budapest56.story.bundled import bundled_story  # noqa: E402
from synth_graph import generate  # noqa: E402
from synth_to_story import convert  # noqa: E402


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'nodes':>6} {'states':>14} {'proofs':>8} {'check':>8} {'share':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"synth-{n}"
            convert(generate(n, 1956), folder)
            story = load_story(folder)
            g = exhaustive(story, BOUND)
            proofs = best(lambda: list(condition_findings(story)), args.repeat)  # noqa: B023
            whole = best(lambda: check(str(folder)), args.repeat)  # noqa: B023
            states = f"{g.states:,}" + ("" if g.complete else " (stopped)")
            print(f"{n:>6} {states:>14} {proofs * 1000:>6.0f}ms {whole * 1000:>6.0f}ms {proofs / whole:>5.0%}")
    story = load_story(bundled_story())
    print(f"bundled story: proofs {best(lambda: list(condition_findings(story)), args.repeat) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
