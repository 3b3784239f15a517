"""`budapest56 graph`: the story's map in DOT, Mermaid, SVG and one self-contained HTML page."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budapest56.cli import main
from conftest import STORY, write_story

ROOT = Path(__file__).resolve().parent.parent
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")

# Quotes, angle brackets and a backslash in what the map prints; a node no choice leads to; a
# choice whose condition never holds.
TRICKY = """\
chapter: one
nodes:
  - id: hall
    date: 1945
    place: The "Red" hall <upstairs>
    text: You stand in a hall.
    unlock: [war_ended]
    choices:
      - label: Say "no" & mean it
        goto: home
        set: {brave: true}
        add: {courage: -1}
      - label: Wait <quietly> \\ hope
        goto: home
        if: brave and courage >= 5
  - id: lost
    date: 1945
    place: Nowhere
    text: Nobody comes here.
    choices:
      - label: Go home
        goto: home
  - id: home
    chapter: two
    date: 1949
    place: Home
    text: You are home.
    ending: {title: Home again, epilogue: The end.}
facts:
  - id: war_ended
    title: The war ends
    summary: The war was over in 1945.
    quote: The war ended in 1945.
    date: 1945
"""


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    return write_story(tmp_path / "tricky", {"scene.yaml": TRICKY},
                       story=STORY.replace("title: A Tiny Story", "title: 'The \"Tiny\" <Story>'")
                       .replace("title: The first chapter", 'title: "The first\\nchapter"'))


def graph(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["graph", *args]) == 0
    return capsys.readouterr().out


def test_dot_groups_nodes_by_chapter_and_escapes_the_story_text(tricky, capsys):
    dot = graph(capsys, str(tricky))
    assert dot.startswith('digraph "The \\"Tiny\\" <Story>" {\n')
    assert ('  graph [rankdir=TB, fontname="Helvetica", fontsize=18, labelloc=t, nodesep=0.3, ranksep=0.45,\n'
            '         label="The \\"Tiny\\" <Story>: 3 nodes, 3 choices; all 2 states searched: a proof; '
            'unreachable: 1 node, 2 choices; ★ a fact unlocked"];\n') in dot
    chapter_one = dot[dot.index("subgraph cluster_0"):dot.index("subgraph cluster_1")]
    assert 'label="1. The first\\nchapter"' in chapter_one  # a line break in the title stays one
    assert ('n_hall [label="START: hall\\n1945 · The \\"Red\\" hall\\n<upstairs>\\n★ The war ends", '
            'fillcolor="#b9dcb0", tooltip="1945 · The \\"Red\\" hall <upstairs>"];') in chapter_one
    assert "n_home" not in chapter_one and "n_home [label=\"END: Home again\\nhome\\n1949 · Home\"" in dot
    assert ('n_hall -> n_home [label="Say \\"no\\" & mean it\\nsets brave, courage - 1"];') in dot
    assert ('n_hall -> n_home [label="Wait <quietly> \\\\ hope\\nif brave and courage >= 5\\nNEVER TAKEN", '
            'style=dashed, color="#c0392b", fontcolor="#c0392b", tooltip="its condition \'brave and courage >= 5\' '
            'never holds at \'hall\' (flag \'brave\' is never true here)"];') in dot


def test_what_no_player_reaches_is_marked_with_the_reason(tricky, capsys):
    dot = graph(capsys, str(tricky))
    lost = next(line for line in dot.splitlines() if line.strip().startswith("n_lost ["))
    assert 'label="lost\\n1945 · Nowhere\\nUNREACHABLE"' in lost
    assert 'style="rounded,filled,dashed", color="#c0392b"' in lost
    assert 'tooltip="no choice leads to it"' in lost


def test_mermaid_escapes_what_its_parser_would_take(tricky, capsys):
    text = graph(capsys, str(tricky), "--format", "mermaid")
    assert text.startswith('flowchart TB\n  subgraph chapter_0["1. The first<br>chapter"]\n')
    assert '    n_hall["START: hall<br>1945 · The #quot;Red#quot; hall<br>#lt;upstairs#gt;<br>★ The war ends"]' in text
    assert '    n_home(["END: Home again<br>home<br>1949 · Home"])' in text
    assert '  n_hall -->|"Say #quot;no#quot; #amp; mean it<br>sets brave, courage - 1"| n_home' in text
    assert '  n_hall -.->|"Wait #lt;quietly#gt; \\ hope<br>if brave and courage #gt;= 5<br>NEVER TAKEN"| n_home' in text
    assert "  class n_lost unreachable\n" in text


@needs_dot
def test_svg_through_graphviz(tricky, capsys):
    svg = graph(capsys, str(tricky), "--format", "svg")
    assert svg.startswith("<?xml")
    assert "<svg" in svg
    assert "Wait &lt;quietly&gt; \\ hope" in svg
    assert "The &quot;Red&quot; hall" in svg


@needs_dot
def test_html_is_one_page_with_the_map_inlined(tricky, capsys):
    page = graph(capsys, str(tricky), "--format", "html")
    assert page.startswith("<!DOCTYPE html>\n")
    assert "<title>The &quot;Tiny&quot; &lt;Story&gt;: story map</title>" in page
    assert "<?xml" not in page and "<svg" in page
    # Nothing is fetched: no script, no stylesheet link, no image or frame from elsewhere.
    assert not re.search(r"<script|<link|<img|<iframe|src=|@import|url\(", page)
    assert ("<li><b>unreachable</b>: node <code>lost</code>: no choice leads to it</li>") in page
    assert ("<li><b>never taken</b>: choice “Wait &lt;quietly&gt; \\ hope” at <code>hall</code>: "
            "its condition &#x27;brave and courage &gt;= 5&#x27; never holds at &#x27;hall&#x27; (flag &#x27;brave&#x27; is never true here)</li>") in page


def _without_dot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}  # python is started by its full path; dot is not found
    return subprocess.run([sys.executable, "-m", "budapest56", "graph", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


def test_svg_without_graphviz_is_one_clear_line(tricky, tmp_path):
    result = _without_dot(tmp_path, str(tricky), "--format", "svg")
    assert result.returncode == 2
    assert result.stderr == ("budapest56 graph: error: --format svg needs Graphviz's 'dot' program, which is not "
                             "installed (Debian/Ubuntu: apt-get install graphviz); --format dot, mermaid and html "
                             "work without it\n")
    assert result.stdout == ""


def test_html_without_graphviz_shows_the_dot_text(tricky, tmp_path):
    result = _without_dot(tmp_path, str(tricky), "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "Graphviz's <code>dot</code> is not installed" in result.stdout
    assert "<pre>digraph &quot;The \\&quot;Tiny\\&quot; &lt;Story&gt;&quot; {\n" in result.stdout
    assert "<svg" not in result.stdout


def test_a_broken_story_gives_its_errors_not_a_map(in_tmp):
    write_story(in_tmp / "s", {"scene.yaml": "nodes: [\n"})
    result = subprocess.run([sys.executable, "-m", "budapest56", "graph", "s"], capture_output=True, text=True,
                            cwd=in_tmp, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("s/scene.yaml:2:1: error: YAML syntax:")
    assert result.stdout == ""


def test_the_readme_map_is_up_to_date(capsys):
    """docs/story-map.dot is what `graph` prints for the bundled story; the SVG is drawn from it."""
    dot = graph(capsys)
    committed = (ROOT / "docs" / "story-map.dot").read_text(encoding="utf-8")
    assert committed == dot, "run: budapest56 graph > docs/story-map.dot && dot -Tsvg docs/story-map.dot > docs/story-map.svg"
    svg = (ROOT / "docs" / "story-map.svg").read_text(encoding="utf-8")
    version = re.search(r"Generated by graphviz version (\S+)", svg)
    if HAS_DOT and version:
        installed = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False).stderr
        if version.group(1) in installed:  # another Graphviz lays out differently: the DOT check suffices
            drawn = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=False).stdout
            assert drawn == svg, "run: dot -Tsvg docs/story-map.dot > docs/story-map.svg"


def test_graph_never_imports_the_terminal_ui(tricky):
    script = ("import sys, io, contextlib\nfrom budapest56.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              f"    code = main(['graph', {str(tricky)!r}, '--format', 'html'])\n"
              "print(code, 'prompt_toolkit' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.splitlines()[-1] == "0 False"
