"""A map of a story: its nodes by chapter, its choices as edges, and what no player can reach.

    story_map(story)     -> StoryMap   what to draw, judged by the same search as `budapest56 test`
    to_dot(m)            Graphviz text;  to_mermaid(m): Mermaid flowchart text
    to_svg(dot_text)     the picture, through Graphviz's `dot`; None when `dot` is not installed
    to_html(m, ...)      one self-contained page: the SVG inlined (nothing loaded from a network),
                         or, without Graphviz, the DOT text to read, with a note

Reachability comes from `testing.playtest.judge` over the exhaustive search, so the map marks
exactly what `test --exhaustive` reports: proved unreachable (with the reason) or undecided.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass

from ..analysis.explore import exhaustive
from ..story.model import Effects, Story
from ..testing.playtest import judge

MAX_STATES = 200_000  # enough for a proof on any story we know; past it items show as undecided
WRAP = 26             # characters per line of a label


@dataclass(frozen=True)
class MapNode:
    id: str
    chapter: str
    when_where: str          # "1956-10-23 · Bem Square"
    ending: str | None       # the ending's title
    facts: tuple[str, ...]   # titles of the facts unlocked on arrival
    status: str              # reached, unreachable, undecided
    reason: str


@dataclass(frozen=True)
class MapEdge:
    source: str
    target: str
    label: str
    condition: str
    facts: tuple[str, ...]   # titles of the facts the choice unlocks
    sets: tuple[str, ...]    # "brave", "not brave", "courage = 2", "courage + 1"
    status: str
    reason: str


@dataclass(frozen=True)
class StoryMap:
    title: str
    start: str
    chapters: tuple[tuple[str, str, tuple[str, ...]], ...]  # (id, "1. Title", node ids) in play order
    nodes: dict[str, MapNode]
    edges: tuple[MapEdge, ...]
    searched: str            # how far the search went, for the legend


def story_map(story: Story, max_states: int = MAX_STATES) -> StoryMap:
    g = exhaustive(story, max_states)
    items = {(i.kind if i.kind == "choice" else "node", i.id): i for i in judge(story, g)}
    nodes: dict[str, MapNode] = {}
    edges: list[MapEdge] = []
    for node in story.nodes.values():
        item = items["node", node.id]
        nodes[node.id] = MapNode(node.id, node.chapter, f"{node.date} · {node.place}",
                                 node.ending.title if node.ending else None,
                                 _fact_titles(story, node.effects), item.status, item.reason)
        for c, choice in enumerate(node.choices):
            item = items["choice", f"{node.id}#{c + 1}"]
            edges.append(MapEdge(node.id, choice.goto, choice.label,
                                 choice.condition.source if choice.condition else "",
                                 _fact_titles(story, choice.effects), _sets(choice.effects),
                                 item.status, item.reason))
    chapters = tuple((ch.id, f"{ch.number}. {ch.title}", tuple(n.id for n in nodes.values() if n.chapter == ch.id))
                     for ch in story.chapters.values())
    searched = (f"all {g.states:,} states searched: a proof" if g.complete
                else f"the search stopped at {g.states:,} states")
    return StoryMap(story.title, story.start, chapters, nodes, tuple(edges), searched)


def _fact_titles(story: Story, effects: Effects) -> tuple[str, ...]:
    return tuple(story.facts[f].title for f in effects.unlock)


def _sets(effects: Effects) -> tuple[str, ...]:
    return (*(name if on else f"not {name}" for name, on in effects.set_flags),
            *(f"{name} = {value}" for name, value in effects.set_counters),
            *(f"{name} {'+' if value >= 0 else '-'} {abs(value)}" for name, value in effects.add_counters))


# -- what a label says, in lines (each format escapes them its own way) ---------------------------
def node_lines(m: StoryMap, n: MapNode) -> list[str]:
    lines = [f"END: {n.ending}"] if n.ending else []
    lines += ["START: " + n.id if n.id == m.start else n.id]
    lines += _wrap(n.when_where)
    lines += [line for title in n.facts for line in _wrap("★ " + title)]
    if n.status != "reached":
        lines.append("UNREACHABLE" if n.status == "unreachable" else "UNDECIDED")
    return lines


def edge_lines(e: MapEdge) -> list[str]:
    lines = _wrap(e.label)
    lines += _wrap("if " + e.condition) if e.condition else []
    lines += [line for title in e.facts for line in _wrap("★ " + title)]
    lines += _wrap("sets " + ", ".join(e.sets)) if e.sets else []
    if e.status != "reached":
        lines.append("NEVER TAKEN" if e.status == "unreachable" else "UNDECIDED")
    return lines


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP, break_on_hyphens=False) or [""]


# -- Graphviz ----------------------------------------------------------------------------------
PALETTE = {"node": "#f4f1ea", "ending": "#f6d98b", "start": "#b9dcb0", "lost": "#c0392b", "undecided": "#7f8c8d"}


def to_dot(m: StoryMap, titled: bool = True) -> str:
    """`titled`: the title and legend drawn above the map (a page that says them itself needs not)."""
    label = f",\n         label={_dot_str(m.title + ': ' + _legend(m))}" if titled else ""
    out = [f"digraph {_dot_str(m.title)} {{",
           '  graph [rankdir=TB, fontname="Helvetica", fontsize=18, labelloc=t, nodesep=0.3, ranksep=0.45'
           + label + "];",
           '  node [shape=box, style="rounded,filled", fillcolor="' + PALETTE["node"] + '", fontname="Helvetica", '
           'fontsize=11, margin="0.12,0.06"];',
           '  edge [fontname="Helvetica", fontsize=9, color="#555555", arrowsize=0.7];']
    for k, (_, title, ids) in enumerate(m.chapters):
        out += [f"  subgraph cluster_{k} {{",
                f'    label={_dot_str(title)}; style="rounded"; color="#999999"; fontsize=14;']
        out += [f"    {_dot_node(m, m.nodes[i])}" for i in ids]
        out.append("  }")
    for e in m.edges:
        attrs = {"label": _dot_lines(edge_lines(e))}
        if e.status != "reached":
            colour = _dot_str(PALETTE["lost" if e.status == "unreachable" else "undecided"])
            attrs.update(style="dashed", color=colour, fontcolor=colour, tooltip=_dot_str(e.reason))
        out.append(f"  {_dot_id(e.source)} -> {_dot_id(e.target)} [{_attrs(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node(m: StoryMap, n: MapNode) -> str:
    fill = PALETTE["ending"] if n.ending else PALETTE["start"] if n.id == m.start else PALETTE["node"]
    attrs = {"label": _dot_lines(node_lines(m, n)), "fillcolor": _dot_str(fill),
             "tooltip": _dot_str(n.reason or n.when_where)}
    if n.ending:
        attrs["penwidth"] = "2"
    if n.status != "reached":
        colour = PALETTE["lost" if n.status == "unreachable" else "undecided"]
        attrs.update(style='"rounded,filled,dashed"', color=_dot_str(colour), fontcolor=_dot_str(colour),
                     penwidth="2")
    return f"{_dot_id(n.id)} [{_attrs(attrs)}];"


def _attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in attrs.items())


def _dot_id(node_id: str) -> str:
    return f"n_{node_id}"  # ids are [a-z0-9_]; the prefix keeps keywords (node, edge, graph) out


def _dot_str(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, every line break a centred \\n."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"\r\n|\r|\n", r"\\n", escaped) + '"'


def _dot_lines(lines: list[str]) -> str:
    return _dot_str("\n".join(lines))


def _legend(m: StoryMap) -> str:
    parts = [f"{len(m.nodes)} nodes, {len(m.edges)} choices", m.searched]
    for status in ("unreachable", "undecided"):
        nodes = sum(n.status == status for n in m.nodes.values())
        edges = sum(e.status == status for e in m.edges)
        if nodes or edges:
            parts.append(f"{status}: {_count(nodes, 'node')}, {_count(edges, 'choice')}")
    if len(parts) == 2:
        parts.append("everything reachable")
    return "; ".join(parts) + "; ★ a fact unlocked"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class GraphvizError(Exception):
    """`dot` ran and failed; the message is its first line of complaint."""


def to_svg(dot_text: str) -> str | None:
    """The map as SVG through Graphviz's `dot`, or None when `dot` is not installed."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    result = subprocess.run([dot, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True,
                            timeout=120, check=False)
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(lines[0] if lines else f"dot exited with status {result.returncode}")
    return result.stdout.decode("utf-8")


