#!/usr/bin/env python3
"""How much `budapest56 check` costs over the bare YAML parse of the same files.

For each size N: generate the synthetic graph (synth_graph.py), convert it to a story folder
(synth_to_story.py), then in fresh processes, alternating, time
  bare:  yaml.load(text, Loader=yaml.CSafeLoader) over every YAML file of the folder, with the
         cycle collector paused (gc.disable()): the parse alone. With the collector running, the
         bare parse re-scans its own growing heap again and again, which at 50,000 nodes makes it
         slower than `check` (which pauses the collector while loading), so it is no floor.
  check: budapest56.analysis.lint.check(folder): load, validate, lint and source coverage
Imports and interpreter start-up are outside the timed region. The minimum of the repeats is
reported (the least disturbed run on a shared machine), with the median beside it.

    python benchmarks/bench_check.py [--sizes 100 1000 10000 50000] [--repeat 7]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth_graph import generate  # noqa: E402
from synth_to_story import convert  # noqa: E402

BARE = """
import gc, sys, time, glob, yaml
files = sorted(glob.glob(sys.argv[1] + '/**/*.yaml', recursive=True))
texts = [open(f, encoding='utf-8').read() for f in files]
gc.disable()  # the parse alone, not the collector's re-scans of the parsed objects
t = time.perf_counter()
for text in texts:
    yaml.load(text, Loader=yaml.CSafeLoader)
print(time.perf_counter() - t)
"""

CHECK = """
import sys, time
from budapest56.analysis.lint import check
t = time.perf_counter()
report = check(sys.argv[1], freeze=True)  # as the command line does
elapsed = time.perf_counter() - t
# The synthetic story loads; some of its random conditions never hold (choice-never-available).
assert report.story is not None, [str(f) for f in report.findings[:3]]
print(elapsed)
"""


def timed(script: str, folder: Path) -> float:
    out = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"synth-{n}"
            convert(generate(n, 1956), folder)
            bare, ours = [], []
            for _ in range(args.repeat):
                bare.append(timed(BARE, folder))
                ours.append(timed(CHECK, folder))
            rows.append({"nodes": n, "bare_min_s": min(bare), "check_min_s": min(ours),
                         "bare_median_s": statistics.median(bare), "check_median_s": statistics.median(ours),
                         "ratio_min": min(ours) / min(bare),
                         "ratio_median": statistics.median(ours) / statistics.median(bare)})
    print(f"{'nodes':>6} {'bare min':>9} {'check min':>10} {'ratio':>6}   "
          f"{'bare med':>9} {'check med':>10} {'ratio':>6}")
    for r in rows:
        print(f"{r['nodes']:>6} {r['bare_min_s']:>8.3f}s {r['check_min_s']:>9.3f}s {r['ratio_min']:>5.2f}x"
              f"   {r['bare_median_s']:>8.3f}s {r['check_median_s']:>9.3f}s {r['ratio_median']:>5.2f}x")
    print(json.dumps(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
