#!/usr/bin/env python3
"""Convert a synthetic graph (synth_graph.py's neutral JSON) into a budapest56 story folder.

    python3 benchmarks/synth_graph.py --nodes 200 --seed 1956 > graph.json
    python3 benchmarks/synth_to_story.py graph.json out/story200

One chapter and one scene file per year, so a large graph loads like a real multi-file story.
Flags become declared flags, `set` becomes `set: {flag: true}`, `if` stays a condition (the
generator writes `flag` or `not flag`, which is our condition language too). No facts: the
graph has none, and a source file is still written because every story needs one.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

SOURCE = "A Synthetic Source\n\nThis text exists because every story names a source.\n"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def convert(graph: dict, folder: Path) -> Path:
    """Write the graph as a story folder (story.yaml, one scene file per year, a source); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    years = sorted({n["year"] for n in graph["nodes"]})
    head = ["id: synthetic", 'title: "A Synthetic Story"', "version: 1", f"start: {graph['start']}",
            f"period: {{from: {years[0]}, to: {years[-1]}}}",
            "sources:", "  - {id: synth, title: A synthetic source, file: source.txt}", "chapters:"]
    head += [f"  - {{id: y{y}, title: {_q(str(y))}}}" for y in years]
    head += ["flags:"] + [f"  {f}: {_q('Synthetic flag ' + f)}" for f in graph["flags"]]
    (folder / "story.yaml").write_text("\n".join(head) + "\n", encoding="utf-8")
    (folder / "source.txt").write_text(SOURCE, encoding="utf-8")
    by_year: dict[int, list[str]] = defaultdict(list)
    for node in graph["nodes"]:
        by_year[node["year"]] += _node(node)
    for year, lines in by_year.items():
        text = f"chapter: y{year}\nnodes:\n" + "\n".join(lines) + "\n"
        (folder / f"{year}.yaml").write_text(text, encoding="utf-8")
    return folder


def _node(node: dict) -> list[str]:
    lines = [f"  - id: {node['id']}", f"    date: {node['year']}", f"    place: {_q('Place of ' + node['id'])}",
             f"    text: {_q(node['text'])}"]
    if node["set"]:
        lines.append("    set: {" + ", ".join(f"{f}: true" for f in node["set"]) + "}")
    if node.get("ending"):
        title = node["id"].removeprefix("ending_").title()
        lines.append(f"    ending: {{title: {_q(title)}, epilogue: {_q(node['text'])}}}")
        return lines
    lines.append("    choices:")
    for choice in node["choices"]:
        lines.append(f"      - label: {_q(choice['label'])}")
        lines.append(f"        goto: {choice['goto']}")
        if choice["if"]:
            lines.append(f"        if: {_q(choice['if'])}")
    return lines


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: synth_to_story.py GRAPH.json OUT_FOLDER")
    graph = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(convert(graph, Path(sys.argv[2])))


if __name__ == "__main__":
    main()