# -- Mermaid -------------------------------------------------------------------------------------
def to_mermaid(m: StoryMap) -> str:
    out = ["flowchart TB"]
    for k, (_, title, ids) in enumerate(m.chapters):
        out.append(f"  subgraph chapter_{k}[{_mm_str([title])}]")
        for i in ids:
            n = m.nodes[i]
            text = _mm_str(node_lines(m, n))
            out.append(f"    {_dot_id(i)}([{text}])" if n.ending else f"    {_dot_id(i)}[{text}]")
        out.append("  end")
    for e in m.edges:
        arrow = "-.->" if e.status != "reached" else "-->"
        out.append(f"  {_dot_id(e.source)} {arrow}|{_mm_str(edge_lines(e))}| {_dot_id(e.target)}")
    out += ["  classDef ending fill:#f6d98b,stroke:#8a6d1d,stroke-width:2px",
            "  classDef start fill:#b9dcb0",
            "  classDef unreachable stroke:#c0392b,stroke-width:2px,stroke-dasharray:5 3,color:#c0392b",
            "  classDef undecided stroke:#7f8c8d,stroke-dasharray:2 2,color:#7f8c8d"]
    for cls, members in (("ending", [n.id for n in m.nodes.values() if n.ending]), ("start", [m.start]),
                     ("unreachable", [n.id for n in m.nodes.values() if n.status == "unreachable"]),
                     ("undecided", [n.id for n in m.nodes.values() if n.status == "undecided"])):
        if members:
            out.append(f"  class {','.join(map(_dot_id, members))} {cls}")
    return "\n".join(out) + "\n"


