"""The fix for what authors bring from elsewhere: YAML indentation slips and missing colons,
which PyYAML reports in its parser's words, and conditions written as in another language
(`&&`, `||`, `=>`, `!`, quotes). Each says what to write."""
from __future__ import annotations

import re

import yaml

from .controls import shown

# Other languages' spellings, as authors bring them: the fix for each.
_SPELLINGS = (("&&", "write 'and' instead of '&&'"), ("&", "write 'and' instead of '&'"),
              ("||", "write 'or' instead of '||'"), ("|", "write 'or' instead of '|'"),
              ("=>", "write '>=' (at least) instead of '=>'"), ("=<", "write '<=' (at most) instead of '=<'"),
              ("=", "write '==' to compare"), ("!", "write 'not' instead of '!'"))


def condition_hint(text: str, offset: int) -> str:
    """The fix for a condition written as in another language, where the parser stopped."""
    rest = text[offset:]
    for written, fix in _SPELLINGS:
        if rest.startswith(written):
            return fix
    if rest[:1] in ("'", '"'):
        word = re.match(r"['\"]([^'\"]*)['\"]?", rest)
        inner = word.group(1) if word else ""
        return f"write {inner} without quotes" if inner else "conditions hold no quotes: remove them"
    return ""



def syntax_hint(e: yaml.MarkedYAMLError, text: str) -> str:
    problem = e.problem or ""
    mark = e.problem_mark
    lines = text.splitlines()
    if mark and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t":
        return "YAML indents with spaces, not tabs"
    if "mapping values are not allowed" in problem and mark and mark.line < len(lines):
        key, _, value = lines[mark.line].strip().removeprefix("- ").partition(": ")
        if value and '"' not in value:
            return f"a text containing ': ' must be quoted: write '{key}: \"{value}\"'"
        return "a text containing ': ' must be quoted, or written as a block with '|'"
    if "could not find expected ':'" in problem:
        return "check the indentation of the line above"
    return ""


_KEY = re.compile(r"^( *)(- +)?([A-Za-z_][\w-]*):(?: |$)")


def indent_slip(e: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str] | None:
    """A line indented unlike its neighbours, which PyYAML reports in its parser's words ('did not
    find expected '-' indicator', 'mapping values are not allowed' for a key pushed right, 'did not
    find expected key'), as (line, column, message, hint) naming the indentation it should have;
    None when the error is something else."""
    mark, problem = e.problem_mark, e.problem or ""
    if mark is None or mark.line >= len(lines):
        return None
    if "could not find expected ':'" in problem and e.context_mark is not None:
        at = e.context_mark.line
        words = lines[at].strip().split(" ", 1) if at < len(lines) else []
        if len(words) == 2 and ":" not in lines[at]:
            return (at, e.context_mark.column, f"'{shown(words[0])}' has no ':' after it",
                    f"write '{shown(words[0])}: {shown(words[1])}'")
        return None
    if not any(p in problem for p in ("expected '-' indicator", "did not find expected key",
                                      "mapping values are not allowed")):
        return None
    line = mark.line
    here = _KEY.match(lines[line])
    if here is None:
        return None
    above = next((i for i in range(line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
                 None)
    if above is None:
        return None
    indent, dash, key = len(here.group(1)), here.group(2), here.group(3)
    if dash:  # an item of a list: its '- ' goes where the items before it have theirs
        items = [(i, len(m.group(1))) for i in range(line - 1, -1, -1)
                 if (m := _KEY.match(lines[i])) is not None and m.group(2)]
        if not items:
            return None
        at, want = min(items, key=lambda item: (abs(item[1] - indent), line - item[0]))
        if want == indent:
            return None
        return (line, indent, f"this item is indented {_spaces(indent)}, the items of its list {want} (line {at + 1})",
                f"indent '- {key}:' by {want} spaces, as the item on line {at + 1}")
    prev = _KEY.match(lines[above])
    if prev is None:
        return None
    prev_key = prev.group(3)
    want = len(prev.group(1)) + len(prev.group(2) or "")
    if "mapping values are not allowed" in problem:
        if indent <= want or mark.column != indent + len(key):  # not a key pushed right: a ': ' in a text
            return None
        return (line, indent, f"'{key}:' is indented {_spaces(indent)}, more than '{prev_key}:' above it ({want}), "
                "so YAML reads it as more of the value of '{prev_key}:'".replace("{prev_key}", prev_key),
                f"indent '{key}:' by {want} spaces, as '{prev_key}:' on line {above + 1}")
    if indent == want:
        return None
    return (line, indent, f"'{key}:' is indented {_spaces(indent)}, but the keys beside it {want} "
            f"('{prev_key}:' on line {above + 1})", f"indent '{key}:' by {want} spaces, as '{prev_key}:' above it")


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"
