"""`budapest56 test [PATH]`: replay the story's transcripts, play it randomly, search it exhaustively."""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..testing import playtest
from ..testing.playtest import Item, Report
from ..testing.transcripts import render
from .common import add_format_argument, add_story_argument, load_or_report, print_json, story_folder, whole_number

KINDS = ("node", "choice", "fact", "term", "ending")
MISSED_SHOWN = 10  # never-visited nodes listed after random runs; --coverage lists them all


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_argument(parser)
    parser.add_argument("--random", type=whole_number, default=0, metavar="N", help="play N random playthroughs")
    parser.add_argument("--seed", type=whole_number, default=1956, metavar="S",
                        help="seed of the random runs (default 1956)")
    parser.add_argument("--exhaustive", action="store_true", help="search every reachable state")
    parser.add_argument("--max-states", type=whole_number, default=1_000_000, metavar="N",
                        help="stop the exhaustive search after N states (default 1,000,000)")
    parser.add_argument("--write-transcripts", metavar="DIR",
                        help="write the shortest playthrough to each ending and routes unlocking every fact "
                             "as transcripts into DIR (implies --exhaustive)")
    parser.add_argument("--coverage", action="store_true",
                        help="list the nodes and choices the transcripts and random runs never visited")
    add_format_argument(parser, "text", "json")


def run(args: argparse.Namespace) -> int:
    if args.random < 0 or args.max_states < 1:
        raise UsageError("--random must be 0 or more and --max-states at least 1")
    folder = story_folder(args.path)
    folder = folder.parent if folder.is_file() else folder  # PATH may name the story.yaml
    story = load_or_report(args.path)
    if story is None:
        return 1
    began = time.perf_counter()
    report = Report(story, playtest.run_transcripts(story, folder))
    with _Progress() as progress:
        if args.random:
            playtest.run_random(report, args.random, args.seed, progress.show("random runs"))
        if args.exhaustive or args.write_transcripts:
            playtest.run_exhaustive(report, args.max_states, progress.show("states"))
            report.cycles += playtest.undecided_loops(report)
            playtest.run_routes(report)
    report.seconds = time.perf_counter() - began
    if args.write_transcripts:
        try:
            written = write_transcripts(report, Path(args.write_transcripts))
        except OSError as e:
            raise UsageError(f"cannot write transcripts to {args.write_transcripts}: {e.strerror}") from None
        print(f"wrote {written} transcripts to {args.write_transcripts}", file=sys.stderr)
    if args.format == "json":
        print_json(as_json(report))
    else:
        print(as_text(report, args.coverage))
    return 0 if report.ok else 1