def _mm_str(lines: list[str]) -> str:
    """A Mermaid quoted label: Mermaid's #entity; codes for what its parser or HTML would take."""
    def one(line: str) -> str:
        return "".join({"\"": "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "#": "#35;",
                        "|": "#124;"}.get(ch, ch) for ch in line)
    return '"' + "<br>".join(one(line) for line in "\n".join(lines).splitlines()) + '"'


# -- HTML ----------------------------------------------------------------------------------------
def to_html(m: StoryMap, svg: str | None, dot_text: str) -> str:
    """One page that needs nothing else: the SVG inlined, or without Graphviz the DOT text."""
    if svg is not None:
        body = _inline(svg)
    else:
        body = ('<p class="note">Graphviz\'s <code>dot</code> is not installed, so this page shows the map\'s '
                "DOT text. Install Graphviz (on Debian or Ubuntu: <code>apt-get install graphviz</code>) and run "
                "the command again for the picture, or paste the text into any Graphviz viewer.</p>\n"
                f"<pre>{html.escape(dot_text)}</pre>")
    unreachable = [n for n in m.nodes.values() if n.status != "reached"]
    unreachable_edges = [e for e in m.edges if e.status != "reached"]
    problems = "".join(
        f"<li><b>{html.escape(n.status)}</b>: node <code>{html.escape(n.id)}</code>: {html.escape(n.reason)}</li>"
        for n in unreachable)
    problems += "".join(
        f"<li><b>{'never taken' if e.status == 'unreachable' else 'undecided'}</b>: choice "
        f"“{html.escape(e.label)}” at <code>{html.escape(e.source)}</code>: {html.escape(e.reason)}</li>"
        for e in unreachable_edges)
    return HTML_PAGE.format(title=html.escape(m.title), legend=html.escape(_legend(m)),
                            problems=f"<ul class=\"problems\">{problems}</ul>" if problems else "", body=body)


def _inline(svg: str) -> str:
    """dot's SVG without its XML prolog and doctype, which may not stand inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


HTML_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}: story map</title>
<style>
  body {{ font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; background: #fff; }}
  h1 {{ font-size: 1.5em; margin: 0 0 .2em; }}
  .legend {{ margin: 0 0 1em; }}
  .key span {{ display: inline-block; padding: .1em .6em; margin-right: .6em; border-radius: .4em;
              border: 1px solid #999; font-size: .9em; }}
  .problems {{ color: #c0392b; }}
  .map svg {{ max-width: 100%; height: auto; }}
  pre {{ background: #f6f6f6; padding: 1em; overflow: auto; font-size: .85em; }}
  .note {{ background: #fff6d6; border-left: 4px solid #e0b000; padding: .6em 1em; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="legend">{legend}</p>
<p class="key"><span style="background:#b9dcb0">start</span><span style="background:#f4f1ea">scene</span><span
style="background:#f6d98b;border-width:2px">ending</span><span style="border:2px dashed #c0392b;color:#c0392b"
>unreachable</span>★ a fact unlocked; an edge's label is the choice, its condition (if …) and what it sets</p>
{problems}
<div class="map">
{body}
</div>
</body>
</html>
"""
