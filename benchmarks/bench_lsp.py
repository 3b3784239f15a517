#!/usr/bin/env python3
"""How long the author waits for diagnostics after an edit, driving `budapest56 lsp` over stdio.

The real server is started as an editor starts it (python -m budapest56 lsp), through the test
suite's JSON-RPC client (tests/lsp_client.py), on the bundled story (scenes/). One scene file is
opened; then, `--repeat` times each, an edit is sent as textDocument/didChange and the clock runs
until textDocument/publishDiagnostics for that document *and that version* has been read:

  word    a word of the narrative changed (the story still checks clean)
  error   a `goto:` misspelt (one error, with its hint, comes back)
  fix     the misspelling undone (the error is cleared)
  burst   ten keystrokes 20 ms apart; timed from the last one (edits arriving during a check
          are gathered into the next one, so the wait stays near one check, not ten)

Edits are 0.3 s apart so each is measured alone. Beside them, in the same minute, the same
check in-process (analysis.lint.check on scenes/, what `budapest56 check` runs) as the floor:
the server's overhead is the difference. Minimum and median of the repeats, in ms.

On a shared machine the wall clock mostly measures the neighbours, so the server's CPU time
(utime + stime from /proc/PID/stat, Linux) is read too: over each edit and the 0.3 s after it,
that is everything the edit costs the server (the check, the diagnostics, re-indexing the
changed file), against the in-process check's own CPU time (time.process_time). Ticks are
coarse (10 ms), so the mean over the repeats is given.

    python benchmarks/bench_lsp.py [--repeat 15] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lsp_client import Client  # noqa: E402

SCENE = ROOT / "scenes" / "06-october.yaml"
WORD = "Laci hammers on your door"
NEW_WORDS = ("Laci knocks on your door", "Laci bangs on your door")
TYPO = ("goto: c6_hall", "goto: c6_hal")


def cpu_ms(pid: int) -> float:
    """CPU time a process has used so far (user + system), in ms; 0 where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def timed_change(client: Client, text: str) -> tuple[float, list[dict[str, object]]]:
    start = time.perf_counter()
    version = client.change(SCENE, text)
    found = client.diagnostics(SCENE, version)
    return (time.perf_counter() - start) * 1000, found


def in_process(repeat: int) -> tuple[list[float], float]:
    """Wall-clock times of check on scenes/, and its mean CPU time, in ms."""
    from budapest56.analysis.lint import check

    check(str(ROOT / "scenes"))  # imports and first-time caches, as the server has them
    out = []
    cpu = time.process_time()
    for _ in range(repeat):
        start = time.perf_counter()
        check(str(ROOT / "scenes"))
        out.append((time.perf_counter() - start) * 1000)
    return out, (time.process_time() - cpu) * 1000 / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    original = SCENE.read_text(encoding="utf-8")
    assert WORD in original and TYPO[0] in original, "the bundled scene changed: update bench_lsp.py"
    spawn = time.perf_counter()
    client = Client(ROOT)
    started = (time.perf_counter() - spawn) * 1000
    first = time.perf_counter()
    client.open(SCENE)
    client.diagnostics(SCENE, 1)
    opened = (time.perf_counter() - first) * 1000
    times: dict[str, list[float]] = {"word": [], "error": [], "fix": [], "burst": []}
    cpu: dict[str, float] = dict.fromkeys(times, 0.0)
    pid = client.process.pid
    try:
        for i in range(args.repeat):
            word = original.replace(WORD, NEW_WORDS[i % 2])  # the burst below ends on the original
            for name, text, expect in (("word", word, 0), ("error", word.replace(*TYPO, 1), 1), ("fix", word, 0)):
                time.sleep(0.3)
                before = cpu_ms(pid)
                ms, found = timed_change(client, text)
                time.sleep(0.3)  # and whatever the edit still costs after its diagnostics
                cpu[name] += (cpu_ms(pid) - before) / args.repeat
                problems = [d for d in found if d["severity"] in (1, 2)]  # the scene's elisions are info
                assert len(problems) == expect, (name, found)
                times[name].append(ms)
            time.sleep(0.3)
            before = cpu_ms(pid)
            for k in range(1, 10):  # "Laci h", "Laci ha", ... typed over "Laci hammers", then the original
                client.change(SCENE, original.replace("Laci hammers", "Laci " + "hammering"[:k], 1))
                time.sleep(0.02)
            ms, _ = timed_change(client, original)
            times["burst"].append(ms)
            time.sleep(0.3)
            cpu["burst"] += (cpu_ms(pid) - before) / args.repeat
    finally:
        client.change(SCENE, original)
        code = client.close()
    floor, floor_cpu = in_process(args.repeat)
    figures = {"server start (initialize answered)": [started], "first diagnostics after open": [opened],
               **{f"after an edit: {k}": v for k, v in times.items()}, "check in-process (floor)": floor}
    cpus = {**{f"after an edit: {k}": v for k, v in cpu.items()}, "check in-process (floor)": floor_cpu}
    if args.json:
        print(json.dumps({k: {"min": min(v), "median": statistics.median(v), "cpu_mean": cpus.get(k)}
                          for k, v in figures.items()}, indent=2))
    else:
        print(f"budapest56 lsp on scenes/ ({args.repeat} repeats; server exit code {code}; "
              f"load average {os.getloadavg()[0]:.1f})")
        for name, values in figures.items():
            extra = f"   CPU mean {cpus[name]:5.0f} ms" if name in cpus else ""
            print(f"  {name:<38} min {min(values):6.0f} ms   median {statistics.median(values):6.0f} ms{extra}")


if __name__ == "__main__":
    main()