class _Progress:
    """A one-line counter on stderr, only for a terminal and only once a run takes a while."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self.began = time.monotonic()
        self.last = 0.0

    def show(self, what: str) -> Callable[[int], None] | None:
        if not self.live:
            return None

        def update(n: int) -> None:
            now = time.monotonic()
            if now - self.began > 1 and now - self.last > 0.2:
                self.last = now
                sys.stderr.write(f"\r  {n:,} {what}…")
                sys.stderr.flush()

        return update

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.last:
            sys.stderr.write("\r\033[K")


def write_transcripts(report: Report, folder: Path) -> int:
    story, g = report.story, report.graph
    assert g is not None
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for ending_id, i in sorted(g.endings.items()):
        title = story.nodes[ending_id].ending.title  # type: ignore[union-attr]
        files[f"ending-{ending_id}.play.yaml"] = render(story, f"The shortest way to the ending '{title}'", g.path(i))
    routes = report.routes.paths if report.routes else []
    for n, path in enumerate(routes, 1):
        title = f"Route {n} of {len(routes)}: together they unlock every fact"
        files[f"route-{n}.play.yaml"] = render(story, title, path)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return len(files)


# -- text -----------------------------------------------------------------------------------------
def as_text(report: Report, coverage: bool = False) -> str:
    story = report.story
    lines = [f"{story.root}: {story.title}"]
    if report.transcripts:
        failed = [r for r in report.transcripts if not r.passed]
        lines.append(f"transcripts: {len(report.transcripts) - len(failed)} passed, {len(failed)} failed")
        lines += [str(f) for r in failed for f in r.failures]
    else:
        lines.append("transcripts: none (write *.play.yaml files; see AUTHORING.md)")
    if report.random:
        lines += _random_text(report)
    if report.graph:
        lines += _exhaustive_text(report)
    if coverage:
        lines += _coverage_text(report)
    problems = len(report.failures())
    lines.append(f"{'passed' if not problems else f'FAILED: {problems} problem' + ('s' if problems > 1 else '')}"
                 f" in {report.seconds:.2f} s")
    return "\n".join(lines)


def _random_text(report: Report) -> list[str]:
    r = report.random
    assert r is not None
    lines = [f"random: {r.runs:,} runs (seed {r.seed}), {r.choices_made:,} choices"]
    if r.lengths:
        q1, median, q3 = statistics.quantiles(r.lengths, n=4) if len(r.lengths) > 1 else [r.lengths[0]] * 3
        lines.append(f"  length in choices: shortest {min(r.lengths)}, quartiles {q1:g} / {median:g} / {q3:g}, "
                     f"longest {max(r.lengths)}")
    for node, count in r.endings.most_common():
        lines.append(f"  ending '{report.story.nodes[node].ending.title}' ({node}): {count:,}")  # type: ignore[union-attr]
    total_choices = sum(len(n.choices) for n in report.story.nodes.values())
    lines.append(f"  visited {len(r.nodes)}/{len(report.story.nodes)} nodes, "
                 f"{len(r.choices)}/{total_choices} choices")
    missed = [n for n in report.story.nodes.values() if n.id not in r.nodes]
    lines += [f"  {n.loc}: node '{n.id}' never visited" for n in missed[:MISSED_SHOWN]]
    if len(missed) > MISSED_SHOWN:
        lines.append(f"  … and {len(missed) - MISSED_SHOWN} more nodes (--coverage lists every node and choice)")
    return lines + [str(f) for f in r.failures]


def _exhaustive_text(report: Report) -> list[str]:
    g, story = report.graph, report.story
    assert g is not None
    if g.complete:
        lines = [f"exhaustive: all {g.states:,} states searched: a proof"]
    else:
        lines = [f"exhaustive: stopped by --max-states after {g.states:,} states: NOT a complete proof; "
                 "unreached items were settled by the over-approximation, random playthroughs and searches "
                 "aimed at each; soft-locks were looked for only among the states searched, and loops "
                 "without an exit need a complete search"]
    for ending in story.endings:
        item = next(i for i in report.items if i.kind == "ending" and i.id == ending.id)
        if item.status == "reached" and item.witness is not None:
            lines.append(f"  ending '{item.name}' ({item.id}) in {_plural(len(item.witness), 'choice')}")
    routes = report.routes
    if routes and routes.paths:
        proof = ("the fewest possible" if routes.proved_smallest else
                 f"greedy; at least {routes.lower_bound} needed" if routes.lower_bound else "greedy")
        lines.append(f"  routes unlocking every fact: {len(routes.paths)} ({proof})")
        for n, (path, facts) in enumerate(zip(routes.paths, routes.facts), 1):
            lines.append(f"    {n}. {_plural(len(path), 'choice')}, {_plural(len(facts), 'new fact')}")
    counts = ", ".join(_plural(len(report.unreached(k)), k) for k in KINDS)
    lines.append(f"  unreached: {counts}")
    lines += [str(f) for f in report.failures() if f.code.startswith("unreached-") or f.code == "undecided"]
    found = [i for i in report.items if i.reason.startswith("found by")]
    if found:
        lines.append(f"  reached past the bound: {sum('random' in i.reason for i in found):,} items by random "
                     f"playthroughs, {sum('aimed' in i.reason for i in found):,} by searches aimed at them")
    return lines + [str(f) for f in report.soft_locks + report.cycles + report.errors]


def _coverage_text(report: Report) -> list[str]:
    nodes, choices = visited(report)
    story = report.story
    total = sum(len(n.choices) for n in story.nodes.values())
    lines = [f"coverage by transcripts and random runs: {len(nodes)}/{len(story.nodes)} nodes, "
             f"{len(choices)}/{total} choices"]
    for node in story.nodes.values():
        if node.id not in nodes:
            lines.append(f"  {node.loc}: node '{node.id}' not visited")
        lines += [f"  {c.loc}: choice '{c.label}' not taken" for i, c in enumerate(node.choices)
                  if node.id in nodes and (node.id, i) not in choices]
    return lines


def visited(report: Report) -> tuple[set[str], set[tuple[str, int]]]:
    nodes: set[str] = set()
    choices: set[tuple[str, int]] = set()
    for result in report.transcripts:
        for state in result.states:
            nodes.update(state.trail)
            choices.update(zip(state.trail, state.path))
    if report.random:
        nodes |= report.random.nodes
        choices |= report.random.choices
    return nodes, choices


# -- JSON -----------------------------------------------------------------------------------------
def as_json(report: Report) -> dict[str, Any]:
    story, g = report.story, report.graph
    nodes, choices = visited(report)
    out: dict[str, Any] = {
        "ok": report.ok, "story": story.root, "seconds": round(report.seconds, 3),
        "states": g.states if g else None, "complete": g.complete if g else None,
        "endings_reached": {i.id: {"title": i.name, "shortest": playtest.label_list(story, i.witness or ())}
                            for i in report.items if i.kind == "ending" and i.status == "reached"} if g else None,
        "unreached": {k + "s": [_item_json(i) for i in report.unreached(k)] for k in KINDS} if g else None,
        "soft_locks": [f.as_json() for f in report.soft_locks],
        "cycles": [f.as_json() for f in report.cycles],
        "errors": [f.as_json() for f in report.errors],
        "transcripts": [{"path": r.transcript.path, "title": r.transcript.title, "passed": r.passed,
                         "failures": [f.as_json() for f in r.failures]} for r in report.transcripts],
        "coverage": {"nodes": sorted(nodes), "choices": sorted(f"{n}#{c + 1}" for n, c in choices)},
    }
    if report.random:
        r = report.random
        out["random"] = {"runs": r.runs, "seed": r.seed, "choices": r.choices_made, "endings": dict(r.endings),
                         "lengths": sorted(r.lengths), "failures": [f.as_json() for f in r.failures]}
    if report.routes:
        out["routes"] = {"paths": [list(p) for p in report.routes.paths], "facts": report.routes.facts,
                         "lower_bound": report.routes.lower_bound, "proved_smallest": report.routes.proved_smallest,
                         "unroutable": report.routes.unroutable}
    return out


def _item_json(i: Item) -> dict[str, Any]:
    return {"id": i.id, "name": i.name, "path": i.loc.path, "line": i.loc.line, "column": i.loc.column,
            "status": i.status, "reason": i.reason}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
