"""Read one YAML file into plain values checked against the format, keeping every location.

Files are composed (not constructed), so no tag is ever turned into a Python object:
an explicit tag such as `!!python/object` is reported and its value is never built. Every
string loses its control characters here (story.controls), with a warning where it stood, so
nothing a story holds can take over the player's terminal; values quoted in messages are
cleaned, clipped and kept on one line.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Finding, Loc, suggest
from .controls import any_control, first_control, shown, strip_controls
from .format import DATE_PATTERN, ID_PATTERN, OBJECTS, missing_hint
from .hints import indent_slip, syntax_hint
from .model import ONWARDS, Date

_STD = "tag:yaml.org,2002:"
_STR = _STD + "str"
_MAP, _SEQ = _STD + "map", _STD + "seq"
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]  # CSafeLoader is untyped
    """The safe loader, with PyYAML's resolver made cheap; the tags it gives are the same.

    The composer asks the resolver about every node, in Python: three calls, and for a plain
    scalar a regular expression per candidate tag, which was a quarter of composing a story.
    With no path resolver registered (none is, by us or by default) descending and ascending
    record nothing, so C no-ops stand in for them; a plain scalar's tag depends only on its
    text, so it is resolved once per distinct text, and one whose first character starts no
    implicit tag (most words) is a string at once."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        if type(self).yaml_path_resolvers:
            return  # someone registered path resolvers on the loader: keep PyYAML's own calls
        self.descend_resolver: Any = {}.get  # (parent, index) -> None, like the no-op it replaces
        self.ascend_resolver = int  # () -> 0
        resolvers = self.yaml_implicit_resolvers
        base = super().resolve
        tags: dict[str, str] = {}
        wildcard = None in resolvers

        def resolve(kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
            if kind is yaml.ScalarNode:
                if not implicit[0] or (value[:1] not in resolvers and not wildcard):
                    return _STR
                tag = tags.get(value)
                if tag is None:
                    tag = tags[value] = base(kind, value, implicit)
                return tag
            return _MAP if kind is yaml.MappingNode else _SEQ  # what PyYAML's resolver gives, with no path resolver

        self.resolve = resolve

_SAFE_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
_ID = re.compile(ID_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_REQUIRED = {kind: tuple(k for k, f in spec.items() if f.required) for kind, spec in OBJECTS.items()}
_TRUE = {"true", "yes", "on"}
# What YAML refuses to read (its reader's own rule): caught first, to say where it is.
_UNREADABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FALSE = {"false", "no", "off"}
MAX_SYNTAX_ERRORS = 20  # of one file: past that, the rest is likely one mistake seen again and again


class Raw(dict[str, Any]):
    """An object read from YAML: its values by key, its location and where each value was written."""

    loc: Loc
    marks: dict[str, yaml.Mark]  # kept as marks; most are never needed, so Loc is made on demand

    def where(self, key: str) -> Loc:
        mark = self.marks[key]
        return Loc(self.loc.path, mark.line + 1, mark.column + 1)


class FileReader:
    """Reads one file; appends every problem to `problems` instead of stopping at the first."""

    def __init__(self, path: str, problems: list[Finding]):
        self.path = path
        self.problems = problems
        self.walked: set[int] = set()  # collections already read: an alias reaching one again is refused
        self.lost: list[str] = []  # lines read past at syntax errors: the ids on them are not known
        self.aliased = False
        self.plain = False  # the file holds no control character, nor a backslash to escape one
        self.distinct: yaml.Node | None = None  # the list item just found to have distinct plain keys
        self.simple = {t: getattr(self, "read_" + t) for t in ("string", "strings", "id", "ids", "integer", "boolean",
                                                              "value", "date", "span", "condition", "text")}
        # Per kind of object, per key: its format type and, for a plain one, its reader.
        self.readers = {kind: {key: (f.type, self.simple.get(f.type)) for key, f in spec.items()}
                        for kind, spec in OBJECTS.items()}

    def loc(self, node: yaml.Node) -> Loc:
        return Loc(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, where: Loc | yaml.Node, code: str, message: str, hint: str = "") -> None:
        loc = where if isinstance(where, Loc) else self.loc(where)
        self.problems.append(Finding("error", code, loc, message, hint))

    def clean(self, node: yaml.Node, value: str) -> str:
        """The string without control characters; a warning where any were."""
        found = None if self.plain else first_control(value)
        if found is None:
            return value
        self.problems.append(Finding(
            "warning", "control-character", self.loc(node),
            f"the text holds a control character ({found[1]}), which could take over the player's terminal; "
            "it was removed", "remove it from the file (often an escape such as \\e or \\x1b in double quotes)"))
        return strip_controls(value)

    # -- whole file -------------------------------------------------------------------------
    def read(self, data: bytes, kind: str) -> Raw | None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
            self.error(Loc(self.path, line, column), "not-utf8",
                       f"byte 0x{data[e.start]:02x} is not UTF-8 text", "save the file as UTF-8")
            return None
        bad = _UNREADABLE.search(text)
        if bad is not None:
            line = text.count("\n", 0, bad.start()) + 1
            column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
            code = ord(bad.group())
            self.error(Loc(self.path, line, column), "bad-character",
                       f"character U+{code:04X}{' (NUL)' if code == 0 else ''} cannot be in a story file",
                       "remove it; story files are plain text")
            return None
        # YAML makes a control character only from one written in the file, or from an escape
        # in double quotes: with neither, no string needs looking at (one search, not thousands).
        self.plain = any_control(text) is None and "\\" not in text
        root = self.compose(text)
        if self.lost:  # read past syntax errors: good for the ids it defines, not for its own findings
            if root is None or isinstance(root, yaml.ScalarNode):
                return None
            kept, self.problems = self.problems, []
            try:
                salvaged: Raw | None = self.value(root, f"object:{kind}")
            finally:
                self.problems = kept
            return salvaged
        if root is None or (isinstance(root, yaml.ScalarNode) and root.value == "" and root.tag == _STD + "null"):
            self.error(Loc(self.path, 1, 1), "empty-file", "the file is empty",
                       "write 'nodes:' with a list of nodes (or 'facts:' or 'glossary:'), or delete the file")
            return None
        raw: Raw | None = self.value(root, f"object:{kind}")  # value() also refuses an unsafe tag
        return raw

    def compose(self, text: str) -> yaml.Node | None:
        """The file's node tree. At a syntax error, the error is reported, the lines it stands on
        are blanked (kept in `lost`) and the file is read again, so every error the parser can get
        past is shown, not only the first; the tree read last is returned (None if none could be)."""
        lines = text.split("\n")
        reported: set[tuple[int, int]] = set()
        while True:
            try:
                return yaml.compose("\n".join(lines), Loader=_Loader)
            except yaml.MarkedYAMLError as e:
                mark = e.problem_mark or e.context_mark
                where = (mark.line, mark.column) if mark else (-1, -1)
                region = _region(e, lines)
                if where not in reported and len(reported) < MAX_SYNTAX_ERRORS:
                    reported.add(where)
                    self.syntax_error(e, "\n".join(lines))
                if not region or len(reported) >= MAX_SYNTAX_ERRORS:
                    self.lost.append(text)  # nothing more to read past: all of it counts as lost
                    return None
                for i in region:
                    self.lost.append(lines[i])
                    lines[i] = ""
            except yaml.YAMLError as e:
                self.error(Loc(self.path), "yaml-syntax", f"YAML syntax: {shown(e, 200)}")
                self.lost.append(text)
                return None

    def syntax_error(self, e: yaml.MarkedYAMLError, text: str) -> None:
        mark = e.problem_mark or e.context_mark
        loc = Loc(self.path, mark.line + 1, mark.column + 1) if mark else Loc(self.path)
        slip = indent_slip(e, text.split("\n"))
        if slip is not None:  # PyYAML's words name its parser's state; say what the author did
            line, column, message, hint = slip
            self.error(Loc(self.path, line + 1, column + 1), "yaml-syntax", f"YAML syntax: {message}", hint)
            return
        what = " ".join(p for p in (e.context, e.problem) if p)
        self.error(loc, "yaml-syntax", f"YAML syntax: {what}", syntax_hint(e, text))

    # -- one value by its format type ----------------------------------------------------------
    def value(self, node: yaml.Node, t: str) -> Any:
        if node.tag not in _SAFE_TAGS:
            if t == "condition" and re.fullmatch(r"![A-Za-z_]\w*", node.tag):
                # `if: !brave`: the author meant 'not'; YAML read a tag.
                word = node.tag[1:]
                self.error(node, "bad-condition", f"condition '!{shown(word)}': YAML reads '!{shown(word)}' as a tag",
                           f"write 'if: not {shown(word)}' ('!' starts a tag in YAML)")
                return None
            self.error(node, "unsafe-tag", f"tag '{_short_tag(node.tag)}' is not allowed",
                       "story files hold plain text, numbers, lists and mappings; remove the tag")
            return None
        simple = self.simple.get(t)
        if simple is not None:
            return simple(node)
        if t.startswith("object:"):
            return self.obj(node, t[7:])
        if t.startswith("list:"):
            items = self.seq(node, f"a list of {t[5:]}s")
            if items is None:
                return None
            kind, what = t[5:], t[5:].replace("_", " ")
            out = []
            for item in items:
                parts: list[yaml.Node] = [item]
                if item.__class__ is yaml.MappingNode and not item.flow_style and _distinct(item):
                    self.distinct = item  # the common item: nothing to split, nothing for pairs() to say
                else:
                    parts = self.split_items(item, what)
                for part in parts:
                    v = self.obj(part, kind) if part.tag in _SAFE_TAGS else self.value(part, "object:" + kind)
                    if v is not None:
                        out.append(v)
            return out
        if t.startswith("map:"):
            return self.map(node, t[4:])
        if t.startswith("enum:"):
            return self.enum(node, t[5:].split("|"))
        raise ValueError(f"format.py names an unknown type {t!r}")

    def obj(self, node: yaml.Node, kind: str) -> Raw | None:
        spec = OBJECTS[kind]
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "wrong-type", f"expected a mapping of {kind} keys, found {_found(node)}")
            return None
        raw = Raw()
        raw.loc, raw.marks = self.loc(node), {}
        marks = raw.marks
        readers = self.readers[kind]
        for key_node, value_node in self.pairs(node):
            key = key_node.value
            found = readers.get(key)
            if found is None:
                self.error(key_node, "unknown-key", f"unknown key '{shown(key)}' in {kind}",
                           suggest(key, spec) or f"{kind} keys are: {', '.join(spec)}")
                continue
            t, simple = found
            # value()'s own first steps, for the plain values most keys hold: one call less each
            value = simple(value_node) if simple is not None and value_node.tag in _SAFE_TAGS else self.value(
                value_node, t)
            if value is not None:
                raw[key] = value
                # A block list or mapping starts on the next line: point at its key instead.
                block = isinstance(value_node, yaml.CollectionNode) and not value_node.flow_style
                marks[key] = (key_node if block else value_node).start_mark
        for key in _REQUIRED[kind]:
            if key not in raw and not any(k.value == key for k, _ in node.value):  # present but broken: reported
                self.error(node, "missing-field", f"{kind} has no '{key}'", missing_hint(kind, key))
        return raw

    def split_items(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        """An item of a list whose first key comes again, in line with it: the next item with its
        '- ' forgotten. Said once, and read as the items meant, instead of a pile of duplicate keys."""
        if not isinstance(node, yaml.MappingNode) or node.flow_style or len(node.value) < 2 or _distinct(node):
            return [node]
        first = node.value[0][0]
        starts = [0] + [i for i, (k, _) in enumerate(node.value) if i and isinstance(k, yaml.ScalarNode)
                        and k.value == first.value and k.start_mark.column == first.start_mark.column]
        if len(starts) == 1:
            return [node]
        out: list[yaml.Node] = []
        for a, b in zip(starts, [*starts[1:], len(node.value)]):
            pairs = node.value[a:b]
            key = pairs[0][0]
            if a:
                text = f"{key.value}: {pairs[0][1].value}" if isinstance(pairs[0][1], yaml.ScalarNode) else key.value
                self.error(key, "missing-dash", f"a new {what} starts here without its '- '",
                           f"write '- {shown(text, 60)}', its '- ' under the one on line {first.start_mark.line + 1}")
            out.append(yaml.MappingNode(node.tag, pairs, key.start_mark, pairs[-1][1].end_mark, False))
        return out

    def once(self, node: yaml.CollectionNode) -> bool:
        """False for a list or mapping reached a second time through an alias (`*name`). Nested
        aliases can make a small file stand for billions of nodes, so none is followed."""
        if id(node) in self.walked:
            if not self.aliased:  # one message a file is enough
                self.aliased = True
                self.error(node, "yaml-alias", "the list or mapping anchored here (&) is repeated through an alias (*)",
                           "write the repeated part out in full; story files do not use '&' anchors and '*' aliases")
            return False
        self.walked.add(id(node))
        return True

    def pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        if not self.once(node):
            return []
        if node is self.distinct or _distinct(node):  # the common case, told by one set instead of a loop
            return node.value  # type: ignore[no-any-return]
        seen: dict[str, yaml.Node] = {}
        out: list[tuple[yaml.ScalarNode, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "wrong-type", "a key must be a plain name")
                continue
            first = seen.get(key_node.value)
            if first is not None:
                self.error(key_node, "duplicate-key", f"key '{shown(key_node.value)}' appears twice in this mapping",
                           f"remove one of the two; the first is at line {first.start_mark.line + 1} "
                           "(YAML would silently keep only the last)")
                continue
            seen[key_node.value] = key_node
            out.append((key_node, value_node))
        return out

    def seq(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "wrong-type", f"expected {what}, found {_found(node)}",
                       "start each item on its own line with '- '")
            return None
        return node.value if self.once(node) else []

    def map(self, node: yaml.Node, inner: str) -> dict[str, tuple[Any, Loc]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "wrong-type", f"expected a mapping of names, found {_found(node)}")
            return None
        out = {}
        for key_node, value_node in self.pairs(node):
            name = self.read_id(key_node)
            t = inner if inner in ("string", "integer", "value") else "object:" + inner
            if inner == "counter" and isinstance(value_node, yaml.ScalarNode) and value_node.tag == _STD + "int":
                value = self.bare_counter(key_node.value, value_node)
            else:
                value = self.value(value_node, t)
            if name is not None and value is not None:
                out[name] = (value, self.loc(key_node))
        return out

    def bare_counter(self, name: str, node: yaml.ScalarNode) -> Raw:
        """`courage: 0` for `courage: {start: 0}`: said once, and the counter kept, so every condition
        that reads it is not an 'unknown counter' too."""
        self.error(node, "wrong-type", f"counter '{shown(name)}' is a number; a counter is declared as a mapping",
                   f"write '{shown(name)}: {{start: {node.value}, about: <what it counts>}}'")
        raw = Raw()
        raw.loc, raw.marks = self.loc(node), {}
        start = self.read_integer(node)
        if start is not None:
            raw["start"], raw.marks["start"] = start, node.start_mark
        return raw

    def enum(self, node: yaml.Node, options: list[str]) -> str | None:
        value = self.read_string(node)
        if value is not None and value not in options:
            self.error(node, "wrong-type", f"'{shown(value)}' is not one of: {', '.join(options)}",
                       suggest(value, options))
            return None
        return value

    # -- scalars ---------------------------------------------------------------------------
    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if node.tag not in _SAFE_TAGS:
            self.value(node, "string")  # reports the tag
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag == _STD + "null":
            self.error(node, "wrong-type", f"expected {what}, found {_found(node)}")
            return None
        text: str = node.value  # a scalar node's value is its text
        return text

    def read_string(self, node: yaml.Node) -> str | None:
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:  # the common case, checked cheaply
            value = node.value.strip()
            return value if self.plain or any_control(value) is None else self.clean(node, value)
        value = self.scalar(node, "text")
        return None if value is None else self.clean(node, value.strip())

    def read_strings(self, node: yaml.Node) -> list[str] | None:
        items = self.seq(node, "a list of texts")
        return None if items is None else [s for s in map(self.read_string, items) if s is not None]

    def read_id(self, node: yaml.Node) -> str | None:
        value = self.scalar(node, "an id")
        if value is not None and not _ID.match(value):
            fixed = re.sub(r"[^a-z0-9_]+", "_", value.lower()).strip("_")
            self.error(node, "wrong-type", f"'{shown(value)}' is not a valid id",
                       f"ids are lower-case letters, digits and '_', starting with a letter, e.g. '{fixed or 'my_id'}'")
            return None
        return value

    def read_ids(self, node: yaml.Node) -> list[tuple[str, Loc]] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag != _STD + "null":
            items: list[yaml.Node] = [node]  # a lone id is a list of one
        else:
            listed = self.seq(node, "a list of ids")
            if listed is None:
                return None
            items = listed
        return [(i, self.loc(n)) for n in items if (i := self.read_id(n)) is not None]

    def read_integer(self, node: yaml.Node) -> int | None:
        value = self.scalar(node, "a whole number")
        if value is None:
            return None
        if node.tag != _STD + "int" or not re.fullmatch(r"[-+]?\d{1,9}", value):
            self.error(node, "wrong-type", f"expected a whole number, found '{shown(value)}'")
            return None
        return int(value)

    def read_boolean(self, node: yaml.Node) -> bool | None:
        value = self.scalar(node, "true or false")
        if value is None:
            return None
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        self.error(node, "wrong-type", f"expected true or false, found '{shown(value)}'")
        return None

    def read_value(self, node: yaml.Node) -> bool | int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STD + "int":
            return self.read_integer(node)
        if isinstance(node, yaml.ScalarNode) and node.tag == _STD + "bool":
            return self.read_boolean(node)
        if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') and (
                node.value.lower() in _TRUE | _FALSE or re.fullmatch(r"-?\d{1,9}", node.value)):
            self.error(node, "wrong-type", f"expected true, false or a whole number, found the text {node.value!r}",
                       f"write {node.value.lower()} without quotes: in quotes it is text")
            return None
        self.error(node, "wrong-type", f"expected true, false or a whole number, found {_found(node)}")
        return None

    def read_date(self, node: yaml.Node) -> Date | None:
        value = self.scalar(node, "a date")
        if value is None:
            return None
        date = _parse_date(value)
        if date is None:
            self.error(node, "bad-date", f"'{shown(value)}' is not a date",
                       "write a year (1949), a month (1955-04) or a day (1956-10-23)")
        return date

    def read_span(self, node: yaml.Node) -> Date | None:
        value = self.scalar(node, "a date")
        if value is None:
            return None
        start, sep, end = value.partition("..")
        first, last = _parse_date(start), _parse_date(end) if sep and end else None
        if first is not None and not sep:
            return first
        if first is not None and sep and not end:
            return Date(first.year, first.month, first.day, ONWARDS)
        if first is not None and last is not None and last.earliest > first.latest:
            return Date(first.year, first.month, first.day, (last.year, last.month, last.day))
        self.error(node, "bad-date", f"'{shown(value)}' is not a date or a span of dates",
                   "write 1949, 1955-04 or 1956-10-23, a span such as 1949..1956, or 1956.. for one with no end")
        return None

    def read_condition(self, node: yaml.Node) -> tuple[str, Loc] | None:
        value = self.scalar(node, "a condition")
        if value is None:
            return None
        value = self.clean(node, value)
        loc = self.loc(node)
        # Point inside the text: quoted scalars start one column after their mark.
        style = node.style if isinstance(node, yaml.ScalarNode) else None
        if style in ("'", '"'):
            loc = Loc(loc.path, loc.line, loc.column + 1)
        elif style in ("|", ">") or node.start_mark.line != node.end_mark.line:
            loc = Loc(loc.path, loc.line, 0)  # no reliable column inside a multi-line value
        return value, loc

    def read_text(self, node: yaml.Node) -> list[Any] | None:
        if isinstance(node, yaml.ScalarNode):
            value = self.read_string(node)
            return None if value is None else [value]
        items = self.seq(node, "text, or a list of texts and {if, text} items")
        if items is None:
            return None
        out = []
        for item in items:
            part = self.read_string(item) if isinstance(item, yaml.ScalarNode) else self.value(item, "object:text_part")
            if part is not None:
                out.append(part)
        return out


def _distinct(node: yaml.MappingNode) -> bool:
    """Every key a plain name, and no two alike: nothing for `pairs` or `split_items` to say."""
    try:
        return len({k.value for k, _ in node.value}) == len(node.value)
    except TypeError:  # a list or mapping as a key (its value is a list): the slow path says so
        return False


def _region(e: yaml.MarkedYAMLError, lines: list[str]) -> list[int]:
    """The line indexes to blank to read past a syntax error: the line it stands on and the lines
    indented under it; [] when blanking cannot help (nothing left to blank there)."""
    mark = e.problem_mark
    at_end = mark is None or mark.line >= len(lines) or not lines[mark.line].strip()
    context = e.context or ""
    began_earlier = context.startswith("while scanning") or "flow" in context  # a quote, a '[', a key
    if (at_end or began_earlier) and e.context_mark is not None:
        mark = e.context_mark  # an unclosed quote or bracket, a key without ':': where it began
    if mark is None or mark.line >= len(lines) or not lines[mark.line].strip():
        return []
    first = mark.line
    depth = _indent(lines[first])
    out = [first]
    for i in range(first + 1, len(lines)):
        if lines[i].strip() and _indent(lines[i]) <= depth:
            break
        out.append(i)
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _parse_date(text: str) -> Date | None:
    """A year, a month or a day that exists: ASCII digits only, no year 0, no month or day 00."""
    if not _DATE.match(text):
        return None
    parts = [int(p) for p in text.split("-")]
    year, month, day = (parts + [0, 0])[:3]
    if year == 0 or (len(parts) > 1 and not 1 <= month <= 12):
        return None
    if len(parts) > 2 and not 1 <= day <= _days_in(year, month):
        return None
    return Date(year, month, day)


def _days_in(year: int, month: int) -> int:
    if month == 0:
        return 31
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _found(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _STD + "null":
        return "nothing"
    return f"'{shown(node.value, 30)}'"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag
